import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { register } from './import.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ads-fhir-import-cli-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'vs.xml'), '<ValueSet xmlns="http://hl7.org/fhir"><id value="vs1"/><url value="http://x/vs1"/><status value="active"/></ValueSet>');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

async function run(...args: string[]): Promise<{ out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((m: string) => void out.push(m));
  vi.spyOn(console, 'warn').mockImplementation((m: string) => void err.push(m));
  vi.spyOn(console, 'error').mockImplementation((m: string) => void err.push(m));
  const program = new Command('ads-fhir').exitOverride();
  register(program);
  await program.parseAsync(['node', 'ads-fhir', 'import-xml', ...args]);
  return { out: out.join('\n'), err: err.join('\n') };
}

describe('ads-fhir import-xml', () => {
  it('writes a package from --name and --package-version', async () => {
    const { out } = await run(join(dir, 'src'), '--out', join(dir, 'pkg'), '--name', 'my.pkg', '--package-version', '1.2.3');
    expect(out).toContain('my.pkg#1.2.3: 1 resources and 0 examples');
    expect(process.exitCode).toBeUndefined();
    expect(JSON.parse(readFileSync(join(dir, 'pkg', 'package.json'), 'utf8'))).toMatchObject({ name: 'my.pkg', version: '1.2.3', dependencies: { 'hl7.fhir.r4.core': '4.0.1' } });
    expect(existsSync(join(dir, 'pkg', 'ValueSet-vs1.json'))).toBe(true);
  });

  it('replaces the manifest dependencies with --dependency', async () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'src.pkg', version: '2.0.0', dependencies: { 'hl7.fhir.r5.core': '5.0.0' } }));
    await run(join(dir, 'src'), '--out', join(dir, 'pkg'), '--manifest', join(dir, 'package.json'), '--dependency', 'hl7.fhir.r4.core@4.0.1');
    expect(JSON.parse(readFileSync(join(dir, 'pkg', 'package.json'), 'utf8')).dependencies).toEqual({ 'hl7.fhir.r4.core': '4.0.1' });
  });

  it('explains bad input with exit code 2 and no stack trace', async () => {
    writeFileSync(join(dir, 'src', 'bad.xml'), '<!DOCTYPE x><ValueSet xmlns="http://hl7.org/fhir"/>');
    const { err } = await run(join(dir, 'src'), '--out', join(dir, 'pkg'), '--name', 'a', '--package-version', '1');
    expect(process.exitCode).toBe(2);
    expect(err).toMatch(/^import-xml: bad\.xml: XML DOCTYPE declarations are not allowed/);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('asks for a manifest or a name and version', async () => {
    const { err } = await run(join(dir, 'src'), '--out', join(dir, 'pkg'));
    expect(process.exitCode).toBe(2);
    expect(err).toContain('--manifest');
  });
});
