import type { VendorMappingOverride } from '../ingest/vendorMapping.ts';
import { callDataFormatNamed } from '../ingest/callDataFormats.ts';
import type { Database } from '../storage/database.ts';
import { readSettings, type ProviderSettings } from '../storage/settingsStore.ts';
import { listFormatMappings, listSources, type SourceRow } from '../storage/sourceStore.ts';
import { currentGenerations } from './currentGenerations.ts';
import { sharedCallMatcher } from './matchingRules.ts';
import { checkedFormatName, resolvedSourceOf, type ResolvedSource } from './sourceReaderOptions.ts';

/** What every post reads of the configuration, as of one configuration generation. */
interface Configuration {
  generation: number;
  sources: Map<string, SourceRow>;
  settings: ProviderSettings;
  mappings: Map<string, VendorMappingOverride>;
}

const configurations = new WeakMap<Database, Promise<Configuration>>();

async function loadConfiguration(db: Database, generation: number): Promise<Configuration> {
  // Read after the generation: a change committed in between makes what is kept look older than it is, never newer.
  const sources = new Map((await listSources(db)).map((s) => [s.id, s]));
  const settings = await readSettings(db);
  const mappings = new Map((await listFormatMappings(db)).map((m) => [m.format, m.mapping]));
  return { generation, sources, settings, mappings };
}

async function configurationAt(db: Database, generation: number): Promise<Configuration> {
  const held = configurations.get(db);
  if (held) {
    const configuration = await held.catch(() => undefined);
    if (configuration && configuration.generation >= generation) return configuration;
    const newer = configurations.get(db);
    if (newer && newer !== held) return configurationAt(db, generation);
  }
  const loading = loadConfiguration(db, generation);
  configurations.set(db, loading);
  // A failed load (the database went away) is not kept: the next post tries again.
  loading.catch(() => {
    if (configurations.get(db) === loading) configurations.delete(db);
  });
  return loading;
}

/**
 * `resolveSource` for a receiver's post, from what this process keeps of the configuration and the
 * rules: one read of their generations (shared by the posts waiting for it) instead of the source,
 * the settings, the mapping and the rules' generation, for each post. A change of any of them is
 * seen by the first post that arrives after its commit.
 */
export async function resolveReceiverSource(db: Database, request: { format: string; source: string }): Promise<ResolvedSource> {
  const { matching, configuration: generation } = await currentGenerations(db);
  const configuration = await configurationAt(db, generation);
  const source = configuration.sources.get(request.source);
  const formatName = checkedFormatName({ ...request, configuredOnly: true }, source);
  const format = callDataFormatNamed(formatName)!;
  return resolvedSourceOf(format, source, configuration.settings, configuration.mappings.get(format.name), await sharedCallMatcher(db, matching));
}
