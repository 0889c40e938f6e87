/**
 * One finding of the validator, before it is turned into an OperationOutcome issue.
 * `code` is a FHIR IssueType (`structure`, `required`, `value`, `invariant`, `code-invalid`, ...).
 * `expression` is a FHIRPath location such as `Bundle.entry[3].resource.subject`.
 */
export interface ValidationIssue {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  code: string;
  message: string;
  expression: string;
  line?: number;
  column?: number;
}

/**
 * The issue sink handed to rule modules: one call per finding, at the FHIRPath location `path`.
 * The caller keeps one issue list (dedupe, issue cap, attribution to a profile).
 */
export type Report = (severity: 'error' | 'warning' | 'information', code: string, path: string, message: string) => void;
