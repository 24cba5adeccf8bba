import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { program } from '../../src/cli/main.ts';

function commandsOf(command: Command, path: string[] = []): [string, Command][] {
  return command.commands.flatMap((c) => [[[...path, c.name()].join(' '), c] as [string, Command], ...commandsOf(c, [...path, c.name()])]);
}

// Issue 9 §11: `--help` explains every command, argument and option.
describe('confbill --help', () => {
  it('describes every command, argument and option', () => {
    const missing: string[] = [];
    for (const [name, command] of commandsOf(program(async () => {}))) {
      if (!command.description()) missing.push(`command ${name}`);
      for (const option of command.options) if (!option.description) missing.push(`${name} ${option.flags}`);
      for (const argument of command.registeredArguments) if (!argument.description) missing.push(`${name} <${argument.name()}>`);
    }
    expect(missing).toEqual([]);
  });

  it('offers --yes on the irreversible commands', () => {
    const commands = new Map(commandsOf(program(async () => {})));
    for (const name of ['invoice approve', 'plan delete']) expect(commands.get(name)!.options.map((o) => o.long), name).toContain('--yes');
  });
});
