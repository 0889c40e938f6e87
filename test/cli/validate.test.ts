import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chooseWorkerCount, workersFor } from '../../src/cli/parallel-validate.js';
import { createProgram } from '../../src/cli/program.js';
import { defaultWorkerCount } from '../../src/validation/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ads-validate-'));
const good = join(dir, 'good.json');
const bad = join(dir, 'bad.json');
const broken = join(dir, 'broken.json');
const xml = join(dir, 'patient.xml');
writeFileSync(good, JSON.stringify({ resourceType: 'Patient', gender: 'female', birthDate: '1980-02-29' }));
writeFileSync(bad, JSON.stringify({ resourceType: 'Patient', gender: 'nonsense', birthDate: '1981-02-29' }));
writeFileSync(broken, '{"resourceType": "Patient",\n  "gender": }');
writeFileSync(xml, '<Patient xmlns="http://hl7.org/fhir"><gender value="male"/><birthDate value="1990-01-01"/></Patient>');

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  process.exitCode = 0;
  try {
    await (await createProgram()).exitOverride().parseAsync(['node', 'ads-fhir', 'validate', ...args]);
  } catch (x) {
    // commander's own usage errors (exitOverride) carry their exit code.
    process.exitCode = (x as { exitCode?: number }).exitCode ?? 2;
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, out, err };
}

afterEach(() => vi.restoreAllMocks());

