/**
 * Where a DATABASE_URL points, for messages, without opening anything: the CLI checks its environment
 * with it at start, before it knows whether the command needs a database (so without loading the drivers).
 */
export { postgresTarget } from '../storage/postgresConnectionFailure.ts';
