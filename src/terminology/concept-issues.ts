/**
 * What a local code system says of the code a coding gives (the reference's ValueSetValidator.validateCode): an
 * unknown code, no code at all, a code in another case, an inactive, retired or deprecated concept.
 */
import type { ValidationIssue } from '../plugin-types/index.js';
import type { CodeSystemIndex, IndexedConcept } from './code-system-index.js';

/** The coding judged: its code (if any) and where it is. */
export interface CodingAt {
  code?: string;
  path: string;
}

function issue(rule: string, severity: ValidationIssue['severity'], code: string, message: string, expression: string): ValidationIssue {
  return { rule, severity, code, message, expression };
}

/**
 * A code a local code system does not define (the reference's ValueSetValidator.validateCode): an error when the
 * system is complete, a warning when it is only a fragment (the code may be in another fragment).
 */
export function unknownCodeIssues(cs: CodeSystemIndex, item: CodingAt): ValidationIssue[] {
  const code = item.code ?? '';
  if (cs.content === 'fragment') {
    return [issue('UNKNOWN_CODE_IN_FRAGMENT', 'warning', 'code-invalid', `Unknown Code '${code}' in the CodeSystem '${cs.url}' version '${cs.version ?? ''}' - note that the code system is labeled as a fragment, so the code may be valid in some other fragment`, `${item.path}.code`)];
  }
  if (!cs.isComplete) return [];
  const other = cs.lookupIgnoringCase(code);
  const hint = other ? ` (codes of this system are case-sensitive: did you mean '${other.code}'?)` : '';
  return [issue('Unknown_Code_in_Version', 'error', 'code-invalid', `Unknown code '${code}' in the CodeSystem '${cs.url}' version '${cs.version ?? ''}'${hint}`, `${item.path}.code`)];
}

/** A coding of a CodeableConcept that names a local code system but gives no code (ValueSetValidator.validateCode). */
export function noCodeIssues(cs: CodeSystemIndex | undefined, item: CodingAt): ValidationIssue[] {
  if (!cs || (cs.content !== 'complete' && cs.content !== 'fragment')) return [];
  if (cs.version === undefined) return [issue('NO_CODE_PROVIDED', 'warning', 'value', `No code provided for CodeSystem '${cs.url}'`, `${item.path}.code`)];
  return [issue('NO_CODE_PROVIDED_VERSION', 'warning', 'value', `No code provided for CodeSystem '${cs.url}' version '${cs.version}'`, `${item.path}.code`)];
}

/**
 * What the code system says of a concept it defines (ValueSetValidator.validateCode): a code given in another case
 * than the (case-insensitive) system's, and a concept that is inactive, retired or deprecated.
 */
export function conceptIssues(cs: CodeSystemIndex, concept: IndexedConcept, item: CodingAt): ValidationIssue[] {
  const found: ValidationIssue[] = [];
  if (item.code !== undefined && concept.code !== item.code) {
    found.push(issue('CODE_CASE_DIFFERENCE', 'information', 'business-rule', `The code '${item.code}' differs from the correct code '${concept.code}' by case. Although the code system '${cs.url}${cs.version ? `|${cs.version}` : ''}' is case insensitive, implementers are strongly encouraged to use the correct case anyway`, `${item.path}.code`));
  }
  const status = concept.properties.get('status')?.[0];
  if (isInactive(concept)) {
    const what = status === 'retired' ? 'retired and inactive' : 'inactive';
    found.push(issue('INACTIVE_CONCEPT_FOUND', 'warning', 'business-rule', `The concept '${concept.code}' has a status of ${what} and its use should be reviewed`, item.path));
  } else if (status?.toLowerCase() === 'deprecated') {
    found.push(issue('DEPRECATED_CONCEPT_FOUND', 'warning', 'business-rule', `The concept '${concept.code}' is deprecated and its use should be reviewed`, item.path));
  }
  return found;
}

/** CodeSystemUtilities.isInactive: a status of inactive or retired, else the legacy `inactive` flag. */
export function isInactive(concept: IndexedConcept): boolean {
  const status = concept.properties.get('status')?.[0];
  if (status !== undefined) return status === 'inactive' || status === 'retired';
  return concept.properties.get('inactive')?.[0] === 'true';
}
