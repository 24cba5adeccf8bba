import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** ../shared beside the repository: real vendor samples, read in place and never copied in. */
export const sharedDir = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const hasShared = existsSync(sharedDir);
