import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../src/cli/program.js';
import { spawnCli } from '../helpers/spawn-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'ads-out-option-'));

async function helpOf(name: string): Promise<string> {
  const command = (await createProgram(['node', 'ads-fhir', name])).commands.find((c: Command) => c.name() === name)!;
  let text = '';
  command.configureOutput({ writeOut: (s) => void (text += s), writeErr: (s) => void (text += s) });
  command.outputHelp();
  return text;
}

describe('one spelling of the output option', () => {
  it.each(['validate', 'build', 'map', 'convert'])('%s shows -o, --out and not --output', async (name) => {
    const help = await helpOf(name);
    expect(help).toMatch(/-o, --out </);
    expect(help).not.toMatch(/--output/);
  });

  it('build and map write to --out, and still to --output; a missing input is a usage error (2), unparsable JSON is 1', async () => {
    const bundle = join(dir, 'bundle.json');
    const built = await spawnCli(['build', 'examples/incidents/conveyed-to-ed.incident.json', '--no-validate', '--output', bundle]);
    expect(built.code).toBe(0);
    expect(JSON.parse(readFileSync(bundle, 'utf8')).resourceType).toBe('Bundle');
    expect((await spawnCli(['build', join(dir, 'nope.json'), '--no-validate'])).code).toBe(2);
    const notJson = join(dir, 'incident.json');
    writeFileSync(notJson, '{"call": ');
    expect((await spawnCli(['build', notJson, '--no-validate'])).code).toBe(1);

    const bundles = join(dir, 'bundles');
    const mapped = await spawnCli(['map', '--mapping', 'examples/mappings/cad.mapping.json', 'examples/cad-extract.csv', '--no-validate', '-o', bundles]);
    expect(mapped.code).toBe(0);
    expect(existsSync(bundles)).toBe(true);
    const noOut = await spawnCli(['map', '--mapping', 'examples/mappings/cad.mapping.json', 'examples/cad-extract.csv']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/--out/);
  });
});
