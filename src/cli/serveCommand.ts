import { hostname } from 'node:os';
import { buildServer } from '../api/buildServer.ts';
import { BillingError } from '../domain/billingError.ts';
import { runScheduledRating } from '../services/scheduledRating.ts';
import { openDatabase } from '../services/openDatabase.ts';
import { println, type CliContext } from './cliContext.ts';
import { listenNotice } from './listenNotice.ts';
import { countText } from './countText.ts';

export interface ServeOptions {
  port: string;
  host: string;
  /** Connections served at once; more are refused. */
  maxConnections: string;
  /** How often this process checks whether the hourly rating is due (seconds). */
  scheduleCheck: string;
}

/**
 * Runs until SIGINT/SIGTERM: the HTTP server and the hourly scheduled rating. Several processes may
 * serve one PostgreSQL database; the schedule's claim makes one of them rate per hour.
 */
export async function serveCommand(ctx: CliContext, options: ServeOptions): Promise<number> {
  const port = Number(options.port);
  const checkSeconds = Number(options.scheduleCheck);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new BillingError('invalid-argument', `--port "${options.port}" is not a port number (0–65535; 0 picks a free one).`);
  const maxConnections = Number(options.maxConnections);
  if (!(checkSeconds > 0)) throw new BillingError('invalid-argument', `--schedule-check "${options.scheduleCheck}" must be a number of seconds above 0.`);
  if (!Number.isInteger(maxConnections) || maxConnections < 1 || maxConnections > 100_000) throw new BillingError('invalid-argument', `--max-connections "${options.maxConnections}" must be a whole number of connections from 1 to 100000.`);
  // The CLI's commands on the same embedded data folder go through this process (localDatabaseSocket.ts).
  const db = await openDatabase({ databaseUrl: ctx.databaseUrl, dataDir: ctx.dataDir, shareLocally: true });
  const app = buildServer(db, { maxConnections });
  const holder = `${hostname()}:${process.pid}`;
  let running: Promise<void> = Promise.resolve();
  const tick = (): void => {
    running = running.then(async () => {
      try {
        const outcome = await runScheduledRating(db, { holder, now: ctx.now });
        if (outcome.ran) {
          println(ctx, `scheduled rating by ${holder}: ${countText(outcome.match.matched, 'call')} matched, ${countText(outcome.rating.customers, 'customer')} rated, ${countText(outcome.rating.itemsWritten, 'item')} written; next at ${outcome.nextDueAt.toISOString()}`);
        }
      } catch (error) {
        ctx.stderr.write(`confbill: scheduled rating failed: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    });
  };
  const address = await app.listen({ port, host: options.host });
  println(ctx, `confbill serving on ${address} (GET /healthz); hourly rating checked every ${checkSeconds} s`);
  const notice = listenNotice(options.host);
  if (notice.loopback) println(ctx, notice.text);
  else ctx.stderr.write(`confbill: ${notice.text}\n`);
  tick();
  const timer = setInterval(tick, checkSeconds * 1000);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(timer);
  await running;
  await app.close();
  await db.close();
  return 0;
}
