import type { FhirPathFunction } from '../../fhirpath/functions.js';
import { isValidNhsNumberValue } from './nhs-number.js';
import { isOdsCodeShape, isTypicalOdsOrganisationCode, isTypicalOdsSiteCode } from './ods.js';
import { NHS_NUMBER_SYSTEM, ODS_ORGANISATION_SYSTEM, ODS_SITE_SYSTEM } from '../../systems/index.js';

export { NHS_NUMBER_SYSTEM, ODS_ORGANISATION_SYSTEM, ODS_SITE_SYSTEM };

/** An extra invariant, in the shape of ElementDefinition.constraint, applied to an Identifier. */
export interface IdentifierRule {
  key: string;
  /** Rule id of a failure (docs/validation.md, "Rule ids"): `UK_` ids, as the rule is ours. */
  rule: string;
  severity: 'error' | 'warning';
  human: string;
  /** FHIRPath evaluated on the Identifier. */
  expression: string;
}

/**
 * UK identifier rules keyed by Identifier.system. The validator applies every rule of a system to each
 * Identifier element carrying that system, anywhere in a resource, with the invariant evaluator
 * (which registers {@link ukFhirPathFunctions}). See docs/uk-rules.md.
 */
export const ukIdentifierRules: Readonly<Record<string, readonly IdentifierRule[]>> = {
  [NHS_NUMBER_SYSTEM]: [
    {
      key: 'uk-nhs-1',
      rule: 'UK_NHS_NUMBER_INVALID',
      severity: 'error',
      human: 'An NHS number is 10 digits, without spaces, whose last digit is the Modulus 11 check digit of the first nine',
      expression: 'value.exists() implies value.nhsNumberValid()',
    },
  ],
  [ODS_ORGANISATION_SYSTEM]: [
    {
      key: 'uk-ods-1',
      rule: 'UK_ODS_ORGANISATION_CODE_INVALID',
      severity: 'error',
      human: 'An ODS code is 3 to 9 upper-case letters or digits',
      expression: 'value.exists() implies value.odsCodeValid()',
    },
    {
      key: 'uk-ods-2',
      rule: 'UK_ODS_ORGANISATION_CODE_UNUSUAL',
      severity: 'warning',
      human: 'ODS organisation codes are 3 (NHS trusts, commissioners), 5 (independent providers, pharmacies) or 6 (GP and dental practices) characters long',
      expression: 'value.exists() implies value.odsOrganisationCodeTypical()',
    },
  ],
  [ODS_SITE_SYSTEM]: [
    {
      key: 'uk-ods-3',
      rule: 'UK_ODS_SITE_CODE_INVALID',
      severity: 'error',
      human: 'An ODS site code is 3 to 9 upper-case letters or digits',
      expression: 'value.exists() implies value.odsCodeValid()',
    },
    {
      key: 'uk-ods-4',
      rule: 'UK_ODS_SITE_CODE_UNUSUAL',
      severity: 'warning',
      human: 'ODS site codes of NHS trusts are 5 characters long: the 3-character trust code and a 2-character site suffix',
      expression: 'value.exists() implies value.odsSiteCodeTypical()',
    },
  ],
};

/** The rules for an Identifier.system (none for other systems). */
export function identifierRulesFor(system: unknown): readonly IdentifierRule[] {
  return typeof system === 'string' && Object.prototype.hasOwnProperty.call(ukIdentifierRules, system) ? (ukIdentifierRules[system] ?? []) : [];
}

function predicate(name: string, test: (s: string) => boolean): FhirPathFunction {
  return {
    fn: (inputs: unknown[]) => {
      if (inputs.length === 0) return [];
      if (inputs.length > 1) throw new Error(`${name}() expects a single string`);
      return typeof inputs[0] === 'string' && test(inputs[0]);
    },
  };
}

/** FHIRPath functions the UK rules call, for the invariant evaluator's function table. */
export const ukFhirPathFunctions: Record<string, FhirPathFunction> = {
  nhsNumberValid: predicate('nhsNumberValid', isValidNhsNumberValue),
  odsCodeValid: predicate('odsCodeValid', isOdsCodeShape),
  odsOrganisationCodeTypical: predicate('odsOrganisationCodeTypical', isTypicalOdsOrganisationCode),
  odsSiteCodeTypical: predicate('odsSiteCodeTypical', isTypicalOdsSiteCode),
};