describe('ads-fhir validate', () => {
  it('exits 0 for valid payloads, JSON and XML, with a summary line', async () => {
    const r = await run(good, xml);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/2 files, 0 errors/);
  });
  it('exits 1 when a payload has an error, and groups issues by file', async () => {
    const r = await run(good, bad);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${bad}\n  Patient\n`);
    expect(r.out).toMatch(/Patient\.gender/);
    expect(r.out).toMatch(/Patient\.birthDate/);
  });
  it('reports malformed JSON as a fatal issue with line and column (exit 1)', async () => {
    const r = await run('--format', 'json', broken);
    expect(r.code).toBe(1);
    const [result] = JSON.parse(r.out) as Array<{ file: string; outcome: { issue: Array<{ severity: string; diagnostics?: string }> } }>;
    expect(result?.file).toBe(broken);
    expect(result?.outcome.issue[0]?.severity).toBe('fatal');
    expect(result?.outcome.issue[0]?.diagnostics).toBe('[2,13]');
  });
  it('writes JUnit and HTML reports to a file', async () => {
    const junit = join(dir, 'out.xml');
    expect((await run('--format', 'junit', '--output', junit, good, bad)).code).toBe(1);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(junit, 'utf8'));
    expect(doc.testsuites.testsuite['@_failures']).toBe('1');
    const html = join(dir, 'out.html');
    await run('--format', 'html', '--output', html, bad);
    expect(readFileSync(html, 'utf8')).toMatch(/class="hit-error"/);
  });
  it('exits 2 for usage errors: unknown paths, unknown profiles, packages that do not load, unknown formats', async () => {
    expect((await run(join(dir, 'missing.json'))).code).toBe(2);
    const unknown = await run('--profile', 'http://example.org/StructureDefinition/nope', good);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/Unknown profile/);
    const pkg = await run('--package', join(dir, 'no-such-package.tgz'), good);
    expect(pkg.code).toBe(2);
    expect(pkg.err).not.toMatch(/\n\s+at /);
    expect((await run('--format', 'yaml', good)).code).toBe(2);
  });
  it('validates against an explicit profile', async () => {
    const r = await run('--profile', 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient', good);
    expect(r.code).toBe(0);
  });
});

const feed = join(dir, 'feed.ndjson');
const lines: string[] = [];
for (let i = 0; i < 30; i++) {
  if (i % 3 === 0) lines.push(JSON.stringify({ resourceType: 'Patient', id: `p${i}`, gender: 'female' }));
  else if (i % 3 === 1) lines.push(JSON.stringify({ resourceType: 'Patient', id: `p${i}`, gender: 'nonsense', birthDate: '1981-02-29' }));
  else lines.push('{"resourceType": "Patient", "gender": ');
  if (i === 10) lines.push('');
}
writeFileSync(feed, `${lines.join('\n')}\n`);
const single = join(dir, 'observation.json');
writeFileSync(single, JSON.stringify({ resourceType: 'Observation', status: 'bogus' }));

describe('ads-fhir validate, streamed reports', () => {
  it('writes the JSON report to the file as results arrive, one entry per NDJSON line, and leaves no partial file', async () => {
    const stream = join(dir, 'stream-feed.ndjson');
    const lines = Array.from({ length: 300 }, (_, i) => JSON.stringify({ resourceType: 'Patient', id: `p${i}`, gender: i % 100 === 7 ? 'nonsense' : 'male' }));
    writeFileSync(stream, `${lines.join('\n')}\n`);
    const out = join(dir, 'stream-report.json');
    const r = await run('--workers', '0', '--format', 'json', '--output', out, stream);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/300 payloads in 1 file, 6 errors/);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Array<{ file: string }>;
    expect(report).toHaveLength(300);
    expect(report[7]?.file).toBe(`${stream}:8`);
    expect(readdirSync(dir).filter((f) => f.includes('.partial'))).toEqual([]);
  });

  it('exits 2 when the report cannot be written, without a partial file', async () => {
    const r = await run('--format', 'json', '--output', join(dir, 'no-such-folder', 'report.json'), good);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Cannot write the report');
  });
});

describe('ads-fhir validate: UK, UCUM and ADS rules', () => {
  const ids = (out: string) =>
    (JSON.parse(out) as Array<{ outcome: { issue: Array<{ severity: string; extension?: Array<{ url: string; valueString?: string }> }> } }>).flatMap((r) =>
      r.outcome.issue.flatMap((i) => i.extension?.filter((e) => e.url.endsWith('operationoutcome-message-id')).map((e) => `${i.severity} ${e.valueString}`) ?? []));

  it('reports a wrong NHS number check digit and a non-UCUM unit with their rule ids (exit 1)', async () => {
    const patient = join(dir, 'nhs.json');
    writeFileSync(patient, JSON.stringify({ resourceType: 'Patient', identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9434765918' }] }));
    const obs = join(dir, 'ucum.json');
    writeFileSync(obs, JSON.stringify({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueQuantity: { value: 1, system: 'http://unitsofmeasure.org', code: 'mcg' } }));
    const r = await run('--format', 'json', patient, obs);
    expect(r.code).toBe(1);
    // The unit is reported once, with the reference validator's key; the UCUM post-pass does not repeat it.
    expect(ids(r.out)).toEqual(['error UK_NHS_NUMBER_INVALID', 'error Unknown_Code_in']);
    expect(r.out).not.toContain('9434765918');
  });

  it('fails ADS bundles that break the ADS business rules (exit 1)', async () => {
    const brokenDir = join(import.meta.dirname, '..', '..', 'examples', 'broken');
    const before = await run('--format', 'json', join(brokenDir, 'response-before-call.json'));
    expect(before.code).toBe(1);
    expect(ids(before.out)).toContain('error ADS_RESPONSE_BEFORE_CALL');
    const mismatch = await run('--format', 'json', join(brokenDir, 'treatment-type-mismatch.json'));
    expect(mismatch.code).toBe(1);
    expect(ids(mismatch.out)).toContain('error ADS_TREATMENT_TYPE_CONVEYANCE');
  });
});

describe('ads-fhir validate --workers', () => {
  it('reports exactly what the main thread reports, line by line in file order', async () => {
    const inThread = await run('--format', 'json', '--workers', '0', feed, single);
    const threaded = await run('--format', 'json', '--workers', '2', feed, single);
    expect(threaded.code).toBe(1);
    expect(threaded.code).toBe(inThread.code);
    const parsed = JSON.parse(threaded.out) as Array<{ file: string }>;
    expect(parsed.map((r) => r.file)).toEqual([...lines.map((_, i) => `${feed}:${i + 1}`), single]);
    expect(threaded.out).toBe(inThread.out);
  });
  it('refuses a --workers value that is not a whole number (exit 2)', async () => {
    const r = await run('--workers', 'many', feed);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--workers takes a whole number/);
  });
  it('starts workers on its own only when the input is large enough for them to pay off on the cores there are', async () => {
    expect(await chooseWorkerCount(undefined, [feed, single])).toBe(0);
    expect(await chooseWorkerCount(3, [single])).toBe(3);
    expect(await chooseWorkerCount(-1, [single])).toBeUndefined();
    const mb = 1024 * 1024;
    expect(workersFor(1000 * mb, 1)).toBe(0);
    expect(workersFor(50 * mb, 2)).toBe(0);
    expect(workersFor(100 * mb, 2)).toBe(2);
    expect(workersFor(10 * mb, 4)).toBe(0);
    expect(workersFor(30 * mb, 4)).toBe(4);
    expect(workersFor(0, 64)).toBe(0);
    const large = join(dir, 'large.ndjson');
    writeFileSync(large, '\n'.repeat(mb));
    expect(await chooseWorkerCount(undefined, [single, large])).toBe(workersFor(statSync(large).size + statSync(single).size, defaultWorkerCount()));
  });
});

describe('ads-fhir validate, NDJSON blank lines', () => {
  it('warns of each blank line with NDJSON_EMPTY_LINE_WARNING at its line, and a final newline is no blank line (exit 0)', async () => {
    const file = join(dir, 'blank-lines.ndjson');
    const patient = JSON.stringify({ resourceType: 'Patient', gender: 'female' });
    writeFileSync(file, `${patient}\n\n${patient}\n   \n`);
    const r = await run('--workers', '0', '--format', 'json', file);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as Array<{ file: string; outcome: { issue: Array<{ severity: string; extension?: Array<{ url: string; valueString?: string; valueInteger?: number }> }> } }>;
    const warnings = report.flatMap((entry) =>
      entry.outcome.issue
        .filter((i) => i.extension?.some((e) => e.url.endsWith('operationoutcome-message-id') && e.valueString === 'NDJSON_EMPTY_LINE_WARNING'))
        .map((i) => `${entry.file.slice(dir.length + 1)} ${i.severity}`),
    );
    expect(warnings).toEqual(['blank-lines.ndjson:2 warning', 'blank-lines.ndjson:4 warning']);
  });
});
