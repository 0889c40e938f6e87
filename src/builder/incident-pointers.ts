import type { Bundle, OperationOutcomeIssue } from 'fhir/r4';
import { ruleOf } from '../validation/validator.js';
import { AdsBuilderError } from './errors.js';

/** Something wrong with a description: where (a JSON pointer into it) and what, never the value itself. */
export interface IncidentProblem {
  readonly pointer: string;
  readonly message: string;
}

/** An issue of the built bundle, placed in the description: the part that made the entry it is about. */
export interface IncidentIssue extends IncidentProblem {
  readonly severity: OperationOutcomeIssue['severity'];
  /** The rule id (`ADS_CLINICAL_BEFORE_CALL`, ...), when the issue has one. */
  readonly rule?: string;
  /** Where in the bundle (FHIRPath), as the OperationOutcome says. */
  readonly expression?: string;
}

/** Where the first segment of a builder field sits inside a patient contact of the description. */
export const CONTACT_FIELDS: Readonly<Record<string, string>> = { patient: '/patient', conveyance: '/conveyance' };

/**
 * The pointer of the input a builder error names, inside the part at `at`. The field's first segment names the
 * builder call (`response.times.clear` at `/responses/0` is `/responses/0/times/clear`; `oxygenSaturation.value`
 * at `.../observations/1` is `.../observations/1/value`) or, through `parts`, a member of the part
 * (`patient.nhsNumber.value` at `/patientContacts/0` is `/patientContacts/0/patient/nhsNumber/value`).
 */
export function pointerOf(at: string, error: AdsBuilderError, parts: Readonly<Record<string, string>> = {}): string {
  const [head = '', ...rest] = error.field.split('.');
  const base = Object.hasOwn(parts, head) ? `${at}${parts[head]}` : at;
  return rest.length ? `${base}/${rest.join('/')}` : base;
}

/** The problem an AdsBuilderError makes, at the input it names. */
export function builderProblem(at: string, error: AdsBuilderError, parts?: Readonly<Record<string, string>>): IncidentProblem {
  return { pointer: pointerOf(at, error, parts), message: `the builder rejected it: ${error.reason}` };
}

/** The outcome's issues, each placed at the part of the description that made the entry it is about. */
export function placeIssues(bundle: Bundle, issues: readonly OperationOutcomeIssue[], partOf: ReadonlyMap<string, string>): IncidentIssue[] {
  return issues
    .filter((i) => i.severity !== 'information')
    .map((i) => {
      const expression = i.expression?.[0];
      const n = /^Bundle\.entry\[(\d+)\]/.exec(expression ?? '')?.[1];
      const fullUrl = n === undefined ? undefined : bundle.entry?.[Number(n)]?.fullUrl;
      const rule = ruleOf(i);
      return {
        pointer: (fullUrl && partOf.get(fullUrl)) ?? '/',
        severity: i.severity,
        message: i.details?.text ?? i.diagnostics ?? i.code,
        ...(rule ? { rule } : {}),
        ...(expression ? { expression } : {}),
      };
    });
}
