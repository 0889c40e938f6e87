/**
 * Terminology: value sets expanded locally against the loaded packages, binding checks for the
 * validator, an optional terminology server for SNOMED CT / dm+d / LOINC, and UK identifier rules.
 * @packageDocumentation
 */
export { CodeSystemIndex, type IndexedConcept, type LanguageText } from './code-system-index.js';
export type { CodeSet, ExpandedCode, Membership } from './code-sets.js';
export { LocalTerminology, type CompiledValueSet, type LocalExpansion } from './local-terminology.js';
export { TerminologyBindingChecker, type TerminologyBindingCheckerOptions } from './binding-checker.js';
export { EXTERNAL_SYSTEMS, SYNTACTIC_SYSTEMS, systemName, type SyntacticSystem } from './external-systems.js';
export { isValidUcum, UCUM_SYSTEM } from './ucum.js';
export { LruCache } from './lru.js';
export { type TerminologyAdapter, type ValidateCodeRequest, type ValidateCodeResult, validateCodeKey } from './adapter.js';
export { RemoteTerminology, validateWithRemoteTerminology, type RemoteAnswer, type RemoteTerminologyOptions } from './remote-terminology.js';
export { FhirServerTerminologyAdapter, readValidateCodeOutput, type FhirServerTerminologyAdapterOptions } from './fhir-server-adapter.js';
export { memberOfHook } from './member-of.js';
export * from './uk/index.js';
export { terminologyResourceIssues } from './resource-rules.js';
