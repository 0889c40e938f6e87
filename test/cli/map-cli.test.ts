import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnCli } from '../helpers/spawn-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'ads-map-cli-'));
const example = JSON.parse(readFileSync('examples/mappings/cad.mapping.json', 'utf8')) as { items: Record<string, { map?: Record<string, string> }>; $schema?: string };
delete example.$schema;

describe('ads-fhir map, as a user runs it', () => {
  it('names every problem of a mapping file at once, with the item a misspelt name most likely meant (exit 2)', async () => {
    const bad = structuredClone(example);
    bad.items['call.orgin'] = bad.items['call.origin']!;
    delete bad.items['call.origin'];
    bad.items['call.treatmentType']!.map!.HT = 'hear-and-trt';
    const file = join(dir, 'bad.mapping.json');
    writeFileSync(file, JSON.stringify(bad));
    const r = await spawnCli(['map', '--mapping', file, 'examples/cad-extract.csv', '--out', join(dir, 'out-bad'), '--no-validate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/items/call.orgin:');
    expect(r.stderr).toContain('did you mean "call.origin"?');
    expect(r.stderr).toContain('/items/call.treatmentType/map:');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('ends a clean run with a short summary; --verbose lists the items empty in some records', async () => {
    const args = ['map', '--mapping', 'examples/mappings/cad.mapping.json', 'examples/cad-extract.csv', '--no-validate'];
    const quiet = await spawnCli([...args, '--out', join(dir, 'out-quiet')]);
    expect(quiet.code).toBe(0);
    const count = /items empty in some records: (\d+) \(.*--verbose/.exec(quiet.stdout)?.[1];
    expect(Number(count)).toBeGreaterThan(0);
    expect(quiet.stdout.trim().split('\n').length).toBeLessThan(10);
    const verbose = await spawnCli([...args, '--out', join(dir, 'out-verbose'), '--verbose']);
    expect(verbose.code).toBe(0);
    const listed = verbose.stdout.split('items empty in some records:\n')[1]?.trimEnd().split('\n') ?? [];
    expect(listed).toHaveLength(Number(count));
    for (const line of listed) expect(line).toMatch(/^ {2}[a-zA-Z0-9.]+: empty \d+$/);
  });
});
