/**
 * Codes in instances against bindings and code systems, named as the reference's InstanceValidator names them:
 * a Coding of its own (or a Quantity's code) outside its bound value set is reported by checkCodedElement as
 * Terminology_TX_NoValid_12 / _13 / _14 by binding strength; a Coding whose code system is loaded without its codes
 * cannot be checked (TERMINOLOGY_TX_SYSTEM_NOT_USABLE). Through createValidationService with code systems, value sets
 * and profiles of our own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { CORE, found, profile, serviceWith } from './helpers.js';

const P = 'http://example.org/StructureDefinition/';
const CS = 'http://example.org/CodeSystem/contact-kinds';
const VS = 'http://example.org/ValueSet/contact-kinds';
const EMPTY_CS = 'http://terminology.acme.test/CodeSystem/placeholder';
const RULES = [
  'Terminology_TX_NoValid_12', 'Terminology_TX_NoValid_13', 'Terminology_TX_NoValid_14', 'Terminology_TX_NoValid_4', 'Terminology_TX_NoValid_5',
  'Terminology_TX_NoValid_6', 'TERMINOLOGY_TX_SYSTEM_NOT_USABLE', 'Unknown_Code_in_Version', 'Unknown_Code_in', 'CONCEPT_DEPRECATED_IN_VALUESET',
  'Terminology_TX_NoValid_1_CC', 'INACTIVE_DISPLAY_FOUND', 'Display_Name_for__should_be_one_of__instead_of',
  'Unable_to_resolve_system__value_set_has_multiple_matches', 'UNABLE_TO_INFER_CODESYSTEM', 'Terminology_TX_NoValid_16', 'Terminology_TX_NoValid_17',
  'Terminology_TX_NoValid_18', 'Unable_to_resolve_system__value_set_has_no_includes_or_expansion',
];
const FLAGGED_VS = 'http://example.org/ValueSet/contact-kinds-reviewed';
const LEGACY_CS = 'http://example.org/CodeSystem/contact-kinds-legacy';
const MIXED_VS = 'http://example.org/ValueSet/contact-kinds-mixed';
const EMPTY_VS = 'http://example.org/ValueSet/no-kinds';
const rulesBinding = (name: string, strength: string) => profile(`${P}${name}`, 'Basic', `${CORE}Basic`, [{ id: 'Basic.implicitRules', path: 'Basic.implicitRules', binding: { strength, valueSet: MIXED_VS } }]);
const status = (code: string) => ({ url: 'http://hl7.org/fhir/StructureDefinition/structuredefinition-standards-status', valueCode: code });
const bind = (name: string, strength: string, valueSet = VS) => profile(`${P}${name}`, 'Encounter', `${CORE}Encounter`, [{ id: 'Encounter.class', path: 'Encounter.class', binding: { strength, valueSet } }]);

let svc: ValidationService;
beforeAll(async () => {
  svc = await serviceWith({
    'cs.json': {
      resourceType: 'CodeSystem', url: CS, name: 'ContactKinds', status: 'active', content: 'complete', caseSensitive: true,
      concept: [{ code: 'emergency', display: 'Emergency' }, { code: 'planned', display: 'Planned', designation: [{ value: 'Scheduled', extension: [status('deprecated')] }, { value: 'Booked' }] }, { code: 'advice', display: 'Advice only' }],
    },
    'vs.json': { resourceType: 'ValueSet', url: VS, name: 'ContactKinds', status: 'active', compose: { include: [{ system: CS, concept: [{ code: 'emergency' }, { code: 'planned' }] }] } },
    'empty.json': { resourceType: 'CodeSystem', url: EMPTY_CS, name: 'Placeholder', status: 'active', content: 'not-present' },
    'p-req.json': bind('class-required', 'required'),
    'p-ext.json': bind('class-extensible', 'extensible'),
    'p-pref.json': bind('class-preferred', 'preferred'),
    'vs-flagged.json': {
      resourceType: 'ValueSet', url: FLAGGED_VS, version: '2.0.0', name: 'ReviewedKinds', status: 'active',
      compose: {
        include: [{
          system: CS,
          concept: [
            { code: 'emergency', extension: [status('withdrawn')] },
            { code: 'planned', extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/valueset-deprecated', valueBoolean: true }] },
            { code: 'advice', extension: [status('trial-use')] },
          ],
        }],
      },
    },
    'p-flagged.json': bind('class-flagged', 'required', FLAGGED_VS),
    'cs-legacy.json': { resourceType: 'CodeSystem', url: LEGACY_CS, name: 'LegacyKinds', status: 'active', content: 'complete', concept: [{ code: 'planned' }, { code: 'walk-in' }] },
    'vs-mixed.json': { resourceType: 'ValueSet', url: MIXED_VS, name: 'MixedKinds', status: 'active', compose: { include: [{ system: CS }, { system: LEGACY_CS }] } },
    'p-rules-req.json': rulesBinding('rules-required', 'required'),
    'p-rules-ext.json': rulesBinding('rules-extensible', 'extensible'),
    'vs-empty.json': { resourceType: 'ValueSet', url: EMPTY_VS, name: 'NoKinds', status: 'active', compose: { inactive: false } },
    'p-rules-empty.json': profile(`${P}rules-empty`, 'Basic', `${CORE}Basic`, [{ id: 'Basic.implicitRules', path: 'Basic.implicitRules', binding: { strength: 'required', valueSet: EMPTY_VS } }]),
    'p-flagged-cc.json': profile(`${P}code-flagged`, 'Basic', `${CORE}Basic`, [{ id: 'Basic.code', path: 'Basic.code', binding: { strength: 'extensible', valueSet: FLAGGED_VS } }]),
  });
});

const encounter = (code: string, name: string) =>
  found(svc.validate({ resourceType: 'Encounter', status: 'finished', class: { system: CS, code } }, { profiles: [`${P}${name}`] }), RULES);

describe('a Coding outside its bound value set (checkCodedElement)', () => {
  it('is an error on a required binding (Terminology_TX_NoValid_12)', () => {
    expect(encounter('advice', 'class-required')).toEqual([{ severity: 'error', rule: 'Terminology_TX_NoValid_12', at: 'Encounter.class' }]);
  });

  it('is a warning on an extensible binding (Terminology_TX_NoValid_13)', () => {
    expect(encounter('advice', 'class-extensible')).toEqual([{ severity: 'warning', rule: 'Terminology_TX_NoValid_13', at: 'Encounter.class' }]);
  });

  it('is information on a preferred binding of a profile (Terminology_TX_NoValid_14)', () => {
    expect(encounter('advice', 'class-preferred')).toEqual([{ severity: 'information', rule: 'Terminology_TX_NoValid_14', at: 'Encounter.class' }]);
  });

  it('gives nothing for a code of the value set, whatever the strength', () => {
    for (const name of ['class-required', 'class-extensible', 'class-preferred']) expect(encounter('planned', name)).toEqual([]);
  });
});

describe('a Coding whose code system holds no codes', () => {
  const tagged = (system: string, code = 'x1') => found(svc.validate({ resourceType: 'Basic', meta: { tag: [{ system, code }] }, code: { text: 'note' } }), RULES);

  it('cannot be checked: TERMINOLOGY_TX_SYSTEM_NOT_USABLE (information) at the Coding', () => {
    expect(tagged(EMPTY_CS)).toEqual([{ severity: 'information', rule: 'TERMINOLOGY_TX_SYSTEM_NOT_USABLE', at: 'Basic.meta.tag[0]' }]);
  });

  it('is not reported for a code system with its codes, nor for one that is not loaded at all', () => {
    expect(tagged(CS, 'advice')).toEqual([]);
    expect(tagged('http://terminology.acme.test/CodeSystem/never-loaded')).toEqual([]);
  });
});

describe('a code the value set itself marks withdrawn or deprecated (CONCEPT_DEPRECATED_IN_VALUESET)', () => {
  it('is a warning at the code of a Coding, whether marked by standards status or by valueset-deprecated', () => {
    expect(encounter('emergency', 'class-flagged')).toEqual([{ severity: 'warning', rule: 'CONCEPT_DEPRECATED_IN_VALUESET', at: 'Encounter.class.code' }]);
    expect(encounter('planned', 'class-flagged')).toEqual([{ severity: 'warning', rule: 'CONCEPT_DEPRECATED_IN_VALUESET', at: 'Encounter.class.code' }]);
  });

  it('is a warning at the code of the coding of a CodeableConcept', () => {
    const basic = { resourceType: 'Basic', code: { coding: [{ system: CS, code: 'emergency' }] } };
    expect(found(svc.validate(basic, { profiles: [`${P}code-flagged`] }), RULES)).toEqual([{ severity: 'warning', rule: 'CONCEPT_DEPRECATED_IN_VALUESET', at: 'Basic.code.coding[0].code' }]);
  });

  it('is not reported for another status, nor where the same code comes from a value set that does not mark it', () => {
    expect(encounter('advice', 'class-flagged')).toEqual([]);
    expect(encounter('emergency', 'class-required')).toEqual([]);
  });
});

describe('a display that a designation with a standards status gives (INACTIVE_DISPLAY_FOUND)', () => {
  const classed = (display: string) =>
    found(svc.validate({ resourceType: 'Encounter', status: 'finished', class: { system: CS, code: 'planned', display } }, { profiles: [`${P}class-required`] }), RULES);

  it('is a warning at the display, and the coding still counts as a member of the value set', () => {
    expect(classed('Scheduled')).toEqual([{ severity: 'warning', rule: 'INACTIVE_DISPLAY_FOUND', at: 'Encounter.class.display' }]);
    expect(classed('scheduled')).toEqual([{ severity: 'warning', rule: 'INACTIVE_DISPLAY_FOUND', at: 'Encounter.class.display' }]);
  });

  it('is a warning for the coding of a CodeableConcept without a binding too', () => {
    const basic = { resourceType: 'Basic', code: { coding: [{ system: CS, code: 'planned', display: 'Scheduled' }] } };
    expect(found(svc.validate(basic), RULES)).toEqual([{ severity: 'warning', rule: 'INACTIVE_DISPLAY_FOUND', at: 'Basic.code.coding[0].display' }]);
  });

  it('is not reported for the display or a designation without a status; a display matching nothing stays wrong (and out of the value set)', () => {
    expect(classed('Planned')).toEqual([]);
    expect(classed('Booked')).toEqual([]);
    expect(classed('Postponed')).toEqual([
      { severity: 'error', rule: 'Display_Name_for__should_be_one_of__instead_of', at: 'Encounter.class.display' },
      { severity: 'error', rule: 'Terminology_TX_NoValid_12', at: 'Encounter.class' },
    ]);
  });
});

describe('a bare code that more than one code system of the value set defines (the system cannot be inferred)', () => {
  const basic = (value: string, name: string) => found(svc.validate({ resourceType: 'Basic', implicitRules: value, code: { text: 'x' } }, { profiles: [`${P}${name}`] }), RULES);

  it('is an error on a required binding: Unable_to_resolve_system__value_set_has_multiple_matches, then Terminology_TX_NoValid_16', () => {
    expect(basic('planned', 'rules-required')).toEqual([
      { severity: 'error', rule: 'Unable_to_resolve_system__value_set_has_multiple_matches', at: 'Basic.implicitRules' },
      { severity: 'error', rule: 'Terminology_TX_NoValid_16', at: 'Basic.implicitRules' },
    ]);
  });

  it('is the extensible warning alone on an extensible binding (the reference drops its cannot-infer issue there)', () => {
    expect(basic('planned', 'rules-extensible')).toEqual([{ severity: 'warning', rule: 'Terminology_TX_NoValid_17', at: 'Basic.implicitRules' }]);
  });

  it('a value set defined with no include (and no expansion) says why the system cannot be inferred', () => {
    expect(basic('planned', 'rules-empty')).toEqual([
      { severity: 'error', rule: 'Unable_to_resolve_system__value_set_has_no_includes_or_expansion', at: 'Basic.implicitRules' },
      { severity: 'error', rule: 'UNABLE_TO_INFER_CODESYSTEM', at: 'Basic.implicitRules' },
      { severity: 'error', rule: 'Terminology_TX_NoValid_16', at: 'Basic.implicitRules' },
    ]);
  });

  it('gives nothing for a code that one system alone defines', () => {
    expect(basic('walk-in', 'rules-required')).toEqual([]);
    expect(basic('emergency', 'rules-required')).toEqual([]);
  });
});
