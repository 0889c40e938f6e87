/**
 * A bound CodeableConcept with no codings and no text (empty, or only an id or extensions) is a CodeableConcept
 * without a code: its binding says so by strength, as the reference validator's validateBindingCodeableConcept
 * does, rather than being taken for a Coding without a system. Core R4 bindings, through the Validator.
 */
import { describe, expect, it } from 'vitest';
import { readCoreR4 } from '../packages/core-r4.js';
import { LocalTerminology } from '../terminology/local-terminology.js';
import { TerminologyBindingChecker } from '../terminology/binding-checker.js';
import { MemoryResolver } from './core-resolver.js';
import { Validator } from './validator.js';

const resolver = new MemoryResolver(readCoreR4());
const validator = new Validator(resolver, { terminology: new TerminologyBindingChecker(new LocalTerminology(resolver)) });
const RULES = ['Terminology_TX_Code_ValueSet', 'Terminology_TX_Code_ValueSet_Ext', 'Coding_has_no_system__cannot_validate', 'TERMINOLOGY_TX_SYSTEM_NO_CODE'];

function found(input: unknown): string[] {
  return validator
    .validateToIssues(input)
    .filter((i) => RULES.includes(i.rule))
    .map((i) => `${i.severity} ${i.rule} ${i.expression}`);
}

const DAR = { url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' };
const location = (type: unknown) => ({ resourceType: 'Location', name: 'Station 4', type: [type] });

describe('a bound CodeableConcept without codings or text', () => {
  it('should have a code under an extensible binding (Location.type)', () => {
    for (const empty of [{}, { id: 't1' }, { extension: [DAR] }]) {
      expect(found(location(empty))).toEqual(['warning Terminology_TX_Code_ValueSet_Ext Location.type[0]']);
    }
  });

  it('must have a code under a required binding (AllergyIntolerance.clinicalStatus)', () => {
    const allergy = { resourceType: 'AllergyIntolerance', clinicalStatus: { extension: [DAR] }, patient: { reference: 'Patient/p1' } };
    expect(found(allergy)).toEqual(['error Terminology_TX_Code_ValueSet AllergyIntolerance.clinicalStatus']);
  });

  it('is judged as before when it has text or codings', () => {
    expect(found(location({ text: 'ambulance station' }))).toEqual(['warning Terminology_TX_Code_ValueSet_Ext Location.type[0]']);
    expect(found(location({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'AMB' }] }))).toEqual([]);
  });
});
