/**
 * Resolving references inside a Bundle (or a Parameters) the way the R4 specification ("Resolving
 * references in Bundles") and the HL7 Java validator (BaseValidator.getFromBundle,
 * InstanceValidator.localResolve) do: an absolute reference is looked up by fullUrl; a relative one is
 * made absolute against the fullUrl of the entry it sits in (a RESTful base `http://server/fhir/`, or
 * the `urn:uuid:` prefix, where `Type/id` becomes `urn:uuid:id`). Only the innermost Bundle is searched.
 */
import type { Report } from '../plugin-types/index.js';
import { clip, readPrimitiveText } from './primitives.js';
import { isAbsoluteUrl, type IsResourceType, isSearchUrl, isValidId } from './reference-syntax.js';

/** One entry of a Bundle, as resolution needs it. */
export interface BundleEntryInfo {
  index: number;
  fullUrl: string | undefined;
  resource: Record<string, unknown> | undefined;
  type: string | undefined;
  id: string | undefined;
  versionId: string | undefined;
  /** The resource has a meta element (the reference validator reads the versionId from it). */
  hasMeta: boolean;
  /** The base relative references in this entry resolve against (its fullUrl without `Type/id`), made on first use. */
  base?: string;
}

/** The entries of a Bundle (or the resources of a Parameters) that references inside it resolve to. */
export interface BundleScope {
  kind: 'bundle' | 'parameters';
  /** The Bundle or Parameters resource. */
  resource: Record<string, unknown>;
  /** Where it is (`Bundle`, `Bundle.entry[2].resource`, ...). */
  path: string;
  /** Bundle.type ('' when absent), or 'parameters'. */
  type: string;
  entries: BundleEntryInfo[];
  parent: BundleScope | undefined;
  /** Entry resources and the resources they contain, to the entry that holds them (made on first use). */
  entryOf?: Map<object, BundleEntryInfo>;
  /** The entries with a resource by fullUrl, in entry order (made on first use: every reference looks one up). */
  byFullUrl?: Map<string, BundleEntryInfo[]>;
  /** The entries by `Type/id` of their resource, in entry order (made on first use, for references that resolve to none). */
  byTypeAndId?: Map<string, BundleEntryInfo[]>;
  /**
   * References met while the entries were walked, per entry index: reference -> where it was found.
   * Filled for documents and messages only (their entries must link up, see bundle-document.ts).
   */
  links?: Map<number, Map<string, EntryLink>>;
}

/** A reference noted in an entry: where it was found, and whether it is a narrative link. */
export interface EntryLink {
  path: string;
  narrativeLink: boolean;
}

/** A resource scope as resolution sees it: the resource and the one around it. */
export interface ScopeChain {
  resource: Record<string, unknown>;
  parent: ScopeChain | undefined;
}

/**
 * Where resolution reports what it finds wrong, or nothing for a silent lookup: the walk itself, with the reference's
 * path given beside it. (No object is made per reference: one that held the walk's report function was kept by the
 * runtime's young-generation heuristics in the old generation, and with it every payload walked, until a full
 * collection.)
 */
export interface ResolveSink {
  readonly report: Report;
  readonly registry: { readonly isResourceType: IsResourceType };
}

const NO_ENTRIES: readonly BundleEntryInfo[] = [];
const TRANSACTIONS = new Set(['transaction', 'batch']);
const RESPONSES = new Set(['batch-response', 'transaction-response']);

export function openBundle(obj: Record<string, unknown>, path: string, parent: BundleScope | undefined): BundleScope {
  const entries: BundleEntryInfo[] = [];
  if (Array.isArray(obj.entry)) {
    obj.entry.forEach((e, index) => {
      const entry = e && typeof e === 'object' && !Array.isArray(e) ? (e as Record<string, unknown>) : {};
      const r = entry.resource;
      const resource = r && typeof r === 'object' && !Array.isArray(r) ? (r as Record<string, unknown>) : undefined;
      const meta = resource?.meta as { versionId?: unknown } | undefined;
      entries.push({
        index,
        // A number or boolean is read as its text, as the reference's JSON reader keeps it (its wrong kind is reported).
        fullUrl: readPrimitiveText(entry.fullUrl),
        resource,
        type: typeof resource?.resourceType === 'string' ? resource.resourceType : undefined,
        id: readPrimitiveText(resource?.id),
        versionId: readPrimitiveText(meta?.versionId),
        hasMeta: !!meta && typeof meta === 'object',
      });
    });
  }
  return { kind: 'bundle', resource: obj, path, type: typeof obj.type === 'string' ? obj.type : '', entries, parent };
}

/** Resources carried in Parameters resolve each other's `Type/id` references. */
export function openParameters(obj: Record<string, unknown>, path: string, parent: BundleScope | undefined): BundleScope {
  return { kind: 'parameters', resource: obj, path, type: 'parameters', entries: [], parent };
}

