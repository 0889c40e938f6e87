/**
 * Documents and messages (BundleValidator.validateDocument / validateMessage / checkAllInterlinked):
 * the first entry is the Composition (MessageHeader); the Composition's subject, authors, encounter,
 * custodian, attesters, event details and section authors, focus and entries (the MessageHeader's
 * focus) must be entries of the Bundle; and every entry must be reachable from the first one by
 * following references forwards, or (with a warning, except for Provenance) backwards.
 */
import type { BundleEntryInfo, BundleScope } from '../../bundle-scope.js';
import { clip } from '../../primitives.js';
import type { RuleContext } from '../context.js';
import { linkTarget, type LinkLookup } from './bundle-linkage.js';

export function checkDocumentOrMessage(bundle: Record<string, unknown>, path: string, ctx: RuleContext): void {
  const scope = ctx.bundle;
  if (!scope || scope.resource !== bundle || (scope.type !== 'document' && scope.type !== 'message')) return;
  const isMessage = scope.type === 'message';
  const first = scope.entries[0];
  if (!first) {
    ctx.report('Bundle_BUNDLE_Entry_NoFirst', 'error', 'invalid', path, 'Documents or Messages must contain at least one entry');
    return;
  }
  const reported = new Set<string>();
  if (!first.resource) ctx.report('Bundle_BUNDLE_Entry_NoFirstResource', 'error', 'invalid', `${path}.entry[0]`, 'No resource on first entry');
  else if (!isMessage) checkComposition(scope, first, `${path}.entry[0].resource`, ctx, reported);
  else checkMessageHeader(scope, first, `${path}.entry[0].resource`, ctx, reported);
  if (first.resource || !isMessage) checkInterlinked(scope, path, isMessage, ctx, reported);
}

function checkComposition(scope: BundleScope, first: BundleEntryInfo, path: string, ctx: RuleContext, reported: Set<string>): void {
  const composition = first.resource!;
  if (composition.resourceType !== 'Composition') {
    ctx.report('Bundle_BUNDLE_Entry_Document', 'error', 'invalid', path, 'The first entry in a document must be a composition');
    return;
  }
  const refs = (holder: unknown, holderPath: string, prop: string, name: string, repeats: boolean) => {
    const v = holder && typeof holder === 'object' ? (holder as Record<string, unknown>)[prop] : undefined;
    const list = Array.isArray(v) ? (repeats ? v : v.slice(0, 1)) : v === undefined ? [] : [v];
    list.forEach((r, i) => entryRef(scope, first, r, Array.isArray(v) ? `${holderPath}.${prop}[${i}]` : `${holderPath}.${prop}`, name, ctx, reported));
  };
  refs(composition, path, 'subject', 'Composition.subject', false);
  refs(composition, path, 'author', 'Composition.author', true);
  refs(composition, path, 'encounter', 'Composition.encounter', false);
  refs(composition, path, 'custodian', 'Composition.custodian', false);
  eachOf(composition.attester, `${path}.attester`, (a, at) => refs(a, at, 'party', 'Composition.attester.party', false));
  eachOf(composition.event, `${path}.event`, (e, at) => refs(e, at, 'detail', 'Composition.event.detail', true));
  const sections = (holder: Record<string, unknown>, at: string): void =>
    eachOf(holder.section, `${at}.section`, (s, sat) => {
      refs(s, sat, 'author', 'Section.author', true);
      refs(s, sat, 'focus', 'Section.focus', false);
      refs(s, sat, 'entry', 'Section Entry', true);
      sections(s, sat);
    });
  sections(composition, path);
}

function checkMessageHeader(scope: BundleScope, first: BundleEntryInfo, path: string, ctx: RuleContext, reported: Set<string>): void {
  const header = first.resource!;
  if (header.resourceType !== 'MessageHeader') {
    ctx.report('Validation_BUNDLE_Message', 'error', 'invalid', path, 'The first entry in a message must be a MessageHeader');
    return;
  }
  eachOf(header.focus, `${path}.focus`, (f, at) => entryRef(scope, first, f, at, 'MessageHeader Data', ctx, reported));
}

function eachOf(v: unknown, path: string, visit: (item: Record<string, unknown>, at: string) => void): void {
  if (Array.isArray(v)) v.forEach((x, i) => x && typeof x === 'object' && visit(x as Record<string, unknown>, `${path}[${i}]`));
  else if (v && typeof v === 'object') visit(v as Record<string, unknown>, path);
}

