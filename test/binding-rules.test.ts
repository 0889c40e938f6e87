/**
 * The rule ids of binding checks (the reference validator's Terminology_TX_* and display keys): a code,
 * Coding or CodeableConcept against a value set by binding strength, displays against the code system in
 * the languages asked for, and what cannot be settled offline. Through the public terminology plug-in
 * (`TerminologyBindingChecker` of ads-fhir/terminology) over code systems and value sets of our own.
 */
import { describe, expect, it } from 'vitest';
import type { CanonicalResource } from '../src/packages/types.js';
import { LocalTerminology, TerminologyBindingChecker } from '../src/terminology/index.js';
import { coreResources, MemoryResolver } from './support/memory-resolver.js';

const CS = 'http://example.org/CodeSystem/conveyance';
const VS = 'http://example.org/ValueSet/conveyance';
const SCT_VS = 'http://example.org/ValueSet/findings';
const resources = [
  {
    resourceType: 'CodeSystem', url: CS, status: 'active', content: 'complete', caseSensitive: true, language: 'en',
    concept: [
      { code: 'conveyed', display: 'Conveyed to hospital', designation: [{ language: 'de', value: 'Ins Krankenhaus gebracht' }] },
      { code: 'see-and-treat', display: 'Treated at scene' },
      { code: 'declined', display: 'Declined' },
    ],
  },
  { resourceType: 'ValueSet', url: VS, status: 'active', compose: { include: [{ system: CS, concept: [{ code: 'conveyed' }, { code: 'see-and-treat' }] }] } },
  { resourceType: 'ValueSet', url: SCT_VS, status: 'active', compose: { include: [{ system: 'http://snomed.info/sct', filter: [{ property: 'concept', op: 'is-a', value: '404684003' }] }] } },
];
const checker = new TerminologyBindingChecker(new LocalTerminology(new MemoryResolver([...coreResources(), ...resources] as CanonicalResource[])));
const at = 'Encounter.type';

type Args = Parameters<TerminologyBindingChecker['check']>[0];
const rules = (args: Partial<Args> & Pick<Args, 'value' | 'strength'>): string[][] => checker.check({ valueSet: VS, path: at, ...args }).map((i) => [i.severity, i.rule, i.expression]);
const coding = (code: string, display?: string): Record<string, string> => ({ system: CS, code, ...(display ? { display } : {}) });

describe('codes outside the bound value set, by kind of value and binding strength', () => {
  it('a CodeableConcept', () => {
    const cc = { coding: [coding('declined')] };
    expect(rules({ value: cc, strength: 'required' })).toEqual([['error', 'Terminology_TX_NoValid_1_CC', at]]);
    expect(rules({ value: cc, strength: 'extensible' })).toEqual([['warning', 'Terminology_TX_NoValid_2_CC', at]]);
    expect(rules({ value: cc, strength: 'preferred' })).toEqual([['information', 'Terminology_TX_NoValid_3_CC', at]]);
  });

  it('a Coding', () => {
    expect(rules({ value: coding('declined'), strength: 'extensible' })).toEqual([['warning', 'Terminology_TX_NoValid_13', at]]);
    expect(rules({ value: coding('declined'), strength: 'preferred' })).toEqual([['information', 'Terminology_TX_NoValid_14', at]]);
  });

  it('a bare code: no system of the value set defines it', () => {
    expect(rules({ value: 'declined', strength: 'required' })).toEqual([['error', 'UNABLE_TO_INFER_CODESYSTEM', at], ['error', 'Terminology_TX_NoValid_16', at]]);
    expect(rules({ value: 'declined', strength: 'preferred' })).toEqual([['information', 'Terminology_TX_NoValid_18', at]]);
  });

  it('no code at all, only text', () => {
    expect(rules({ value: { text: 'by ambulance' }, strength: 'required' })).toEqual([['error', 'Terminology_TX_Code_ValueSet', at]]);
    expect(rules({ value: { text: 'by ambulance' }, strength: 'extensible' })).toEqual([['warning', 'Terminology_TX_Code_ValueSet_Ext', at]]);
  });

  it('a coding without a system', () => {
    expect(rules({ value: { coding: [{ code: 'conveyed' }] }, strength: 'required' })).toEqual([
      ['warning', 'Coding_has_no_system__cannot_validate', `${at}.coding[0]`],
      ['error', 'Terminology_TX_NoValid_1_CC', at],
    ]);
  });

  it('a code only a terminology server could place in the value set', () => {
    // By kind of value, as the reference names them: a CodeableConcept, a Coding, a bare code.
    expect(rules({ valueSet: SCT_VS, value: { coding: [{ system: 'http://snomed.info/sct', code: '22298006' }] }, strength: 'required' })).toEqual([['information', 'TERMINOLOGY_TX_NOSVC_BOUND_REQ', at]]);
    expect(rules({ valueSet: SCT_VS, value: { coding: [{ system: 'http://snomed.info/sct', code: '22298006' }] }, strength: 'extensible' })).toEqual([['information', 'TERMINOLOGY_TX_NOSVC_BOUND_EXT', at]]);
    expect(rules({ valueSet: SCT_VS, value: { system: 'http://snomed.info/sct', code: '22298006' }, strength: 'required' })).toEqual([['information', 'Terminology_TX_Binding_NoServer', at]]);
    expect(rules({ valueSet: SCT_VS, value: '22298006', strength: 'required' })).toEqual([['information', 'Terminology_TX_NoValid_15', at]]);
  });

  it('a binding that names a code system where a value set belongs', () => {
    expect(rules({ valueSet: CS, value: { coding: [coding('conveyed')] }, strength: 'required' })).toEqual([['error', 'Terminology_TX_ValueSet_NotFound_CS', at]]);
  });
});

describe('displays', () => {
  it('reports a display the code system does not give', () => {
    expect(rules({ value: { coding: [coding('conveyed', 'Taken in')] }, strength: 'required' })).toEqual([
      ['error', 'Display_Name_for__should_be_one_of__instead_of', `${at}.coding[0].display`],
      ['error', 'Terminology_TX_NoValid_1_CC', at],
    ]);
  });

  it('judges displays in the languages asked for', () => {
    const ask = (display: string, displayLanguages: string[]): string[][] => rules({ value: { coding: [coding('conveyed', display)] }, strength: 'preferred', displayLanguages });
    expect(ask('Ins Krankenhaus gebracht', ['de'])).toEqual([]);
    expect(ask('Conveyed to hospital', ['de'])).toEqual([['warning', 'NO_VALID_DISPLAY_FOUND', `${at}.coding[0].display`]]);
    const treated = (display: string): string[][] => rules({ value: { coding: [coding('see-and-treat', display)] }, strength: 'preferred', displayLanguages: ['fr'] });
    expect(treated('Treated at scene')).toEqual([['information', 'NO_VALID_DISPLAY_FOUND_NONE_FOR_LANG_OK', `${at}.coding[0].display`]]);
    // A wrong display also keeps the coding out of the value set, as the reference counts it.
    expect(treated('Soigné sur place')).toEqual([['error', 'NO_VALID_DISPLAY_FOUND_NONE_FOR_LANG_ERR', `${at}.coding[0].display`], ['information', 'Terminology_TX_NoValid_3_CC', at]]);
  });
});
