import { parseDocument } from 'yaml';
import { z } from 'zod';
import { BillingError } from '../domain/billingError.ts';
import { isValidLocalDate, isValidTimeZone, parseInstant } from '../domain/calendar.ts';
import { callCategories, callDirections } from '../domain/call.ts';
import { isKnownCurrency } from '../domain/currency.ts';
import { amountOf, compareAmounts, decimalStringOfNumber } from '../domain/money.ts';
import { isBuiltInPlanId, planLimits } from '../domain/plan.ts';
import { isReservedKey, reservedKeyPaths } from '../domain/reservedKeys.ts';
import { messageSafeText } from '../domain/messageSafeText.ts';
import { isSourceId, sourceIdRule } from '../domain/sourceId.ts';
import { callDataFormatNamed, callDataFormats } from '../ingest/callDataFormats.ts';
import { configTextProblems } from './configTextProblems.ts';

/**
 * The `confbill apply` file (README, "Describe the provider"), validated once at the edge. Every object is strict:
 * an unknown key is refused with its path, like an invalid value, and nothing of the file is applied.
 */
const localDate = z.string().refine(isValidLocalDate, 'must be a date YYYY-MM-DD');
const instant = z.string().refine((v) => parseInstant(v) !== undefined, 'must be an ISO 8601 instant with an offset or Z');
const timeZone = z.string().refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Oslo');
const slug = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be a lower-case slug (a-z, 0-9, . _ -)');
const validity = { validFrom: localDate.nullish(), validTo: localDate.nullish() };

/** The longest decimals taken: enough for any tariff, short enough that no sum of them loses a digit. */
const saneDecimalPattern = new RegExp(`^-?\\d{1,${planLimits.amountIntegerDigits}}(\\.\\d{1,${planLimits.amountFractionDigits}})?$`);

/**
 * A decimal string within sane bounds (README, "Describe the provider"), refused with one message
 * that says the whole rule: `from 0 to 100`, `≥ 0`, or `"-1" (not available) or ≥ 0`.
 */
function boundedDecimal(range: { min?: string; max?: string; orExactly?: string; example: string }) {
  const rule = [range.orExactly !== undefined ? `"${range.orExactly}" (not available) or` : '', range.min !== undefined && range.max !== undefined ? `from ${range.min} to ${range.max}` : range.min !== undefined ? `≥ ${range.min}` : ''].filter(Boolean).join(' ');
  const message = `must be a decimal number written as a string${rule ? `, ${rule}` : ''}, with at most ${planLimits.amountIntegerDigits} digits before the point and ${planLimits.amountFractionDigits} after, such as "${range.example}"`;
  // A YAML number (`monthlyFee: 25`) is taken when it is exact; the value is kept as its decimal string.
  const lossyNumber = `${message}; a plain number keeps at most 15 significant digits exactly, so write this one in quotes`;
  const text = z.union([z.string(), z.number()], { error: message }).transform((v, ctx) => {
    if (typeof v === 'string') return v;
    const decimal = decimalStringOfNumber(v);
    if (decimal === undefined) ctx.addIssue({ code: 'custom', message: lossyNumber, input: v });
    return decimal ?? '';
  });
  return text.pipe(z.string().refine((v) => {
    if (!saneDecimalPattern.test(v)) return false;
    const value = amountOf(v);
    if (range.orExactly !== undefined && compareAmounts(value, amountOf(range.orExactly)) === 0) return true;
    if (range.min !== undefined && compareAmounts(value, amountOf(range.min)) < 0) return false;
    return range.max === undefined || compareAmounts(value, amountOf(range.max)) <= 0;
  }, message));
}

/** An integer within bounds, refused with the whole rule (`from 0 to 43200`) whatever is wrong with it. */
function boundedInteger(min: number, max: number) {
  const message = `must be an integer from ${min} to ${max}`;
  return z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
}

/** Prices, fees and rates of plans: never negative. */
const price = boundedDecimal({ min: '0', example: '0.05' });
/** A custom element's unit price: negative is a recurring or one-off credit. */
const signedPrice = boundedDecimal({ example: '49.00' });
const quantity = boundedDecimal({ min: '0', example: '1' });
/** At most 30 days: a longer wait for late call data would hold invoices back for more than a month. */
export const maxSettlementDelayMinutes = 43_200;

