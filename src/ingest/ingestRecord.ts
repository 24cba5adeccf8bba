import type { Readable } from 'node:stream';
import type { Call } from '../domain/call.ts';
import type { EpochMs } from '../domain/calendar.ts';
import type { VendorMapping } from './vendorMapping.ts';

/**
 * The one contract of every call-data adapter: read a stream, yield normalized legs and rejects.
 * A reject names where it is (file, line or record) and which field is wrong, and keeps the raw
 * text, so that nothing is dropped silently (DEVELOPERS.md, "Bad input").
 */
export type IngestRecord =
  | { kind: 'call'; line: number; call: Call }
  /** `source`: the record's source where the reader could still tell it (it counts in that source's statistics). */
  | { kind: 'reject'; line: number | null; field: string | null; reason: string; raw: string; source?: string }
  /** A well-formed record that is not a billable participant leg (recorder, IVR only, link…): counted per source, not stored as a call. */
  | { kind: 'excluded'; line: number | null; reason: string; source?: string };

export interface ReaderOptions {
  /** File name as the user gave it ("-" for standard input), for messages. */
  file: string;
  /** Source name from `--source`, used where the format has none (or an empty one). */
  source?: string;
  /** The source's configured IANA time zone, for formats with local time stamps; UTC when not configured. */
  timeZone?: string;
  /** The adapter's default mapping merged with the configuration's `mappings.<format>`; adapters use their defaults when absent. */
  mapping?: VendorMapping;
  /**
   * The customer whose domain (matching rule of kind `domain`) this domain is at the call's start,
   * for internal/external directions and which end is local; none when ambiguous (CallMatcher.domainOwner).
   */
  customerOfDomain?: (domain: string, at: EpochMs) => string | undefined;
}

export type CallRecordReader = (input: Readable, options: ReaderOptions) => AsyncIterable<IngestRecord>;
