import { describe, expect, it } from 'vitest';
import { untrackedReason } from '../../src/domain/untrackedReason.ts';

describe('untrackedReason', () => {
  it('names why a call that lasted is billed to no one, and nothing for a billed, 0-s or pending call', () => {
    expect(untrackedReason({ durationSeconds: 60, matchStatus: 'no-customer', hasItem: false })).toBe('no-customer');
    expect(untrackedReason({ durationSeconds: 60, matchStatus: 'ambiguous', hasItem: false })).toBe('ambiguous');
    expect(untrackedReason({ durationSeconds: 60, matchStatus: 'matched', hasItem: false })).toBe('no-plan');
    expect(untrackedReason({ durationSeconds: 60, matchStatus: 'matched', hasItem: true })).toBeUndefined();
    expect(untrackedReason({ durationSeconds: 0, matchStatus: 'no-customer', hasItem: false })).toBeUndefined();
    expect(untrackedReason({ durationSeconds: 60, matchStatus: 'pending', hasItem: false })).toBeUndefined();
  });
});
