import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuild } from '../../src/cli/commands/build.js';

const dir = mkdtempSync(join(tmpdir(), 'ads-build-'));
const example = 'examples/incidents/conveyed-to-ed.incident.json';

async function run(file: string, options: { out?: string; validate: boolean }) {
  let out = '';
  let err = '';
  const code = await runBuild(file, options, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

describe('ads-fhir build', () => {
  it('builds the example incident into a bundle with no errors under the full validator (exit 0)', async () => {
    const out = join(dir, 'bundle.json');
    const r = await run(example, { out, validate: true });
    expect(r.err).toMatch(/0 errors/);
    expect(r.code).toBe(0);
    const bundle = JSON.parse(readFileSync(out, 'utf8'));
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType)).toContain('MedicationAdministration');
  }, 120_000);

  it('prints the bundle on standard output without --out', async () => {
    const r = await run(example, { validate: false });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).resourceType).toBe('Bundle');
    expect(r.err).toMatch(/builder checks only/);
  });

  it('exits 1 with JSON pointers for an invalid description, never echoing its values', async () => {
    const d = JSON.parse(readFileSync(example, 'utf8'));
    d.patientContacts[0].patient.birthDate = 'SECRET-DATE';
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(d));
    const r = await run(file, { validate: false });
    expect(r.code).toBe(1);
    expect(r.err).toContain('/patientContacts/0/patient/birthDate');
    expect(r.err).not.toContain('SECRET');
    expect(r.out).toBe('');
  });

  it('exits 1 for text that is not JSON, saying where without quoting it', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"call": {"cadId": SECRET}}');
    const r = await run(file, { validate: false });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not valid JSON at line 1/);
    expect(r.err).not.toContain('SECRET');
  });

  it('exits 1 when the builder checks find an error in the bundle', async () => {
    const d = JSON.parse(readFileSync(example, 'utf8'));
    d.call.treatmentType = 'see-and-treat'; // disagrees with the conveyance to an emergency department
    const file = join(dir, 'disagree.json');
    writeFileSync(file, JSON.stringify(d));
    const r = await run(file, { validate: false });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/[1-9]\d* errors/);
    // Placed in the description, with the rule id and where in the bundle.
    expect(r.err).toContain('error ADS_TREATMENT_TYPE_CONVEYANCE /call (Bundle.entry[0].resource.category)');
  });

  it('lists every problem of a description at once, each by JSON pointer (exit 1)', async () => {
    const d = JSON.parse(readFileSync(example, 'utf8'));
    d.responses[0].times.clear = '2026-11-23T14:00:00Z';
    d.patientContacts[0].medications[0].dose.ucum = 'mcg';
    const file = join(dir, 'two-problems.json');
    writeFileSync(file, JSON.stringify(d));
    const r = await run(file, { validate: false });
    expect(r.code).toBe(1);
    expect(r.err).toContain('/responses/0/times/clear');
    expect(r.err).toContain('/patientContacts/0/medications/0/dose/ucum');
  });

  it('exits 2 for a file that cannot be read or an --out that cannot be written', async () => {
    const r = await run(join(dir, 'missing.json'), { validate: false });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot read/);
    const w = await run(example, { out: join(dir, 'no-such-dir', 'bundle.json'), validate: false });
    expect(w.code).toBe(2);
    expect(w.err).toMatch(/cannot write .*ENOENT/);
  });
});
