/**
 * A versioned on-disk cache of what the toolkit derives from the loaded packages and would otherwise work
 * out again in every process: generated snapshots, compiled profiles. A run of `ads-fhir validate` on one
 * bundle spends most of its time on these when it starts cold; with the cache it reads them instead.
 *
 * One file per kind of data and per scope, `derived/<kind>-<hash>.ndjson` in the package cache folder.
 * The hash covers the cache format, the toolkit version, a stamp of the code that derives the data
 * ({@link codeStamp}) and the content hash of every loaded package in load order, so a change to any of
 * them starts a new file. Each line is `key<TAB>json`: entries are appended as they are derived (one write
 * each, so processes sharing the file only ever duplicate an entry) and parsed only when asked for.
 * Anything unreadable (a torn line, a foreign file) is a miss: the value is derived again, never trusted,
 * and the cache never throws. Files are 0600 in a 0700 folder.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from './locations.js';

/** Bump when the file layout changes. */
const FORMAT = 1;
/** A file grown past this (duplicates from many concurrent first runs) is started again. */
const MAX_FILE_BYTES = 256 * 1024 * 1024;
/** Older scopes of the same kind kept beside the current one (other package sets, other versions). */
const KEEP_OTHER_SCOPES = 8;

/** The cache of one kind of derived data for one scope. */
export class DerivedCache {
  private index: Map<string, [start: number, end: number]> | undefined;
  private text = '';
  private broken = false;

  constructor(readonly file: string) {}

  /**
   * The value stored under `key` by an earlier process, parsed afresh on each call (callers keep what they
   * build from it), or undefined: a miss, an entry this process wrote, or an entry that cannot be read.
   */
  get(key: string): unknown {
    const span = this.load().get(key);
    if (!span || span[0] < 0) return undefined;
    try {
      return JSON.parse(this.text.slice(span[0], span[1])) as unknown;
    } catch {
      this.index?.delete(key);
      return undefined;
    }
  }

  /** True when `key` has an entry (readable or not, from an earlier process or this one). */
  has(key: string): boolean {
    return this.load().has(key);
  }

  /** Stores a JSON value for later processes (best effort: a full or read-only disk costs only speed). */
  set(key: string, value: unknown): void {
    if (this.broken || key.includes('\t') || key.includes('\n') || this.load().has(key)) return;
    try {
      const json = JSON.stringify(value);
      if (json === undefined) return;
      if (!this.index?.size) prepareFolder(this.file);
      appendFileSync(this.file, `${key}\t${json}\n`, { mode: 0o600 });
      this.index?.set(key, [-1, -1]); // written: not to be written again by this process
    } catch {
      this.broken = true;
    }
  }

  /** Reads the file once and indexes its lines by key; values are parsed on demand. */
  private load(): Map<string, [number, number]> {
    if (this.index) return this.index;
    this.index = new Map();
    try {
      if (statSync(this.file).size > MAX_FILE_BYTES) {
        rmSync(this.file, { force: true });
        return this.index;
      }
      this.text = readFileSync(this.file, 'utf8');
    } catch {
      return this.index; // no file yet
    }
    const text = this.text;
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      // A last line without its newline was torn by a writer that stopped: it is not an entry.
      if (end < 0) break;
      const tab = text.indexOf('\t', start);
      if (tab > start && tab < end) this.index.set(text.slice(start, tab), [tab + 1, end]);
      start = end + 1;
    }
    return this.index;
  }
}

/** Makes the cache folder (0700) and drops the oldest other scopes of the same kind. */
function prepareFolder(file: string): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const kind = basename(file).replace(/-[0-9a-f]+\.ndjson$/, '');
  const others = readdirSync(dir)
    .filter((f) => f !== basename(file) && f.startsWith(`${kind}-`) && f.endsWith('.ndjson'))
    .map((f) => ({ f, at: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const { f } of others.slice(KEEP_OTHER_SCOPES)) rmSync(join(dir, f), { force: true });
}

/**
 * Opens the cache of `kind` for a scope: the packages' content hashes in load order and the stamp of the
 * code that derives the data. Undefined when the scope cannot be pinned down (a package without a content
 * hash, e.g. when caching is off), so nothing is cached rather than something stale.
 */
export function openDerivedCache(cacheDir: string, kind: string, code: string, packageHashes: readonly (string | undefined)[]): DerivedCache | undefined {
  if (packageHashes.some((h) => h === undefined)) return undefined;
  const hash = createHash('sha256').update(`${FORMAT}\0${toolkitVersion()}\0${kind}\0${code}`);
  for (const h of packageHashes) hash.update(`\0${h}`);
  return new DerivedCache(join(cacheDir, 'derived', `${kind}-${hash.digest('hex').slice(0, 32)}.ndjson`));
}

let version: string | undefined;

function toolkitVersion(): string {
  if (version === undefined) {
    try {
      version = String((JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version?: unknown }).version);
    } catch {
      version = 'unknown';
    }
  }
  return version;
}

/**
 * A stamp of the code at `moduleUrls` (pass `import.meta.url` of the modules that derive the data): the
 * name, size and modification time of each module's file and, when running from TypeScript sources, of
 * every source file those modules import, at any depth and in any folder, and of every source file in
 * their folders and the folders below them (the derivation's helpers live there). A rebuilt or edited
 * toolkit gives a new stamp, so data derived by older code is never read back. A built bundle is
 * stamped by its own file: a build rewrites every file it makes.
 */
export function codeStamp(moduleUrls: readonly string[]): string {
  const parts: string[] = [];
  const seen = new Set<string>();
  const files = moduleUrls.map((url) => (url.startsWith('file:') ? fileURLToPath(url) : url));
  // Files are named from the first module's folder: the stamp does not depend on where the toolkit sits.
  const home = files.length ? dirname(files[0]!) : '';
  const add = (file: string): boolean => {
    if (seen.has(file)) return false;
    seen.add(file);
    const name = relative(home, file);
    try {
      const st = statSync(file);
      parts.push(`${name}:${st.size}:${st.mtimeMs}`);
      return true;
    } catch {
      parts.push(`${name}:missing`);
      return false;
    }
  };
  const sources: string[] = [];
  for (const file of files) if (add(file) && file.endsWith('.ts')) sources.push(file);
  for (const folder of new Set(sources.map((f) => dirname(f)))) addFolder(folder, add, 0);
  // The import graph: a helper the derivation uses may sit in another folder (systems, plugin types, ...).
  const followed = new Set(sources);
  for (let i = 0; i < sources.length; i++) {
    for (const imported of relativeImports(sources[i]!)) {
      add(imported);
      if (!followed.has(imported)) {
        followed.add(imported);
        sources.push(imported);
      }
    }
  }
  return parts.join(';');
}

/** Source files (not tests) of a folder and the folders below it, in name order. */
function addFolder(folder: string, add: (file: string) => boolean, depth: number): void {
  if (depth > 8) return;
  try {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) addFolder(path, add, depth + 1);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) add(path);
    }
  } catch {
    // the modules' own stamps are enough
  }
}

/** `./x.js` and `../y/index.js` specifiers in `import`, `export ... from` and `import()`: the TypeScript files they stand for. */
const RELATIVE_IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function relativeImports(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const m of text.matchAll(RELATIVE_IMPORT)) {
    const target = join(dirname(file), m[1]!);
    if (target.endsWith('.js')) out.push(`${target.slice(0, -3)}.ts`);
    else if (target.endsWith('.ts')) out.push(target);
  }
  return out;
}
