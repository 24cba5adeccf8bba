import { createRandom } from '../../../src/services/syntheticProvider.ts';

/**
 * The seed of a fault run's kill points: CONFBILL_CRASH_SEED when set (to replay a failed run), else
 * a new one, printed so that a failure can be replayed. Each suite draws from its own stream of the
 * one seed (mixed with the suite's name), so a replay of one suite does not depend on the others.
 */
export function crashSeed(): number {
  const given = process.env.CONFBILL_CRASH_SEED;
  if (given !== undefined && given !== '') {
    const seed = Number(given);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`CONFBILL_CRASH_SEED "${given}" is not a non-negative integer.`);
    return seed;
  }
  return Math.floor(Math.random() * 2 ** 31);
}

/** A PRNG of floats in [0, 1) for one suite, derived from the run's seed and the suite's name. */
export function killPointRandom(seed: number, suite: string): () => number {
  let mixed = seed >>> 0;
  for (const char of suite) mixed = Math.imul(mixed ^ char.charCodeAt(0), 0x9e3779b1) >>> 0;
  return createRandom(mixed);
}

/** How many kills each suite lands: CONFBILL_CRASH_KILLS (fewer for a quick local look), else 20 as the issue asks. */
export function killsPerSuite(): number {
  const given = process.env.CONFBILL_CRASH_KILLS;
  if (given === undefined || given === '') return 20;
  const kills = Number(given);
  if (!Number.isSafeInteger(kills) || kills < 1) throw new Error(`CONFBILL_CRASH_KILLS "${given}" is not a positive integer.`);
  return kills;
}
