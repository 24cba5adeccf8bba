#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npm ci` is the whole install (no build step).
import { register } from 'tsx/esm/api';

register();
// A reader that stops early (`confbill report usage | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
const { main, exitOnUncaughtError } = await import('../src/cli/main.ts');
// Whatever escapes the commands is still one line and a log file, never a stack trace.
process.on('uncaughtException', exitOnUncaughtError);
process.on('unhandledRejection', exitOnUncaughtError);
process.exitCode = await main(process.argv.slice(2));
