import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FormatError } from './errors.js';
import { importPackageFromXml, readImportManifest } from './import-package.js';

const NS = 'xmlns="http://hl7.org/fhir"';
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ads-fhir-import-'));
  mkdirSync(join(dir, 'src', 'examples'), { recursive: true });
  writeFileSync(join(dir, 'src', 'vs.xml'), `<ValueSet ${NS}><id value="vs1"/><url value="http://x/vs1"/><version value="1.0"/><status value="active"/></ValueSet>`);
  writeFileSync(join(dir, 'src', 'sd.xml'), `<StructureDefinition ${NS}><id value="sd1"/><url value="http://x/sd1"/><name value="S"/><status value="draft"/><kind value="resource"/><abstract value="false"/><type value="Patient"/></StructureDefinition>`);
  writeFileSync(join(dir, 'src', 'examples', 'obs.xml'), `<Observation ${NS}><id value="o1"/><status value="final"/><code><text value="t"/></code><valueQuantity><value value="37.50"/></valueQuantity></Observation>`);
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const manifest = { name: 'test.pkg', version: '0.0.1', fhirVersions: ['4.0.1'], dependencies: { 'hl7.fhir.r4.core': '4.0.1' } };

describe('importPackageFromXml', () => {
  it('writes package.json, <Type>-<id>.json, example/ and an .index.json per folder', () => {
    const out = join(dir, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'README.md'), 'kept');
    writeFileSync(join(out, 'Stale-old.json'), '{}');
    const report = importPackageFromXml(join(dir, 'src'), out, manifest);
    expect(report).toEqual({ resources: 2, examples: 1, issues: [] });
    expect(readdirSync(out).sort()).toEqual(['.index.json', 'README.md', 'StructureDefinition-sd1.json', 'ValueSet-vs1.json', 'example', 'package.json']);
    expect(JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'))).toEqual(manifest);
    expect(JSON.parse(readFileSync(join(out, '.index.json'), 'utf8'))).toEqual({
      'index-version': 2,
      files: [
        { filename: 'StructureDefinition-sd1.json', resourceType: 'StructureDefinition', id: 'sd1', url: 'http://x/sd1', kind: 'resource', type: 'Patient' },
        { filename: 'ValueSet-vs1.json', resourceType: 'ValueSet', id: 'vs1', url: 'http://x/vs1', version: '1.0' },
      ],
    });
    // Decimals keep the precision they were written with.
    expect(readFileSync(join(out, 'example', 'Observation-o1.json'), 'utf8')).toContain('"value": 37.50');
    expect(existsSync(join(out, 'example', '.index.json'))).toBe(true);
  });

  it('names the file that cannot be converted', () => {
    writeFileSync(join(dir, 'src', 'broken.xml'), `<ValueSet ${NS}><id value="x">`);
    expect(() => importPackageFromXml(join(dir, 'src'), join(dir, 'out'), manifest)).toThrow(/broken\.xml: Malformed XML/);
  });

  it('refuses two resources that would share a file name', () => {
    writeFileSync(join(dir, 'src', 'vs-copy.xml'), `<ValueSet ${NS}><id value="vs1"/><status value="draft"/></ValueSet>`);
    expect(() => importPackageFromXml(join(dir, 'src'), join(dir, 'out'), manifest)).toThrow(/ValueSet-vs1\.json/);
  });

  it('reads a source manifest and replaces its dependencies', () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'a', version: '1', dependencies: { 'hl7.fhir.r5.core': '5.0.0' } }));
    expect(readImportManifest(join(dir, 'package.json'), { 'hl7.fhir.r4.core': '4.0.1' }).dependencies).toEqual({ 'hl7.fhir.r4.core': '4.0.1' });
    writeFileSync(join(dir, 'bad.json'), '{');
    expect(() => readImportManifest(join(dir, 'bad.json'))).toThrow(FormatError);
  });
});
