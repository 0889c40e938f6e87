import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { PackageError } from './errors.js';
import { PackageStore } from './store.js';
import { packageTgzBytes, profile, tempDir, testCacheDir, writePackageFolder } from './test-fixtures.js';

const cacheDir = testCacheDir;
const base = { ukCore: false, cacheDir, useFhirPackageCache: false } as const;

async function failure(run: () => Promise<unknown> | unknown): Promise<PackageError> {
  try {
    await run();
  } catch (e) {
    expect(e).toBeInstanceOf(PackageError);
    return e as PackageError;
  }
  throw new Error('expected a PackageError');
}

describe('bad packages give a PackageError naming the file', () => {
  let work: string;
  let good: Buffer;
  beforeAll(async () => {
    work = tempDir();
    good = await packageTgzBytes({ name: 'example.a', version: '1.0.0' }, { 'ValueSet-x.json': { resourceType: 'ValueSet', url: 'http://x', status: 'active' } });
  });

  it('a file that is not gzip', async () => {
    const file = join(work, 'garbage.tgz');
    writeFileSync(file, 'this is not an archive');
    const e = await failure(() => PackageStore.create({ ...base, packages: [file] }));
    expect(e.code).toBe('corrupt-archive');
    expect(e.file).toBe(file);
  });

  it('a truncated .tgz', async () => {
    const file = join(work, 'truncated.tgz');
    writeFileSync(file, good.subarray(0, Math.floor(good.length / 2)));
    const e = await failure(() => PackageStore.create({ ...base, packages: [file] }));
    expect(e.code).toBe('corrupt-archive');
    expect(e.message).toContain('truncated.tgz');
  });

  it('a gzip whose tar is cut short', async () => {
    const file = join(work, 'short-tar.tgz');
    const tar = (await import('node:zlib')).gunzipSync(good);
    writeFileSync(file, gzipSync(tar.subarray(0, 700)));
    const e = await failure(() => PackageStore.create({ ...base, packages: [file] }));
    expect(['corrupt-archive', 'bad-manifest']).toContain(e.code);
    expect(e.file).toBe(file);
  });

  it('a .tgz without package.json', async () => {
    const file = join(work, 'nomanifest.tgz');
    writeFileSync(file, gzipSync(Buffer.alloc(1024)));
    const e = await failure(() => PackageStore.create({ ...base, packages: [file] }));
    expect(e.code).toBe('bad-manifest');
  });

  it('a folder that does not exist', async () => {
    const e = await failure(() => PackageStore.create({ ...base, packages: [join(work, 'nowhere')] }));
    expect(e.code).toBe('not-found');
  });

  it('a malformed JSON resource file', async () => {
    const dir = writePackageFolder(join(work, 'malformed'), { name: 'example.m', version: '1.0.0' }, { 'ValueSet-bad.json': '{"resourceType": "ValueSet", ' });
    const e = await failure(() => PackageStore.create({ ...base, packages: [dir] }));
    expect(e.code).toBe('malformed-json');
    expect(e.file).toContain('ValueSet-bad.json');
  });

  it('a missing dependency names the package and who needed it', async () => {
    const dir = writePackageFolder(join(work, 'needy'), { name: 'example.needy', version: '1.0.0', dependencies: { 'example.absent': '3.1.0' } }, {});
    const e = await failure(() => PackageStore.create({ ...base, packages: [dir] }));
    expect(e.code).toBe('missing-dependency');
    expect(e.message).toContain('example.absent#3.1.0');
    expect(e.message).toContain('example.needy#1.0.0');
  });

  it('an unknown base, and a circular base chain', async () => {
    const A = 'http://example.org/StructureDefinition/a';
    const B = 'http://example.org/StructureDefinition/b';
    const C = 'http://example.org/StructureDefinition/c';
    const dir = writePackageFolder(join(work, 'bases'), { name: 'example.bases', version: '1.0.0' }, {
      'a.json': profile(A, 'Patient', B, []),
      'b.json': profile(B, 'Patient', A, []),
      'c.json': profile(C, 'Patient', 'http://example.org/StructureDefinition/missing', []),
    });
    const store = await PackageStore.create({ ...base, packages: [dir] });
    const unknown = await failure(() => store.structureDefinition(C));
    expect(unknown.code).toBe('unknown-base');
    expect(unknown.message).toContain(C);
    expect(unknown.message).toContain('http://example.org/StructureDefinition/missing');
    const circular = await failure(() => store.structureDefinition(A));
    expect(circular.code).toBe('circular-base');
    expect(circular.message).toContain(`${A} -> ${B} -> ${A}`);
  });

  it('a differential that names an element the base lacks', async () => {
    const D = 'http://example.org/StructureDefinition/d';
    const dir = writePackageFolder(join(work, 'badpath'), { name: 'example.badpath', version: '1.0.0' }, {
      'd.json': profile(D, 'Patient', 'http://hl7.org/fhir/StructureDefinition/Patient', [{ id: 'Patient.nickname', path: 'Patient.nickname', min: 1 }]),
    });
    const store = await PackageStore.create({ ...base, packages: [dir] });
    const e = await failure(() => store.structureDefinition(D));
    expect(e.code).toBe('snapshot-failed');
    expect(e.message).toContain('Patient.nickname');
    expect(e.file).toContain('d.json');
  });
});
