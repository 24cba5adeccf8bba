import { principalOfApiKey } from '../services/apiKeys.ts';
import type { Database } from '../services/openDatabase.ts';
import { endSession, principalOfSession, startSession } from '../services/sessions.ts';
import { principalOfPassword } from '../services/users.ts';
import type { ApiAuthenticator } from './apiAuthenticator.ts';

/** The credentials of the users, API keys and sessions stored in the database. */
export function databaseAuthenticator(db: Database): ApiAuthenticator {
  return {
    apiKey: (secret, now) => principalOfApiKey(db, secret, now),
    password: (name, password, now) => principalOfPassword(db, name, password, now),
    session: (token, now) => principalOfSession(db, token, now),
    startSession: (principal, now) => startSession(db, principal.id, now),
    endSession: async (token) => {
      await endSession(db, token);
    },
  };
}
