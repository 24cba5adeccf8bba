import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { confirmAction } from '../../src/cli/confirmAction.ts';

/** A terminal (or not) made of two in-memory streams; `typed` is what the user types. */
function fakeTerminal(isTTY: boolean, typed?: string): { stdin: PassThrough & { isTTY?: boolean }; stdout: PassThrough & { isTTY?: boolean }; shown: () => string } {
  const stdin: PassThrough & { isTTY?: boolean } = new PassThrough();
  const stdout: PassThrough & { isTTY?: boolean } = new PassThrough();
  stdin.isTTY = isTTY;
  stdout.isTTY = isTTY;
  let shown = '';
  stdout.on('data', (d: Buffer) => (shown += d.toString()));
  if (typed !== undefined) stdin.end(typed);
  return { stdin, stdout, shown: () => shown };
}

// Issue 9 §11: irreversible commands ask on a terminal, --yes answers for scripts, and without a
// terminal they refuse rather than act unasked.
describe('confirmAction', () => {
  const question = 'Approve invoice x for customer acme, total 31.00 EUR? This is permanent.';

  it('asks on a terminal and goes on only on y or yes', async () => {
    for (const [typed, expected] of [['y\n', true], ['Yes\n', true], ['n\n', false], ['\n', false], ['', false], ['yep\n', false]] as const) {
      const terminal = fakeTerminal(true, typed);
      expect(await confirmAction(terminal, question, { flagHint: '`confbill invoice approve`' }), JSON.stringify(typed)).toBe(expected);
      expect(terminal.shown()).toBe(`${question} [y/N] `);
    }
  });

  it('--yes goes on without asking; without a terminal it refuses and names --yes', async () => {
    const script = fakeTerminal(false);
    expect(await confirmAction(script, question, { yes: true, flagHint: '`confbill invoice approve`' })).toBe(true);
    await expect(confirmAction(script, question, { flagHint: '`confbill invoice approve`' })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: '`confbill invoice approve` is irreversible and asks first, but there is no terminal to ask on: add --yes to do it without asking.',
    });
    expect(script.shown()).toBe('');
  });
});
