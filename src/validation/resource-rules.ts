/**
 * Resource-level rules that need no element definitions: Bundle document/message linkage and search
 * set practice, and the reference scans behind them. Each reports through
 * a callback so the engine keeps one issue list.
 */
import { checkCodeSystemMeta } from './code-system-meta.js';
import { checkCodeSystemProperties } from './code-system-rules.js';
import { clip } from './primitives.js';

import type { Report } from '../plugin-types/index.js';

/**
 * Every entry of a document (message) should be linked, forwards or backwards, to the Composition
 * (MessageHeader) in the first entry: unreachable entries are errors in documents, warnings in messages.
 */
export function checkReachable(entries: unknown[], path: string, type: string, report: Report, links: unknown = undefined): void {
  const resources = entries.map((e) => (e && typeof e === 'object' ? ((e as { resource?: unknown }).resource as Record<string, unknown> | undefined) : undefined));
  const first = resources[0];
  const rootType = type === 'document' ? 'Composition' : 'MessageHeader';
  if (!first || first.resourceType !== rootType) return;
  const fullUrls = entries.map((e) => (e && typeof e === 'object' ? (e as { fullUrl?: unknown }).fullUrl : undefined));
  const index = new Map<string, number>();
  const typeIds = new Map<string, number[]>();
  resources.forEach((r, i) => {
    const f = fullUrls[i];
    if (typeof f === 'string') index.set(f, i);
    if (r && typeof r.resourceType === 'string' && typeof r.id === 'string') {
      const key = `${r.resourceType}/${r.id}`;
      (typeIds.get(key) ?? typeIds.set(key, []).get(key)!).push(i);
    }
  });
  // Type/id links an entry only when one entry holds it: several leave the reference unresolved.
  for (const [key, at] of typeIds) if (at.length === 1 && !index.has(key)) index.set(key, at[0]!);
  const edges: number[][] = resources.map(() => []);
  resources.forEach((r, i) => {
    if (!r) return;
    const f = fullUrls[i];
    const base = typeof f === 'string' ? /^(.*\/)[A-Z][A-Za-z]+\/[^/]+$/.exec(f)?.[1] : undefined;
    for (const ref of collectReferences(r)) {
      const plain = ref.split('/_history/')[0]!;
      const j = index.get(plain) ?? (base ? index.get(base + plain) : undefined) ?? index.get(plain.replace(/^.*\/([A-Z][A-Za-z]+\/[^/]+)$/, '$1'));
      if (j !== undefined && j !== i) {
        edges[i]!.push(j);
        edges[j]!.push(i);
      }
    }
  });
  const seen = new Set<number>([0]);
  const queue = [0];
  if (type === 'document') for (const j of stylesheetEntries(links, index, `${path}`, report)) if (!seen.has(j)) (seen.add(j), queue.push(j));
  while (queue.length) for (const j of edges[queue.pop()!]!) if (!seen.has(j)) (seen.add(j), queue.push(j));
  resources.forEach((r, i) => {
    if (!r || seen.has(i)) return;
    const name = typeof fullUrls[i] === 'string' ? (fullUrls[i] as string) : '';
    report(type === 'document' ? 'Bundle_BUNDLE_Entry_Orphan_DOCUMENT' : 'Bundle_BUNDLE_Entry_Orphan_MESSAGE', type === 'document' ? 'error' : 'warning', 'informational', `${path}.entry[${i}]`, `Entry '${clip(name)}' isn't reachable by traversing links (forward or backward) from the ${rootType}`);
  });
}

const HL7_STYLESHEET = 'https://hl7.org/fhir/fhir.css';

/**
 * A document's `stylesheet` links: a relative one must resolve to an entry (which is then part of the
 * document), an absolute one should be the HL7 stylesheet and served over https. Returns the entries used.
 */
