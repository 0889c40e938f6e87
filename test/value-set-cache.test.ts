/**
 * The on-disk cache of compiled value sets, through the public entry point: a later service over the same
 * packages reads the value sets an earlier one compiled (and so judges codes by what the file holds), a damaged
 * entry or file is compiled again and never trusted, and changed package content or changed code starts afresh.
 */
import { appendFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeStamp } from '../src/packages/derived-cache.js';
import { profile, tempDir, writePackageFolder } from '../src/packages/test-fixtures.js';
import { VALUE_SET_COMPILER_MODULES } from '../src/terminology/local-terminology.js';
import { createValidationService } from '../src/validation/index.js';

const GENDER_VS = 'http://hl7.org/fhir/ValueSet/administrative-gender';

async function issuesWith(cacheDir: string, resource: unknown, packages: string[] = []): Promise<{ rule: string; at: string }[]> {
  const service = await createValidationService({ ads: false, packages, store: { cacheDir } });
  const issues = service.validate(resource).issue.map((i) => ({ rule: String(i.details?.coding?.[0]?.code), at: String(i.expression?.[0]) }));
  return issues.filter((i) => i.rule !== 'ALL_OK');
}

function valueSetFile(cacheDir: string): string | undefined {
  const name = readdirSync(join(cacheDir, 'derived')).find((f) => f.startsWith('value-sets-'));
  return name === undefined ? undefined : join(cacheDir, 'derived', name);
}

const male = { resourceType: 'Patient', gender: 'male' };

