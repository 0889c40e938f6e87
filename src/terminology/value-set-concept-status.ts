/**
 * A code a value set lists with a status of its own: the reference's ValueSetValidator.inComponent warns when the
 * include that lists the code marks it withdrawn or deprecated (the structuredefinition-standards-status extension
 * on the include's concept) or deprecated (the valueset-deprecated extension): CONCEPT_DEPRECATED_IN_VALUESET,
 * a warning at the coding's code. It is checked, as the reference does, only for a code of a loaded code system
 * (complete or fragment) that defines it, listed in an include (not an exclude) of the value set itself.
 */
import type { ValueSet, ValueSetComposeInclude } from 'fhir/r4';
import type { ValidationIssue } from '../plugin-types/index.js';
import type { LocalTerminology } from './local-terminology.js';

const STANDARDS_STATUS = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-standards-status';
const VALUESET_DEPRECATED = 'http://hl7.org/fhir/StructureDefinition/valueset-deprecated';
const FLAGGED = new Set(['withdrawn', 'deprecated']);

interface Extension {
  url?: unknown;
  valueCode?: unknown;
}

/** The status an include's concept entry gives the code, when it flags it. */
function flaggedStatus(extensions: unknown): string | undefined {
  if (!Array.isArray(extensions)) return undefined;
  const list = extensions as Extension[];
  const status = list.find((e) => e?.url === STANDARDS_STATUS)?.valueCode;
  if (typeof status === 'string' && FLAGGED.has(status)) return status;
  return list.some((e) => e?.url === VALUESET_DEPRECATED) ? 'deprecated' : undefined;
}

const flagging = new WeakMap<ValueSet, boolean>();

/**
 * Whether any concept an include of the value set lists is flagged (worked out once per value set): when none is,
 * {@link deprecatedInValueSet} finds nothing for any code, so a binding check can skip it.
 */
export function flagsConcepts(vs: ValueSet): boolean {
  let known = flagging.get(vs);
  if (known === undefined) {
    const includes: unknown = vs.compose?.include ?? [];
    // An include list of the wrong shape is left to deprecatedInValueSet, which reads it as it always did.
    known = !Array.isArray(includes) || (includes as ValueSetComposeInclude[]).some((include) => Array.isArray(include.concept) && include.concept.some((c) => flaggedStatus((c as { extension?: unknown } | undefined)?.extension) !== undefined));
    flagging.set(vs, known);
  }
  return known;
}

/**
 * CONCEPT_DEPRECATED_IN_VALUESET for a coding found in the value set `vs`, or nothing. `path` is the coding's
 * location; the issue points at its `.code`, as the reference's terminology layer does.
 */
export function deprecatedInValueSet(vs: ValueSet, system: string, code: string, path: string, terminology: LocalTerminology): ValidationIssue | undefined {
  const cs = terminology.codeSystem(system);
  if (!cs || (cs.content !== 'complete' && cs.content !== 'fragment') || !cs.lookup(code)) return undefined;
  for (const include of vs.compose?.include ?? []) {
    if (include.system !== system || !Array.isArray(include.concept)) continue;
    const listed = include.concept.find((c) => c?.code === code);
    if (!listed) continue;
    const status = flaggedStatus((listed as { extension?: unknown }).extension);
    if (!status) return undefined;
    const label = vs.version && vs.url ? `${vs.url}|${vs.version}` : (vs.url ?? '');
    return {
      rule: 'CONCEPT_DEPRECATED_IN_VALUESET',
      severity: 'warning',
      code: 'business-rule',
      message: `The presence of the concept '${code}' in the system '${system}' in the value set ${label} is marked with a status of ${status} and its use should be reviewed`,
      expression: `${path}.code`,
    };
  }
  return undefined;
}
