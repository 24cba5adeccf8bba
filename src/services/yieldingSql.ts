import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Sql } from '../storage/database.ts';

/**
 * The same connection or transaction, letting the event loop run before each statement. PGlite runs
 * SQL on this thread, and a chain of awaited statements resolves in microtasks only: without this, a
 * long transaction holds every other request (and /healthz) until its last statement. With it, the
 * longest wait is one statement. On PostgreSQL it costs a turn of the loop per statement, nothing more.
 */
export function yieldingSql(sql: Sql): Sql {
  return {
    async query(text, params) {
      await yieldToEventLoop();
      return sql.query(text, params);
    },
    async exec(text) {
      await yieldToEventLoop();
      return sql.exec(text);
    },
    async copyCsv(table, columns, csv) {
      await yieldToEventLoop();
      return sql.copyCsv(table, columns, csv);
    },
  };
}