describe('on-disk cache of compiled value sets', () => {
  it('is read by a later service: what the file holds decides membership', async () => {
    const cacheDir = tempDir('ads-fhir-vs-cache-');
    const first = await issuesWith(cacheDir, male);
    expect(first.filter((i) => i.at === 'Patient.gender')).toEqual([]);
    const file = valueSetFile(cacheDir)!;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const line = readFileSync(file, 'utf8').split('\n').find((l) => l.split('\t')[0]!.split('|')[0] === GENDER_VS)!;
    expect(line).toContain('["male"');
    // A later entry under the same key wins: the cached value set now lists 'mole' where 'male' was.
    appendFileSync(file, `${line.replace('["male"', '["mole"')}\n`);
    const tampered = await issuesWith(cacheDir, male);
    expect(tampered).toContainEqual({ rule: 'Terminology_TX_NoValid_16', at: 'Patient.gender' });
  }, 120_000);

  it('compiles again, with the same verdicts, when an entry or the whole file is damaged', async () => {
    const cacheDir = tempDir('ads-fhir-vs-cache-');
    const bad = { resourceType: 'Patient', gender: 'nonsense' };
    const first = await issuesWith(cacheDir, bad);
    expect(first).toContainEqual({ rule: 'Terminology_TX_NoValid_16', at: 'Patient.gender' });
    const file = valueSetFile(cacheDir)!;
    const key = readFileSync(file, 'utf8').split('\n').find((l) => l.split('\t')[0]!.split('|')[0] === GENDER_VS)!.split('\t')[0]!;
    // Well-formed JSON that is not a compiled value set, then a set of an unknown kind: both are misses.
    for (const entry of [{ url: 1 }, { url: GENDER_VS, title: 't', problems: [], codes: ['?', 'x'] }]) {
      appendFileSync(file, `${key}\t${JSON.stringify(entry)}\n`);
      expect(await issuesWith(cacheDir, bad)).toEqual(first);
      expect(await issuesWith(cacheDir, male)).toEqual([]);
    }
    writeFileSync(file, '\u0000garbage\t{\n\tnot json\nx');
    expect(await issuesWith(cacheDir, bad)).toEqual(first);
  }, 120_000);

  it('starts afresh when the package content changes', async () => {
    const cacheDir = tempDir('ads-fhir-vs-cache-');
    const vs = 'http://example.org/fhir/ValueSet/genders';
    const pkg = (codes: string[]) =>
      writePackageFolder(tempDir('ads-fhir-vs-pkg-'), { name: 'example.genders', version: '1.0.0', dependencies: { 'hl7.fhir.r4.core': '4.0.1' } }, {
        'ValueSet-genders.json': { resourceType: 'ValueSet', url: vs, status: 'active', compose: { include: [{ system: 'http://hl7.org/fhir/administrative-gender', concept: codes.map((code) => ({ code })) }] } },
        'StructureDefinition-p.json': profile('http://example.org/fhir/StructureDefinition/p', 'Patient', 'http://hl7.org/fhir/StructureDefinition/Patient', [
          { id: 'Patient.gender', path: 'Patient.gender', binding: { strength: 'required', valueSet: vs } },
        ]),
      });
    const patient = { ...male, meta: { profile: ['http://example.org/fhir/StructureDefinition/p'] } };
    expect(await issuesWith(cacheDir, patient, [pkg(['male'])])).toEqual([]);
    // Same package name and version, other content: the value set now lists 'female' only.
    expect(await issuesWith(cacheDir, patient, [pkg(['female'])])).toContainEqual({ rule: 'Terminology_TX_NoValid_16', at: 'Patient.gender' });
  }, 120_000);

  it('keeps what code systems are indexed from: a later service judges displays by what the file holds', async () => {
    const cacheDir = tempDir('ads-fhir-vs-cache-');
    const system = 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus';
    // A tag: its binding is an example, so the display is judged by the code system alone.
    const married = { resourceType: 'Patient', meta: { tag: [{ system, code: 'M', display: 'Married' }] } };
    const display = 'Patient.meta.tag[0].display';
    expect((await issuesWith(cacheDir, married)).filter((i) => i.at === display)).toEqual([]);
    const file = valueSetFile(cacheDir)!;
    const line = readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`code-system ${system}\t`))!;
    expect(line).toContain('"display":"Married"');
    expect(line).not.toContain('"definition"'); // only what the index reads is kept
    appendFileSync(file, `${line.replace('"display":"Married"', '"display":"Wed"')}\n`);
    expect((await issuesWith(cacheDir, married)).some((i) => i.at === display)).toBe(true);
    writeFileSync(file, 'garbage');
    expect((await issuesWith(cacheDir, married)).filter((i) => i.at === display)).toEqual([]);
  }, 120_000);

  it('tells a packaged supplement from its index, so a Coding naming one is still refused', async () => {
    const base = 'http://example.org/fhir/CodeSystem/triage';
    const folder = writePackageFolder(tempDir('ads-fhir-vs-pkg-'), { name: 'example.triage', version: '1.0.0', dependencies: { 'hl7.fhir.r4.core': '4.0.1' } }, {
      'CodeSystem-triage.json': { resourceType: 'CodeSystem', url: base, status: 'active', content: 'complete', concept: [{ code: 'red' }] },
      'CodeSystem-triage-de.json': { resourceType: 'CodeSystem', url: `${base}-de`, status: 'active', content: 'supplement', supplements: base, concept: [{ code: 'red', designation: [{ language: 'de', value: 'Sofort' }] }] },
    });
    const tagged = (system: string) => ({ resourceType: 'Patient', meta: { tag: [{ system, code: 'red' }] } });
    const cacheDir = tempDir('ads-fhir-vs-cache-');
    expect(await issuesWith(cacheDir, tagged(`${base}-de`), [folder])).toContainEqual({ rule: 'CODESYSTEM_CS_NO_SUPPLEMENT', at: 'Patient.meta.tag[0].system' });
    expect((await issuesWith(cacheDir, tagged(base), [folder])).map((i) => i.rule)).not.toContain('CODESYSTEM_CS_NO_SUPPLEMENT');
  }, 120_000);

  it('tells the status of a packaged code system from its index, so a retired or deprecated one is still reported', async () => {
    const url = (s: string) => `http://example.org/fhir/CodeSystem/${s}`;
    const deprecated = { url: 'http://hl7.org/fhir/StructureDefinition/structuredefinition-standards-status', valueCode: 'deprecated' };
    const folder = writePackageFolder(tempDir('ads-fhir-vs-pkg-'), { name: 'example.status', version: '1.0.0', dependencies: { 'hl7.fhir.r4.core': '4.0.1' } }, {
      'CodeSystem-old.json': { resourceType: 'CodeSystem', url: url('old'), status: 'retired', content: 'complete', concept: [{ code: 'red' }] },
      'CodeSystem-dep.json': { resourceType: 'CodeSystem', url: url('dep'), status: 'active', extension: [deprecated], content: 'complete', concept: [{ code: 'red' }] },
      'CodeSystem-ok.json': { resourceType: 'CodeSystem', url: url('ok'), status: 'active', content: 'complete', concept: [{ code: 'red' }] },
    });
    const cacheDir = tempDir('ads-fhir-vs-cache-');
    // A bound element: the status of each coding's code system is checked with the binding.
    const rules = async (system: string) => (await issuesWith(cacheDir, { resourceType: 'Patient', maritalStatus: { coding: [{ system, code: 'red' }] } }, [folder])).map((i) => i.rule);
    expect(await rules(url('old'))).toContain('MSG_RETIRED');
    expect(await rules(url('dep'))).toContain('MSG_DEPRECATED');
    expect(await rules(url('ok'))).not.toContain('MSG_RETIRED');
  }, 120_000);

  it('is keyed on the code that compiles value sets, including what it imports from other folders', () => {
    const stamp = codeStamp(VALUE_SET_COMPILER_MODULES);
    for (const file of ['code-sets.ts', 'system-syntax.ts', 'value-set-form.ts', 'ecl.ts', 'external-systems.ts', '../systems/index.ts']) {
      const size = statSync(new URL(`../src/terminology/${file}`, import.meta.url)).size;
      expect(stamp, file).toContain(`${file}:${size}:`);
    }
  });
});
