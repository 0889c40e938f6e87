/**
 * References: '#id' targets exist, the reference syntax looks right, Bundle resolution (ambiguous
 * Type/id matches, urn:uuid targets), aggregation modes, target types and target profiles (a resolved
 * target must conform to one of the element's profiles for its type; circular chains stop).
 */
import { ambiguousMatches, type BundleScope, resolveInBundles } from '../../bundle-scope.js';
import type { CompiledType, ElementNode } from '../../model.js';
import { clip } from '../../primitives.js';
import { looksMalformed } from '../../reference-syntax.js';
import type { ResourceScope, RuleContext } from '../context.js';
import { CORE_SD } from '../options.js';
import { judgedElsewhere, reportTargetMismatch } from '../root-cause.js';

/** Resolves '#id' in the nearest resource with contained resources, else a reference in the enclosing Bundle/Parameters. */
export function resolveReference(scope: ResourceScope | undefined, bundle: BundleScope | undefined, ref: string): Record<string, unknown> | undefined {
  if (ref.startsWith('#')) {
    let s = scope;
    while (s && s.contained.size === 0 && s.parent && !s.resource.contained) s = s.parent;
    if (ref === '#') return s?.parent?.resource ?? s?.resource;
    return s?.contained.get(ref.slice(1)) ?? scope?.parent?.contained.get(ref.slice(1));
  }
  return resolveInBundles(bundle, ref);
}

