/**
 * One finding of the validator, before it is turned into an OperationOutcome issue.
 * `code` is a FHIR IssueType (`structure`, `required`, `value`, `invariant`, `code-invalid`, ...).
 * `expression` is a FHIRPath location such as `Bundle.entry[3].resource.subject`.
 * `rule` is the stable id of the rule that found it (see docs/validation.md, "Rule ids"): the HL7 Java
 * validator's message key where it has the rule (`Extension_EXT_Unknown_NotHere`), `<source>#<key>` for
 * a FHIRPath invariant as the reference reports it, else an id of ours (`ADSFHIR_`, `UK_`, `ADS_`).
 * Match findings by `rule`, never by `message`.
 */
export interface ValidationIssue {
  rule: string;
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
export type Report = (rule: string, severity: 'error' | 'warning' | 'information', code: string, path: string, message: string) => void;

/** A problem a checking helper found, with the rule that found it; the caller adds severity and location. */
export interface Finding {
  rule: string;
  message: string;
}
