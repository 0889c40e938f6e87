/**
 * Terminology for the validator: value sets expanded locally against the loaded packages, the binding checker,
 * an optional terminology server for SNOMED CT / dm+d / LOINC (`$validate-code`), and the UK identifier rules
 * (NHS number, ODS codes). See docs/terminology.md and docs/uk-rules.md.
 *
 * Listed by name: the code system index and caches behind them stay internal.
 * @module ads-fhir/terminology
 */
export {
  LocalTerminology, TerminologyBindingChecker, memberOfHook,
  type TerminologyBindingCheckerOptions, type CompiledValueSet, type LocalExpansion, type CodeSet, type ExpandedCode,
  type Membership, CodeSystemIndex, type IndexedConcept, type LanguageText,
  // A terminology server behind the local one.
  RemoteTerminology, validateWithRemoteTerminology, FhirServerTerminologyAdapter,
  type RemoteTerminologyOptions, type RemoteAnswer, type FhirServerTerminologyAdapterOptions,
  type TerminologyAdapter, type ValidateCodeRequest, type ValidateCodeResult,
  isValidUcum, UCUM_SYSTEM,
  // UK identifier rules.
  checkUkIdentifier, identifierRulesFor, ukIdentifierRules, ukFhirPathFunctions, type IdentifierRule,
  NHS_NUMBER_SYSTEM, ODS_ORGANISATION_SYSTEM, ODS_SITE_SYSTEM,
  isValidNhsNumberValue, nhsNumberCheckDigit, isOdsCodeShape, isTypicalOdsOrganisationCode, isTypicalOdsSiteCode,
} from '../terminology/index.js';
