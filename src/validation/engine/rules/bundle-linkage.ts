/**
 * How the entries of a document or message link up (BundleValidator.findReferences and
 * BaseValidator.resolveInBundle). While the walk visits the entries, the references they hold
 * (Reference.reference, and uri/url values other than systems, profiles and endpoints) are noted per
 * entry; once the Bundle has been walked, they are resolved by the rules of the reference validator's
 * document check: absolute references by fullUrl (or fullUrl/_history/version), relative ones against
 * the RESTful base of the entry's fullUrl when that fullUrl ends with the entry's own Type/id.
 */
import { CANONICAL_RESOURCE_TYPES } from '../../canonical-resource-types.js';
import { type BundleEntryInfo, type BundleScope, entryOfScope, type ScopeChain } from '../../bundle-scope.js';
import type { ElementNode } from '../../model.js';
import { clip } from '../../primitives.js';
import { isAbsoluteUrl, restfulUrl } from '../../reference-syntax.js';
import type { RuleContext } from '../context.js';

const LINKED_TYPES = new Set(['document', 'message']);
/** uri/url elements that name no resource of the Bundle (findReferences skips them). */
const NOT_LINKS = new Set(['Bundle.entry.fullUrl', 'Coding.system', 'Identifier.system', 'Meta.profile', 'Extension.url', 'Quantity.system', 'MessageHeader.source.endpoint', 'MessageHeader.destination.endpoint', 'Endpoint.address']);
const NARRATIVE_LINK = 'http://hl7.org/fhir/StructureDefinition/narrativeLink';

function note(ctx: RuleContext, ref: string, path: string, narrativeLink: boolean): void {
  const bundle = ctx.bundle;
  if (!bundle || bundle.kind !== 'bundle' || !LINKED_TYPES.has(bundle.type) || ref.startsWith('#')) return;
  const entry = entryOfScope(bundle, ctx.scope as ScopeChain | undefined);
  if (!entry) return;
  const links = (bundle.links ??= new Map());
  let mine = links.get(entry.index);
  if (!mine) links.set(entry.index, (mine = new Map()));
  if (!mine.has(ref)) mine.set(ref, { path, narrativeLink });
}

/** Datatype rule on Reference: notes the reference for the document/message linkage check. */
export function noteReferenceLink(obj: Record<string, unknown>, path: string, _def: ElementNode, ctx: RuleContext): void {
  if (typeof obj.reference === 'string') note(ctx, obj.reference, path, false);
}

/** Primitive rule: notes uri and url values (not systems, profiles, endpoints) for the linkage check. */
export function noteUriLink(value: string | number | boolean, code: string, path: string, def: ElementNode, ctx: RuleContext): void {
  if ((code !== 'uri' && code !== 'url') || typeof value !== 'string' || !ctx.bundle) return;
  if (def.name === 'system' || NOT_LINKS.has(def.path)) return;
  const host = ctx.hostObject as { url?: unknown } | undefined;
  note(ctx, value, path, ctx.hostType === 'Extension' && host?.url === NARRATIVE_LINK);
}

/** What a linkage lookup reports, and for which source (each source is reported once). */
export interface LinkLookup {
  ctx: RuleContext;
  /** Where issues go. */
  path: string;
  /** The element that holds the reference, named in messages. */
  name: string;
  /** Not finding the target is information only (links between entries) rather than an error (the Composition's own references). */
  isWarning: boolean;
  narrativeLink: boolean;
  /** Where the reference is (each source is reported once, whichever check meets it first). */
  source: string;
  reported: Set<string>;
}

interface Maps {
  byUrl: Map<string, BundleEntryInfo[]>;
  byTypeId: Map<string, BundleEntryInfo[]>;
}
const mapsOf = new WeakMap<BundleScope, Maps>();

function maps(bundle: BundleScope): Maps {
  let m = mapsOf.get(bundle);
  if (m) return m;
  m = { byUrl: new Map(), byTypeId: new Map() };
  const add = (map: Map<string, BundleEntryInfo[]>, key: string, e: BundleEntryInfo) => (map.get(key) ?? map.set(key, []).get(key)!).push(e);
  for (const e of bundle.entries) {
    if (e.fullUrl !== undefined) add(m.byUrl, e.fullUrl, e);
    if (!e.resource) continue;
    const rl = e.id !== undefined ? `${e.type}/${e.id}` : undefined;
    if (rl) add(m.byTypeId, rl, e);
    if (e.versionId !== undefined) {
      add(m.byUrl, `${e.fullUrl}/_history/${e.versionId}`, e);
      if (rl) add(m.byTypeId, `${rl}/_history/${e.versionId}`, e);
    }
  }
  mapsOf.set(bundle, m);
  return m;
}

/** R4 canonical resource types: an absolute RESTful URL to one of them may name a definition, not an entry. */