/** The entry of `bundle` that holds the resource being walked (directly or as a contained resource). */
export function entryOfScope(bundle: BundleScope, scope: ScopeChain | undefined): BundleEntryInfo | undefined {
  const map = (bundle.entryOf ??= indexEntries(bundle));
  for (let s = scope; s; s = s.parent) {
    if (s.resource === bundle.resource) return undefined;
    const e = map.get(s.resource);
    if (e) return e;
  }
  return undefined;
}

function indexEntries(bundle: BundleScope): Map<object, BundleEntryInfo> {
  const map = new Map<object, BundleEntryInfo>();
  for (const e of bundle.entries) {
    if (!e.resource) continue;
    map.set(e.resource, e);
    const contained = e.resource.contained;
    if (Array.isArray(contained)) for (const c of contained) if (c && typeof c === 'object') map.set(c as object, e);
  }
  return map;
}

/**
 * Resolves a reference that is not a '#' fragment against the enclosing Parameters and the innermost
 * Bundle. With a sink, reports what the reference validator reports on the way: an entry without a
 * fullUrl, a relative reference that cannot be made absolute, several or no matches.
 */
export function resolveInBundles(scope: ScopeChain | undefined, bundle: BundleScope | undefined, ref: string, sink?: ResolveSink, path = ''): Record<string, unknown> | undefined {
  for (let b = bundle; b; b = b.parent) {
    if (b.kind === 'parameters') {
      const hit = findInParameters(b.resource, ref);
      if (hit) return hit;
      continue;
    }
    const entry = entryOfScope(b, scope);
    if (sink && entry && entry.fullUrl === undefined && !RESPONSES.has(b.type)) {
      sink.report('Bundle_BUNDLE_Entry_NoFullUrl', 'error', 'required', `${b.path}.entry[${entry.index}]`, 'Bundle entry missing fullUrl');
    }
    return getFromBundle(b, ref, entry, sink, path);
  }
  return undefined;
}

/** The first parameter resource (at any depth of parts) whose `Type/id` is the reference. */
function findInParameters(params: Record<string, unknown>, ref: string): Record<string, unknown> | undefined {
  const visit = (list: unknown): Record<string, unknown> | undefined => {
    if (!Array.isArray(list)) return undefined;
    for (const p of list) {
      if (!p || typeof p !== 'object') continue;
      const res = (p as { resource?: unknown }).resource as Record<string, unknown> | undefined;
      if (res && typeof res === 'object' && `${String(res.resourceType)}/${String(res.id)}` === ref) return res;
      const inner = visit((p as { part?: unknown }).part);
      if (inner) return inner;
    }
    return undefined;
  };
  return visit(params.parameter);
}

/** The URL a reference points to, made absolute against the entry's fullUrl (getFromBundle). */
interface Target {
  url: string;
  version: string;
  /** The type the reference names, when resolution by base drops it (versioned or `urn:` bases). */
  type: string | undefined;
}

function targetOf(bundle: BundleScope, ref: string, entry: BundleEntryInfo | undefined, sink: ResolveSink | undefined, path: string): Target | undefined {
  if (ref.startsWith('http:') || ref.startsWith('urn:') || isAbsoluteUrl(ref)) {
    const h = ref.indexOf('/_history/');
    return h < 0 ? { url: ref, version: '', type: undefined } : { url: ref.slice(0, h), version: ref.slice(h + 10), type: undefined };
  }
  const fullUrl = entry?.fullUrl;
  if (fullUrl === undefined) {
    // A signature's `who` has no entry; responses to batches and transactions need not have fullUrls.
    if (sink && !RESPONSES.has(bundle.type) && !path.startsWith(`${bundle.path}.signature`)) {
      sink.report('Bundle_BUNDLE_FullUrl_Missing', 'error', 'required', path, 'Relative Reference appears inside Bundle whose entry is missing a fullUrl');
    }
    return undefined;
  }
  const slashes = countSlashes(ref);
  if (slashes !== 1 && slashes !== 3) {
    if (!sink) return undefined;
    if (!TRANSACTIONS.has(bundle.type)) {
      sink.report('Reference_REF_Format2', 'error', 'invalid', path, `Relative URLs must be of the format [ResourceName]/[id]. Encountered ${clip(ref)}`);
    } else if (!isSearchUrl(ref, sink.registry.isResourceType)) {
      sink.report('Reference_REF_Format1', 'error', 'invalid', path, `Relative URLs must be of the format [ResourceName]/[id], or a search URL is allowed ([type]?parameters. Encountered ${clip(ref)})`);
    }
    return undefined;
  }
  const base = (entry!.base ??= baseOf(fullUrl));
  const h = ref.indexOf('/_history/');
  if (h >= 0) {
    const [type, id] = ref.slice(0, h).split('/');
    return { url: `${base}${type}/${id}`, version: ref.slice(h + 10), type };
  }
  if (base.startsWith('urn')) {
    const [type, id] = ref.split('/');
    return { url: `${base}${id}`, version: '', type };
  }
  return { url: base + ref, version: '', type: undefined };
}

