/**
 * The rule table: which rule modules run where. The walk (walk.ts) visits every element and calls
 * the rules registered here for what it meets; a new rule family is a module under rules/ plus a
 * line here (see docs/validation-engine.md).
 *
 * Rules run in the order listed. Structural checks that shape the walk itself (cardinality, types,
 * slicing, extensions, bindings, invariants, ids) are called by the walk at their fixed points.
 */
import type { DatatypeRule, PrimitiveRule, ResourceRule } from './context.js';
import { checkAttachment } from './rules/attachment.js';
import { checkCodingNotSupplement } from './rules/coding-system.js';
import { checkCodingSystem, checkIetfIdentifier } from './rules/datatypes.js';
import { checkNarrative } from './rules/narrative.js';
import { checkQuantity } from './rules/quantity.js';
import { checkPrimitiveValue } from './rules/primitives.js';
import { checkReference } from './rules/references.js';
import {
  capabilityStatementRules,
  codeSystemRules,
  measureCriteria,
  measureReportRules,
  questionnaireBindingParameters,
  questionnaireResponseRules,
  questionnaireRules,
  searchParameterRules,
  structureDefinitionRules,
  terminologyResourceRules,
} from './rules/resource-level.js';

/**
 * Rules on a whole resource, by resourceType; `*` applies to every resource (after the type's own).
 * They run once the resource has been walked against its profiles.
 */
export const RESOURCE_RULES: Readonly<Record<string, readonly ResourceRule[]>> = {
  ValueSet: [terminologyResourceRules],
  ConceptMap: [terminologyResourceRules],
  Questionnaire: [questionnaireRules, questionnaireBindingParameters],
  CodeSystem: [codeSystemRules, terminologyResourceRules],
  SearchParameter: [searchParameterRules],
  CapabilityStatement: [capabilityStatementRules],
  StructureDefinition: [structureDefinitionRules],
  Measure: [measureCriteria],
  MeasureReport: [measureReportRules],
  QuestionnaireResponse: [questionnaireResponseRules],
};

/** Rules on complex values, by datatype code; they run after the value's own elements were walked. */
export const DATATYPE_RULES: Readonly<Record<string, readonly DatatypeRule[]>> = {
  Quantity: [checkQuantity],
  Reference: [checkReference],
  Coding: [checkCodingSystem, checkCodingNotSupplement],
  Identifier: [checkIetfIdentifier],
  Attachment: [checkAttachment],
  Narrative: [checkNarrative],
};

/** Rules on every primitive value that is of its JSON kind and matches its type's format. */
export const PRIMITIVE_RULES: readonly PrimitiveRule[] = [checkPrimitiveValue];

const NONE: readonly never[] = [];

/** The resource rules for a resourceType, `*` rules included. */
export function resourceRulesFor(resourceType: string): readonly ResourceRule[] {
  const own = Object.prototype.hasOwnProperty.call(RESOURCE_RULES, resourceType) ? RESOURCE_RULES[resourceType]! : NONE;
  const all = RESOURCE_RULES['*'];
  return all ? [...own, ...all] : own;
}

/** The datatype rules for a type code (none for most). */
export function datatypeRulesFor(code: string): readonly DatatypeRule[] {
  return Object.prototype.hasOwnProperty.call(DATATYPE_RULES, code) ? DATATYPE_RULES[code]! : NONE;
}
