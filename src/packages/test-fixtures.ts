/** Helpers for tests: build FHIR packages (folders and .tgz) in temporary folders at test time. */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import tarStream from 'tar-stream';
import type { PackageManifest } from './types.js';

/**
 * One compiled-index cache for all test files (and runs): core R4 is parsed once, not once per test
 * file. Content-keyed, so sharing it is safe.
 */
export const testCacheDir = join(tmpdir(), 'ads-fhir-test-cache');

export function tempDir(prefix = 'ads-fhir-pkg-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Files of a package: name inside `package/` -> JSON value (or raw text). */
export type PackageContent = Record<string, unknown>;

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 1);
}

/** Writes `<dir>/package/package.json` + files (the registry layout). Returns `dir`. */
export function writePackageFolder(dir: string, manifest: PackageManifest, files: PackageContent, flat = false): string {
  const root = flat ? dir : join(dir, 'package');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify(manifest));
  for (const [name, value] of Object.entries(files)) {
    const path = join(root, name);
    mkdirSync(resolve(path, '..'), { recursive: true });
    writeFileSync(path, text(value));
  }
  return dir;
}

/** The gzipped tar bytes of a package (entries under `package/`). */
export async function packageTgzBytes(manifest: PackageManifest, files: PackageContent): Promise<Buffer> {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  pack.entry({ name: 'package/package.json' }, JSON.stringify(manifest));
  for (const [name, value] of Object.entries(files)) pack.entry({ name: `package/${name}` }, text(value));
  pack.finalize();
  await collected;
  return gzipSync(Buffer.concat(chunks));
}

export async function writePackageTgz(file: string, manifest: PackageManifest, files: PackageContent): Promise<string> {
  writeFileSync(file, await packageTgzBytes(manifest, files));
  return file;
}

/** Repository root (tests run from it) and the shared reference material: `$ADS_FHIR_SHARED`, else beside the repository. */
export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const sharedDir = resolve(process.env.ADS_FHIR_SHARED || join(repoRoot, '..', 'shared'));

/**
 * Builds a UK Core package folder from the JSON conversion in `../shared/fhir/ukcore/json`
 * (conformance resources at the top, examples under `example/`). For tests only: that conversion is
 * unverified; the shipped UK Core is produced from the XML.
 */
export function ukCoreFromSharedJson(dir: string): string {
  const src = join(sharedDir, 'fhir', 'ukcore', 'json');
  mkdirSync(join(dir, 'example'), { recursive: true });
  cpSync(join(sharedDir, 'fhir', 'ukcore', 'package.json'), join(dir, 'package.json'));
  for (const sub of ['structuredefinitions', 'valuesets', 'codesystems']) {
    for (const f of readdirSync(join(src, sub))) cpSync(join(src, sub, f), join(dir, f));
  }
  for (const f of readdirSync(join(src, 'examples'))) cpSync(join(src, 'examples', f), join(dir, 'example', f));
  return dir;
}

function definition(url: string, kind: string, type: string, baseDefinition: string, element: Record<string, unknown>[]): Record<string, unknown> {
  const id = url.split('/').pop();
  return { resourceType: 'StructureDefinition', id, url, name: 'Def', status: 'active', kind, abstract: false, type, baseDefinition, derivation: 'constraint', differential: { element } };
}

/** A minimal extension definition (differential only) with a value type. */
export function simpleExtension(url: string, valueType: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...definition(url, 'complex-type', 'Extension', 'http://hl7.org/fhir/StructureDefinition/Extension', [
      { id: 'Extension', path: 'Extension', max: '1' },
      { id: 'Extension.url', path: 'Extension.url', fixedUri: url },
      { id: 'Extension.value[x]', path: 'Extension.value[x]', min: 1, type: [{ code: valueType }] },
    ]),
    context: [{ type: 'element', expression: 'Element' }],
    ...extra,
  };
}

/** A profile (differential only) on `base` for resource `type`. */
export function profile(url: string, type: string, base: string, elements: Record<string, unknown>[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...definition(url, 'resource', type, base, [{ id: type, path: type }, ...elements]), ...extra };
}