/** How many `/` the reference holds, without splitting it. */
function countSlashes(ref: string): number {
  let n = 0;
  for (let i = ref.indexOf('/'); i >= 0; i = ref.indexOf('/', i + 1)) n++;
  return n;
}

/** A fullUrl without its last part (`urn:uuid:`) or its last two (`http://server/fhir/`). */
function baseOf(fullUrl: string): string {
  const urn = fullUrl.startsWith('urn');
  const parts = fullUrl.split(urn ? ':' : '/');
  return parts.slice(0, Math.max(0, parts.length - (urn ? 1 : 2))).map((p) => p + (urn ? ':' : '/')).join('');
}

function entriesByFullUrl(bundle: BundleScope): Map<string, BundleEntryInfo[]> {
  const map = new Map<string, BundleEntryInfo[]>();
  for (const e of bundle.entries) {
    if (e.fullUrl === undefined || !e.resource) continue;
    const list = map.get(e.fullUrl);
    if (list) list.push(e);
    else map.set(e.fullUrl, [e]);
  }
  return map;
}

function entriesByTypeAndId(bundle: BundleScope): Map<string, BundleEntryInfo[]> {
  const map = new Map<string, BundleEntryInfo[]>();
  for (const e of bundle.entries) {
    if (e.type === undefined || e.id === undefined) continue;
    const key = `${e.type}/${e.id}`;
    const list = map.get(key);
    if (list) list.push(e);
    else map.set(key, [e]);
  }
  return map;
}

function getFromBundle(bundle: BundleScope, ref: string, entry: BundleEntryInfo | undefined, sink: ResolveSink | undefined, path: string): Record<string, unknown> | undefined {
  const target = targetOf(bundle, ref, entry, sink, path);
  if (!target) return undefined;
  let match: BundleEntryInfo | undefined;
  for (const e of (bundle.byFullUrl ??= entriesByFullUrl(bundle)).get(target.url) ?? NO_ENTRIES) {
    if (target.version !== '') {
      if (!e.hasMeta) {
        sink?.report('Bundle_BUNDLE_FullUrl_NeedVersion', 'warning', 'required', path, `Entries matching fullURL ${clip(target.url)} should declare meta/versionId because there are version-specific references`);
        continue;
      }
      if (e.versionId !== target.version) continue;
    }
    if (match) sink?.report('Bundle_BUNDLE_MultipleMatches', 'error', 'forbidden', path, `Multiple matches in bundle for reference ${clip(ref)}`);
    match = e;
  }
  if (!sink) return match?.resource;
  if (match) {
    if (target.type !== undefined && match.type !== target.type) {
      sink.report('Reference_REF_ResourceType', 'error', 'required', path, `Matching reference for reference ${clip(ref)} has resourceType ${String(match.type)}`);
    }
    return match.resource;
  }
  if (ref.startsWith('urn')) sink.report('Bundle_BUNDLE_Not_Local', 'warning', 'required', path, `URN reference is not locally contained within the bundle ${clip(ref)}`);
  if (!isAbsoluteUrl(ref)) reportPossibleMatches(bundle, ref, target.url, sink, path);
  return undefined;
}

/** Entries that a relative reference names by type and id, although the resolution rules do not reach them. */
function reportPossibleMatches(bundle: BundleScope, ref: string, targetUrl: string, sink: ResolveSink, path: string): void {
  // Its first two parts, `Type/id` (the whole reference when it has one slash, the common case).
  const slash = ref.indexOf('/');
  if (slash < 0) return;
  const next = ref.indexOf('/', slash + 1);
  const typeAndId = next < 0 ? ref : ref.slice(0, next);
  const type = ref.slice(0, slash);
  const id = typeAndId.slice(slash + 1);
  if (!sink.registry.isResourceType(type) || !isValidId(id)) return;
  const same = (bundle.byTypeAndId ??= entriesByTypeAndId(bundle)).get(typeAndId) ?? NO_ENTRIES;
  if (same.length > 1) {
    sink.report('BUNDLE_POSSSIBLE_MATCHES', 'warning', 'required', path, `The bundle contains no match for ${clip(targetUrl)} by the rules of Bundle reference resolution, but it has multiple resources that match ${clip(ref)} by resource type and id`);
  }
  for (const e of same) {
    if (e.fullUrl === undefined) {
      sink.report('BUNDLE_BUNDLE_POSSIBLE_MATCH_NO_FU', 'warning', 'required', path, `Entry ${e.index} matches the reference ${clip(ref)} by type and id but it does not match the full target URL ${clip(targetUrl)} by Bundle resolution rules`);
    } else {
      sink.report('BUNDLE_BUNDLE_POSSIBLE_MATCH_WRONG_FU', 'warning', 'required', path, `Entry ${e.index} matches the reference ${clip(ref)} by type and id but its fullUrl ${clip(e.fullUrl)} does not match the full target URL ${clip(targetUrl)} by Bundle resolution rules`);
    }
  }
}
