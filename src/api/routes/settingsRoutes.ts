import { z } from 'zod';
import { applyConfigurationChange } from '../../services/applyConfigurationChange.ts';
import { providerConfigSchema, providerSettingsSchema } from '../../services/providerConfig.ts';
import { providerSettings } from '../../services/providerSettings.ts';
import '../apiAccess.ts';
import type { ApiRouteModule } from '../apiContext.ts';
import { decimalString } from '../apiSchemas.ts';
import { configurationChangeSchema, dryRunQuery, queryFlag } from '../configurationChangeSchema.ts';

const settingsSchema = z
  .object({
    timezone: z.string().meta({ description: 'The default IANA time zone of customers and sources.' }),
    settlementDelayMinutes: z.number().int().meta({ description: 'How long after a month ends invoices for it wait for late call data.' }),
    limitAvailableServicesToBillableServices: z.boolean(),
    taxRatePercent: decimalString,
    provider: z
      .object({
        name: z.string(),
        address: z.string(),
        email: z.string().optional(),
        taxId: z.string().optional(),
        paymentDetails: z.string().optional(),
        logo: z.object({ sha256: z.string(), mediaType: z.enum(['image/png', 'image/jpeg']) }).optional().meta({ description: 'The stored logo (set with `confbill apply`).' }),
      })
      .optional()
      .meta({ description: 'Who issues the invoices; absent until configured.' }),
  })
  .meta({ id: 'ProviderSettings', description: 'The settings in force: those configured and the defaults of the others.' });

/** The provider's settings, and a whole configuration document applied at once (`confbill apply`). */
export const settingsRoutes: ApiRouteModule = (app, { db, now }) => {
  app.get('/api/v1/settings', { config: { access: 'read' }, schema: { tags: ['settings'], summary: "The provider's settings in force.", response: { 200: settingsSchema } } }, async () => providerSettings(db));

  app.put(
    '/api/v1/settings',
    {
      config: { access: 'configure' },
      schema: {
        tags: ['settings'],
        summary: 'Change settings, as under `settings:` in the configuration file.',
        description: 'Settings not given keep their value; a provider block given is the whole block (its logo, set with `confbill apply`, is kept). The answer lists what changed.',
        querystring: dryRunQuery,
        body: providerSettingsSchema,
        response: { 200: configurationChangeSchema },
      },
    },
    async (request) => applyConfigurationChange(db, { settings: request.body }, request.principal!.name, { now: now(), dryRun: request.query.dryRun, settingsPrefix: '' }),
  );

  app.put(
    '/api/v1/config',
    {
      config: { access: 'configure' },
      schema: {
        tags: ['settings'],
        summary: 'Apply a whole configuration document, as `confbill apply` applies the file (JSON of the same schema).',
        description: 'Creates or updates by id what the document lists, in one transaction; nothing is applied when any part is refused. The answer lists every object and field changed.',
        querystring: dryRunQuery.extend({ force: queryFlag('true: apply plans even where that reverts fields edited since the file was last applied.') }),
        body: providerConfigSchema,
        response: { 200: configurationChangeSchema },
      },
    },
    async (request) => applyConfigurationChange(db, request.body, request.principal!.name, { now: now(), dryRun: request.query.dryRun, force: request.query.force }),
  );
};
