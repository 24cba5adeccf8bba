import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * A call leg as a test writes it; `confbillCsv` turns it into a row of confbill's own CSV
 * (README, "Bring in call data": source,externalId,conferenceId,startedAt,durationSeconds,category,direction,protocol,localAlias,remoteAlias,tenant).
 */
export interface CdrRow {
  /** The record's id at its source (externalId): uploading the same id again changes nothing. */
  callId: string;
  /** ISO 8601 with an offset or Z. */
  start: string;
  /** ISO 8601; the duration is end − start in whole seconds. */
  end: string;
  /** The local alias: what customer matching reads (e.g. CUST_0003_ALIAS). */
  alias: string;
  remote?: string;
  /** inbound (default), outbound, internal, external. */
  direction?: string;
  /** video (default), audio, webrtc, skype, teams, gateway, streaming, recording, non-routed. */
  category?: string;
  /** The source id (default web-upload-1). */
  source?: string;
  conferenceId?: string;
  protocol?: string;
  tenant?: string;
  /** Overrides end − start, e.g. to write a bad record ("abc"). */
  durationSeconds?: string;
}

export const confbillCsvHeader = 'source,externalId,conferenceId,startedAt,durationSeconds,category,direction,protocol,localAlias,remoteAlias,tenant';
export const defaultUploadSource = 'web-upload-1';

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The text of a confbill-csv file holding these legs (header first). */
export function confbillCsv(rows: CdrRow[]): string {
  const lines = rows.map((r) => {
    const seconds = r.durationSeconds ?? String(Math.round((Date.parse(r.end) - Date.parse(r.start)) / 1000));
    return [r.source ?? defaultUploadSource, r.callId, r.conferenceId ?? `conf-${r.callId}`, r.start, seconds, r.category ?? 'video', r.direction ?? 'inbound', r.protocol ?? 'sip', r.alias, r.remote ?? 'guest@visitor.example', r.tenant ?? '']
      .map(csvField)
      .join(',');
  });
  return `${confbillCsvHeader}\n${lines.join('\n')}\n`;
}

/**
 * An alias that matches a demo customer: each demo customer cust-NNNN has the domain rule cNNNN.example
 * (src/services/syntheticProvider.ts), so any `name@cNNNN.example` is theirs.
 */
export function custAlias(customerId: string, name = 'room-web'): string {
  const num = /^cust-(\d{4})$/.exec(customerId)?.[1];
  if (!num) throw new Error(`${customerId} is not a demo customer id (cust-NNNN)`);
  return `${name}@c${num}.example`;
}

/** An alias of demo customer cust-0003 (eur-payg), by its domain rule c0003.example. */
export const CUST_0003_ALIAS = custAlias('cust-0003');

/** Picks an option of a Mantine Select by the field's label and the option's text. */
export async function chooseOption(page: Page, label: string, option: string | RegExp): Promise<void> {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option }).click();
}

/**
 * Uploads a CDR file on Call data › Upload: chooses the format, picks the file, sends it, checks the
 * progress bar reached 100 %, and reads the ingest summary shown. `stored` is the records stored new.
 */
export async function uploadCdrFile(
  page: Page,
  baseUrl: string,
  upload: { fileName: string; content: string; format: string; source?: string },
): Promise<{ read: number; stored: number; rejected: number; duplicates: number }> {
  await page.goto(`${baseUrl}/calls/upload`);
  await page.getByRole('heading', { name: 'Upload a CDR file' }).waitFor();
  if (upload.source) await chooseOption(page, 'Source', new RegExp(`^${upload.source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`));
  await chooseOption(page, 'Format', new RegExp(`^${upload.format}\\b`));
  await page.locator('input[type="file"]').setInputFiles({ name: upload.fileName, mimeType: 'text/csv', buffer: Buffer.from(upload.content) });
  await page.getByRole('button', { name: 'Upload and ingest' }).click();
  const summary = page.getByRole('region', { name: 'Ingest summary' });
  await summary.waitFor({ timeout: 60_000 });
  expect(await summary.getByRole('heading').first().textContent()).toContain(upload.fileName);
  expect(await page.getByRole('progressbar', { name: 'Bytes sent' }).getAttribute('aria-valuenow')).toBe('100');
  expect(await page.getByTestId('upload-progress-text').textContent()).toContain(`100 % sent — ${Buffer.byteLength(upload.content).toLocaleString('en-US')} of`);
  const figure = async (id: string) => Number((await page.getByTestId(id).textContent())!.replace(/\D/g, ''));
  return { read: await figure('summary-read'), stored: await figure('summary-stored'), rejected: await figure('summary-rejected'), duplicates: await figure('summary-duplicates') };
}
