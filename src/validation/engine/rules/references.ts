/**
 * References (InstanceValidator.checkReference): the reference string's form, where it resolves (a
 * contained resource, an entry of the enclosing Bundle, a resource of the enclosing Parameters, or
 * outside the instance), conditional references, Reference.type against the target and the element's
 * target profiles, the resolved target's type and profiles, and aggregation modes.
 */
import { type BundleScope, resolveInBundles, type ResolveSink, type ScopeChain } from '../../bundle-scope.js';
import type { CompiledType, ElementNode } from '../../model.js';
import { invariantRuleId } from '../../../plugin-types/index.js';
import { clip, readPrimitiveText } from '../../primitives.js';
import { isAbsoluteUrl, isSearchUrl, looksMalformed, typeOfReference } from '../../reference-syntax.js';
import type { ResourceScope, RuleContext } from '../context.js';
import { CORE_SD, type ReferencePolicy } from '../options.js';
import { checkTargetProfiles } from './reference-targets.js';

/** Resolves '#id' among the contained resources of the enclosing resources, else in the enclosing Bundle/Parameters. */
export function resolveReference(scope: ResourceScope | undefined, bundle: BundleScope | undefined, ref: string, sink?: ResolveSink, path?: string): Record<string, unknown> | undefined {
  return ref.startsWith('#') ? resolveContained(scope, ref) : resolveInBundles(scope as ScopeChain | undefined, bundle, ref, sink, path);
}

/**
 * '#' is the container of a contained resource; '#id' a resource contained in the resource holding the
 * reference or in one around it, up to the entry or parameter that holds it (localResolve).
 */
function resolveContained(scope: ResourceScope | undefined, ref: string): Record<string, unknown> | undefined {
  const id = ref.slice(1);
  let wasContained = false;
  for (let s = scope; s; s = s.parent) {
    const isContained = !!s.parent && s.parent.contained.get(String(s.resource.id)) === s.resource;
    if (ref === '#' && wasContained && !isContained) return s.resource;
    if (isContained) wasContained = true;
    const hit = id ? s.contained.get(id) : undefined;
    if (hit) return hit;
    const rt = s.parent?.resource.resourceType;
    if (rt === 'Bundle' || rt === 'Parameters') return undefined; // contained references do not cross an entry
  }
  return undefined;
}

/** What the reference validator checks of a reference by where it points (ReferenceValidationPolicy). */
const POLICY = {
  ignore: { exists: false, type: false, valid: false },
  'check-type-if-exists': { exists: false, type: true, valid: false },
  'check-exists': { exists: true, type: false, valid: false },
  'check-exists-and-type': { exists: true, type: true, valid: false },
  'check-valid': { exists: true, type: true, valid: true },
} as const satisfies Record<ReferencePolicy, { exists: boolean; type: boolean; valid: boolean }>;

type Destination = 'contained' | 'internal' | 'external';

