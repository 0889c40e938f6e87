/**
 * The syntax checks of open systems (code systems without local content) that compiled value sets carry, made
 * from a description that the on-disk cache of compiled value sets can store and make again (see value-set-form.ts).
 */
import type { ValueSetComposeIncludeFilter } from 'fhir/r4';
import type { SystemSyntax } from './code-sets.js';
import { externalCodeProblem, hasExternalCodeCheck, SYNTACTIC_SYSTEMS, systemName } from './external-systems.js';

/** The check of a system whose codes have a known shape (UCUM, MIME types, language tags); undefined for others. */
export function syntacticSyntax(system: string, wholeSystem: boolean): SystemSyntax | undefined {
  const syntax = SYNTACTIC_SYSTEMS[system];
  return syntax ? { ...syntax, wholeSystem, origin: { kind: 'syntactic' } } : undefined;
}

/**
 * What still rules codes out of a system without local content: SNOMED CT, dm+d and LOINC codes must have
 * a valid shape and check digit, and `regex` filters on the code must match (e.g. ISO 3166 numeric codes are `[0-9]{3}`),
 * even though membership itself cannot be confirmed.
 */
export function codeShape(system: string, filters: ValueSetComposeIncludeFilter[]): SystemSyntax | undefined {
  const sources: string[] = [];
  for (const f of filters) {
    if (f.op !== 'regex' || (f.property !== 'code' && f.property !== 'concept')) continue;
    const source = `^(?:${f.value})$`;
    try {
      new RegExp(source);
    } catch {
      return undefined;
    }
    sources.push(source);
  }
  return shapeFromPatterns(system, sources);
}

/** The shape check of {@link codeShape} from its pattern sources; undefined when there is nothing to check (or a pattern does not compile). */
export function shapeFromPatterns(system: string, sources: readonly string[]): SystemSyntax | undefined {
  let patterns: RegExp[];
  try {
    patterns = sources.map((s) => new RegExp(s));
  } catch {
    return undefined;
  }
  const shaped = hasExternalCodeCheck(system);
  if (patterns.length === 0 && !shaped) return undefined;
  return {
    check: (code) => externalCodeProblem(system, code) === undefined && patterns.every((p) => p.test(code)),
    wholeSystem: false,
    label: shaped ? `${systemName(system)} code (wrong shape or check digit)` : "code matching the value set's pattern",
    origin: { kind: 'shape', patterns: [...sources] },
  };
}
