/**
 * Search sets (BundleValidator.checkSearchSet): a self link says what was searched; entries have
 * resources; with search modes, matches have ids and the type searched for, includes have ids and
 * outcomes are OperationOutcomes; without any, every resource should be of the type searched for.
 */
import { clip } from '../../primitives.js';
import type { RuleContext } from '../context.js';

export function checkSearchSet(bundle: Record<string, unknown>, path: string, ctx: RuleContext): void {
  // The reference checks a search set only when it has entries (BundleValidator.validateBundle): an empty result
  // needs no self link.
  if (bundle.type !== 'searchset' || !Array.isArray(bundle.entry) || bundle.entry.length === 0) return;
  const links = Array.isArray(bundle.link) ? bundle.link : [];
  const self = links.find((l) => l && typeof l === 'object' && (l as { relation?: unknown }).relation === 'self') as { url?: unknown } | undefined;
  let types: string[] = [];
  if (!self) ctx.report('BUNDLE_SEARCH_NOSELF', 'warning', 'invalid', path, 'SearchSet Bundles should have a self link that specifies what the search was');
  else {
    types = searchedTypes(typeof self.url === 'string' ? self.url : undefined, ctx);
    if (types.length === 0) ctx.report('BUNDLE_SEARCH_SELF_NOT_UNDERSTOOD', 'information', 'invalid', path, "No types could be determined from the search string, so the types can't be checked");
  }
  const entries = (Array.isArray(bundle.entry) ? bundle.entry : []).map((e) => (e && typeof e === 'object' ? (e as Record<string, unknown>) : {}));
  const modes = entries.map((e) => {
    const mode = (e.search as { mode?: unknown } | undefined)?.mode;
    return typeof mode === 'string' ? mode : undefined;
  });
  if (modes.length > 0 && modes.every((m) => m === undefined)) checkWithoutModes(entries, types, !!self, path, ctx);
  else checkWithModes(entries, modes, types, path, ctx);
}

/** The resource types the self link searched: its last path segment, else its `_type` parameters. */
function searchedTypes(url: string | undefined, ctx: RuleContext): string[] {
  if (url === undefined) return [];
  const q = url.indexOf('?');
  const head = (q >= 0 ? url.slice(0, q) : url).split('/');
  const last = head[head.length - 1]!;
  if (ctx.registry.resourceType(last)) return [last];
  if (q < 0) return [];
  return url.slice(q + 1).split('&').filter((p) => p.startsWith('_type=')).flatMap((p) => p.slice(6).split(','));
}

function resourceOf(entry: Record<string, unknown>): Record<string, unknown> | undefined {
  const r = entry.resource;
  return r && typeof r === 'object' && !Array.isArray(r) ? (r as Record<string, unknown>) : undefined;
}

function noResource(at: string, ctx: RuleContext): void {
  ctx.report('BUNDLE_SEARCH_ENTRY_NO_RESOURCE', 'error', 'invalid', at, 'SearchSet Bundle Entries must have resources');
}

/** No entry says its mode: every resource should be of one searched type, else modes are needed. */
function checkWithoutModes(entries: Record<string, unknown>[], types: string[], hasSelf: boolean, path: string, ctx: RuleContext): void {
  let typeProblem = false;
  let seen: string | undefined;
  entries.forEach((entry, i) => {
    const at = `${path}.entry[${i}]`;
    const res = resourceOf(entry);
    if (!res) return noResource(at, ctx);
    const rt = String(res.resourceType);
    const noId = res.id === undefined;
    if (types.length === 0) {
      typeProblem = true;
      if (hasSelf) ctx.report('BUNDLE_SEARCH_ENTRY_TYPE_NOT_SURE', 'information', 'invalid', `${at}.resource`, 'Unable to determine if this resource is a valid resource type for this search');
      if (noId && rt !== 'OperationOutcome') ctx.report('BUNDLE_SEARCH_ENTRY_NO_RESOURCE_ID', 'warning', 'invalid', `${at}.resource`, 'Search results must have ids');
    } else if (types.includes(rt)) {
      if (rt === 'OperationOutcome') return;
      if (noId) ctx.report('BUNDLE_SEARCH_ENTRY_NO_RESOURCE_ID', 'warning', 'invalid', `${at}.resource`, 'Search results must have ids');
      if (seen !== undefined && rt !== seen) typeProblem = true;
      seen ??= rt;
    } else {
      typeProblem = true;
      ctx.report('BUNDLE_SEARCH_ENTRY_WRONG_RESOURCE_TYPE_NO_MODE', 'warning', 'invalid', at, `This is not a matching resource type for the specified search (is a search mode needed?) (${clip(rt)} expecting [${types.join(', ')}])`);
    }
  });
  if (typeProblem) ctx.report('BUNDLE_SEARCH_NO_MODE', 'warning', 'invalid', path, 'SearchSet bundles should have search modes on the entries');
}

/** Entries say their mode (some or all): each should; matches, includes and outcomes are checked by mode. */
function checkWithModes(entries: Record<string, unknown>[], modes: (string | undefined)[], types: string[], path: string, ctx: RuleContext): void {
  entries.forEach((entry, i) => {
    const at = `${path}.entry[${i}]`;
    const mode = modes[i];
    if (mode === undefined) ctx.report('BUNDLE_SEARCH_NO_MODE', 'warning', 'invalid', at, 'SearchSet bundles should have search modes on the entries');
    const res = resourceOf(entry);
    if (!res) return noResource(at, ctx);
    if (mode === undefined) return;
    const rt = String(res.resourceType);
    const rat = `${at}.resource`;
    if (mode === 'match' || mode === 'include') {
      if (res.id === undefined) ctx.report('BUNDLE_SEARCH_ENTRY_NO_RESOURCE_ID', 'error', 'invalid', rat, 'Search results must have ids');
      if (mode === 'match' && types.length > 0 && !types.includes(rt)) {
        ctx.report('BUNDLE_SEARCH_ENTRY_WRONG_RESOURCE_TYPE_MODE', 'error', 'invalid', rat, `This is not a matching resource type for the specified search (${clip(rt)} expecting [${types.join(', ')}])`);
      }
    } else if (rt !== 'OperationOutcome') {
      ctx.report('BUNDLE_SEARCH_ENTRY_WRONG_RESOURCE_TYPE_OUTCOME', 'error', 'invalid', rat, `This is not an OperationOutcome (${clip(rt)})`);
    }
  });
}