const matchingRule = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('alias'), value: z.string().min(1), ...validity }),
  z.strictObject({ kind: z.literal('domain'), value: z.string().min(1).regex(/^[a-z0-9.-]+$/i, 'must be a domain name'), ...validity }),
  z.strictObject({
    kind: z.literal('regex'),
    value: z.string().min(1).refine((v) => {
      try {
        new RegExp(v, 'u');
        return true;
      } catch {
        return false;
      }
    }, 'must be a valid ECMAScript regular expression'),
    ...validity,
  }),
  z.strictObject({ kind: z.literal('tenant'), value: z.string().min(1), ...validity }),
  z.strictObject({ kind: z.literal('source'), value: z.string().min(1), ...validity }),
  z
    .strictObject({ kind: z.literal('number-range'), from: z.string().regex(/^\d+$/, 'must be digits'), to: z.string().regex(/^\d+$/, 'must be digits'), ...validity })
    .refine((r) => r.from.length === r.to.length && r.from <= r.to, { message: '`from` and `to` must have the same number of digits and from ≤ to', path: ['to'] }),
]);

const entity = z.strictObject({
  id: slug,
  serviceType: z.string().min(1),
  alias: z.string().min(1).nullish(),
  createdAt: instant,
  deletedAt: instant.nullish(),
});

const customerCustomElement = z.strictObject({ id: slug, name: z.string().min(1), date: localDate, unitPrice: signedPrice, quantity });

/**
 * Texts printed on invoices, bounded so that they fit their block: one line, or at most `lines` lines.
 * Control characters are refused before the schema, like everywhere in the file (configTextProblems).
 */
function printedText(maxLength: number, lines = 1) {
  const rule = lines === 1 ? 'one line' : `at most ${lines} lines`;
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(maxLength, `must be at most ${maxLength} characters`)
    .refine((v) => v.split(/\r\n|\r|\n/).length <= lines, `must be ${rule}`);
}
const emailAddress = z.email('must be an e-mail address such as billing@example.com').max(254, 'must be at most 254 characters');

const customer = z.strictObject({
  id: slug,
  name: z.string().min(1),
  timezone: timeZone.nullish(),
  /** The "Bill to" block of invoices: all optional. */
  billingAddress: printedText(500, 8).nullish(),
  email: emailAddress.nullish(),
  taxId: printedText(64).nullish(),
  customerReference: printedText(100).nullish(),
  matching: z.array(matchingRule).optional(),
  entities: z.array(entity).optional(),
  customElements: z.array(customerCustomElement).optional(),
});

const callRate = z.strictObject({
  category: z.enum(['*', ...callCategories]),
  direction: z.enum(['*', ...callDirections]),
  startupCharge: price,
  perMinute: price,
});

const plan = z.strictObject({
  // The built-in templates' ids stay theirs: `copyOf` and `plan show` name a template by them.
  id: slug.refine((id) => !isBuiltInPlanId(id), 'is the id of a built-in template (concurrent-calls, pay-as-you-go, included-minutes); give the plan an id of its own'),
  copyOf: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  currency: z.string().refine(isKnownCurrency, 'must be an ISO 4217 currency code such as EUR').optional(),
  monthlyFee: price.optional(),
  portPool: z.strictObject({ ports: boundedInteger(0, planLimits.maxPorts), overagePerPortMinute: price }).nullable().optional(),
  includedMinutes: z.strictObject({ minutesPerMonth: boundedInteger(0, planLimits.maxIncludedMinutesPerMonth), overagePerMinute: price }).nullable().optional(),
  callRates: z.array(callRate).optional(),
  services: z.record(z.string().min(1), boundedDecimal({ min: '0', orExactly: planLimits.notAvailablePrice, example: '6.20' })).optional(),
  customElements: z.array(z.strictObject({ name: z.string().min(1), unitPrice: signedPrice, quantity, recurrence: z.enum(['monthly', 'once']) })).optional(),
});

const source = z.strictObject({
  id: z.string().refine(isSourceId, `must be a source id: ${sourceIdRule}`),
  format: z.string().refine((f) => callDataFormatNamed(f) !== undefined, { message: `must be a known format (${Object.keys(callDataFormats).join(', ')})` }),
  timezone: timeZone.nullish(),
  defaultCustomer: slug.nullish(),
});

const regexText = z.string().min(1).refine((v) => {
  try {
    new RegExp(v, 'u');
    return true;
  } catch {
    return false;
  }
}, 'must be a valid ECMAScript regular expression');

const mapping = z.strictObject({
  categories: z.record(z.string().min(1), z.enum(callCategories)).optional(),
  directions: z.record(z.string().min(1), z.enum(callDirections)).optional(),
  exclude: z
    .array(z.strictObject({ field: z.string().min(1), equals: z.string().optional(), matches: regexText.optional(), reason: z.string().min(1) }).refine((r) => (r.equals === undefined) !== (r.matches === undefined), 'give exactly one of equals or matches'))
    .optional(),
});

const assignment = z.strictObject({ id: z.string().min(1).optional(), customer: slug, plan: slug, from: localDate, to: localDate.nullish() });

