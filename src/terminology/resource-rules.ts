import type { CodeSystem, ValueSet, ValueSetComposeInclude } from 'fhir/r4';
import type { ValidationIssue } from '../plugin-types/index.js';
import { EXTERNAL_SYSTEMS, externalCodeProblem } from './external-systems.js';
import type { LocalTerminology } from './local-terminology.js';

/**
 * The authoring rules for CodeSystem and ValueSet resources that need the code systems themselves:
 * codes listed in a value set must exist in their system, and a supplement may only add to codes its
 * base code system defines (and says so with content = supplement). The rules that need no terminology
 * (properties, filters, designations, HL7 expectations) are the validation engine's own
 * (src/validation/code-system-rules.ts); the validator calls this through `BindingChecker.checkResource`.
 */
export function terminologyResourceIssues(resource: unknown, path: string, terminology: LocalTerminology): ValidationIssue[] {
  if (typeof resource !== 'object' || resource === null) return [];
  const type = (resource as { resourceType?: unknown }).resourceType;
  if (type === 'ValueSet') return valueSetIssues(resource as ValueSet, path, terminology);
  if (type === 'CodeSystem') return codeSystemIssues(resource as CodeSystem, path, terminology);
  return [];
}

function issue(rule: string, severity: ValidationIssue['severity'], code: string, message: string, expression: string): ValidationIssue {
  return { rule, severity, code, message, expression };
}

function valueSetIssues(vs: ValueSet, path: string, terminology: LocalTerminology): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const parts: [string, ValueSetComposeInclude[] | undefined][] = [
    ['include', vs.compose?.include],
    ['exclude', vs.compose?.exclude],
  ];
  for (const [kind, list] of parts) {
    (list ?? []).forEach((inc, i) => issues.push(...conceptListIssues(inc, `${path}.compose.${kind}[${i}]`, terminology)));
  }
  return issues;
}

/** Codes listed in an include must exist in a complete local code system, or have a valid shape (SNOMED CT, dm+d, LOINC). */
function conceptListIssues(inc: ValueSetComposeInclude, at: string, terminology: LocalTerminology): ValidationIssue[] {
  const system = inc.system;
  if (!system || !inc.concept) return [];
  const issues: ValidationIssue[] = [];
  inc.concept.forEach((c, k) => {
    if (typeof c.code !== 'string') return;
    const malformed = externalCodeProblem(system, c.code);
    const why = malformed ? `'${c.code}' is ${malformed}` : unknownCode(terminology, system, c.code);
    if (why) issues.push(issue('VALUESET_INCLUDE_INVALID_CONCEPT_CODE', 'error', 'code-invalid', `The code '${c.code}' is not valid in the system ${system} (${why})`, `${at}.concept[${k}]`));
  });
  return issues;
}

function unknownCode(terminology: LocalTerminology, system: string, code: string): string | undefined {
  const index = terminology.codeSystem(system);
  if (!index || !index.isComplete || index.lookup(code)) return undefined;
  return `Unknown code '${code}' in the CodeSystem '${system}'`;
}

function codeSystemIssues(cs: CodeSystem, path: string, terminology: LocalTerminology): ValidationIssue[] {
  if (!cs.supplements) return [];
  return supplementIssues(cs, path, terminology);
}

/**
 * Concepts of a supplement must exist in the supplemented code system. When that code system is neither
 * loaded nor one the toolkit knows by its code shapes (SNOMED CT, LOINC, ...), the reference says its
 * concepts cannot be checked: for a system no terminology service knows, once for the supplement; for a
 * known system without content, at the first concept.
 */
function supplementIssues(cs: CodeSystem, path: string, terminology: LocalTerminology): ValidationIssue[] {
  const canonical = cs.supplements ?? '';
  const base = canonical.split('|')[0] ?? '';
  const concepts = cs.concept ?? [];
  if (concepts.length === 0) return [];
  const cantCheck = (at: string): ValidationIssue => issue('CODESYSTEM_CS_SUPP_CANT_CHECK', 'warning', 'business-rule', `CodeSystem ${canonical} cannot be found, so can't check if concepts are valid`, at);
  const raw = terminology.resolver.codeSystem(base);
  if (!raw && !EXTERNAL_SYSTEMS[base]) return [cantCheck(path)];
  if (raw && raw.content === 'not-present') return [cantCheck(`${path}.concept[0]`)];
  const issues: ValidationIssue[] = [];
  concepts.forEach((c, i) => {
    if (typeof c.code !== 'string') return;
    const missing = externalCodeProblem(base, c.code) !== undefined || unknownCode(terminology, base, c.code) !== undefined;
    if (missing) {
      issues.push(issue('CODESYSTEM_CS_SUPP_INVALID_CODE', 'error', 'business-rule', `The code '${c.code}' is not declared in the base CodeSystem ${base} so is not valid in the supplement`, `${path}.concept[${i}]`));
    }
  });
  return issues;
}
