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
import { checkCodingSystemUri } from './rules/coding-system-uri.js';
import { checkCodingSystem } from './rules/datatypes.js';
import { checkCodedSystem, checkIdentifier } from './rules/identifier.js';
import { checkNarrative } from './rules/narrative.js';
import { checkObservationBestPractice } from './rules/observation.js';
import { checkQuantity } from './rules/quantity.js';
import { checkFixedPrimitive } from './rules/primitives.js';
import { checkReference } from './rules/references.js';
import { checkDocumentOrMessage } from './rules/bundle-document.js';
import { checkBundleEntries } from './rules/bundle-entries.js';
import { noteReferenceLink, noteUriLink } from './rules/bundle-linkage.js';
import { checkBundleLinks } from './rules/bundle-links.js';
import { checkSignature } from './rules/bundle-signature.js';
import { checkSearchSet } from './rules/bundle-search.js';
import { checkContainedIds } from './rules/contained-ids.js';
import { checkSecurityLabels } from './rules/meta-security.js';
import { checkCanonicalVersion } from './rules/canonical-version.js';
import { checkTimingEventCount } from './rules/timing-events.js';
import {
  capabilityStatementRules,
  codeSystemRules,
  measureCriteria,
  measureReportRules,
  questionnaireBindingParameters,
  questionnaireResponseRules,
  questionnaireRules,
  structureDefinitionRules,
  terminologyResourceRules,
} from './rules/resource-level.js';
import {
  implementationGuideRules,
  operationDefinitionRules,
  parametersRules,
  publicationRules,
  searchParameterRules,
  structureMapRules,
} from './rules/conformance.js';

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
  OperationDefinition: [operationDefinitionRules],
  Parameters: [parametersRules],
  ImplementationGuide: [implementationGuideRules],
  StructureMap: [structureMapRules],
  CapabilityStatement: [capabilityStatementRules],
  StructureDefinition: [structureDefinitionRules],
  Measure: [measureCriteria],
  MeasureReport: [measureReportRules],
  QuestionnaireResponse: [questionnaireResponseRules],
  Observation: [checkObservationBestPractice],
  Bundle: [checkBundleLinks, checkDocumentOrMessage, checkSearchSet, checkBundleEntries, checkSignature],
  '*': [checkContainedIds, checkSecurityLabels, checkCanonicalVersion, publicationRules],
};

/** Rules on complex values, by datatype code; they run after the value's own elements were walked. */
export const DATATYPE_RULES: Readonly<Record<string, readonly DatatypeRule[]>> = {
  Quantity: [checkQuantity, checkCodedSystem],
  Reference: [checkReference, noteReferenceLink],
  Coding: [checkCodingSystem, checkCodedSystem, checkCodingNotSupplement, checkCodingSystemUri],
  Identifier: [checkIdentifier],
  Attachment: [checkAttachment],
  Narrative: [checkNarrative],
  Timing: [checkTimingEventCount],
};

/** Rules on every primitive value that is of its JSON kind and matches its type's format. */
export const PRIMITIVE_RULES: readonly PrimitiveRule[] = [checkFixedPrimitive, noteUriLink];

const NONE: readonly never[] = [];

const resourceRuleLists = new Map<string, readonly ResourceRule[]>();

/** The resource rules for a resourceType, `*` rules included (one list per type, made on first use). */
export function resourceRulesFor(resourceType: string): readonly ResourceRule[] {
  const hit = resourceRuleLists.get(resourceType);
  if (hit) return hit;
  const own = Object.prototype.hasOwnProperty.call(RESOURCE_RULES, resourceType) ? RESOURCE_RULES[resourceType]! : NONE;
  const all = RESOURCE_RULES['*'];
  const list = all ? [...own, ...all] : own;
  // Only known types are kept, so hostile resourceType values cannot grow the map.
  if (resourceRuleLists.size < 1000) resourceRuleLists.set(resourceType, list);
  return list;
}

/** The datatype rules for a type code (none for most). */
export function datatypeRulesFor(code: string): readonly DatatypeRule[] {
  return datatypeRuleLists.get(code) ?? NONE;
}

// Read for every complex value walked: a Map lookup, not an own-property test and a lookup on the record.
const datatypeRuleLists = new Map<string, readonly DatatypeRule[]>(Object.entries(DATATYPE_RULES));
