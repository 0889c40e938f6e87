import type { CodeSystem, ConceptMap, ValueSet } from 'fhir/r4';
import type { ValidationIssue } from '../plugin-types/index.js';
import { conceptMapIssues } from './concept-map-rules.js';
import { EXTERNAL_SYSTEMS, externalCodeProblem } from './external-systems.js';
import { issue } from './issue.js';
import type { LocalTerminology } from './local-terminology.js';
import { CODE_LIMIT, valueSetIssues } from './value-set-rules.js';

/**
 * The authoring rules for terminology resources that need the code systems themselves: ValueSet
 * (value-set-rules.ts), ConceptMap (concept-map-rules.ts), and the codes of a CodeSystem supplement, which
 * its base code system must define. The CodeSystem rules that need no terminology (the resource as a whole,
 * properties, designations, HL7 expectations) are the validation engine's own (src/validation/code-system-*.ts);
 * the validator calls this through `BindingChecker.checkResource`.
 */
export function terminologyResourceIssues(resource: unknown, path: string, terminology: LocalTerminology): ValidationIssue[] {
  if (typeof resource !== 'object' || resource === null) return [];
  const type = (resource as { resourceType?: unknown }).resourceType;
  if (type === 'ValueSet') return valueSetIssues(resource as ValueSet, path, terminology);
  if (type === 'CodeSystem') return codeSystemIssues(resource as CodeSystem, path, terminology);
  if (type === 'ConceptMap') return conceptMapIssues(resource as ConceptMap, path, terminology);
  return [];
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
  if (concepts.length > CODE_LIMIT) {
    return [issue('CODESYSTEM_CS_SUPP_TOO_MANY_CODES', 'information', 'business-rule', `The supplement has too many concepts to validate (${concepts.length}, more than the limit of ${CODE_LIMIT}), so they have not been checked against the base CodeSystem`, path)];
  }
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
