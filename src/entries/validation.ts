/**
 * The validator for those who wire it themselves, and validation on all cores.
 *
 * Most users want `createValidationService` from `ads-fhir`, which wires the packages, terminology and
 * invariants. Here: the {@link Validator} over any set of conformance resources with your own plug-ins (the
 * plug-in interfaces are below; `ads-fhir/terminology` and `ads-fhir/fhirpath` hold the standard ones), and the
 * worker-thread {@link ValidationPool} for large exports (docs/validation-at-scale.md).
 * @module ads-fhir/validation
 */
export {
  Validator, toOperationOutcome, coreResolver, MemoryResolver,
  type ValidatorOptions, type ValidateOptions, type EngineOptions, type BestPracticeLevel, type ReferencePolicy, type StructureDefinitionSource, type IndexEntry,
  // The plug-in interfaces and the issue they report.
  type ValidationIssue, type BindingChecker, type BindingStrength, type InvariantEvaluator, type PreparedInvariant,
  // Validation on worker threads.
  ValidationPool, ValidationPoolError, validateInParallel, defaultWorkerCount,
  type ValidationPoolOptions, type ValidationPoolStats, type ParallelItem, type ParallelResult, type WorkerJob,
} from '../validation/index.js';
