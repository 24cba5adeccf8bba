/**
 * The number of runs of a fuzz property: `base` in the everyday suite, multiplied by
 * CONFBILL_FUZZ_SCALE for the long fuzz run of CI (.ci/run).
 */
export function fuzzRuns(base: number): number {
  const scale = Number(process.env.CONFBILL_FUZZ_SCALE ?? '1');
  return Math.max(1, Math.round(base * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}