export function checkReference(obj: Record<string, unknown>, path: string, _def: ElementNode, ctx: RuleContext, t: CompiledType | undefined): void {
  // As the JSON reader reads it: a number or boolean is its text, an array or object is no reference at all.
  const ref = readPrimitiveText(obj.reference);
  if (ref === undefined || ref === '') {
    checkDisplay(obj, path, ctx);
    return;
  }
  if (ref === 'http://tools.ietf.org/html/bcp47') return; // known to be valid, cannot be resolved
  const isType = ctx.registry.isResourceType;
  if (!/^\S+$/.test(ref)) {
    ctx.report('REFERENCE_REF_INVALID_REF', 'error', 'invalid', path, `The reference '${clip(ref)}' is not a valid reference`);
  } else if (ctx.options.assumeValidRestReferences && looksMalformed(ref, isType)) {
    ctx.report('REFERENCE_REF_SUSPICIOUS', 'warning', 'structure', path, `The syntax of the reference '${clip(ref)}' looks incorrect, and it should be checked`);
  }
  if (ref.startsWith('#')) ctx.addLocalRef(ref.slice(1));
  const local = resolveReference(ctx.scope, ctx.bundle, ref, ctx, path);
  const destination: Destination = ref.startsWith('#') ? 'contained' : local ? 'internal' : 'external';
  const policy = POLICY[destination === 'external' ? externalPolicy(ctx) : 'check-valid'];
  let target = local;
  const q = ref.indexOf('?');
  if (q >= 0 && isType(ref.slice(0, q))) {
    if (!isSearchUrl(ref, isType)) ctx.report('REFERENCE_REF_QUERY_INVALID', 'error', 'invalid', path, `The query part of the conditional reference is not a valid query string (${clip(ref)})`);
  } else if (policy.exists) {
    if (!target && destination === 'external') target = fetchOutside(ref, ctx);
    if (!target && !/example\.org|acme\.com/.test(ref)) ctx.report('Reference_REF_CantResolve', 'error', 'structure', path, `Unable to resolve resource with reference '${clip(ref)}'`);
  }
  if (destination === 'contained') checkLocalReferenceContained(ref, path, ctx);
  if (!target && destination === 'external' && ctx.bundle?.kind === 'bundle' && ref.startsWith('urn:') && ctx.options.bundledUrnReferences) {
    ctx.report('ADSFHIR_REFERENCE_URN_NOT_IN_BUNDLE', 'error', 'not-found', path, `The reference ${clip(ref)} is not found within the bundle: a urn: reference names an entry of the Bundle it is in`);
  }
  const found = target && typeof target.resourceType === 'string' ? target.resourceType : undefined;
  const ft = target ? found : typeOfReference(ref, isType);
  // Reference.type given as a JSON number or boolean is still read as its text (an error of its own), and that
  // text is then judged as a type as any other (InstanceValidator.checkReference reads the primitive's value).
  const declared = readPrimitiveText(obj.type);
  if (declared !== undefined) checkDeclaredType(declared, ft, t, path, ctx);
  if (target && policy.type) {
    if (ft === undefined) ctx.report('Reference_REF_NoType', 'warning', 'structure', path, 'Unable to determine type of target resource');
    else {
      if (t) checkTargetProfiles(target, ft, ref, t, policy.valid, path, ctx);
      if (t?.aggregation) checkAggregation(destination, t.aggregation, path, ctx);
    }
  }
  if (!target && t?.aggregation?.length && !t.aggregation.includes('referenced')) {
    ctx.report('Reference_REF_NotFound_Bundle', 'error', 'required', path, `Bundled or contained reference not found within the bundle/resource ${clip(ref)}`);
  }
  if (!target && ft && t && ctx.options.assumeValidRestReferences) checkImpliedType(ft, ref, t, path, ctx);
}

/** Reference.ref-1 (core R4 invariant, checked natively: see NATIVE_CONSTRAINTS). */
const INV_REF_1 = invariantRuleId(`${CORE_SD}Reference`, 'ref-1');

/**
 * ref-1, as the reference validator evaluates it (FHIRPathExpressionFixer's R4 form: `reference = '#' or
 * reference.startsWith('#').not() or reference.substring(1) in %rootResource.contained.id`): a local reference names
 * a resource contained in the root resource, the one that is not itself contained (a Bundle entry or a parameter is
 * a root of its own). It is reported beside Reference_REF_CantResolve, as the reference reports both.
 */
function checkLocalReferenceContained(ref: string, path: string, ctx: RuleContext): void {
  if (ref === '#') return;
  let root = ctx.scope;
  // By identity in the container's list, not by id: contained ids may be duplicated (a dom-3 finding of its own).
  while (root?.parent && Array.isArray(root.parent.resource.contained) && root.parent.resource.contained.includes(root.resource)) root = root.parent;
  if (!root || root.contained.has(ref.slice(1))) return;
  ctx.report(INV_REF_1, 'error', 'invariant', path, "Constraint failed: ref-1: 'SHALL have a contained resource if a local reference is provided'");
}

