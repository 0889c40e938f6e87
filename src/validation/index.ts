/**
 * Profile validation of FHIR R4 resources: StructureDefinition snapshots compiled once into element
 * trees, run against resources or JSON text, findings returned as an OperationOutcome.
 * @packageDocumentation
 */
export type { ValidationIssue, BindingChecker, BindingStrength, InvariantEvaluator, PreparedInvariant } from '../plugin-types/index.js';
export { MESSAGE_ID_EXTENSION, RULE_SYSTEM } from '../plugin-types/index.js';
export type { BestPracticeLevel, EngineOptions, ReferencePolicy } from './engine/index.js';
export { Validator, validate, toOperationOutcome, isValid, ruleOf, type ValidateOptions, type ValidatorOptions } from './validator.js';
export { MemoryResolver, coreResolver } from './core-resolver.js';
export type { IndexEntry, StructureDefinitionSource } from './registry.js';
export { parseWithPositions, type PositionedParse, type JsonLocation } from './json-position.js';
export { ValidationService, createValidationService, type ValidationServiceOptions, type TextValidation, type ProfileChoice } from './service.js';
export {
  loadSuite,
  runCase,
  summarise as summariseConformance,
  scoreStep,
  type SuiteCase,
  type CaseResult,
  type SuiteSummary,
  type RunnerOptions as ConformanceRunnerOptions,
  type XmlParser,
  type CaseStatus,
  type SuiteStep,
  type StepScore,
  type ExpectedOutcome,
} from './conformance/index.js';
export {
  ValidationPool,
  ValidationPoolError,
  validateInParallel,
  defaultWorkerCount,
  type ValidationPoolOptions,
  type ValidationPoolStats,
  type ParallelItem,
  type ParallelResult,
} from './parallel.js';
export type { WorkerJob } from './parallel-protocol.js';
export { DOMAIN_RULES, type DomainRule } from './domain-rules/catalogue.js';
