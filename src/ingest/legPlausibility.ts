/**
 * What a leg must look like to be believed, whatever the vendor (dates in 1970 or 2100 and
 * absurd durations are rejects): a start in the years 2000–2099 and at most 7 days long.
 */
export const earliestLegStart = Date.UTC(2000, 0, 1);
export const latestLegStart = Date.UTC(2100, 0, 1);
export const maxLegSeconds = 7 * 24 * 3600;
