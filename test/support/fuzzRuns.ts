/**
 * The number of runs of a fuzz property: `base` in the everyday suite, multiplied by
 * CONFBILL_FUZZ_SCALE for the long fuzz run of CI (.ci/run).
 */
export function fuzzRuns(base: number): number {
  const scale = Number(process.env.CONFBILL_FUZZ_SCALE ?? '1');
  return Math.max(1, Math.round(base * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

/** A fuzz test's time limit: `baseMs` in the everyday suite, scaled with its runs in the long fuzz run. */
export function fuzzTimeoutMs(baseMs = 120_000): number {
  return Math.round(baseMs * (fuzzRuns(1000) / 1000));
}
