/**
 * The validation engine: a walk over each resource (walk.ts) that hands every element to the rule
 * modules registered in rule-table.ts. See docs/validation-engine.md.
 */
export { ResourceWalk } from './walk.js';
export { type BestPracticeLevel, type EngineOptions, MAX_DEPTH, type ReferencePolicy } from './options.js';
export type { DatatypeRule, PrimitiveRule, ResourceRule, RuleContext, ResourceScope } from './context.js';
export { DATATYPE_RULES, PRIMITIVE_RULES, RESOURCE_RULES } from './rule-table.js';
