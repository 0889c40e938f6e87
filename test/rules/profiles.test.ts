/**
 * Profile rules of the reference validator (InstanceValidator: profiles asked for or claimed, type profiles
 * of an element with their alternatives, fixed and pattern values), through createValidationService with
 * profiles of our own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readCoreR4 } from '../../src/packages/core-r4.js';
import { MemoryResolver, toOperationOutcome, Validator, type ValidationService } from '../../src/validation/index.js';
import { CORE, found, hasErrors, observation, profile, serviceWith } from './helpers.js';

const TYPES = 'http://example.org/StructureDefinition/obs-types';
const NOWHERE = 'http://example.org/StructureDefinition/nowhere';
const NO_SNAPSHOT = 'http://example.org/StructureDefinition/no-snapshot';
const typesProfile = profile(TYPES, 'Observation', `${CORE}Observation`, [
  { id: 'Observation.code.coding', path: 'Observation.code.coding', max: '1', fixedCoding: { system: 'http://loinc.org', code: '2339-0' } },
  { id: 'Observation.value[x]', path: 'Observation.value[x]', type: [{ code: 'Quantity', profile: [NOWHERE] }] },
  { id: 'Observation.component.value[x]', path: 'Observation.component.value[x]', type: [{ code: 'Quantity', profile: [`${CORE}SimpleQuantity`, `${CORE}MoneyQuantity`] }] },
  {
    id: 'Observation.interpretation',
    path: 'Observation.interpretation',
    patternCodeableConcept: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'H' }] },
  },
]);

let svc: ValidationService;
beforeAll(async () => {
  svc = await serviceWith({ 'types.json': typesProfile });
});

const check = (r: unknown, rules: string[]) => found(svc.validate(r, { profiles: [TYPES] }), rules);

describe('profiles asked for or claimed', () => {
  it('an unknown profile asked for is an error (Unable_to_locate_the_profile__in_order_to_validate_against_it)', () => {
    const rules = ['Unable_to_locate_the_profile__in_order_to_validate_against_it', 'Validation_VAL_Unknown_Profile'];
    expect(found(svc.validate(observation(), { profiles: [NOWHERE] }), rules)).toEqual([{ severity: 'error', rule: 'Unable_to_locate_the_profile__in_order_to_validate_against_it' }]);
  });

  it('an unknown profile claimed in meta.profile is a warning at the claim (Validation_VAL_Profile_Unknown)', () => {
    const outcome = svc.validate(observation({ meta: { profile: [NOWHERE] } }));
    expect(found(outcome)).toEqual([{ severity: 'warning', rule: 'Validation_VAL_Profile_Unknown', at: 'Observation.meta.profile[0]' }]);
    expect(hasErrors(outcome)).toBe(false);
  });

  it('a claim of the wrong JSON type still claims its text: a JSON type error, and an unknown profile as for any other text', () => {
    for (const claim of [42, true]) {
      const outcome = svc.validateText(JSON.stringify(observation({ meta: { profile: [claim] } }))).outcome;
      expect(found(outcome, ['Error_parsing_JSON_the_primitive_value_must_be_a_string', 'Validation_VAL_Profile_Unknown'])).toEqual([
        { severity: 'warning', rule: 'Validation_VAL_Profile_Unknown', at: 'Observation.meta.profile[0]' },
        // The JSON reader reads every item of a repeating primitive at the property's path, without an index.
        { severity: 'error', rule: 'Error_parsing_JSON_the_primitive_value_must_be_a_string', at: 'Observation.meta.profile' },
      ]);
    }
  });

  it('a profile with no snapshot cannot be used (Validation_VAL_Profile_NoSnapshot)', () => {
    // The package store gives every profile a snapshot; a Validator over definitions as given does not.
    const validator = new Validator(new MemoryResolver([...readCoreR4(), profile(NO_SNAPSHOT, 'Observation', `${CORE}Observation`, []) as never]));
    const outcome = toOperationOutcome(validator.validateToIssues(observation(), { profiles: [NO_SNAPSHOT] }));
    expect(found(outcome, ['Validation_VAL_Profile_NoSnapshot', 'Unable_to_locate_the_profile__in_order_to_validate_against_it'])).toEqual([{ severity: 'error', rule: 'Validation_VAL_Profile_NoSnapshot' }]);
  });
});

describe('type profiles of an element', () => {
  it('a single type profile that is not known is an error at the value (Validation_VAL_Unknown_Profile)', () => {
    expect(check(observation({ valueQuantity: { value: 1 } }), ['Validation_VAL_Unknown_Profile'])).toEqual([{ severity: 'error', rule: 'Validation_VAL_Unknown_Profile', at: 'Observation.value.ofType(Quantity)' }]);
  });

  const component = (valueQuantity: unknown) => observation({ component: [{ code: { text: 'c' }, valueQuantity }] });
  const AT = 'Observation.component[0].value.ofType(Quantity)';

  it('a value that conforms to one alternative passes', () => {
    expect(found(svc.validate(component({ value: 1, unit: 'mg' }), { profiles: [TYPES] }))).toEqual([{ severity: 'information', rule: 'ALL_OK' }]);
  });

  it('a value that conforms to several alternatives is a warning (Validation_VAL_Profile_MultipleMatches)', () => {
    const outcome = svc.validate(component({ value: 1, system: 'urn:iso:std:iso:4217', code: 'USD' }), { profiles: [TYPES] });
    expect(found(outcome)).toEqual([{ severity: 'warning', rule: 'Validation_VAL_Profile_MultipleMatches', at: AT }]);
  });

  it("a value that conforms to none is an error, with each alternative's findings (Validation_VAL_Profile_NoMatch)", () => {
    // A comparator is not allowed on a SimpleQuantity; a MoneyQuantity with a value needs a code (mqty-1).
    const issues = check(component({ value: 1, comparator: '<', unit: 'mg' }), ['Validation_VAL_Profile_NoMatch', `${CORE}SimpleQuantity#sqty-1`, `${CORE}MoneyQuantity#mqty-1`]);
    expect(issues).toEqual([
      { severity: 'error', rule: 'Validation_VAL_Profile_NoMatch', at: AT },
      { severity: 'error', rule: `${CORE}SimpleQuantity#sqty-1`, at: AT },
      { severity: 'error', rule: `${CORE}MoneyQuantity#mqty-1`, at: AT },
    ]);
  });
});

describe('fixed and pattern values', () => {
  const coded = (coding: Record<string, unknown>) => observation({ code: { coding: [coding] } });
  const RULES = ['Profile_VAL_NotAllowed', 'Profile_VAL_MissingElement'];

  it('the fixed value itself passes', () => {
    expect(found(svc.validate(coded({ system: 'http://loinc.org', code: '2339-0' }), { profiles: [TYPES] }))).toEqual([{ severity: 'information', rule: 'ALL_OK' }]);
  });

  it('an element the fixed value does not have is not allowed (Profile_VAL_NotAllowed), at the element', () => {
    expect(check(coded({ system: 'http://loinc.org', code: '2339-0', display: 'Glucose' }), RULES)).toEqual([{ severity: 'error', rule: 'Profile_VAL_NotAllowed', at: 'Observation.code.coding[0].display' }]);
  });

  it('an element of the fixed value that is absent is missing (Profile_VAL_MissingElement), at the element', () => {
    expect(check(coded({ code: '2339-0' }), RULES)).toEqual([{ severity: 'error', rule: 'Profile_VAL_MissingElement', at: 'Observation.code.coding[0].system' }]);
  });

  it('a pattern allows more than it states', () => {
    const interpretation = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'H', display: 'High' }], text: 'high' }];
    expect(check(observation({ interpretation }), [...RULES, 'ADSFHIR_PATTERN_MISMATCH'])).toEqual([]);
  });
});