/** A Reference with neither reference nor identifier should say in words what it refers to. */
function checkDisplay(obj: Record<string, unknown>, path: string, ctx: RuleContext): void {
  // Each test below only excuses the reference: the cheap ones on the value first, the path last.
  if (readPrimitiveText(obj.display)) return;
  const identifier = obj.identifier as { system?: unknown; value?: unknown } | undefined;
  if (identifier && typeof identifier === 'object' && (readPrimitiveText(identifier.system) || readPrimitiveText(identifier.value))) return;
  if (/\.element(\[\d+\])?\.pattern/.test(path)) return; // a pattern in a profile is not a reference
  ctx.report('Reference_REF_NoDisplay', 'warning', 'structure', path, 'A Reference without an actual reference or identifier should have a display');
}

/** The policy for references outside the instance: nothing is checked unless they can be fetched. */
function externalPolicy(ctx: RuleContext): ReferencePolicy {
  if (!ctx.options.fetchReference) return 'ignore';
  return ctx.options.referencePolicy ?? 'check-valid';
}

function fetchOutside(ref: string, ctx: RuleContext): Record<string, unknown> | undefined {
  try {
    return ctx.options.fetchReference?.(ref);
  } catch {
    return undefined;
  }
}

/** Reference.type must be a type the element allows, and the type of what the reference points to. */
function checkDeclaredType(declared: string, ft: string | undefined, t: CompiledType | undefined, path: string, ctx: RuleContext): void {
  const tu = isAbsoluteUrl(declared) ? declared : CORE_SD + declared;
  const targets = t?.targetProfiles ?? [];
  if (targets.length > 0 && !targets.includes(tu) && !targets.includes(`${CORE_SD}Resource`)) {
    let matching = false;
    for (const tp of targets) {
      const sd = ctx.registry.get(tp) ?? ctx.registry.get(tp.split('|')[0]!);
      if (!sd) {
        ctx.report('Reference_REF_CantResolveProfile', 'error', 'not-found', path, `Unable to resolve the profile reference '${clip(tp)}'`);
      } else if (CORE_SD + sd.type === tu) {
        matching = true;
        break;
      }
    }
    if (!matching) ctx.report('Reference_REF_WrongTarget', 'error', 'structure', path, `The type '${clip(declared)}' is not a valid Target for this element (must be one of [${targets.join(', ')}])`);
  }
  if (ft !== undefined && ft !== declared) ctx.report('Reference_REF_BadTargetType', 'error', 'structure', path, `Invalid Resource target type. Found ${clip(declared)}, but expected one of (${ft})`);
}

/**
 * Type.aggregation says where a resolved target may live: contained in the resource, bundled with it
 * (an entry of the same Bundle), or referenced (anywhere but contained).
 */
function checkAggregation(destination: Destination, modes: string[], path: string, ctx: RuleContext): void {
  const ok = modes.some((m) => (m === 'contained' && destination === 'contained') || (m === 'bundled' && destination === 'internal') || (m === 'referenced' && destination !== 'contained'));
  if (!ok) ctx.report('Reference_REF_Aggregation', 'error', 'structure', path, `Reference is ${destination} which isn't supported by the specified aggregation mode(s) for the reference (${modes.join(', ')})`);
}

/** Told to trust RESTful references, the type a `Type/id` names must be one the element allows. */
function checkImpliedType(ft: string, ref: string, t: CompiledType, path: string, ctx: RuleContext): void {
  const types = new Set<string>();
  for (const tp of t.targetProfiles) {
    const sd = ctx.registry.get(tp) ?? ctx.registry.get(tp.split('|')[0]!);
    if (sd) types.add(sd.type);
  }
  if (types.size === 0 || types.has(ft) || types.has('Resource')) return;
  if (types.has('DomainResource') && !['Bundle', 'Binary', 'Parameters'].includes(ft)) return;
  ctx.report('Reference_REF_BadTargetType2', 'error', 'structure', path, `The type '${ft}' implied by the reference URL ${clip(ref)} is not a valid Target for this element (must be one of [${[...types].join(', ')}])`);
}
