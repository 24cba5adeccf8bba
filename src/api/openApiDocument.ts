import type { Database } from '../services/openDatabase.ts';
import type { ApiAuthenticator } from './apiAuthenticator.ts';
import { buildServer } from './buildServer.ts';

const unavailable = (): Promise<never> => Promise.reject(new Error('The OpenAPI document is made without a database.'));

/**
 * The OpenAPI 3.1 document of the API, generated from the route schemas (what `/api/openapi.json`
 * serves): no database is opened, no route runs.
 */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const db = { kind: 'pglite', query: unavailable, exec: unavailable, copyCsv: unavailable, transaction: unavailable, close: async () => undefined } as Database;
  const authenticator: ApiAuthenticator = { apiKey: unavailable, password: unavailable, session: unavailable, startSession: unavailable, endSession: unavailable };
  const app = buildServer(db, { authenticator });
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
  }
}