export function checkReference(obj: Record<string, unknown>, path: string, _def: ElementNode, ctx: RuleContext, t: CompiledType | undefined): void {
  const ref = obj.reference;
  if (typeof ref !== 'string') return;
  if (ref.startsWith('#')) {
    ctx.addLocalRef(ref.slice(1));
    if (ref !== '#' && !ctx.resolveRef(ref)) {
      ctx.report('Reference_REF_NotFound_Bundle', 'error', 'structure', path, `Bundled or contained reference not found within the bundle/resource ${clip(ref)}`);
      return;
    }
  }
  if (looksMalformed(ref, (type) => !!ctx.registry.resourceType(type))) {
    ctx.report('REFERENCE_REF_SUSPICIOUS', 'warning', 'structure', path, `The syntax of the reference '${clip(ref)}' looks incorrect, and it should be checked`);
  }
  const local = ctx.resolveRef(ref);
  if (!local && reportAmbiguous(ref, path, ctx)) return;
  const target = local ?? (ref.startsWith('#') ? undefined : fetchOutside(ref, ctx));
  const bundle = ctx.bundle;
  if (!target && bundle?.type === 'parameters' && bundle.byTypeId.size > 0 && /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(ref)) {
    ctx.report('Reference_REF_CantResolve', 'error', 'not-found', path, `Unable to resolve resource with reference '${clip(ref)}'`);
  }
  if (t?.aggregation) checkAggregation(ref, t.aggregation, target ? (ref.startsWith('#') ? 'contained' : local ? 'bundled' : 'external') : undefined, path, ctx);
  if (target && t) checkTargetProfiles(target, ref, t, path, ctx);
  if (target && t && unresolvedTargetProfiles(t, path, ctx) && t.targetTypes.length === 0 && typeof target.resourceType === 'string') {
    ctx.report('ADSFHIR_REFERENCE_NO_TARGET_TYPE', 'error', 'structure', path, `The referenced ${clip(target.resourceType)} cannot be checked: none of the element's target profiles could be found, so no target type is allowed`);
  }
  const allowed = t?.targetTypes ?? [];
  if (allowed.length === 0 || allowed.includes('Resource')) return;
  let actual: string | undefined;
  if (target && typeof target.resourceType === 'string') actual = target.resourceType;
  else if (ctx.options.assumeValidRestReferences) {
    const m = /(?:^|\/)([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(\/_history\/[^/]+)?$/.exec(ref);
    if (m && ctx.registry.resourceType(m[1]!)) actual = m[1];
  }
  if (actual && !allowed.includes(actual)) {
    ctx.report('Reference_REF_BadTargetType2', 'error', 'structure', path, `The type '${actual}' implied by the reference URL ${clip(ref)} is not a valid Target for this element (must be one of [${allowed.join(', ')}])`);
  }
  if (!target && bundle && !ref.startsWith('#') && ref.startsWith('urn:uuid:')) {
    ctx.report('Reference_REF_NotFound_Bundle', 'error', 'structure', path, `Bundled or contained reference not found within the bundle/resource ${clip(ref)}`);
  }
}

/** A relative reference that several entries match by Type/id but none by fullUrl: reported, true when so. */
function reportAmbiguous(ref: string, path: string, ctx: RuleContext): boolean {
  const holders = ambiguousMatches(ctx.bundle, ref);
  if (!holders) return false;
  ctx.report('BUNDLE_BUNDLE_ENTRY_NOTFOUND_APPARENT', 'error', 'not-found', path, `Can't find '${clip(ref)}' in the bundle. Note that there are ${holders.length} resources in the bundle with the same type and id, but they do not match because of the fullUrl based rules around matching relative references`);
  ctx.report('BUNDLE_POSSSIBLE_MATCHES', 'warning', 'not-found', path, `The bundle contains no match for ${clip(ref)} by the rules of Bundle reference resolution, but it has multiple resources that match ${clip(ref)} by resource type and id`);
  for (const h of holders) {
    ctx.report('BUNDLE_BUNDLE_POSSIBLE_MATCH_WRONG_FU', 'warning', 'not-found', path, `Entry ${h.index} matches the reference ${clip(ref)} by type and id but its fullUrl ${clip(h.fullUrl)} does not match by Bundle resolution rules`);
  }
  return true;
}

function fetchOutside(ref: string, ctx: RuleContext): Record<string, unknown> | undefined {
  try {
    return ctx.options.fetchReference?.(ref);
  } catch {
    return undefined;
  }
}

/** A resolved target must conform to one of the element's non-core target profiles for its type. */
function checkTargetProfiles(target: Record<string, unknown>, ref: string, t: CompiledType, path: string, ctx: RuleContext): void {
  const rt = target.resourceType;
  const candidates = t.targetProfiles.filter((p) => !p.startsWith(CORE_SD));
  if (candidates.length === 0 || t.targetProfiles.some((p) => p === `${CORE_SD}${String(rt)}`)) return;
  const forType = candidates.filter((p) => ctx.registry.get(p)?.type === rt);
  if (forType.length === 0) return;
  if (ctx.checkingTargets.has(target)) return; // circular references: already being checked
  if (judgedElsewhere(target, ctx)) return; // another entry: its findings are reported where it is
  // A chain of references that leads back to the resource being validated (fetched again as a copy)
  // is a circle too: that resource's own findings are reported where it is validated.
  const key = resourceKey(target);
  if (key !== undefined && key === resourceKey(ctx.root)) return;
  ctx.checkingTargets.add(target);
  try {
    if (!forType.some((p) => ctx.conformsTo(target, p))) reportTargetMismatch(target, ref, forType, path, ctx);
  } finally {
    ctx.checkingTargets.delete(target);
  }
}

/**
 * type.aggregation says where a reference's target may be: contained in the resource, bundled
 * with it, or referenced from elsewhere (not contained). A target that cannot be found must be
 * allowed to live outside the resource and its bundle.
 */
function checkAggregation(ref: string, modes: string[], found: 'contained' | 'bundled' | 'external' | undefined, path: string, ctx: RuleContext): void {
  if (found === undefined) {
    if (!modes.includes('referenced')) ctx.report('Reference_REF_NotFound_Bundle', 'error', 'required', path, `Bundled or contained reference not found within the bundle/resource ${clip(ref)}`);
    return;
  }
  const allowed = modes.some((m) => m === (found === 'external' ? 'referenced' : found) || (m === 'referenced' && found === 'bundled'));
  if (!allowed) ctx.report('Reference_REF_Aggregation', 'error', 'structure', path, `Reference is ${found === 'bundled' ? 'internal' : found} which isn't supported by the specified aggregation mode(s) for the reference (${modes.join(', ')})`);
}

/** Reports each target profile of the element that cannot be found; true when there was one. */
function unresolvedTargetProfiles(t: CompiledType, path: string, ctx: RuleContext): boolean {
  let unresolved = false;
  for (const p of t.targetProfiles) {
    const bar = p.indexOf('|');
    const bare = bar < 0 ? p : p.slice(0, bar);
    if (bare.startsWith(CORE_SD) && bare.indexOf('/', CORE_SD.length) < 0) continue; // core definitions are always known
    if (ctx.registry.get(bare) ?? ctx.registry.get(p)) continue;
    unresolved = true;
    ctx.report('Reference_REF_CantResolveProfile', 'error', 'not-found', path, `The target profile '${clip(p)}' of this reference could not be found, so the reference cannot be checked against it`);
  }
  return unresolved;
}

/** `Type/id` of a resource, when it has both. */
function resourceKey(r: unknown): string | undefined {
  if (!r || typeof r !== 'object') return undefined;
  const { resourceType, id } = r as { resourceType?: unknown; id?: unknown };
  return typeof resourceType === 'string' && typeof id === 'string' ? `${resourceType}/${id}` : undefined;
}
