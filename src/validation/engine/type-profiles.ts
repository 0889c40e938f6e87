import type { CompiledProfile, CompiledType } from '../model.js';
import { clip } from '../primitives.js';
import type { RuleContext } from './context.js';

/** What checking a value against its type's profiles needs beyond the rule context. */
interface ProfileWalk extends RuleContext {
  /** Appended to messages while findings are attributed to one candidate profile. */
  messageSuffix: string;
  /** The FHIRPath constraints of a definition on a value (a profile's root constraints are not part of its walk). */
  evaluateConstraints(node: CompiledProfile['root'], value: unknown, path: string, elementType: string): void;
}

/**
 * type.profile lists alternatives: one profile is applied directly; with several, the value must
 * conform to at least one, else the mismatch is reported with every candidate's findings.
 */
export function validateTypeProfiles(t: CompiledType, obj: Record<string, unknown>, path: string, code: string, typeDef: CompiledProfile | undefined, walk: ProfileWalk): void {
  // Runs for every complex value, and most types name no profile: nothing to gather then.
  if (t.profiles.length === 0) return;
  const profiles: CompiledProfile[] = [];
  for (const url of t.profiles) {
    // Profiles that are not loaded were reported by reportUnknownTypeProfiles.
    const p = walk.registry.get(url);
    if (p && p !== typeDef) profiles.push(p);
  }
  if (profiles.length === 1) {
    walk.validateObject(profiles[0]!.root, obj, path, code);
    walk.evaluateConstraints(profiles[0]!.root, obj, path, code);
    return;
  }
  if (profiles.length === 0) return;
  const matching = profiles.filter((p) => walk.conformsTo(obj, p.url));
  if (matching.length > 1) walk.report('Validation_VAL_Profile_MultipleMatches', 'warning', 'structure', path, `Found multiple matching profiles among ${profiles.length} choices: ${matching.map((p) => p.url).join(', ')}`);
  if (matching.length > 0) return;
  walk.report('Validation_VAL_Profile_NoMatch', 'error', 'structure', path, `Unable to find a match for the specified profile among choices: ${profiles.map((p) => p.url).join(', ')}`);
  // Each candidate's findings name the candidate: the same rule broken in two profiles is two findings.
  const saved = walk.messageSuffix;
  try {
    for (const p of profiles) {
      walk.messageSuffix = `${saved} (validating against ${p.url})`;
      walk.validateObject(p.root, obj, path, code);
      walk.evaluateConstraints(p.root, obj, path, code);
    }
  } finally {
    walk.messageSuffix = saved;
  }
}

/** A datatype profile the element names must be known for the value to be checked against it (extensions are found by URL). */
export function reportUnknownTypeProfiles(t: CompiledType | undefined, path: string, ctx: RuleContext): void {
  if (!t || t.code === 'Extension' || t.profiles.length === 0) return;
  for (const p of t.profiles) {
    if (!ctx.registry.get(p) && !ctx.registry.get(p.split('|')[0]!)) ctx.report('Validation_VAL_Unknown_Profile', 'error', 'structure', path, `Unknown profile ${clip(p)}: the value cannot be checked against it`);
  }
}
