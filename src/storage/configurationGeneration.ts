import type { Sql } from './database.ts';

export interface Generations {
  /** The matching rules' (matching_generation, migration 0007). */
  matching: number;
  /** Sources', settings', format mappings' and API keys' (configuration_generation, migration 0019). */
  configuration: number;
}

/** Both generations in one read: what a receiver checks its kept configuration and rules against. */
export async function readGenerations(db: Sql): Promise<Generations> {
  const [row] = await db.query<Generations>(
    'SELECT (SELECT generation FROM matching_generation) AS matching, (SELECT generation FROM configuration_generation) AS configuration',
  );
  return row!;
}
