import { BillingError } from '../domain/billingError.ts';
import { callDataFormatNamed, callDataFormats, type CallDataFormat } from '../ingest/callDataFormats.ts';
import type { ReaderOptions } from '../ingest/ingestRecord.ts';
import { mergeVendorMapping } from '../ingest/vendorMapping.ts';
import type { Sql } from '../storage/database.ts';
import { listMatchingRules } from '../storage/customerStore.ts';
import { readSettings } from '../storage/settingsStore.ts';
import { getFormatMapping, getSource } from '../storage/sourceStore.ts';

export interface ResolvedSource {
  format: CallDataFormat;
  /** What the format's reader gets besides the file and source name. */
  reader: Omit<ReaderOptions, 'file' | 'source'>;
}

/**
 * Resolves what a reader needs for one ingest: the format (from --format, else the source's
 * configured one; a mismatch is refused), the source's time zone (else the default time zone of the
 * settings), the format's mapping with the configuration's overrides, and the customers' domains for
 * internal/external directions.
 */
export async function resolveSource(db: Sql, request: { format?: string; source?: string }): Promise<ResolvedSource> {
  const source = request.source ? await getSource(db, request.source) : undefined;
  const family = (name: string): string => callDataFormatNamed(name)?.family ?? name;
  if (request.format && source && family(source.format) !== family(request.format)) {
    throw new BillingError('invalid-argument', `Source "${source.id}" is configured for format ${source.format}, not ${request.format}; correct --format or the source's format.`);
  }
  const formatName = request.format ?? source?.format;
  if (!formatName) throw new BillingError('invalid-argument', `Say which format the data is in: --format ${Object.keys(callDataFormats).join('|')} (or configure the source with its format).`);
  const format = callDataFormatNamed(formatName);
  if (!format) throw new BillingError('invalid-argument', `Unknown format "${formatName}". Known formats: ${Object.keys(callDataFormats).join(', ')}.`);
  const settings = await readSettings(db);
  const override = await getFormatMapping(db, format.name);
  const domains = new Map<string, string>();
  for (const rule of await listMatchingRules(db)) if (rule.kind === 'domain') domains.set(rule.value.trim().toLowerCase(), rule.customerId);
  const customerOfDomain = (domain: string): string | undefined => {
    // A domain rule covers its subdomains too, as in matching (spec §2).
    const labels = domain.trim().toLowerCase().split('.');
    for (let i = 0; i < labels.length - 1; i++) {
      const owner = domains.get(labels.slice(i).join('.'));
      if (owner) return owner;
    }
    return undefined;
  };
  return {
    format,
    reader: {
      timeZone: source?.timezone ?? settings.timezone,
      mapping: format.defaultMapping ? mergeVendorMapping(format.defaultMapping, override) : undefined,
      customerOfDomain,
    },
  };
}
