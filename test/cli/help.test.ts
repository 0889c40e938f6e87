import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../src/cli/program.js';

/** Every command and subcommand, with its full name. */
function walk(command: Command, prefix: string): Array<[string, Command]> {
  return command.commands.flatMap((c) => {
    const name = `${prefix} ${c.name()}`.trim();
    return [[name, c] as [string, Command], ...walk(c, name)];
  });
}

/** The help a user sees, including text added with addHelpText (which helpInformation() leaves out). */
function helpOf(command: Command): string {
  let text = '';
  command.configureOutput({ writeOut: (s) => void (text += s), writeErr: (s) => void (text += s) });
  command.outputHelp();
  return text;
}

const commands = walk(await createProgram(), '');

describe('ads-fhir --help', () => {

  it('covers the commands every capability registers', () => {
    const names = commands.map(([n]) => n);
    for (const n of ['demo', 'validate', 'serve', 'packages', 'snapshot', 'import-xml', 'convert', 'docs', 'map', 'submit', 'outbox', 'reconcile', 'stand-ins', 'sandbox', 'mesh', 'cqi', 'audit', 'build']) {
      expect(names).toContain(n);
    }
  });

  it.each(commands.map(([name, c]) => [name, c] as const))('%s --help shows an example', (_name, command) => {
    expect(helpOf(command)).toContain('Example');
  });
});
