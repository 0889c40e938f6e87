/**
 * A bare code (a `code`, `string` or `uri` value bound to a value set) carries no system, so the reference infers
 * it (ValueSetValidator.systemForCodeInValueSet): when more than one code system of the value set defines the code,
 * the system cannot be determined and the code is not valid there (Unable_to_resolve_system__value_set_has_multiple_matches,
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

/**
 * Why the system of a bare code cannot be inferred from the value set's definition itself, as the reference reports
 * it beside UNABLE_TO_INFER_CODESYSTEM: a definition with no include and no expansion
 * (Unable_to_resolve_system__value_set_has_no_includes_or_expansion).
 */
export function inferenceProblems(resource: ValueSet, code: string): { rule: string; message: string }[] {
  const compose = resource.compose;
  if (!compose || (compose.include ?? []).length > 0 || (resource.expansion?.contains ?? []).length > 0) return [];
  return [{
    rule: 'Unable_to_resolve_system__value_set_has_no_includes_or_expansion',
    message: `The System URI could not be determined for the code '${code}' in the ValueSet '${resource.url ?? ''}': value set has no includes or expansion`,
  }];
}
