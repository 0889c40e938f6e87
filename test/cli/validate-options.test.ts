import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePackageFolder } from '../../src/packages/test-fixtures.js';
import { spawnCli } from '../helpers/spawn-cli.js';

/** The `ads-fhir validate` options users of the HL7 validator reach for, through the real binary. */
const dir = mkdtempSync(join(tmpdir(), 'ads-validate-options-'));
// One error (required binding), one warning (a profile that is not loaded) and one information (preferred binding).
const mixed = join(dir, 'mixed.json');
writeFileSync(
  mixed,
  JSON.stringify({
    resourceType: 'Patient',
    meta: { profile: ['http://example.org/StructureDefinition/unknown'] },
    gender: 'bogus',
    communication: [{ language: { coding: [{ system: 'http://example.org/lang', code: 'x' }] } }],
  }),
);
const severities = (stdout: string): string[] => {
  const [result] = JSON.parse(stdout) as [{ outcome: { issue: { severity: string }[] } }];
  return [...new Set(result.outcome.issue.map((i) => i.severity))].sort();
};

describe('ads-fhir validate, as a user runs it', () => {
  it('--level filters the report: information (default) shows all, warning hides information, error shows errors only', async () => {
    const all = await spawnCli(['validate', mixed, '--format', 'json']);
    expect(severities(all.stdout)).toEqual(['error', 'information', 'warning']);
    const warnings = await spawnCli(['validate', mixed, '--format', 'json', '--level', 'warning']);
    expect(severities(warnings.stdout)).toEqual(['error', 'warning']);
    // The HL7 validator's spelling, -level errors, means the same.
    const errors = await spawnCli(['validate', mixed, '--level', 'errors']);
    expect(errors.stdout).toMatch(/^\s+error /m);
    expect(errors.stdout).not.toMatch(/^\s+(warning|information) /m);
    expect(errors.code).toBe(1);
    const bad = await spawnCli(['validate', mixed, '--level', 'loud']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--level/);
  });

  it('reads folders without their *.expect.json files, leaves out --ignore matches, and writes --out (or --output)', async () => {
    const folder = join(dir, 'cases');
    mkdirSync(join(folder, 'old'), { recursive: true });
    cpSync('examples/bundles/conveyed-to-ed.json', join(folder, 'ok.json'));
    writeFileSync(join(folder, 'ok.expect.json'), JSON.stringify({ expect: 'not a payload' }));
    writeFileSync(join(folder, 'old', 'stale.json'), JSON.stringify({ resourceType: 'Patient', gender: 'bogus' }));
    const report = join(dir, 'report.json');
    const r = await spawnCli(['validate', folder, '--ignore', 'old', '--format', 'json', '--out', report]);
    expect(r.code).toBe(0);
    expect((JSON.parse(readFileSync(report, 'utf8')) as { file: string }[]).map((x) => x.file)).toEqual([join(folder, 'ok.json')]);
    const legacy = join(dir, 'legacy.json');
    const old = await spawnCli(['validate', folder, '--format', 'json', '--output', legacy]);
    expect(old.code).toBe(1);
    expect((JSON.parse(readFileSync(legacy, 'utf8')) as { file: string }[]).map((x) => x.file)).toEqual([join(folder, 'ok.json'), join(folder, 'old', 'stale.json')].sort());
  });

  it('exits 2 for a path that does not exist and 1 for a file that exists but cannot be parsed, as the README says', async () => {
    const missing = await spawnCli(['validate', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file or folder/);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"resourceType": "Patient",');
    const unparsable = await spawnCli(['validate', broken]);
    expect(unparsable.code).toBe(1);
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toMatch(/\b1 when [^;]*a file exists but cannot be\s+parsed/);
    expect(readme).toMatch(/\b2 for a usage error: a path that does not exist/);
  });

  it('--ig name#version loads a package from the FHIR package cache, and says where it looked when it is not there', async () => {
    const cache = join(dir, 'fhir-cache');
    const url = 'http://example.org/fhir/StructureDefinition/needs-gender';
    writePackageFolder(join(cache, 'example.cli.pkg#1.0.2'), { name: 'example.cli.pkg', version: '1.0.2', fhirVersions: ['4.0.1'], dependencies: { 'hl7.fhir.r4.core': '4.0.1' } }, {
      'StructureDefinition-needs-gender.json': {
        resourceType: 'StructureDefinition', id: 'needs-gender', url, name: 'NeedsGender', status: 'active', kind: 'resource', abstract: false,
        type: 'Patient', baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient', derivation: 'constraint',
        differential: { element: [{ id: 'Patient', path: 'Patient' }, { id: 'Patient.gender', path: 'Patient.gender', min: 1 }] },
      },
    });
    const patient = join(dir, 'patient.json');
    writeFileSync(patient, JSON.stringify({ resourceType: 'Patient' }));
    const env = { FHIR_PACKAGE_CACHE: cache };
    // Without the package the profile is unknown (a usage error); with it, its min 1 on gender fails the payload.
    expect((await spawnCli(['validate', patient, '--profile', url], { env })).code).toBe(2);
    for (const spec of ['example.cli.pkg#1.0.2', 'example.cli.pkg#1.0', 'example.cli.pkg']) {
      const r = await spawnCli(['validate', patient, '--ig', spec, '--profile', url, '--format', 'json'], { env });
      const issues = (JSON.parse(r.stdout) as [{ outcome: { issue: { severity: string; code: string; expression?: string[] }[] } }])[0].outcome.issue;
      expect(issues.filter((i) => i.severity === 'error').map((i) => `${i.code} ${i.expression?.[0]}`)).toEqual(['structure Patient']);
      expect(r.code).toBe(1);
    }
    const absent = await spawnCli(['validate', patient, '--ig', 'example.cli.pkg#2.0.0'], { env });
    expect(absent.code).toBe(2);
    expect(absent.stderr).toContain(cache);
    expect(absent.stderr).toContain('example.cli.pkg#1.0.2');
    expect(absent.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(cache, 'example.cli.pkg#2.0.0'))).toBe(false);
  });
});
