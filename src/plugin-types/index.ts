/**
 * The contract between the validator and its plug-ins: the issue a rule reports, and the interfaces
 * the terminology checker and the FHIRPath invariant evaluator implement. It sits below validation,
 * terminology and fhirpath so that each of them can depend on it without depending on the others.
 * @packageDocumentation
 */
export type { Finding, ValidationIssue, Report } from './issue.js';
export type { BindingChecker, BindingStrength, InvariantEvaluator, PreparedInvariant } from './plugins.js';
export { invariantRuleId, INV_BDL_7, INV_DOM_2, INV_DOM_4, INV_DOM_5, INV_ELE_1, INV_EXT_1, INV_TXT_2, MESSAGE_ID_EXTENSION, OWN_RULE_PREFIXES, RULE_SYSTEM } from './rule-ids.js';