export const providerConfigSchema = z.strictObject({
  settings: z
    .strictObject({
      timezone: timeZone.optional(),
      settlementDelayMinutes: boundedInteger(0, maxSettlementDelayMinutes).optional(),
      limitAvailableServicesToBillableServices: z.boolean().optional(),
      /** Tax rate in percent, as a decimal string ("25"); invoices get a `tax` line when it is above 0. */
      taxRatePercent: boundedDecimal({ min: '0', max: '100', example: '25' }).optional(),
      /** Who issues the invoices: the sender block of exported invoices. */
      provider: z
        .strictObject({
          name: printedText(200),
          address: printedText(500, 8),
          email: emailAddress.optional(),
          taxId: printedText(64).optional(),
          /** The earlier name of taxId, still read. */
          vatId: printedText(64).optional(),
          /** How to pay: bank, IBAN, BIC, terms; printed at the foot of every invoice. */
          paymentDetails: printedText(1000, 12).optional(),
          /** Path of a PNG or JPEG file, relative to the configuration file; stored at apply time. */
          logo: z.string().min(1, 'must be the path of a PNG or JPEG file').max(4096).optional(),
        })
        .refine((p) => p.taxId === undefined || p.vatId === undefined, { message: 'give taxId only (vatId is its earlier name)', path: ['vatId'] })
        .optional(),
    })
    .optional(),
  customers: z.array(customer).optional(),
  plans: z.array(plan).optional(),
  assignments: z.array(assignment).optional(),
  /** Where call data comes from: format, time zone of local time stamps, default customer. */
  sources: z.array(source).optional(),
  /** Per format, overrides of the adapter's default mapping (docs/vendors/<vendor>.md). */
  mappings: z.record(z.string().refine((f) => callDataFormatNamed(f) !== undefined, { message: 'must be a known format' }), mapping).optional(),
});

/** The parts of the file, for the faces that take one object at a time (the API's configuration routes). */
export const providerSettingsSchema = providerConfigSchema.shape.settings.unwrap();
export {
  customer as customerConfigSchema,
  matchingRule as matchingRuleConfigSchema,
  entity as entityConfigSchema,
  customerCustomElement as customerCustomElementConfigSchema,
  source as sourceConfigSchema,
  mapping as mappingConfigSchema,
};

export type ProviderConfigInput = z.input<typeof providerConfigSchema>;
export type ProviderConfig = z.output<typeof providerConfigSchema>;
export type PlanConfig = z.output<typeof plan>;
export type CustomerConfig = z.output<typeof customer>;

function pathOf(path: readonly PropertyKey[]): string {
  return messageSafeText(path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), ''));
}

/** Validates a parsed configuration; throws `invalid-config` naming the key path of every problem. */
export function validateProviderConfig(value: unknown, fileName = 'configuration'): ProviderConfig {
  // Refused before the schema: such text must never reach a message, an invoice or the database.
  const textFound = configTextProblems(value ?? {});
  const textProblems = textFound.map((p) => `${pathOf(p.path) || '(top level)'}: ${p.message}`);
  if (textProblems.length) throw new BillingError('invalid-config', `${fileName} is not valid, nothing was applied: ${textProblems.join('; ')}.`, { field: pathOf(textFound[0]!.path) || undefined, problems: textProblems });
  // Validation drops a `__proto__` key of a map silently: it is refused here, with its path, instead.
  const reserved = reservedKeyPaths(value).map((path) => `${path}: "__proto__" is a reserved name; use another name`);
  const result = providerConfigSchema.safeParse(value ?? {});
  if (result.success && reserved.length === 0) return result.data;
  const issues = result.success ? [] : result.error.issues.filter((i) => !(i.code === 'unrecognized_keys' && i.keys.every(isReservedKey)));
  const problems = [...new Set([...reserved, ...issues.map((i) => `${pathOf(i.path) || '(top level)'}: ${i.code === 'unrecognized_keys' ? `unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${messageSafeText(k)}"`).join(', ')}` : i.message}`)])];
  throw new BillingError('invalid-config', `${fileName} is not valid, nothing was applied: ${problems.join('; ')}.`, { problems });
}

/** Parses YAML or JSON text (JSON is YAML) and validates it. */
export function parseProviderConfig(text: string, fileName: string): ProviderConfig {
  let value: unknown;
  try {
    // Errors and warnings (an unknown tag such as `!x`) both refuse the file: a warning would otherwise
    // be printed by Node as a process warning, and the value it concerns taken as something else.
    const document = parseDocument(text, { logLevel: 'silent' });
    const problem = document.errors[0] ?? document.warnings[0];
    if (problem) throw problem;
    value = document.toJS();
  } catch (error) {
    // The parser's message goes on with the offending lines of the file: only its first line is said.
    throw new BillingError('invalid-config', `${fileName} is neither valid YAML nor JSON: ${messageSafeText((error as Error).message.split('\n')[0]!.replace(/:$/, ''))}`);
  }
  return validateProviderConfig(value, fileName);
}
