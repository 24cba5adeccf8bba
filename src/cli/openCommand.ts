import { spawn } from 'node:child_process';
import { BillingError } from '../domain/billingError.ts';
import { println, type CliContext } from './cliContext.ts';

export interface OpenOptions {
  port: string;
  host: string;
}

/** The program that opens an address in the desktop's browser, per platform. */
function browserLauncher(platform: NodeJS.Platform): { command: string; args: string[] } {
  if (platform === 'darwin') return { command: 'open', args: [] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""'] };
  return { command: 'xdg-open', args: [] };
}

/**
 * `confbill open`: opens the web admin of a running `confbill serve` in the browser (the demo prints
 * this command and the administrator to sign in as). On a machine without a desktop it prints the
 * address to open elsewhere.
 */
export async function openCommand(ctx: CliContext, options: OpenOptions): Promise<number> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new BillingError('invalid-argument', `--port "${options.port}" is not a port number (1–65535).`, { field: 'port', value: options.port });
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}/`;
  const launcher = browserLauncher(process.platform);
  const opened = await new Promise<boolean>((resolve) => {
    const child = spawn(launcher.command, [...launcher.args, url], { stdio: 'ignore', detached: true });
    child.on('error', () => resolve(false));
    child.on('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
  println(ctx, opened ? `Opening the web admin at ${url} in your browser.` : `No browser to open here: open ${url} in a browser that reaches this machine.`);
  return 0;
}
