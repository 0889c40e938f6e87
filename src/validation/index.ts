/**
 * Profile validation of FHIR R4 resources.
 * @packageDocumentation
 */
export type { ValidationIssue, BindingChecker, BindingStrength, InvariantEvaluator } from './plugins.js';
