import { clip } from './primitives.js';
import { INV_BDL_7, type Report } from '../plugin-types/index.js';
import { checkReachable, checkSearchSet } from './resource-rules.js';

/** The entries of a Bundle (or the resources of a Parameters) that references inside it resolve to. */
export interface BundleScope {
  /** fullUrl -> resource */
  byFullUrl: Map<string, Record<string, unknown>>;
  /** Type/id -> resource */
  byTypeId: Map<string, Record<string, unknown>>;
  /** Type/id held by more than one entry (different fullUrls): entry index and fullUrl of each. */
  ambiguous?: Map<string, { index: number; fullUrl: string }[]>;
  type: string;
  parent: BundleScope | undefined;
}

/**
 * Indexes a Bundle's entries for reference resolution (by fullUrl, and by Type/id where only one entry
 * holds it), reporting duplicate fullUrls (bdl-7), fullUrls that disagree with the resource id, search-set
 * practice and, for documents and messages, entries not linked to the first one.
 */
export function openBundle(obj: Record<string, unknown>, path: string, parent: BundleScope | undefined, report: Report): BundleScope {
  const scope: BundleScope = { byFullUrl: new Map(), byTypeId: new Map(), type: typeof obj.type === 'string' ? obj.type : '', parent };
  const entries = obj.entry;
  if (scope.type === 'searchset') checkSearchSet(obj, path, report);
  if (!Array.isArray(entries)) return scope;
  if (scope.type === 'document' || scope.type === 'message') checkReachable(entries, path, scope.type, report, obj.link);
  const holders = new Map<string, { index: number; fullUrl: string }[]>();
  entries.forEach((e, i) => {
    if (!e || typeof e !== 'object') return;
    const entry = e as Record<string, unknown>;
    const res = entry.resource as Record<string, unknown> | undefined;
    const fullUrl = entry.fullUrl;
    if (typeof fullUrl === 'string') {
      const prev = scope.byFullUrl.get(fullUrl);
      if (prev && res && versionOf(prev) === versionOf(res)) {
        report(INV_BDL_7, 'error', 'invariant', `${path}.entry[${i}]`, `Constraint failed: bdl-7: 'FullUrl must be unique in a bundle, or else entries with the same fullUrl must have different meta.versionId' (duplicate fullUrl ${clip(fullUrl)})`);
      }
      if (res && typeof res === 'object') scope.byFullUrl.set(fullUrl, res);
      const urlId = /^https?:/.test(fullUrl) ? fullUrl.split('/_history/')[0]!.split('/').pop() : undefined;
      if (res && typeof res.id === 'string' && urlId !== undefined && urlId !== res.id) {
        report('Bundle_BUNDLE_Entry_IdUrlMismatch', 'error', 'invalid', `${path}.entry[${i}]`, `The fullUrl '${clip(fullUrl)}' does not match the resource id '${clip(res.id)}'`);
      }
    }
    if (res && typeof res === 'object' && typeof res.resourceType === 'string' && typeof res.id === 'string') {
      const key = `${res.resourceType}/${res.id}`;
      (holders.get(key) ?? holders.set(key, []).get(key)!).push({ index: i, fullUrl: typeof fullUrl === 'string' ? fullUrl : '' });
      scope.byTypeId.set(key, res);
    }
  });
  for (const [key, list] of holders) {
    if (list.length > 1 && new Set(list.map((h) => h.fullUrl)).size > 1) {
      // Bundle resolution rules go by fullUrl; Type/id alone cannot pick one of these.
      (scope.ambiguous ??= new Map()).set(key, list);
      scope.byTypeId.delete(key);
    }
  }
  return scope;
}

/** Resources carried in Parameters resolve each other's relative references, like a Bundle's entries. */
export function openParameters(obj: Record<string, unknown>, parent: BundleScope | undefined): BundleScope {
  const scope: BundleScope = { byFullUrl: new Map(), byTypeId: new Map(), type: 'parameters', parent };
  const params = obj.parameter;
  if (!Array.isArray(params)) return scope;
  for (const p of params) {
    const res = p && typeof p === 'object' ? ((p as Record<string, unknown>).resource as Record<string, unknown> | undefined) : undefined;
    if (res && typeof res === 'object' && typeof res.resourceType === 'string' && typeof res.id === 'string') scope.byTypeId.set(`${res.resourceType}/${res.id}`, res);
  }
  return scope;
}

/** A reference resolved against the enclosing Bundles, innermost first: by fullUrl, then by unambiguous Type/id. */
export function resolveInBundles(bundle: BundleScope | undefined, ref: string): Record<string, unknown> | undefined {
  for (let b = bundle; b; b = b.parent) {
    const direct = b.byFullUrl.get(ref);
    if (direct) return direct;
    const key = typeIdOf(ref);
    const hit = key === undefined ? undefined : b.byTypeId.get(key);
    if (hit) return hit;
  }
  return undefined;
}

/** The entries of the innermost Bundle that match a relative reference only by Type/id, when there are several. */
export function ambiguousMatches(bundle: BundleScope | undefined, ref: string): { index: number; fullUrl: string }[] | undefined {
  const key = typeIdOf(ref);
  return key === undefined ? undefined : bundle?.ambiguous?.get(key);
}

/** `Type/id` of a relative reference (`Type/id` or `Type/id/_history/version`). */
function typeIdOf(ref: string): string | undefined {
  return /^([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})(?:\/_history\/.*)?$/.exec(ref)?.[1];
}

function versionOf(r: Record<string, unknown>): unknown {
  const meta = r.meta as { versionId?: unknown } | undefined;
  return meta?.versionId;
}
