/**
 * '#id' values of uri, url and canonical elements (InstanceValidator.validateReference, its internal branch):
 * the fragment must name something in the resource being validated: an element or resource id anywhere in
 * it (contained resources included), an `id` or `<a name>` in its narrative, or, failing that, the same in
 * the Bundle that holds it (countTargetMatches). A canonical with no target is an error; a uri or url only a
 * warning, except where the reference makes it an error (ValueSet include/exclude systems) or a hint (Meta.source).
 */
import { clip } from '../../primitives.js';
import type { ElementNode } from '../../model.js';
import type { RuleContext } from '../context.js';

/** Element paths where the reference treats an unresolved '#id' uri as an error (isHardErrorPathForInternal). */
const HARD_ERROR_PATHS = new Set(['ValueSet.compose.include.system', 'ValueSet.compose.exclude.system']);

export function checkInternalUrl(node: ElementNode, code: string, text: string, path: string, ctx: RuleContext): void {
  if (code !== 'canonical' && code !== 'uri' && code !== 'url') return;
  const fragment = text.slice(1);
  if (hasTarget(fragment, ctx)) return;
  const message = `The URL value '${clip(text)}' is invalid because there is no matching target`;
  if (code === 'canonical' || HARD_ERROR_PATHS.has(node.path)) {
    ctx.report('TYPE_SPECIFIC_CHECKS_DT_URL_INTERNAL', 'error', 'invalid', path, message);
    return;
  }
  // Meta.source is exempt from the warning (an allowance the reference makes for servers that write '#id' there).
  const isMetaSource = node.path === 'Meta.source' || node.path.endsWith('.meta.source');
  ctx.report('TYPE_SPECIFIC_CHECKS_DT_URL_INTERNAL_WARN', isMetaSource ? 'information' : 'warning', 'invalid', path,
    `The URL value '${clip(text)}' might be wrong because it appears to point to an internal target, but there is no matching target`);
}

/** Anything in the outermost resource (the Bundle, when there is one) that the fragment names. */
function hasTarget(fragment: string, ctx: RuleContext): boolean {
  if (fragment === '') return true;
  let root = ctx.scope;
  while (root?.parent) root = root.parent;
  return root !== undefined && namesTarget(root.resource, fragment, 0);
}

function namesTarget(value: unknown, fragment: string, depth: number): boolean {
  if (depth > 200 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => namesTarget(v, fragment, depth + 1));
  const obj = value as Record<string, unknown>;
  if (obj.id === fragment) return true;
  if (typeof obj.div === 'string' && xhtmlNames(obj.div, fragment)) return true;
  return Object.values(obj).some((v) => namesTarget(v, fragment, depth + 1));
}

/** An `id` attribute on any element, or a `name` attribute on an `a` element, equal to the fragment. */
function xhtmlNames(div: string, fragment: string): boolean {
  // Such a value is written in the div as it is (nothing is decoded): a div without the fragment has none.
  if (!div.includes(fragment)) return false;
  for (const tag of div.matchAll(/<([A-Za-z][\w:-]*)((?:\s+[\w:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/g)) {
    for (const attr of (tag[2] ?? '').matchAll(/([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      const value = attr[2] ?? attr[3];
      if (value === fragment && (attr[1] === 'id' || (attr[1] === 'name' && tag[1] === 'a'))) return true;
    }
  }
  return false;
}
