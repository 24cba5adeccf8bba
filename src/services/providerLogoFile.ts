import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BillingError } from '../domain/billingError.ts';
import { messageSafeText } from '../domain/messageSafeText.ts';
import { isDrawableImage, logoMediaType } from '../export/logoImage.ts';
import type { ProviderLogo } from '../storage/providerLogoStore.ts';

/** Every exported PDF embeds the logo: 1 MiB is a sharp print logo, and bounds each document. */
export const maxLogoBytes = 1024 * 1024;

/**
 * Reads `settings.provider.logo` of an apply file: a PNG or JPEG file, its path relative to the
 * directory of the configuration file. The bytes are stored in the database at apply time, so
 * invoices print the same logo wherever and whenever they are exported.
 */
export async function readProviderLogoFile(path: string, baseDir: string): Promise<ProviderLogo> {
  const where = `settings.provider.logo: "${messageSafeText(path)}"`;
  let content: Buffer;
  try {
    content = readFileSync(resolve(baseDir, path));
  } catch (error) {
    const reason = (error as { code?: string }).code === 'ENOENT' ? 'no such file' : (error as { code?: string }).code === 'EISDIR' ? 'it is a folder' : 'it cannot be read';
    throw new BillingError('invalid-config', `${where} is not a logo file: ${reason}. Give the path of a PNG or JPEG file, relative to the configuration file; nothing was applied.`);
  }
  if (content.length > maxLogoBytes) {
    throw new BillingError('invalid-config', `${where} is ${content.length} bytes, more than the ${maxLogoBytes} bytes a logo may have: give a smaller PNG or JPEG file; nothing was applied.`);
  }
  const mediaType = logoMediaType(content);
  if (!mediaType || !(await isDrawableImage(content))) {
    throw new BillingError('invalid-config', `${where} is not a ${mediaType === undefined ? '' : 'readable '}PNG or JPEG image: give a PNG or JPEG file; nothing was applied.`);
  }
  return { sha256: createHash('sha256').update(content).digest('hex'), mediaType, content };
}
