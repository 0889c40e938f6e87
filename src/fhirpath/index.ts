/**
 * FHIRPath invariants for the validator: fhirpath.js with the R4 model, each expression compiled once,
 * patched core R4 invariants, native hot paths and the custom functions the rules need.
 * @packageDocumentation
 */
export { FhirPathInvariantEvaluator, containerOf, type CompiledInvariant, type CompiledFhirPath, type FhirPathInvariantEvaluatorOptions } from './invariant-evaluator.js';
export { compileFast, type FastEnv, type FastExpression, NeedsFullEngine } from './fast/compile.js';
export { CORE_R4_PATCHES, patchedExpression, type InvariantPatch } from './patches.js';
export { NATIVE_INVARIANTS, type NativeFailure, type NativeInvariant } from './native-invariants.js';
export { type ConformsToHook, type EvaluationScope, type FhirPathFunction, isResourceTypeName, type MemberOfHook } from './functions.js';
export { narrativeHasContent, narrativeMarkupValid } from './narrative.js';
export { fhirPathBase } from './base-path.js';
export { definitionRegex } from './regex.js';
export { functionNames, isKnownFunction } from './expression-check.js';
