// In-memory inputs of N records for every call-data format, for bench/readers.bench.ts: each is the
// format's sample of the repository (test/support/formatSamples.ts, the records the format tests
// read) repeated with its ids, start times and durations varied record by record, so that no cache
// keyed on a repeated value and no deduplication makes a reader look faster than on a real file.
// Every generated record is one billable leg.

import { formatSamples, type FormatSample } from '../test/support/formatSamples.ts';

/** The first start; records follow 1.5 s apart (1,000,000 records span 17 days, no DST change in Europe). */
const FIRST_START = Date.parse('2026-10-01T06:00:00.000Z');
const CHUNK_BYTES = 256 * 1024;

export interface ReaderInput {
  format: string;
  records: number;
  /** The file's bytes in chunks of about 256 KiB, as a stream would deliver them. */
  chunks: Buffer[];
  bytes: number;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `YYYY-MM-DD HH:MM:SS` of the UTC fields of `t`, with `separator` between date and time. */
function wall(t: number, separator: string): string {
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}${separator}${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

const fraction = (t: number, digits: number): string => `.${pad(((t % 1000) + 1000) % 1000, 3)}${'0'.repeat(digits - 3)}`;

/** Record `i`'s start (ms, with varied milliseconds) and duration (s). */
function startOf(i: number): number {
  return FIRST_START + i * 1500 + ((i * 137) % 1000);
}

function durationOf(i: number): number {
  return 60 + ((i * 37) % 3600);
}

/** The values of record `i` of each format, and a rewrite of the text for what its sample keeps fixed. */
const variations: Record<string, { values(i: number, base: Record<string, string>): Record<string, string>; text?(i: number, text: string): string }> = {
  'confbill-csv': {
    values: (i, v) => ({ ...v, externalId: `leg-${i}`, conferenceId: `conf-${i >> 2}`, startedAt: new Date(startOf(i)).toISOString(), durationSeconds: String(durationOf(i)) }),
  },
  'cms-xml': {
    values: (i, v) => ({ ...v, session: `sess-${i >> 6}`, id: `leg-${i}`, durationSeconds: String(durationOf(i)) }),
    text: (i, text) => text.replace('time="2026-10-05T10:00:00Z"', `time="${new Date(startOf(i) + durationOf(i) * 1000).toISOString().replace('.000Z', 'Z')}"`),
  },
  'pexip-history': {
    values: (i, v) => ({ ...v, id: `p-${i}`, start_time: wall(startOf(i), 'T') + fraction(startOf(i), 6), end_time: wall(startOf(i) + durationOf(i) * 1000, 'T') + fraction(startOf(i), 6) }),
  },
  'pexip-events': {
    values: (i, v) => ({ ...v, uuid: `e-${i}` }),
    text: (i, text) => text.replace('"connect_time":1790000000.25', `"connect_time":${startOf(i) / 1000}`).replace('"time":1790000100.5', `"time":${startOf(i) / 1000 + durationOf(i)}`),
  },
  'cucm-csv': {
    values: (i, v) => {
      const connect = Math.floor(startOf(i) / 1000);
      return { ...v, globalCallID_callId: String(1000 + i), origLegCallIdentifier: String(20_000_000 + i), destLegIdentifier: String(30_000_000 + i), dateTimeOrigination: String(connect - 5), dateTimeConnect: String(connect), dateTimeDisconnect: String(connect + durationOf(i)), duration: String(durationOf(i)), callingPartyNumber: `5${pad(i % 100_000, 5)}` };
    },
  },
  'expressway-json': {
    values: (i, v) => ({ ...v, uuid: `u-${i}`, tag: `t-${i}`, start_time: wall(startOf(i), ' ') + fraction(startOf(i), 6), end_time: wall(startOf(i) + durationOf(i) * 1000 + 650, ' ') + fraction(startOf(i) + 650, 6) }),
  },
  'dma-csv': {
    // Local times of +02:00 (CEST).
    values: (i, v) => ({ ...v, callUuid: `c-${i}`, origCallId: `oc${i}`, destCallId: `dc${i}`, startTime: `${wall(startOf(i) + 7_200_000, 'T')}${fraction(startOf(i), 3)}+02:00`, endTime: `${wall(startOf(i) + 7_200_000 + durationOf(i) * 1000, 'T')}${fraction(startOf(i), 3)}+02:00` }),
  },
  'sfb-csv': {
    values: (i, v) => ({ ...v, SessionIdTime: wall(startOf(i), ' ') + fraction(startOf(i), 3), SessionIdSeq: String(i + 1), InviteTime: wall(startOf(i), ' ') + fraction(startOf(i), 3), ResponseTime: wall(startOf(i) + 4000, ' ') + fraction(startOf(i), 3), SessionEndTime: wall(startOf(i) + 4000 + durationOf(i) * 1000, ' ') + fraction(startOf(i), 3) }),
  },
  'teams-json': {
    values: (i, v) => ({ ...v, id: `rec-${i}`, sessionId: `s-${i}`, startDateTime: new Date(startOf(i)).toISOString(), endDateTime: new Date(startOf(i) + durationOf(i) * 1000).toISOString() }),
  },
};

/** The formats with a generated input: every format of test/support/formatSamples.ts (which covers every reader). */
export const readerFormats: string[] = formatSamples.map((s) => s.format);

function sampleOf(format: string): FormatSample {
  const sample = formatSamples.find((s) => s.format === format);
  if (!sample) throw new Error(`No sample for the format ${format} in test/support/formatSamples.ts.`);
  return sample;
}

/** The text of record `i` of `format` (for tests of the generator and for the chunks). */
export function readerRecord(format: string, i: number): string {
  const sample = sampleOf(format);
  const variation = variations[format];
  if (!variation) throw new Error(`bench/readerInputs.ts does not vary the records of ${format} yet.`);
  // The sample's own values of a small index (its time fields are only valid for a few records).
  const text = sample.record(i, variation.values(i, sample.values(i % 3)));
  return variation.text ? variation.text(i, text) : text;
}

/** The whole file of `records` records of `format`, in chunks. */
export function readerInput(format: string, records: number): ReaderInput {
  const sample = sampleOf(format);
  // The file's frame around its records: what comes before the first, between two, after the last.
  const framed = sample.file(['\u0001', '\u0002']);
  const [prefix, rest] = framed.split('\u0001') as [string, string];
  const [separator, suffix] = rest.split('\u0002') as [string, string];
  const chunks: Buffer[] = [];
  let pending: string[] = [prefix];
  let pendingLength = prefix.length;
  let bytes = 0;
  const flush = (): void => {
    const chunk = Buffer.from(pending.join(''));
    chunks.push(chunk);
    bytes += chunk.length;
    pending = [];
    pendingLength = 0;
  };
  for (let i = 0; i < records; i++) {
    const text = (i > 0 ? separator : '') + readerRecord(format, i);
    pending.push(text);
    pendingLength += text.length;
    if (pendingLength >= CHUNK_BYTES) flush();
  }
  pending.push(suffix);
  flush();
  return { format, records, chunks, bytes };
}