function stylesheetEntries(links: unknown, index: Map<string, number>, path: string, report: Report): number[] {
  const used: number[] = [];
  if (!Array.isArray(links)) return used;
  links.forEach((link, k) => {
    const l = link as { relation?: unknown; url?: unknown } | null;
    if (!l || l.relation !== 'stylesheet' || typeof l.url !== 'string') return;
    const at = `${path}.link[${k}].url`;
    if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(l.url)) {
      const j = index.get(l.url);
      if (j !== undefined) used.push(j);
      else if (l.url !== HL7_STYLESHEET) report('BUNDLE_LINK_STYELSHEET_EXTERNAL', 'warning', 'business-rule', at, `External Stylesheets other than ${HL7_STYLESHEET} SHOULD not be used`);
      if (j === undefined && l.url.startsWith('http:')) report('BUNDLE_LINK_STYELSHEET_INSECURE', 'warning', 'security', at, 'The stylesheet reference is not secure');
      return;
    }
    const j = index.get(l.url.split('/_history/')[0]!);
    if (j === undefined) report('BUNDLE_LINK_STYELSHEET_NOT_FOUND', 'error', 'not-found', at, 'The stylesheet reference could not be resolved in this bundle');
    else used.push(j);
  });
  return used;
}

/** Best-practice warnings on search results, as the reference validator gives them. */
export function checkSearchSet(obj: Record<string, unknown>, path: string, report: Report): void {
  const links = Array.isArray(obj.link) ? (obj.link as Record<string, unknown>[]) : [];
  const self = links.find((l) => l && l.relation === 'self' && typeof l.url === 'string');
  if (!self) report('BUNDLE_SEARCH_NOSELF', 'warning', 'invalid', path, 'SearchSet Bundles should have a self link that specifies what the search was');
  const searched = self ? /(?:^|\/)([A-Z][A-Za-z]+)(?:\?|\/_search|$)/.exec(String(self.url).split('?')[0] + '?')?.[1] : undefined;
  const entries = Array.isArray(obj.entry) ? obj.entry : [];
  let missingMode = false;
  let anyWithoutMode = false;
  entries.forEach((e, i) => {
    if (!e || typeof e !== 'object') return;
    const entry = e as Record<string, unknown>;
    const mode = (entry.search as { mode?: unknown } | undefined)?.mode;
    if (mode === 'match') checkSearchMatch(entry.resource, searched, `${path}.entry[${i}].resource`, report);
    if (mode !== undefined) return;
    anyWithoutMode = true;
    const rt = (entry.resource as { resourceType?: unknown } | undefined)?.resourceType;
    if (searched && typeof rt === 'string' && rt !== searched) {
      missingMode = true;
      report('BUNDLE_SEARCH_ENTRY_WRONG_RESOURCE_TYPE_NO_MODE', 'warning', 'invalid', `${path}.entry[${i}]`, `This is not a matching resource type for the specified search (is a search mode needed?) (${rt} expecting [${searched}])`);
    }
  });
  // Without a self link nothing tells the entries apart, so every entry needs its mode.
  if ((missingMode || (!self && anyWithoutMode)) && entries.length > 0) report('BUNDLE_SEARCH_NO_MODE', 'warning', 'invalid', path, 'SearchSet bundles should have search modes on the entries');
}

/** A search match comes from the server, so it has an id, and it is of the type searched for. */
function checkSearchMatch(resource: unknown, searched: string | undefined, path: string, report: Report): void {
  if (!resource || typeof resource !== 'object') return;
  const r = resource as { resourceType?: unknown; id?: unknown };
  if (r.id === undefined) report('BUNDLE_SEARCH_ENTRY_NO_RESOURCE_ID', 'error', 'invalid', path, 'Search results must have ids');
  if (searched && typeof r.resourceType === 'string' && r.resourceType !== searched) {
    report('BUNDLE_SEARCH_ENTRY_WRONG_RESOURCE_TYPE_MODE', 'error', 'invalid', path, `This is not a matching resource type for the specified search (${r.resourceType} expecting [${searched}])`);
  }
}

