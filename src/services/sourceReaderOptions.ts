import type { CallMatcher } from '../domain/callMatcher.ts';
import { BillingError } from '../domain/billingError.ts';
import type { EpochMs } from '../domain/calendar.ts';
import { callDataFormatNamed, callDataFormats, type CallDataFormat } from '../ingest/callDataFormats.ts';
import type { ReaderOptions } from '../ingest/ingestRecord.ts';
import { mergeVendorMapping, type VendorMappingOverride } from '../ingest/vendorMapping.ts';
import type { Sql } from '../storage/database.ts';
import { readSettings, type ProviderSettings } from '../storage/settingsStore.ts';
import { getFormatMapping, getSource, type SourceRow } from '../storage/sourceStore.ts';
import { sharedCallMatcher } from './matchingRules.ts';

export interface ResolvedSource {
  format: CallDataFormat;
  /** What the format's reader gets besides the file and source name. */
  reader: Omit<ReaderOptions, 'file' | 'source'>;
  /** The matcher of the rules in force when the source was resolved (the calls' own matching). */
  matcher: CallMatcher;
}

/**
 * Resolves what a reader needs for one ingest: the format (from --format, else the source's
 * configured one; a mismatch is refused), the source's time zone (else the default time zone of the
 * settings), the format's mapping with the configuration's overrides, and the customers' domains for
 * internal/external directions. `configuredOnly` refuses a source that is not configured.
 */
export async function resolveSource(db: Sql, request: { format?: string; source?: string; configuredOnly?: boolean }): Promise<ResolvedSource> {
  const source = request.source ? await getSource(db, request.source) : undefined;
  const formatName = checkedFormatName(request, source);
  const settings = await readSettings(db);
  const override = await getFormatMapping(db, formatOf(formatName).name);
  return resolvedSourceOf(formatOf(formatName), source, settings, override, await sharedCallMatcher(db));
}

/**
 * The format to read with: --format, else the source's configured one; refuses a mismatch, and a
 * source that is not configured when `configuredOnly`.
 */
export function checkedFormatName(request: { format?: string; source?: string; configuredOnly?: boolean }, source: SourceRow | undefined): string {
  // A receiver takes records only for sources the provider configured: a mistyped or guessed id in a
  // URL is refused instead of filling the database under a source nobody set up.
  if (request.configuredOnly && request.source !== undefined && !source) {
    throw new BillingError('not-found', `No source "${request.source}" is configured; configure it (id, format, time zone) before its sender posts records.`, { field: 'source', value: request.source });
  }
  const family = (name: string): string => callDataFormatNamed(name)?.family ?? name;
  if (request.format && source && family(source.format) !== family(request.format)) {
    throw new BillingError('invalid-argument', `Source "${source.id}" is configured for format ${source.format}, not ${request.format}; correct the format or the source's format.`, { field: 'format', value: request.format });
  }
  const formatName = request.format ?? source?.format;
  if (!formatName) throw new BillingError('invalid-argument', `Say which format the data is in: ${Object.keys(callDataFormats).join(', ')} (or configure the source with its format).`, { field: 'format', allowed: Object.keys(callDataFormats) });
  formatOf(formatName);
  return formatName;
}

function formatOf(formatName: string): CallDataFormat {
  const format = callDataFormatNamed(formatName);
  if (!format) throw new BillingError('invalid-argument', `Unknown format "${formatName}". Known formats: ${Object.keys(callDataFormats).join(', ')}.`, { field: 'format', value: formatName, allowed: Object.keys(callDataFormats) });
  return format;
}

/** What a reader of `format` gets from the configuration read (the source, the settings, the format's mapping override) and the rules' matcher. */
export function resolvedSourceOf(format: CallDataFormat, source: SourceRow | undefined, settings: ProviderSettings, override: VendorMappingOverride | undefined, matcher: CallMatcher): ResolvedSource {
  // The matcher's own answer (validity windows in each customer's time zone, ambiguity), not a copy of
  // its rule; domainOwner asks only its domain rules.
  const customerOfDomain = (domain: string, at: EpochMs): string | undefined => matcher.domainOwner(domain, at);
  return {
    format,
    matcher,
    reader: {
      timeZone: source?.timezone ?? settings.timezone,
      mapping: format.defaultMapping ? mergeVendorMapping(format.defaultMapping, override) : undefined,
      customerOfDomain,
    },
  };
}
