import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PackageError } from './errors.js';
import { readTar } from './tar.js';
import type { PackageManifest } from './types.js';

/** One JSON file of a package, as text; examples are kept apart from the conformance index. */
export interface PackageFile {
  /** Path inside the package folder, `/`-separated (e.g. `StructureDefinition-x.json`, `example/p.json`). */
  name: string;
  kind: 'resource' | 'example';
  text: string;
}

/** A package read from disk before parsing its resources. */
export interface RawPackage {
  /** The folder or `.tgz` it came from (absolute). */
  location: string;
  manifest: PackageManifest;
  files: PackageFile[];
}

/** Sub-folders FHIR packages use for things that are not conformance resources. */
const IGNORED_FOLDERS = new Set(['other', 'openapi', 'xml', 'tests', 'testing', 'temp', 'node_modules']);
const EXAMPLE_FOLDERS = new Set(['example', 'examples']);

/** Decides what a file inside a package is; undefined for files the store ignores. */
export function classifyPackageFile(name: string): PackageFile['kind'] | undefined {
  if (!name.endsWith('.json')) return undefined;
  const parts = name.split('/');
  const base = parts[parts.length - 1] ?? '';
  if (base === 'package.json' || base.startsWith('.')) return undefined;
  const top = parts.length > 1 ? (parts[0] ?? '') : '';
  if (EXAMPLE_FOLDERS.has(top)) return 'example';
  if (IGNORED_FOLDERS.has(top) || top.startsWith('.')) return undefined;
  return 'resource';
}

/** Where the manifest of a folder package sits: `<dir>/package/package.json` or `<dir>/package.json`. */
function folderRoot(dir: string): string {
  if (existsSync(join(dir, 'package', 'package.json'))) return join(dir, 'package');
  if (existsSync(join(dir, 'package.json'))) return dir;
  throw new PackageError('not-found', dir, 'not a FHIR package: no package.json or package/package.json inside');
}

/** Parses and checks a manifest's text. */
export function parseManifest(text: string, file: string): PackageManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new PackageError('malformed-json', file, `not valid JSON (${(e as Error).message})`);
  }
  const m = json as Partial<PackageManifest> | null;
  if (!m || typeof m !== 'object' || typeof m.name !== 'string' || typeof m.version !== 'string') {
    throw new PackageError('bad-manifest', file, 'package.json needs a string "name" and "version"');
  }
  const deps = m.dependencies && typeof m.dependencies === 'object' ? m.dependencies : {};
  const manifest: PackageManifest = { name: m.name, version: m.version, dependencies: { ...deps } };
  if (Array.isArray(m.fhirVersions)) manifest.fhirVersions = m.fhirVersions;
  return manifest;
}

/**
 * The package files below `dir`, as `/`-separated paths relative to the package root (`relDir` is `dir`'s own,
 * '' at the root). Spelt out as the walk goes down rather than worked out from absolute paths: every run
 * fingerprints each file of every package folder it loads.
 */
function walk(dir: string, relDir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (relDir === '' && (IGNORED_FOLDERS.has(entry.name) || entry.name.startsWith('.'))) continue;
      walk(join(dir, entry.name), rel, out);
    } else if (entry.isFile()) {
      if (classifyPackageFile(rel)) out.push(rel);
    }
  }
}

/** Far above any real FHIR package; stops a hostile archive from exhausting memory. */
const MAX_UNPACKED_BYTES = 1024 * 1024 * 1024;

function isArchive(location: string): boolean {
  return /\.(tgz|tar\.gz)$/i.test(location);
}

/**
 * A cheap identity of a package's content on disk (names, sizes, modification times), used as the
 * cache key (`name#version-hash`): any edit to the package gives a new fingerprint.
 */
export function packageFingerprint(location: string): string {
  const abs = resolve(location);
  const hash = createHash('sha256').update(abs);
  if (!existsSync(abs)) throw new PackageError('not-found', abs, 'no such file or folder');
  let label = basename(abs).replace(/\.(tgz|tar\.gz)$/i, '');
  if (isArchive(abs)) {
    const st = statSync(abs);
    hash.update(`${st.size}:${st.mtimeMs}`);
  } else {
    const root = folderRoot(abs);
    label = manifestLabel(join(root, 'package.json')) ?? label;
    const files: string[] = [];
    walk(root, '', files);
    const base = root.endsWith(sep) ? root : root + sep;
    for (const f of ['package.json', ...files.sort()]) {
      const st = statSync(base + f);
      hash.update(`${f}:${st.size}:${st.mtimeMs};`);
    }
  }
  return `${label}-${hash.digest('hex').slice(0, 32)}`;
}

function manifestLabel(file: string): string | undefined {
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
    return typeof m.name === 'string' && typeof m.version === 'string' ? `${m.name}#${m.version}` : undefined;
  } catch {
    return undefined; // reading the package reports the broken manifest properly
  }
}

/** Reads a package from a folder or a `.tgz` into memory. */
export async function readPackage(location: string): Promise<RawPackage> {
  const abs = resolve(location);
  if (!existsSync(abs)) throw new PackageError('not-found', abs, 'no such file or folder');
  return isArchive(abs) ? readArchive(abs) : readFolder(abs);
}

function readFolder(dir: string): RawPackage {
  const root = folderRoot(dir);
  const manifest = parseManifest(readFileSync(join(root, 'package.json'), 'utf8'), join(root, 'package.json'));
  const names: string[] = [];
  walk(root, '', names);
  const files = names.sort().map((name) => ({
    name,
    kind: classifyPackageFile(name) as PackageFile['kind'],
    text: readFileSync(join(root, name), 'utf8'),
  }));
  return { location: dir, manifest, files };
}

async function readArchive(file: string): Promise<RawPackage> {
  let tar: Buffer;
  try {
    tar = gunzipSync(readFileSync(file), { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch (e) {
    throw new PackageError('corrupt-archive', file, `not a readable gzip archive (${(e as Error).message})`);
  }
  const entries = await readTar(tar, file);
  let manifestText: string | undefined;
  const files: PackageFile[] = [];
  for (const { name, data } of entries) {
    // Registry tarballs put everything under `package/`; accept archives without that prefix too.
    const inner = name.startsWith('package/') ? name.slice('package/'.length) : name;
    if (inner === 'package.json') {
      manifestText = data.toString('utf8');
      continue;
    }
    const kind = classifyPackageFile(inner);
    if (kind) files.push({ name: inner, kind, text: data.toString('utf8') });
  }
  if (manifestText === undefined) {
    throw new PackageError('bad-manifest', file, 'archive holds no package/package.json');
  }
  const manifest = parseManifest(manifestText, `${file}!package/package.json`);
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { location: file, manifest, files };
}