/** All Reference.reference strings inside a resource (bounded walk). */
export function collectReferences(r: unknown): string[] {
  const out: string[] = [];
  const stack: unknown[] = [r];
  let budget = 100_000;
  while (stack.length && budget-- > 0) {
    const v = stack.pop();
    if (!v || typeof v !== 'object') continue;
    if (!Array.isArray(v)) {
      const ref = (v as { reference?: unknown }).reference;
      if (typeof ref === 'string' && !ref.startsWith('#')) out.push(ref);
      const div = (v as { div?: unknown }).div;
      // Narrative links (stylesheets, images) also tie entries to the document.
      if (typeof div === 'string') for (const m of div.matchAll(/(?:href|src)\s*=\s*["']([^"'#][^"']*)["']/g)) out.push(m[1]!);
    }
    for (const k in v as object) stack.push((v as Record<string, unknown>)[k]);
  }
  return out;
}

export function refersToContainer(r: unknown): boolean {
  const stack: unknown[] = [r];
  let budget = 10000;
  while (stack.length && budget-- > 0) {
    const v = stack.pop();
    if (!v || typeof v !== 'object') continue;
    if (!Array.isArray(v) && (v as { reference?: unknown }).reference === '#') return true;
    for (const k in v as object) stack.push((v as Record<string, unknown>)[k]);
  }
  return false;
}


/**
 * CodeSystem authoring rules that need no terminology: the resource as a whole (code-system-meta.ts) and
 * its properties and designations (code-system-rules.ts). `containedIn` is the type of the resource
 * holding it when the code system is contained.
 */
export function checkCodeSystem(cs: Record<string, unknown>, path: string, lookup: Lookup, report: Report, containedIn?: string): void {
  checkCodeSystemMeta(cs, path, lookup, report, containedIn);
  checkCodeSystemProperties(cs, path, lookup, report);
}

/** Looks up a canonical resource (SearchParameter, CodeSystem...) by URL. */
export type Lookup = (url: string) => Record<string, unknown> | undefined;

/** A SearchParameter derived from another keeps its type. */
export function checkSearchParameter(sp: Record<string, unknown>, path: string, lookup: Lookup, report: Report): void {
  if (typeof sp.derivedFrom !== 'string' || typeof sp.type !== 'string') return;
  const base = lookup(sp.derivedFrom);
  if (base && base.resourceType === 'SearchParameter' && typeof base.type === 'string' && base.type !== sp.type) {
    report('SEARCHPARAMETER_TYPE_WRONG', 'error', 'invalid', path, `The type ${sp.type} is different to the type ${base.type} of ${clip(sp.derivedFrom)} in the derivedFrom SearchParameter`);
  }
}

/** CapabilityStatement search parameters must have the type of the SearchParameter they cite. */
export function checkCapabilityStatement(cs: Record<string, unknown>, path: string, lookup: Lookup, report: Report): void {
  const rests = Array.isArray(cs.rest) ? cs.rest : [];
  rests.forEach((rest, r) => {
    const resources = rest && typeof rest === 'object' && Array.isArray((rest as { resource?: unknown }).resource) ? ((rest as { resource: unknown[] }).resource) : [];
    resources.forEach((res, i) => {
      const params = res && typeof res === 'object' && Array.isArray((res as { searchParam?: unknown }).searchParam) ? (res as { searchParam: unknown[] }).searchParam : [];
      params.forEach((p, j) => {
        const { definition, type } = (p ?? {}) as { definition?: unknown; type?: unknown };
        if (typeof definition !== 'string' || typeof type !== 'string') return;
        const sp = lookup(definition);
        if (sp && sp.resourceType === 'SearchParameter' && typeof sp.type === 'string' && sp.type !== type) {
          report('CapabalityStatement_CS_SP_WrongType', 'error', 'invalid', `${path}.rest[${r}].resource[${i}].searchParam[${j}]`, `Type mismatch - SearchParameter '${clip(definition)}' type is ${sp.type}, but type here is ${type}`);
        }
      });
    });
  });
}
