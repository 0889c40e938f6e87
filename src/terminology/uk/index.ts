export { isValidNhsNumberValue, nhsNumberCheckDigit } from './nhs-number.js';
export { isOdsCodeShape, isTypicalOdsOrganisationCode, isTypicalOdsSiteCode } from './ods.js';
export {
  identifierRulesFor,
  type IdentifierRule,
  NHS_NUMBER_SYSTEM,
  ODS_ORGANISATION_SYSTEM,
  ODS_SITE_SYSTEM,
  ukFhirPathFunctions,
  ukIdentifierRules,
} from './rules.js';
export { checkUkIdentifier } from './apply.js';
