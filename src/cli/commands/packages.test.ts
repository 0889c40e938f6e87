import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tempDir, testCacheDir, writePackageFolder } from '../../packages/test-fixtures.js';
import { register } from './packages.js';

async function run(...args: string[]): Promise<{ out: string; err: string; code: number | undefined }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  process.exitCode = undefined;
  const program = new Command('ads-fhir').exitOverride();
  register(program);
  process.env.ADS_FHIR_CACHE_DIR = testCacheDir;
  await program.parseAsync(['node', 'ads-fhir', ...args, '--no-uk-core']);
  const code = process.exitCode as number | undefined;
  process.exitCode = undefined;
  return { out: out.join('\n'), err: err.join('\n'), code };
}

afterEach(() => vi.restoreAllMocks());

describe('packages and snapshot commands', () => {
  it('lists loaded packages and prints a generated snapshot', async () => {
    const dir = writePackageFolder(tempDir(), { name: 'example.cli', version: '1.0.0' }, {
      'p.json': {
        resourceType: 'StructureDefinition',
        url: 'http://example.org/StructureDefinition/p',
        name: 'P',
        status: 'active',
        kind: 'resource',
        abstract: false,
        type: 'Patient',
        baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient',
        derivation: 'constraint',
        differential: { element: [{ id: 'Patient', path: 'Patient' }, { id: 'Patient.name', path: 'Patient.name', min: 1 }] },
      },
    });
    const list = await run('packages', '-p', dir);
    expect(list.out).toContain('example.cli#1.0.0: 1 resources');
    expect(list.code).toBeUndefined();
    const snap = await run('snapshot', 'http://example.org/StructureDefinition/p', '-p', dir, '--elements');
    expect(snap.out).toContain('Patient.name 1..* HumanName');
  });

  it('reports a broken package in one line with a failing exit code', async () => {
    const bad = join(tempDir(), 'bad.tgz');
    writeFileSync(bad, 'not gzip');
    const r = await run('packages', '-p', bad);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: .*bad\.tgz: not a readable gzip archive/);
    expect(r.err).not.toContain('    at ');
  });
});
