import { readGenerations, type Generations } from '../storage/configurationGeneration.ts';
import type { Sql } from '../storage/database.ts';

/**
 * Per database, the generations read for the posts that are waiting: a read that has not started
 * yet is shared by all who ask before it starts, and it starts after the one running; so every post
 * sees a change committed before it arrived, with one read in flight at a time whatever the rate.
 */
class GenerationReads {
  private next: Promise<Generations> | undefined;
  private running: Promise<Generations> | undefined;

  constructor(private readonly db: Sql) {}

  read(): Promise<Generations> {
    if (this.next) return this.next;
    const next = (async () => {
      await this.running?.catch(() => undefined);
      this.next = undefined;
      const running = readGenerations(this.db);
      this.running = running;
      return running;
    })();
    this.next = next;
    return next;
  }
}

const reads = new WeakMap<Sql, GenerationReads>();

/**
 * The generations of the matching rules and of the configuration (sources, settings, format
 * mappings, API keys) as of a read that started after this call: what a process checks what it
 * keeps against, so that a change committed before a request arrived is seen by it.
 */
export function currentGenerations(db: Sql): Promise<Generations> {
  let generations = reads.get(db);
  if (!generations) reads.set(db, (generations = new GenerationReads(db)));
  return generations.read();
}
