import type { Readable } from 'node:stream';
import type { Call } from '../domain/call.ts';

/**
 * The one contract of every call-data adapter: read a stream, yield normalized legs and rejects.
 * A reject names where it is (file, line or record) and which field is wrong, and keeps the raw
 * text, so that nothing is dropped silently (DEVELOPERS.md, "Bad input").
 */
export type IngestRecord =
  | { kind: 'call'; line: number; call: Call }
  | { kind: 'reject'; line: number | null; field: string | null; reason: string; raw: string };

export interface ReaderOptions {
  /** File name as the user gave it ("-" for standard input), for messages. */
  file: string;
  /** Source name from `--source`, used where the format has none (or an empty one). */
  source?: string;
}

export type CallRecordReader = (input: Readable, options: ReaderOptions) => AsyncIterable<IngestRecord>;
