import { EXTERNAL_SYSTEMS, externalCodeProblem, SYNTACTIC_SYSTEMS } from './external-systems.js';
import type { LocalTerminology } from './local-terminology.js';

/** The answer to "is `code` a code of `system`?" from what is known offline. */
export interface CodeCheck {
  ok: boolean;
  /**
   * The system itself (or that version of it) is unknown: neither loaded nor a well-known external system.
   * As terminology servers answer, the code is then not rejected, only said to be unverifiable.
   */
  unknownSystem?: boolean;
  /** The concept is marked inactive or retired. */
  inactive?: boolean;
  /** Displays of the concept, when the code system is loaded. */
  displays?: string[];
  message?: string;
}

/**
 * Checks a code against its code system as the reference's terminology layer would answer, offline:
 * a loaded complete code system decides; a fragment accepts what it does not list; SNOMED CT, LOINC, dm+d
 * codes must have a valid shape, UCUM, MIME types and language tags a valid syntax; any other system
 * is unknown, so the code cannot be verified (and is not rejected).
 */
export function checkCode(terminology: LocalTerminology, system: string, code: string, version?: string): CodeCheck {
  const malformed = externalCodeProblem(system, code);
  if (malformed) return { ok: false, message: `'${code}' is ${malformed}` };
  const index = terminology.codeSystem(system);
  if (version !== undefined && index && index.version !== undefined && index.version !== version) {
    return { ok: true, unknownSystem: true, message: `A definition for CodeSystem '${system}' version '${version}' could not be found, so the code cannot be validated. Valid versions: ${index.version}` };
  }
  if (index && index.hasContent) {
    const concept = index.lookup(code);
    if (concept) {
      const inactive = concept.properties.get('inactive')?.includes('true') || ['retired', 'inactive'].some((s) => concept.properties.get('status')?.includes(s));
      return { ok: true, displays: concept.displays, ...(inactive ? { inactive: true } : {}) };
    }
    if (index.isComplete) return { ok: false, message: `Unknown code '${code}' in the CodeSystem '${system}'` };
    return { ok: true };
  }
  const syntax = SYNTACTIC_SYSTEMS[system];
  if (syntax) return syntax.check(code) ? { ok: true } : { ok: false, message: `'${code}' is not a valid ${syntax.label}` };
  if (index || EXTERNAL_SYSTEMS[system] || terminology.resolver.codeSystem(system)) return { ok: true };
  return { ok: true, unknownSystem: true, message: `A definition for CodeSystem '${system}' could not be found, so the code cannot be validated` };
}
