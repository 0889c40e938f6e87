/**
 * FHIRPath invariants for the validator: the evaluator that compiles each `ElementDefinition.constraint` once
 * (with documented patches to core R4 invariants, see docs/invariants.md), and the shape of custom functions.
 *
 * Listed by name: the fast compiler, patches and native invariants behind the evaluator stay internal.
 * @module ads-fhir/fhirpath
 */
export {
  FhirPathInvariantEvaluator,
  type FhirPathInvariantEvaluatorOptions, type CompiledInvariant, type CompiledFhirPath,
  type FhirPathFunction, type EvaluationScope, type MemberOfHook, type ConformsToHook,
  // The rewrites of core R4 invariants applied by default (`patches` option).
  CORE_R4_PATCHES, type InvariantPatch,
} from '../fhirpath/index.js';
