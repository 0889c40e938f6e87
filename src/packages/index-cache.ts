import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { blobReader, LoadedPackage, type ResourceEntry } from './loaded-package.js';
import type { CanonicalResource, PackageManifest } from './types.js';

/** Bump when the cached layout changes, so old caches are ignored rather than misread. */
const CACHE_FORMAT = 5;

interface CachedIndex {
  format: number;
  manifest: PackageManifest;
  location: string;
  entries: ResourceEntry[];
  spans: [number, number][];
  /** SHA-256 of the manifest and the blob: what derived caches are keyed on. */
  contentHash: string;
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._#-]/g, '_');
}

function filesFor(dir: string, key: string): { index: string; blob: string } {
  const base = join(dir, safeName(key));
  return { index: `${base}.index.json`, blob: `${base}.blob` };
}

/**
 * Opens a cached package compiled by an earlier process: only the small index is read now;
 * each resource is read from the blob when first asked for. Undefined on a miss or an unreadable cache.
 */
export function readCachedPackage(dir: string, key: string): LoadedPackage | undefined {
  const { index, blob } = filesFor(dir, key);
  if (!existsSync(index) || !existsSync(blob)) return undefined;
  try {
    const cached = JSON.parse(readFileSync(index, 'utf8')) as CachedIndex;
    if (cached.format !== CACHE_FORMAT || cached.entries.length !== cached.spans.length || typeof cached.contentHash !== 'string') return undefined;
    const pkg = new LoadedPackage(cached.manifest, cached.location, cached.entries, blobReader(blob, cached.spans));
    pkg.contentHash = cached.contentHash;
    return pkg;
  } catch {
    return undefined; // a damaged cache is only a miss: the package is read again from source
  }
}

/**
 * Writes a package's index and resources for the next process. Best effort: a read-only or full
 * disk only costs speed, so failures are swallowed.
 */
export function writeCachedPackage(dir: string, key: string, pkg: LoadedPackage, resources: CanonicalResource[]): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { index, blob } = filesFor(dir, key);
    const spans: [number, number][] = [];
    const parts: Buffer[] = [];
    let offset = 0;
    for (const r of resources) {
      const buf = Buffer.from(JSON.stringify(r), 'utf8');
      spans.push([offset, buf.length]);
      parts.push(buf, NEWLINE);
      offset += buf.length + 1;
    }
    const tmp = `.${process.pid}.tmp`;
    const body = Buffer.concat(parts);
    const contentHash = createHash('sha256').update(JSON.stringify(pkg.manifest)).update(body).digest('hex');
    // 0600 as every cache file: a user's own packages may hold what their organisation has not published.
    writeFileSync(blob + tmp, body, { mode: 0o600 });
    renameSync(blob + tmp, blob);
    const cached: CachedIndex = { format: CACHE_FORMAT, manifest: pkg.manifest, location: pkg.location, entries: pkg.entries, spans, contentHash };
    writeFileSync(index + tmp, JSON.stringify(cached), { mode: 0o600 });
    renameSync(index + tmp, index);
    pkg.contentHash = contentHash;
    removeStale(dir, key);
  } catch {
    // caching is an optimisation only
  }
}

const NEWLINE = Buffer.from('\n');

/** Drops cached builds of the same package from the same place whose content has since changed. */
function removeStale(dir: string, key: string): void {
  const dash = key.lastIndexOf('-');
  if (dash < 0) return;
  const label = safeName(key.slice(0, dash + 1));
  const current = safeName(key);
  for (const f of readdirSync(dir)) {
    if (f.startsWith(label) && !f.startsWith(`${current}.`) && /^[0-9a-f]{32}\./.test(f.slice(label.length))) rmSync(join(dir, f), { force: true });
  }
}
