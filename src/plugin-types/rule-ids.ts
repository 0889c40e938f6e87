import { CORE_SD_BASE as CORE_SD } from '../systems/index.js';
/**
 * Rule ids shared by several modules. Most rule ids are written where the rule is (a reference message
 * key such as `Extension_EXT_Unknown_NotHere`, or one of ours); the ids here are built or reused.
 */

/**
 * The rule id of a FHIRPath invariant: `<source>#<key>`, the defining profile's canonical URL and the
 * constraint key, as the HL7 Java validator sets the message id of an invariant failure.
 */
export function invariantRuleId(source: string | undefined, key: string): string {
  return source ? `${source}#${key}` : key;
}

/** Core invariants the engine or the format converters check natively rather than through FHIRPath. */
export const INV_ELE_1 = invariantRuleId(`${CORE_SD}Element`, 'ele-1');
export const INV_EXT_1 = invariantRuleId(`${CORE_SD}Extension`, 'ext-1');
export const INV_DOM_2 = invariantRuleId(`${CORE_SD}DomainResource`, 'dom-2');
export const INV_DOM_4 = invariantRuleId(`${CORE_SD}DomainResource`, 'dom-4');
export const INV_DOM_5 = invariantRuleId(`${CORE_SD}DomainResource`, 'dom-5');
export const INV_TXT_2 = invariantRuleId(`${CORE_SD}Narrative`, 'txt-2');
export const INV_BDL_7 = invariantRuleId(`${CORE_SD}Bundle`, 'bdl-7');

/** Prefixes of our own rule ids: generic rules, UK rules, ADS business rules. */
export const OWN_RULE_PREFIXES = ['ADSFHIR_', 'UK_', 'ADS_'] as const;

/** The extension the HL7 Java validator puts an issue's message id in; ours carries the rule id. */
export const MESSAGE_ID_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/operationoutcome-message-id';
/** The code system of rule ids in OperationOutcome `issue.details.coding`. */
export const RULE_SYSTEM = 'urn:ads-fhir:rule';
