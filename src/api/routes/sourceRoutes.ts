import { z } from 'zod';
import { applyConfigurationChange } from '../../services/applyConfigurationChange.ts';
import { mappingConfigSchema, providerConfigSchema, sourceConfigSchema } from '../../services/providerConfig.ts';
import { formatMappingOf, formatMappings, sourceOverview, sourceOverviewOf } from '../../services/sources.ts';
import '../apiAccess.ts';
import type { ApiRouteModule } from '../apiContext.ts';
import { instant, pageOf, pageOfList, pageQueryShape } from '../apiSchemas.ts';
import { configurationChangeSchema, dryRunQuery } from '../configurationChangeSchema.ts';

const sourceSchema = z
  .object({
    source: z.string().meta({ description: 'The source id.' }),
    configured: z.boolean().meta({ description: 'false: it sent call data but is not under `sources:` of the configuration.' }),
    format: z.string().nullable(),
    timezone: z.string().nullable().meta({ description: 'Of the local time stamps of its records; null = the default time zone.' }),
    defaultCustomer: z.string().nullable().meta({ description: 'The customer of its calls that no rule matches.' }),
    calls: z.number().int(),
    firstCallAt: instant.nullable(),
    lastCallAt: instant.nullable(),
    lastIngestAt: instant.nullable(),
    recordsRead: z.number().int().meta({ description: 'Records read by ingest.' }),
    rejected: z.number().int(),
    excluded: z.number().int(),
    excludedReasons: z.record(z.string(), z.number().int()),
    unmatched: z.number().int().meta({ description: 'Calls that match no customer, or several.' }),
  })
  .meta({ id: 'Source', description: 'A source as configured and what came in from it (`confbill source list`).' });

const mappingSchema = z
  .object({
    categories: z.record(z.string(), z.string()).optional(),
    directions: z.record(z.string(), z.string()).optional(),
    exclude: z.array(z.object({ field: z.string(), equals: z.string().optional(), matches: z.string().optional(), reason: z.string() })).optional(),
  })
  .meta({ id: 'FormatMapping', description: "Overrides of a format adapter's default mapping (docs/vendors/<vendor>.md)." });

const sourceParams = z.strictObject({ id: z.string().min(1).max(200).meta({ description: 'The source id.' }) });
const newSourceParams = z.strictObject({ id: sourceConfigSchema.shape.id.meta({ description: 'The source id.' }) });
const formatParams = z.strictObject({ format: providerConfigSchema.shape.mappings.unwrap().keyType.meta({ description: 'A call data format (confbill-csv, cms-xml, pexip-events, …).' }) });

/** Sources of call data with their statistics, and the mappings of formats. */
export const sourceRoutes: ApiRouteModule = (app, { db, now }) => {
  app.get(
    '/api/v1/sources',
    { config: { access: 'read' }, schema: { tags: ['sources'], summary: 'Sources, configured or having sent call data, with their statistics (`confbill source list`).', querystring: z.strictObject(pageQueryShape), response: { 200: pageOf(sourceSchema) } } },
    async (request) => pageOfList(await sourceOverview(db), (s) => s.source, request.query),
  );

  app.get(
    '/api/v1/sources/:id',
    { config: { access: 'read' }, schema: { tags: ['sources'], summary: 'One source with its statistics.', params: sourceParams, response: { 200: sourceSchema } } },
    async (request) => sourceOverviewOf(db, request.params.id),
  );

  app.put(
    '/api/v1/sources/:id',
    {
      config: { access: 'configure' },
      schema: {
        tags: ['sources'],
        summary: 'Configure a source, as under `sources:` in the configuration file.',
        params: newSourceParams,
        querystring: dryRunQuery,
        body: sourceConfigSchema.omit({ id: true }),
        response: { 200: configurationChangeSchema },
      },
    },
    async (request) => applyConfigurationChange(db, { sources: [{ ...request.body, id: request.params.id }] }, request.principal!.name, { now: now(), dryRun: request.query.dryRun }),
  );

  app.get(
    '/api/v1/mappings',
    { config: { access: 'read' }, schema: { tags: ['sources'], summary: 'The configured mapping of each format that has one.', response: { 200: z.object({ items: z.array(z.object({ format: z.string(), mapping: mappingSchema })) }) } } },
    async () => ({ items: await formatMappings(db) }),
  );

  app.get(
    '/api/v1/mappings/:format',
    { config: { access: 'read' }, schema: { tags: ['sources'], summary: "A format's configured mapping (empty when none is).", params: formatParams, response: { 200: mappingSchema } } },
    async (request) => formatMappingOf(db, request.params.format),
  );

  app.put(
    '/api/v1/mappings/:format',
    {
      config: { access: 'configure' },
      schema: { tags: ['sources'], summary: "Replace a format's mapping, as under `mappings:` in the configuration file.", params: formatParams, querystring: dryRunQuery, body: mappingConfigSchema, response: { 200: configurationChangeSchema } },
    },
    async (request) => applyConfigurationChange(db, { mappings: { [request.params.format]: request.body } }, request.principal!.name, { now: now(), dryRun: request.query.dryRun }),
  );
};
