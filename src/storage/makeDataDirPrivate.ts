import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Creates the embedded database's folder if needed and takes every group and world permission off it
 * and off everything in it (folders end 0700, files 0600), whatever the umask. PGlite unpacks its
 * initial cluster with mode 0666 files — among them the catalog that holds the immutability triggers —
 * so the umask alone cannot keep the data private; run it again after PGlite has written. Only bits are
 * taken away, never added, and symbolic links are not followed.
 */
export function makeDataDirPrivate(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  tighten(dataDir);
}

function tighten(path: string): void {
  try {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    if ((stat.mode & 0o077) !== 0) chmodSync(path, stat.mode & 0o700);
    if (stat.isDirectory()) for (const name of readdirSync(path)) tighten(join(path, name));
  } catch (error) {
    // Removed meanwhile (a lock or temporary file of another process): nothing to tighten.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
