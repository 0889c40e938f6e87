/**
 * The maximum value set of an extensible binding (the elementdefinition-maxValueSet extension), as the
 * reference's InstanceValidator.checkMaxValueSet judges it: a value outside the bound value set must still be in
 * the maximum one, else it is an error (Terminology_TX_NoValid_8 for a CodeableConcept, _10 for a Coding, _11 for
 * a bare code). A maximum value set that cannot be found gives the reference's not-found findings. What cannot be
 * judged offline (a code system this validator does not hold) gives nothing: with a terminology service the
 * reference would judge it, so no finding is safer than a guess.
 */
import type { CodeableConcept, Coding } from 'fhir/r4';
import type { ValidationIssue } from '../plugin-types/index.js';

type CodedValue = Coding | CodeableConcept | string;
/** Checks a value against a value set as a required binding (BindingChecker.check without a maximum value set). */
type CheckRequired = (valueSet: string, value: CodedValue, path: string) => ValidationIssue[];

const NOT_FOUND = new Set(['Terminology_TX_ValueSet_NotFound', 'Terminology_TX_ValueSet_NotFound_CS']);

export function isConcept(value: CodedValue): value is CodeableConcept {
  return typeof value === 'object' && ('coding' in value || 'text' in value);
}

/** The rule the reference gives a value not in the maximum value set, with its message. */
function outsideMaximum(value: CodedValue, maxValueSet: string): { rule: string; message: string } {
  const head = `The code provided is not in the maximum value set '${maxValueSet}', and a code from this value set is required`;
  if (typeof value === 'string') return { rule: 'Terminology_TX_NoValid_11', message: `${head} (code = ${value})` };
  if (isConcept(value)) {
    const codes = (value.coding ?? []).map((c) => `${c.system ?? ''}#${c.code ?? ''}`).join(', ');
    return { rule: 'Terminology_TX_NoValid_8', message: `None of the codes provided are in the maximum value set '${maxValueSet}', and a code from this value set is required (codes = ${codes})` };
  }
  return { rule: 'Terminology_TX_NoValid_10', message: `${head} (code = ${value.system ?? ''}#${value.code ?? ''})` };
}

/**
 * Findings of the maximum value set for a value already found outside the bound value set. `notInRequired` is
 * the rule a required binding gives a value outside its value set (by kind of value).
 */
export function maxValueSetIssues(maxValueSet: string, value: CodedValue, path: string, notInRequired: string, checkRequired: CheckRequired): ValidationIssue[] {
  const found = checkRequired(maxValueSet, value, path);
  const out = found.filter((i) => NOT_FOUND.has(i.rule) && i.expression === path);
  if (found.some((i) => i.rule === notInRequired)) {
    const { rule, message } = outsideMaximum(value, maxValueSet);
    out.push({ rule, severity: 'error', code: 'code-invalid', message, expression: path });
  }
  return out;
}

/** A CodeableConcept without codings on an extensible binding with a maximum value set: an error (Terminology_TX_Code_ValueSetMax). */
export function noCodeForMaximum(value: CodedValue, maxValueSet: string, valueSet: string, path: string): ValidationIssue | undefined {
  if (!isConcept(value)) return undefined;
  return { rule: 'Terminology_TX_Code_ValueSetMax', severity: 'error', code: 'code-invalid', message: `No code provided, and a code must be provided from the value set '${maxValueSet}' (max value set ${valueSet})`, expression: path };
}
