/**
 * A resolved reference target against the element's target profiles (InstanceValidator.checkReference):
 * its type must be one the target profiles constrain, and, where the policy asks for validity, it must
 * conform to one of the profiles for its type. Circular chains of references end in the profile memo
 * (probe.ts): a target already being checked against a profile is taken to conform, as the reference
 * validator's per-resource tracker does.
 */
import type { CompiledProfile, CompiledType } from '../../model.js';
import { clip } from '../../primitives.js';
import type { RuleContext } from '../context.js';
import { CORE_SD } from '../options.js';
import { answersForItself, claims, judgedElsewhere, reportTargetMismatch } from '../root-cause.js';

export function checkTargetProfiles(target: Record<string, unknown>, ft: string, ref: string, t: CompiledType, checkValid: boolean, path: string, ctx: RuleContext): void {
  const targets = t.targetProfiles;
  if (targets.length === 0 || targets.includes(`${CORE_SD}Resource`)) return;
  const types = new Set<string>();
  const profiles: CompiledProfile[] = [];
  for (const tp of targets) {
    // Only the profiles for the target's type are walked: for the others the type is enough.
    const type = ctx.registry.compiledType(tp) ?? ctx.registry.compiledType(tp.split('|')[0]!);
    if (type === undefined) {
      ctx.report('Reference_REF_CantResolveProfile', 'error', 'structure', path, `Unable to resolve the profile reference '${clip(tp)}'`);
      continue;
    }
    types.add(type);
    const sd = type === ft ? (ctx.registry.get(tp) ?? ctx.registry.get(tp.split('|')[0]!)) : undefined;
    if (sd) profiles.push(sd);
  }
  if (!checkValid) {
    if (profiles.length === 0) ctx.report('Reference_REF_CantMatchType', 'error', 'structure', path, `Unable to find a profile match for ${clip(ref)} (by type) among choices: ${[...targets].sort().join('; ')}`);
  } else if (profiles.length > 0) {
    matchProfiles(target, profiles, ref, targets, path, ctx);
  }
  if (profiles.length === 0) ctx.report('Reference_REF_BadTargetType', 'error', 'structure', path, `Invalid Resource target type. Found ${ft}, but expected one of ([${[...types].join(', ')}])`);
}

const isBase = (p: CompiledProfile): boolean => p.url === CORE_SD + p.type;

/** The target must conform to one of the profiles for its type; more than one is worth a warning. */
function matchProfiles(target: Record<string, unknown>, profiles: CompiledProfile[], ref: string, targets: string[], path: string, ctx: RuleContext): void {
  // One base definition: the target is validated as a resource in its own right, the outcome is the same.
  if (profiles.length === 1 && isBase(profiles[0]!)) return;
  // A chain that leads back to the resource being validated (fetched again as a copy) is a circle: that
  // resource's own findings are reported where it is validated.
  if (target !== ctx.root && sameResource(target, ctx.root)) return;
  if (judgedElsewhere(target, ctx)) return; // in a profile probe: another entry answers for itself
  if (answersForItself(target, profiles.map((p) => p.url), ctx) && !mayMatchSeveral(target, profiles, ctx)) return;
  const good = profiles.filter((p) => ctx.conformsTo(target, p.url, true));
  if (good.length === 0 && !profiles.every(isBase)) {
    reportTargetMismatch(target, ref, profiles.map((p) => p.url), targets, path, ctx);
  } else if (good.length > 1) {
    ctx.report('Reference_REF_MultipleMatches', 'warning', 'structure', path, `Found multiple matching profiles for ${clip(ref)} among choices: ${good.map((p) => p.url).join(', ')}`);
  }
}

/**
 * For a target that answers for itself (a mismatch is reported where it is), the one thing left to say at the
 * reference is that it matches several profiles. The profiles it does not claim are tried first; those it claims
 * (against which it is validated in its own right anyway) are walked again only when two could still match.
 */
function mayMatchSeveral(target: Record<string, unknown>, profiles: CompiledProfile[], ctx: RuleContext): boolean {
  let possible = 0;
  for (const p of profiles) if (claims(target, [p.url], ctx) || ctx.conformsTo(target, p.url, true)) possible++;
  return possible > 1;
}

function sameResource(a: Record<string, unknown>, b: unknown): boolean {
  if (!b || typeof b !== 'object') return false;
  const r = b as { resourceType?: unknown; id?: unknown };
  return typeof a.id === 'string' && a.resourceType === r.resourceType && a.id === r.id;
}
