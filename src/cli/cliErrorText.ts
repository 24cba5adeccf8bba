import type { Command } from 'commander';
import type { BillingError, BillingErrorCode, BillingErrorDetails, BillingErrorRemedy } from '../domain/billingError.ts';
import { terminalSafeText } from './terminalSafeText.ts';

/**
 * The codes of a value refused as given: the flag says which to change. A thing not found or not
 * available is named by the sentence itself, and the remedy says where to look.
 */
const flaggedCodes: ReadonlySet<BillingErrorCode> = new Set(['invalid-argument', 'unknown-currency', 'unknown-time-zone', 'conflict']);

/** Fields whose option has another name on the command line than in the API (`entity add --type`). */
const optionOfField: ReadonlyMap<string, string> = new Map([['serviceType', 'type']]);

/**
 * The flags of the command at hand by the field each gives (`from` → `--from`, `unitPrice` →
 * `--unit-price`), read from its commander options so that no list of flags is kept twice.
 */
export function flagsOfCommand(command: Command | undefined): ReadonlyMap<string, string> {
  const flags = new Map<string, string>();
  for (const option of command?.options ?? []) if (option.long) flags.set(option.attributeName(), option.long);
  return flags;
}

/** An id as a shell word in a suggested command: as it is when it is a plain word, else single-quoted. */
function word(value: string | undefined, placeholder: string): string {
  if (value === undefined || value === '') return placeholder;
  return /^[\w.@:+-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

const planOf = (d: BillingErrorDetails): string => word(d.plan ?? (d.field === 'plan' ? d.value : undefined), 'ID');

/** The command that does what a remedy names, as a sentence that follows the error's own. */
const remedyText: Readonly<Record<BillingErrorRemedy, (details: BillingErrorDetails) => string>> = {
  'list-customers': () => 'Customers are added with `confbill apply FILE`.',
  'list-plans': () => 'See `confbill plan list`.',
  'list-assignments': () => 'See `confbill assignment list`.',
  'list-entities': (d) => `See \`confbill entity list --customer ${word(d.customer, 'ID')} --all\`.`,
  'list-invoices': () => 'See `confbill invoice list`.',
  'list-available-services': (d) => `See \`confbill service available --customer ${word(d.customer, 'ID')}\`.`,
  'unlock-plan': (d) => `Unlock it with \`confbill plan unlock ${planOf(d)}\`.`,
  'lock-plan': (d) => `Lock it with \`confbill plan lock ${planOf(d)}\`.`,
  'edit-plan': (d) => `Edit it with \`confbill plan set ${planOf(d)} FIELD VALUE\` and lock it with \`confbill plan lock ${planOf(d)}\`.`,
  'apply-with-force': () => "`confbill apply --force` puts the file's values in force.",
  'migrate-schema': () => '`confbill migrate` does it.',
  'delete-entity': (d) => `Delete it with \`confbill entity delete --customer ${word(d.customer, 'ID')} ${word(d.entity, 'ENTITY')}\`.`,
};

/**
 * The one rendering of a BillingError on the terminal (docs/architecture.md, "Errors"). Services
 * speak of fields (`from`, `unitPrice`); here the field becomes the flag of the command at hand
 * when the value given there is refused (`--from: The start date "x" is not a date YYYY-MM-DD.`),
 * and a remedy becomes the command that does it (`See \`confbill plan list\`.`). A field that is
 * no flag of the command (a positional argument) is left to the sentence, which names it in words.
 */
export function cliErrorText(error: BillingError, flags: ReadonlyMap<string, string> = new Map()): string {
  const { field, remedy } = error.details;
  const flag = field === undefined || !flaggedCodes.has(error.code) ? undefined : flags.get(optionOfField.get(field) ?? field);
  // A message the CLI wrote itself may already name the flag.
  const named = flag !== undefined && !error.message.includes(flag) ? `${flag}: ${error.message}` : error.message;
  const text = remedy === undefined ? named : `${named} ${remedyText[remedy](error.details)}`;
  return `confbill: ${terminalSafeText(text, { lineBreaks: true })}`;
}
