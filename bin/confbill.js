#!/usr/bin/env node
// Runs the CLI bundled by bin/buildCli.js (at `npm ci`) while it is current, else the TypeScript
// sources directly through tsx, so `npm ci` is the whole install and an edited source runs as edited.
import { readFileSync, statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

/** The bundle's entry when every source it was built from is as it was then; else undefined. */
function currentBundle() {
  const dist = new URL('../dist/cli/', import.meta.url);
  const root = new URL('../', import.meta.url);
  try {
    const { sources } = JSON.parse(readFileSync(new URL('sources.json', dist), 'utf8'));
    for (const { file, size, mtimeMs } of sources) {
      const stat = statSync(new URL(file, root));
      if (stat.size !== size || stat.mtimeMs !== mtimeMs) return undefined;
    }
    return new URL('main.js', dist).href;
  } catch {
    return undefined;
  }
}

// A listing or one object (`invoice list`, `plan show …`) is a short process: it ends before optimized
// code for the hot functions of PGlite's WebAssembly start would pay back compiling it, so it runs
// V8's baseline code only (about 0.6 s of CPU less per run; bench/cliLatency.bench.ts).
const args = process.argv.slice(2);
const words = args.filter((arg, i) => !arg.startsWith('-') && args[i - 1] !== '--data');
if (words[1] === 'list' || words[1] === 'show') setFlagsFromString('--liftoff-only');

const bundle = process.env.CONFBILL_FROM_SOURCES ? undefined : currentBundle();
if (!bundle) (await import('tsx/esm/api')).register();
// A reader that stops early (`confbill report usage | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
const { main, exitOnUncaughtError } = await import(bundle ?? '../src/cli/main.ts');
// Whatever escapes the commands is still one line and a log file, never a stack trace.
process.on('uncaughtException', exitOnUncaughtError);
process.on('unhandledRejection', exitOnUncaughtError);
process.exitCode = await main(process.argv.slice(2));