/** The entry a reference from `source` (the entry it sits in) leads to, reporting what keeps it from one. */
export function linkTarget(bundle: BundleScope, ref: string, source: BundleEntryInfo, look: LinkLookup): BundleEntryInfo | undefined {
  const { byUrl, byTypeId } = maps(bundle);
  const isType = (type: string) => !!look.ctx.registry.resourceType(type);
  const hash = ref.indexOf('#');
  const fragment = hash >= 0 ? ref.slice(hash + 1) : undefined;
  const url = hash >= 0 ? ref.slice(0, hash) : ref;
  const once = (): boolean => !look.reported.has(look.source) && !!look.reported.add(look.source);
  const notFound = () => look.ctx.report('Bundle_BUNDLE_Entry_NotFound', look.isWarning ? 'information' : 'error', 'not-found', look.path, `Can't find '${clip(url)}' in the bundle (${look.name})`);
  const multiple = (n: number) => look.ctx.report('BUNDLE_BUNDLE_ENTRY_FOUND_MULTIPLE', 'error', 'invalid', look.path, `Found ${n} matches for '${clip(url)}' in the bundle (${look.name})`);
  if (isAbsoluteUrl(url)) {
    const el = byUrl.get(url);
    if (!el) {
      const rest = restfulUrl(url, isType);
      const known = !!look.ctx.lookup(url) || !!look.ctx.registry.get(url) || (!!rest && CANONICAL_RESOURCE_TYPES.has(rest.type));
      if (!known && once()) notFound();
      return undefined;
    }
    if (el.length > 1) {
      if (once()) multiple(el.length);
      return undefined;
    }
    if (fragment !== undefined) checkFragment(el[0]!, url, fragment, look);
    return el[0];
  }
  const rest = source.fullUrl !== undefined ? restfulUrl(source.fullUrl, isType) : undefined;
  const own = `${source.type}/${source.id}`;
  const u = rest && source.id !== undefined && source.fullUrl!.endsWith(own) ? source.fullUrl!.slice(0, -own.length) + url : undefined;
  const el = u !== undefined ? byUrl.get(u) : undefined;
  if (el && el.length > 0) {
    if (el.length === 1) return el[0];
    if (once()) multiple(el.length);
    return undefined;
  }
  const [type, id] = url.split('/');
  if (type === undefined || id === undefined || !isType(type)) return undefined;
  const same = byTypeId.get(`${type}/${id}`);
  if (!same) {
    if (once()) notFound();
    return undefined;
  }
  if (!once()) return undefined;
  const found = [...new Set(same.map((e) => e.fullUrl ?? '<missing>'))].sort().join(',');
  if (u === undefined) {
    look.ctx.report('BUNDLE_BUNDLE_ENTRY_NOTFOUND_CANNOT', 'error', 'invalid', look.path, `Can't find '${clip(url)}' in the bundle (${look.name}). Note that there ${same.length === 1 ? 'is a resource' : `are ${same.length} resources`} in the bundle with the same type and id, but they do not match because of the fullUrl based rules around matching relative references. Found '${clip(found)}', but none of them match because of the source fullUrl '${clip(source.fullUrl ?? '')}'`);
  } else {
    look.ctx.report('BUNDLE_BUNDLE_ENTRY_NOTFOUND_APPARENT', 'error', 'invalid', look.path, `Can't find '${clip(url)}' in the bundle (${look.name}). Note that there ${same.length === 1 ? 'is a resource' : `are ${same.length} resources`} in the bundle with the same type and id, but they do not match because of the fullUrl based rules around matching relative references (must be '${clip(u)}', but found these: ${clip(found)})`);
  }
  return undefined;
}

/** A fragment must name exactly one element (or narrative node) of the entry it points into. */
function checkFragment(entry: BundleEntryInfo, url: string, fragment: string, look: LinkLookup): void {
  const n = entry.resource ? countIds(entry.resource, fragment) : 0;
  if (n === 1) return;
  look.reported.add(look.source);
  if (n === 0) {
    look.ctx.report('BUNDLE_BUNDLE_ENTRY_NOTFOUND_FRAGMENT', look.narrativeLink ? 'error' : 'information', 'not-found', look.path, `Can't find '${clip(url)}#${clip(fragment)}' in the bundle (${look.name})`);
  } else {
    look.ctx.report('BUNDLE_BUNDLE_ENTRY_FOUND_MULTIPLE_FRAGMENT', 'error', 'invalid', look.path, `Found ${n} matches for fragment ${clip(fragment)} in resource '${clip(url)}' in the bundle (${look.name})`);
  }
}

/** Elements with this id, and narrative nodes with this id attribute, anywhere in a resource. */
function countIds(resource: unknown, id: string): number {
  let n = 0;
  const stack: unknown[] = [resource];
  const attr = new RegExp(`\\sid\\s*=\\s*["']${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']`, 'g');
  let budget = 100_000;
  while (stack.length && budget-- > 0) {
    const v = stack.pop();
    if (!v || typeof v !== 'object') continue;
    if (!Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if (o.id === id) n++;
      if (typeof o.div === 'string') n += (o.div.match(attr) ?? []).length;
    }
    for (const k in v as object) stack.push((v as Record<string, unknown>)[k]);
  }
  return n;
}