/** A reference the first resource makes must name an entry of the Bundle. */
function entryRef(scope: BundleScope, first: BundleEntryInfo, r: unknown, path: string, name: string, ctx: RuleContext, reported: Set<string>): void {
  const ref = r && typeof r === 'object' ? (r as { reference?: unknown }).reference : undefined;
  if (typeof ref !== 'string' || ref === '' || ref.startsWith('#')) return;
  linkTarget(scope, ref, first, { ctx, path, name, isWarning: false, narrativeLink: false, source: path, reported });
}

/** Every entry must be reachable from the first, forwards (or backwards, with a warning) along references. */
function checkInterlinked(scope: BundleScope, path: string, isMessage: boolean, ctx: RuleContext, reported: Set<string>): void {
  const withResource = scope.entries.filter((e) => e.resource);
  const targets = new Map<BundleEntryInfo, Set<BundleEntryInfo>>();
  for (const e of withResource) {
    const out = new Set<BundleEntryInfo>();
    for (const [ref, link] of scope.links?.get(e.index) ?? []) {
      const look: LinkLookup = { ctx, path, name: link.path, isWarning: true, narrativeLink: link.narrativeLink, source: link.path, reported };
      const t = linkTarget(scope, ref, e, look);
      if (t && t !== e && t.resource) out.add(t);
    }
    targets.set(e, out);
  }
  const visited = new Set<BundleEntryInfo>();
  const visit = (e: BundleEntryInfo): void => {
    if (visited.has(e)) return;
    visited.add(e);
    for (const t of targets.get(e) ?? []) visit(t);
  };
  if (withResource[0]) visit(withResource[0]);
  for (const e of stylesheetEntries(scope, withResource)) visited.add(e);
  const where = (e: BundleEntryInfo) => (e.fullUrl !== undefined ? `'${clip(e.fullUrl)}'` : '');
  for (let found = true; found; ) {
    found = false;
    for (const e of withResource) {
      if (visited.has(e) || ![...(targets.get(e) ?? [])].some((t) => visited.has(t))) continue;
      // Reached only backwards: only Provenance is expected to point at the content rather than be pointed at.
      if (e.type !== 'Provenance') {
        if (isMessage) ctx.report('BUNDLE_BUNDLE_ENTRY_REVERSE_MSG', 'information', 'informational', `${path}.entry[${e.index}]`, `Entry ${where(e)} isn't reachable by traversing forwards from the MessageHeader. Check that this is meant to be included (needed to process the message)`);
        else ctx.report('BUNDLE_BUNDLE_ENTRY_REVERSE_R4', 'warning', 'invalid', `${path}.entry[${e.index}]`, `Entry ${where(e)} isn't reachable by traversing forwards from the Composition. Only Provenance is approved to be used this way (R4 section 3.3.1)`);
      }
      found = true;
      visit(e);
    }
  }
  for (const e of withResource) {
    if (visited.has(e)) continue;
    if (isMessage) ctx.report('Bundle_BUNDLE_Entry_Orphan_MESSAGE', 'warning', 'informational', `${path}.entry[${e.index}]`, `Entry ${where(e)} isn't reachable by traversing links (forward or backward) from the MessageHeader, so its presence should be reviewed (is it needed to process the message?)`);
    else ctx.report('Bundle_BUNDLE_Entry_Orphan_DOCUMENT', 'error', 'informational', `${path}.entry[${e.index}]`, `Entry ${where(e)} isn't reachable by traversing links (forward or backward) from the Composition`);
  }
}

/** Entries a `stylesheet` link of the Bundle names by Type/id are part of it. */
function stylesheetEntries(scope: BundleScope, entries: BundleEntryInfo[]): BundleEntryInfo[] {
  const links = scope.resource.link;
  if (!Array.isArray(links)) return [];
  const out: BundleEntryInfo[] = [];
  for (const l of links) {
    const link = l as { relation?: unknown; url?: unknown } | null;
    if (!link || link.relation !== 'stylesheet' || typeof link.url !== 'string') continue;
    const e = entries.find((x) => `${x.type}/${x.id}` === link.url);
    if (e) out.push(e);
  }
  return out;
}
