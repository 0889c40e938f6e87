/**
 * A bare code (a `code`, `string` or `uri` value bound to a value set) carries no system, so the reference infers
 * it (ValueSetValidator.systemForCodeInValueSet): when more than one code system of the value set defines the code,
 * the system cannot be determined and the code is not valid there (UNABLE_TO_RESOLVE_SYSTEM__VALUE_SET_HAS_MULTIPLE_MATCHES,
 * then the binding's own finding). Only the value set's own includes are scanned here, each system tested through the
 * compiled value set (so excludes count), which can miss a match the reference finds in an imported value set but
 * never reports one it would not.
 */
import type { ValueSet } from 'fhir/r4';
import type { CompiledValueSet } from './local-terminology.js';

/** The code systems of the value set that hold `code`, when there is more than one; otherwise nothing. */
export function ambiguousSystems(resource: ValueSet, vs: CompiledValueSet, code: string): string[] | undefined {
  const systems = new Set<string>();
  for (const include of resource.compose?.include ?? []) {
    if (typeof include.system !== 'string' || systems.has(include.system)) continue;
    if (vs.codes.test(include.system, code).kind === 'member') systems.add(include.system);
  }
  return systems.size > 1 ? [...systems].sort() : undefined;
}
