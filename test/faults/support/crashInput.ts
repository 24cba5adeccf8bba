import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { callsToCsvLines, syntheticCalls, syntheticConfig } from '../../../src/services/syntheticProvider.ts';

/** The month of the synthetic calls, invoiced once the month and its settlement delay are past. */
export const crashMonth = { from: '2026-10-01', to: '2026-11-01', now: '2026-12-01T00:00:00Z' } as const;

/** The input's own seed: fixed, so that every run bills the same calls (the kill points are what vary). */
const inputSeed = 20_261_012;

export interface CrashInput {
  /** The provider configuration (the `confbill apply` file). */
  configPath: string;
  /** The call data, one confbill-csv file per day's export, as a provider ingests them. */
  csvPaths: string[];
  legs: number;
  customers: number;
  /** Records that are not calls (a date and a duration no reader accepts): stored as rejects, once. */
  rejects: number;
}

/**
 * A realistic month of a small provider (src/services/syntheticProvider.ts: customers with plans,
 * entities and matching rules, conferences of 2-8 legs, a share of unmatched legs) written as
 * `files` confbill-csv files. Every file is its own transaction at ingest or more (one per
 * 20,000-leg batch), so a kill can fall between the commits of one run. Two records of each file are
 * unreadable, so that rejects are stored as well.
 */
export function writeCrashInput(dir: string, options: { customers: number; legs: number; files: number }): CrashInput {
  const config = syntheticConfig({ customers: options.customers, seed: inputSeed, month: crashMonth.from.slice(0, 7) });
  const configPath = join(dir, 'provider.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  const [header, ...lines] = [...callsToCsvLines(syntheticCalls({ config, legs: options.legs, seed: inputSeed, month: crashMonth.from.slice(0, 7), source: 'crash-1' }))];
  const perFile = Math.ceil(lines.length / options.files);
  const csvPaths: string[] = [];
  for (let f = 0; f < options.files; f++) {
    const unreadable = [
      `crash-1,crash-bad-${f}-1,conf-bad-${f},not-a-date,60,video,inbound,SIP,room@example.com,guest@example.net,\n`,
      `crash-1,crash-bad-${f}-2,conf-bad-${f},2026-10-02T10:00:00Z,-5,video,inbound,SIP,room@example.com,guest@example.net,\n`,
    ];
    const path = join(dir, `calls-${String(f + 1).padStart(2, '0')}.csv`);
    writeFileSync(path, [header, ...lines.slice(f * perFile, (f + 1) * perFile), ...unreadable].join(''));
    csvPaths.push(path);
  }
  return { configPath, csvPaths, legs: options.legs, customers: options.customers, rejects: 2 * options.files };
}
