/**
 * The database a face (the CLI, the API) opens and hands to every use case. The faces import it from
 * here and nothing else of storage: what they may do with the data is what `src/services/` offers.
 */
export { openDatabase, type Database, type DatabaseLocation } from '../storage/database.ts';
export { postgresTarget } from './postgresTarget.ts';
