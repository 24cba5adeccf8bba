import { stringify } from 'csv-stringify/sync';
import { neutralizeCsvCell } from './neutralizeCsvCell.ts';

export type CsvValue = string | number | boolean | null | undefined;

/**
 * RFC 4180 CSV (UTF-8, header row, CRLF, quotes only where needed) in which every cell, ours or
 * a user's, has gone through `neutralizeCsvCell`: names, aliases and descriptions come from
 * configuration files and call records that anyone upstream may have written.
 */
export function spreadsheetSafeCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const records: string[][] = [header.map(neutralizeCsvCell)];
  for (const row of rows) records.push(row.map((v) => neutralizeCsvCell(v === null || v === undefined ? '' : String(v))));
  return stringify(records, { record_delimiter: 'windows' });
}
