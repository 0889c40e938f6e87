/**
 * The contract between the validator and its plug-ins: the issue a rule reports, and the interfaces
 * the terminology checker and the FHIRPath invariant evaluator implement. It sits below validation,
 * terminology and fhirpath so that each of them can depend on it without depending on the others.
 * @packageDocumentation
 */
export type { ValidationIssue, Report } from './issue.js';
export type { BindingChecker, BindingStrength, InvariantEvaluator } from './plugins.js';
