import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { register } from './convert.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ads-fhir-convert-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

async function run(...args: string[]): Promise<string> {
  const err: string[] = [];
  vi.spyOn(console, 'warn').mockImplementation((m: string) => void err.push(m));
  vi.spyOn(console, 'error').mockImplementation((m: string) => void err.push(m));
  const program = new Command('ads-fhir').exitOverride();
  register(program);
  await program.parseAsync(['node', 'ads-fhir', 'convert', ...args]);
  return err.join('\n');
}

describe('ads-fhir convert', () => {
  it('converts XML to JSON and back, keeping decimal precision', async () => {
    writeFileSync(join(dir, 'o.xml'), '<Observation xmlns="http://hl7.org/fhir"><status value="final"/><code><text value="t"/></code><valueQuantity><value value="37.50"/></valueQuantity></Observation>');
    await run(join(dir, 'o.xml'), '--out', join(dir, 'o.json'));
    expect(process.exitCode).toBeUndefined();
    expect(readFileSync(join(dir, 'o.json'), 'utf8')).toContain('"value": 37.50');
    await run(join(dir, 'o.json'), '--out', join(dir, 'back.xml'));
    expect(readFileSync(join(dir, 'back.xml'), 'utf8')).toContain('<value value="37.50"/>');
  });

  it('reports issues with positions and exit code 1', async () => {
    writeFileSync(join(dir, 'p.xml'), '<Patient xmlns="http://hl7.org/fhir">\n  <bogus/>\n</Patient>');
    const err = await run(join(dir, 'p.xml'), '--out', join(dir, 'p.json'));
    expect(process.exitCode).toBe(1);
    expect(err).toContain("Patient.bogus: Unknown element 'bogus' (line 2, column 3)");
  });

  it('explains malformed JSON by position without quoting it', async () => {
    writeFileSync(join(dir, 'bad.json'), '{"resourceType": "Patient",\n "name": SECRET}');
    const err = await run(join(dir, 'bad.json'));
    // The file exists but cannot be parsed: 1, as for validate; a missing file is a usage error, 2.
    expect(process.exitCode).toBe(1);
    expect(err).toMatch(/is not valid JSON \(line 2, column \d+\)/);
    expect(err).not.toContain('SECRET');
  });

  it('calls a missing file or a bad --to a usage error (2), and takes --output as well as --out', async () => {
    expect(await run(join(dir, 'missing.json'))).toMatch(/no such file/);
    expect(process.exitCode).toBe(2);
    process.exitCode = undefined;
    writeFileSync(join(dir, 'p.json'), '{"resourceType":"Patient","active":true}');
    await run(join(dir, 'p.json'), '--to', 'yaml');
    expect(process.exitCode).toBe(2);
    process.exitCode = undefined;
    await run(join(dir, 'p.json'), '--output', join(dir, 'p.xml'));
    expect(process.exitCode).toBeUndefined();
    expect(readFileSync(join(dir, 'p.xml'), 'utf8')).toContain('<active value="true"/>');
  });
});
