import { z } from 'zod';

/** `?dryRun=true`: work out the changes, write nothing. A query flag is the text true or false. */
export const queryFlag = (description: string) =>
  z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .meta({ description });

export const dryRunQuery = z.strictObject({ dryRun: queryFlag('true: say what would change and write nothing.') });

/** What a change of the configuration did: `confbill apply --json`. */
export const configurationChangeSchema = z
  .object({
    dryRun: z.boolean(),
    changes: z.array(
      z.object({
        kind: z.enum(['settings', 'plan', 'customer', 'entity', 'customer element', 'assignment', 'source', 'mapping']),
        id: z.string(),
        action: z.enum(['created', 'changed']),
        fields: z.array(z.object({ field: z.string(), oldValue: z.unknown(), newValue: z.unknown() })).meta({ description: 'Each changed field, old → new (a new object: its values, old null).' }),
        revertedFields: z.array(z.string()).optional().meta({ description: 'Plans only: fields whose edit since the file was last applied this change puts back (force).' }),
      }),
    ).meta({ description: 'Every object created or changed, in the order applied; empty when nothing changed.' }),
    callsMatchedAgain: z.number().int().optional().meta({ description: 'Calls matched again, when matching rules, entities or default customers changed.' }),
  })
  .meta({ id: 'ConfigurationChange', description: 'What a change of the configuration did, as `confbill apply --json` prints it.' });
