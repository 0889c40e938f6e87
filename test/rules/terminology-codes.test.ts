/**
 * What a local code system says of the codes used (the reference's ValueSetValidator.validateCode): unknown codes
 * in a complete system or in a fragment, a code in another case than a case-insensitive system's, inactive,
 * retired and deprecated concepts, and displays that differ from the code system's in whitespace only. Through
 * createValidationService, on Basic.code (an example binding: the code system is still checked) with code
 * systems of our own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { CORE, found, profile, serviceWith } from './helpers.js';

const CS = 'http://example.org/CodeSystem/shades';
const FRAGMENT = 'http://example.org/CodeSystem/shades-fragment';
const ACTIVE_VS = 'http://example.org/ValueSet/active-shades';
const RULES = ['STATUS_CODE_WARNING_CODE', 'Terminology_TX_NoValid_1_CC', 'NO_CODE_PROVIDED', 'NO_CODE_PROVIDED_VERSION', 'Unknown_Code_in_Version', 'UNKNOWN_CODE_IN_FRAGMENT', 'CODE_CASE_DIFFERENCE', 'INACTIVE_CONCEPT_FOUND', 'DEPRECATED_CONCEPT_FOUND', 'Display_Name_WS_for__should_be_one_of__instead_of', 'Display_Name_for__should_be_one_of__instead_of'];

let svc: ValidationService;
beforeAll(async () => {
  svc = await serviceWith({
    'cs.json': {
      resourceType: 'CodeSystem', url: CS, version: '2.0.0', name: 'Shades', status: 'active', content: 'complete', caseSensitive: false,
      property: [{ code: 'status', type: 'code' }, { code: 'inactive', type: 'boolean' }],
      concept: [
        { code: 'red', display: 'Bright red' },
        { code: 'mauve', display: 'Mauve', property: [{ code: 'status', valueCode: 'deprecated' }] },
        { code: 'puce', display: 'Puce', property: [{ code: 'status', valueCode: 'retired' }] },
        { code: 'taupe', display: 'Taupe', property: [{ code: 'inactive', valueBoolean: true }] },
      ],
    },
    'active-vs.json': { resourceType: 'ValueSet', url: ACTIVE_VS, name: 'ActiveShades', status: 'active', compose: { inactive: false, include: [{ system: CS }] } },
    'active-profile.json': profile('http://example.org/StructureDefinition/active-shade', 'Basic', `${CORE}Basic`, [{ id: 'Basic.code', path: 'Basic.code', binding: { strength: 'required', valueSet: ACTIVE_VS } }]),
    'fragment.json': { resourceType: 'CodeSystem', url: FRAGMENT, name: 'ShadesFragment', status: 'active', content: 'fragment', concept: [{ code: 'red' }] },
  });
});

const basic = (coding: Record<string, unknown>) => ({ resourceType: 'Basic', code: { coding: [coding] } });
const check = (coding: Record<string, unknown>) => found(svc.validate(basic(coding)), RULES);
const at = 'Basic.code.coding[0]';

describe('codes against their local code system', () => {
  it('a code a complete code system does not define is an error; a fragment only warns', () => {
    expect(check({ system: CS, code: 'teal' })).toEqual([{ severity: 'error', rule: 'Unknown_Code_in_Version', at: `${at}.code` }]);
    expect(check({ system: FRAGMENT, code: 'teal' })).toEqual([{ severity: 'warning', rule: 'UNKNOWN_CODE_IN_FRAGMENT', at: `${at}.code` }]);
    expect(check({ system: FRAGMENT, code: 'red' })).toEqual([]);
  });

  it('a coding that names a local code system but gives no code', () => {
    expect(check({ system: CS })).toEqual([{ severity: 'warning', rule: 'NO_CODE_PROVIDED_VERSION', at: `${at}.code` }]);
    expect(check({ system: FRAGMENT, display: 'Red' })).toEqual([{ severity: 'warning', rule: 'NO_CODE_PROVIDED', at: `${at}.code` }]);
  });

  it('reads a code written as a JSON number or boolean as its text, as the JSON reader does; an array is no code', () => {
    const PARSE = 'Error_parsing_JSON_the_primitive_value_must_be_a_string';
    expect(found(svc.validate(basic({ system: CS, code: 42 })), [...RULES, PARSE])).toEqual([
      { severity: 'error', rule: PARSE, at: `${at}.code` },
      { severity: 'error', rule: 'Unknown_Code_in_Version', at: `${at}.code` },
    ]);
    expect(check({ system: CS, code: true })).toEqual([{ severity: 'error', rule: 'Unknown_Code_in_Version', at: `${at}.code` }]);
    expect(check({ system: CS, code: ['red', 'red'] })).toEqual([{ severity: 'warning', rule: 'NO_CODE_PROVIDED_VERSION', at: `${at}.code` }]);
  });

  it('a Coding whose system is an object or array has no system (the reader drops it); a number is a system', () => {
    const NO_SYSTEM = ['Coding_has_no_system__cannot_validate'];
    expect(found(svc.validate(basic({ system: { value: CS }, code: 'red' })), NO_SYSTEM)).toEqual([{ severity: 'warning', rule: NO_SYSTEM[0], at }]);
    expect(found(svc.validate(basic({ system: [CS, CS], code: 'red' })), NO_SYSTEM)).toEqual([{ severity: 'warning', rule: NO_SYSTEM[0], at }]);
    expect(found(svc.validate(basic({ system: 42, code: 'red' })), NO_SYSTEM)).toEqual([]);
    // A coding written as an array is no coding at all (the reader drops it): nothing to say of its system.
    expect(found(svc.validate({ resourceType: 'Basic', code: { coding: [[{ system: CS, code: 'red' }]] } }), NO_SYSTEM)).toEqual([]);
  });

  it('says nothing of a coding without a system beside a coding only a terminology server checks (none here)', () => {
    const NO_SYSTEM = ['Coding_has_no_system__cannot_validate'];
    const concept = (...coding: Record<string, unknown>[]) => ({ resourceType: 'Basic', code: { coding } });
    expect(found(svc.validate(concept({ code: 'red' }, { system: CS, code: 'red' })), NO_SYSTEM)).toEqual([{ severity: 'warning', rule: NO_SYSTEM[0], at }]);
    expect(found(svc.validate(concept({ code: 'red' }, { system: 'http://snomed.info/sct', code: '371252001' })), NO_SYSTEM)).toEqual([]);
  });

  it('a code in another case than the case-insensitive system gives it', () => {
    expect(check({ system: CS, code: 'RED' })).toEqual([{ severity: 'information', rule: 'CODE_CASE_DIFFERENCE', at: `${at}.code` }]);
    expect(check({ system: CS, code: 'red' })).toEqual([]);
  });

  it('inactive, retired and deprecated concepts are to be reviewed', () => {
    expect(check({ system: CS, code: 'mauve' })).toEqual([{ severity: 'warning', rule: 'DEPRECATED_CONCEPT_FOUND', at }]);
    expect(check({ system: CS, code: 'puce' })).toEqual([{ severity: 'warning', rule: 'INACTIVE_CONCEPT_FOUND', at }]);
    expect(check({ system: CS, code: 'taupe' })).toEqual([{ severity: 'warning', rule: 'INACTIVE_CONCEPT_FOUND', at }]);
  });

  it('a display matches ignoring case, but not ignoring whitespace', () => {
    expect(check({ system: CS, code: 'red', display: 'BRIGHT RED' })).toEqual([]);
    expect(check({ system: CS, code: 'red', display: 'Bright  red' })).toEqual([{ severity: 'error', rule: 'Display_Name_WS_for__should_be_one_of__instead_of', at: `${at}.display` }]);
    expect(check({ system: CS, code: 'red', display: ' Bright red' })).toEqual([{ severity: 'error', rule: 'Display_Name_WS_for__should_be_one_of__instead_of', at: `${at}.display` }]);
    expect(check({ system: CS, code: 'red', display: 'Crimson' })).toEqual([{ severity: 'error', rule: 'Display_Name_for__should_be_one_of__instead_of', at: `${at}.display` }]);
  });
});

describe('a value set that leaves out inactive codes (compose.inactive = false)', () => {
  const validate = (code: string) => found(svc.validate(basic({ system: CS, code }), { profiles: ['http://example.org/StructureDefinition/active-shade'] }), ['STATUS_CODE_WARNING_CODE', 'Terminology_TX_NoValid_1_CC']);

  it('an inactive code of an included code system is an error, and not in the value set', () => {
    expect(validate('taupe')).toEqual([
      { severity: 'error', rule: 'STATUS_CODE_WARNING_CODE', at: `${at}.code` },
      { severity: 'error', rule: 'Terminology_TX_NoValid_1_CC', at: 'Basic.code' },
    ]);
    expect(validate('red')).toEqual([]);
    // deprecated is not inactive
    expect(validate('mauve')).toEqual([]);
  });
});
