import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { cliErrorText, flagsOfCommand } from '../../src/cli/cliErrorText.ts';
import { BillingError } from '../../src/domain/billingError.ts';

// Issue 10: one rendering of a BillingError on the terminal. The flag comes from the command at
// hand, so the same field is `--from` where the command has that option and words where it has not.
const generate = new Command('generate').option('--from <date>').option('--to <date>').option('--customer <id>');
const entityAdd = new Command('add').requiredOption('--customer <id>').requiredOption('--id <id>').requiredOption('--type <serviceType>').option('--unit-price <amount>');
const copy = new Command('copy').argument('<from>').argument('<id>').option('--name <name>');

describe('cliErrorText', () => {
  it('reads the flags of a command by field', () => {
    expect([...flagsOfCommand(entityAdd)]).toEqual([['customer', '--customer'], ['id', '--id'], ['type', '--type'], ['unitPrice', '--unit-price']]);
    expect([...flagsOfCommand(undefined)]).toEqual([]);
  });

  it('names the flag of a refused value, and only where the command has it', () => {
    const error = new BillingError('invalid-argument', 'The start date "x" is not a date YYYY-MM-DD.', { field: 'from', value: 'x' });
    expect(cliErrorText(error, flagsOfCommand(generate))).toBe('confbill: --from: The start date "x" is not a date YYYY-MM-DD.');
    expect(cliErrorText(error, flagsOfCommand(copy))).toBe('confbill: The start date "x" is not a date YYYY-MM-DD.');
    expect(cliErrorText(error)).toBe('confbill: The start date "x" is not a date YYYY-MM-DD.');
    const type = new BillingError('invalid-argument', 'The service type is empty.', { field: 'serviceType', value: '' });
    expect(cliErrorText(type, flagsOfCommand(entityAdd))).toBe('confbill: --type: The service type is empty.');
  });

  it('does not name a flag twice, nor for a thing that is not found or not available', () => {
    const own = new BillingError('invalid-argument', '--from "x" is not a date.', { field: 'from' });
    expect(cliErrorText(own, flagsOfCommand(generate))).toBe('confbill: --from "x" is not a date.');
    const missing = new BillingError('not-found', 'No customer with id "ghost".', { field: 'customer', value: 'ghost', remedy: 'list-customers' });
    expect(cliErrorText(missing, flagsOfCommand(generate))).toBe('confbill: No customer with id "ghost". Customers are added with `confbill apply FILE`.');
    const unavailable = new BillingError('service-unavailable', 'Customer "a" cannot be given a "cms-user".', { field: 'serviceType', value: 'cms-user', customer: 'a' });
    expect(cliErrorText(unavailable, flagsOfCommand(entityAdd))).toBe('confbill: Customer "a" cannot be given a "cms-user".');
  });

  it('turns a remedy into the command that does it, quoting an id that is no plain word', () => {
    expect(cliErrorText(new BillingError('plan-locked', 'Plan "gold" is locked; unlock it first.', { field: 'plan', value: 'gold', remedy: 'unlock-plan' }))).toBe('confbill: Plan "gold" is locked; unlock it first. Unlock it with `confbill plan unlock gold`.');
    expect(cliErrorText(new BillingError('not-found', 'Customer "a b" has no entity "e".', { field: 'id', value: 'e', customer: "a b's", remedy: 'list-entities' }))).toBe(
      "confbill: Customer \"a b\" has no entity \"e\". See `confbill entity list --customer 'a b'\\''s' --all`.",
    );
  });

  it('shows the controls of a hostile value as escapes', () => {
    const error = new BillingError('invalid-argument', 'The start date "\u001b[2J" is not a date YYYY-MM-DD.', { field: 'from', value: '\u001b[2J' });
    expect(cliErrorText(error, flagsOfCommand(generate))).toBe('confbill: --from: The start date "\\x1b[2J" is not a date YYYY-MM-DD.');
  });
});
