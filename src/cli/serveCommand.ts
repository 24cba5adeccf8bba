import { hostname } from 'node:os';
import { buildServer } from '../api/buildServer.ts';
import { databaseAuthenticator } from '../api/databaseAuthenticator.ts';
import { BillingError } from '../domain/billingError.ts';
import { runScheduledRating } from '../services/scheduledRating.ts';
import { openDatabase } from '../services/openDatabase.ts';
import { startWebhookDelivery } from '../services/webhookDelivery.ts';
import type { CliContext } from './cliContext.ts';
import { listenNotice } from './listenNotice.ts';
import { countText } from './countText.ts';
import { ensureWebAdminBuilt } from './ensureWebAdminBuilt.ts';

export interface ServeOptions {
  port: string;
  host: string;
  /** Connections served at once; more are refused. */
  maxConnections: string;
  /** PostgreSQL: connections to the database this process keeps at most. */
  dbConnections: string;
  /** How often this process checks whether the hourly rating is due (seconds). */
  scheduleCheck: string;
  /** Lowest level logged: fatal, error, warn, info, debug. */
  logLevel: string;
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug'];

/**
 * Runs until SIGINT/SIGTERM: the HTTP server and the hourly scheduled rating, logging JSON lines
 * (pino) on standard output. Several processes may serve one PostgreSQL database; the schedule's
 * claim makes one of them rate per hour. Stopping lets requests in flight and the running job finish.
 */
export async function serveCommand(ctx: CliContext, options: ServeOptions): Promise<number> {
  const port = Number(options.port);
  const checkSeconds = Number(options.scheduleCheck);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new BillingError('invalid-argument', `--port "${options.port}" is not a port number (0–65535; 0 picks a free one).`);
  const maxConnections = Number(options.maxConnections);
  if (!(checkSeconds > 0)) throw new BillingError('invalid-argument', `--schedule-check "${options.scheduleCheck}" must be a number of seconds above 0.`);
  if (!Number.isInteger(maxConnections) || maxConnections < 1 || maxConnections > 100_000) throw new BillingError('invalid-argument', `--max-connections "${options.maxConnections}" must be a whole number of connections from 1 to 100000.`);
  const poolSize = Number(options.dbConnections);
  if (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 1000) throw new BillingError('invalid-argument', `--db-connections "${options.dbConnections}" must be a whole number of connections from 1 to 1000.`);
  if (!logLevels.includes(options.logLevel)) throw new BillingError('invalid-argument', `--log-level "${options.logLevel}" is not one of ${logLevels.join(', ')}.`);
  // The CLI's commands on the same embedded data folder go through this process (localDatabaseSocket.ts).
  const db = await openDatabase({ databaseUrl: ctx.databaseUrl, dataDir: ctx.dataDir, shareLocally: true, poolSize });
  const authenticator = databaseAuthenticator(db);
  // Before the server is built: it serves the web admin only if the build is there when it starts.
  const webAdmin = await ensureWebAdminBuilt();
  const app = buildServer(db, {
    limits: { maxConnections },
    authenticator,
    processMetrics: true,
    now: ctx.now,
    logger: {
      level: options.logLevel,
      stream: { write: (line: string) => ctx.stdout.write(line) },
      // Requests are logged by method, route and status; credentials never: no headers are logged, and
      // a receiver URL that carries its key (/cdr/<vendor>/<source>/<key>) is logged without it.
      serializers: {
        req: (request: { method: string; url: string; ip?: string }) => ({ method: request.method, url: request.url.replace(/^(\/cdr\/[^/]+\/[^/?]+\/)[^/?]+/, '$1[key]'), remoteAddress: request.ip }),
      },
    },
  });
  const holder = `${hostname()}:${process.pid}`;
  let running: Promise<void> = Promise.resolve();
  const tick = (): void => {
    running = running.then(async () => {
      try {
        const outcome = await runScheduledRating(db, { holder, now: ctx.now });
        if (outcome.ran) {
          app.log.info(
            { job: 'scheduled-rating', matched: outcome.match.matched, customers: outcome.rating.customers, items: outcome.rating.itemsWritten, nextDueAt: outcome.nextDueAt.toISOString() },
            `scheduled rating by ${holder}: ${countText(outcome.match.matched, 'call')} matched, ${countText(outcome.rating.customers, 'customer')} rated, ${countText(outcome.rating.itemsWritten, 'item')} written; next at ${outcome.nextDueAt.toISOString()}`,
          );
        }
      } catch (error) {
        app.log.error({ job: 'scheduled-rating', err: error }, `scheduled rating failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  };
  if (webAdmin.built === 'now') app.log.info('built the web admin (web/dist)');
  if (webAdmin.built === 'failed') app.log.warn(`the web admin could not be built, the API serves without it: ${webAdmin.reason ?? ''}`);
  const address = await app.listen({ port, host: options.host });
  app.log.info({ address }, `confbill serving on ${address} (web admin ${address}/, API /api/v1, documentation /api/docs); hourly rating checked every ${checkSeconds} s`);
  const notice = listenNotice(options.host);
  if (notice.loopback) app.log.info(notice.text);
  else app.log.warn(notice.text);
  tick();
  const timer = setInterval(tick, checkSeconds * 1000);
  const webhooks = startWebhookDelivery(db, { now: ctx.now, log: (line) => app.log.info({ job: 'webhooks' }, line) });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  app.log.info('stopping: finishing the requests in flight and the running job');
  clearInterval(timer);
  // New connections are refused (503 while closing), requests in flight are answered, then the jobs end.
  await app.close();
  await webhooks.stop();
  await running;
  await db.close();
  return 0;
}
