import { expect } from 'vitest';
import { isBillingError } from '../../src/domain/billingError.ts';
import { validateProviderConfig } from '../../src/services/providerConfig.ts';

/** The problems a configuration is refused with (path: reason), or none when it is valid. */
export function configProblems(config: unknown): string[] {
  try {
    validateProviderConfig(config);
    return [];
  } catch (error) {
    if (!isBillingError(error)) throw error;
    expect(error.code).toBe('invalid-config');
    return [...(error.details.problems ?? [])];
  }
}
