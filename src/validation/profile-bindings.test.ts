import { describe, expect, it } from 'vitest';
import type { StructureDefinition } from 'fhir/r4';
import { readCoreR4 } from '../packages/core-r4.js';
import { LocalTerminology } from '../terminology/local-terminology.js';
import { TerminologyBindingChecker } from '../terminology/binding-checker.js';
import { MemoryResolver } from './core-resolver.js';
import { Validator } from './validator.js';

const core = readCoreR4();
const V2_0131 = 'http://terminology.hl7.org/CodeSystem/v2-0131';
const PROFILE = 'http://example.org/StructureDefinition/patient-local-relationships';

/** Core Patient with Patient.contact.relationship bound (required) to a value set contained in the profile. */
function profileWithContainedValueSet(strength: 'required' | 'extensible' = 'required', url = PROFILE): StructureDefinition {
  const patient = core.find((r) => r.resourceType === 'StructureDefinition' && r.url === 'http://hl7.org/fhir/StructureDefinition/Patient') as StructureDefinition;
  const profile = structuredClone(patient);
  profile.url = url;
  profile.derivation = 'constraint';
  profile.baseDefinition = patient.url;
  profile.contained = [
    {
      resourceType: 'ValueSet',
      id: 'relationships',
      status: 'draft',
      expansion: { timestamp: '2019-05-23T10:18:03Z', contains: [{ system: V2_0131, code: 'C', display: 'alt-display' }] },
    },
  ];
  const element = profile.snapshot!.element.find((e) => e.path === 'Patient.contact.relationship')!;
  element.binding = { strength, valueSet: '#relationships' };
  return profile;
}

function validatorWith(...profiles: StructureDefinition[]): Validator {
  const resolver = new MemoryResolver([...core, ...(profiles as never[])]);
  return new Validator(resolver, { terminology: new TerminologyBindingChecker(new LocalTerminology(resolver)) });
}

const patient = (display: string, code = 'C') => ({
  resourceType: 'Patient',
  contact: [{ relationship: [{ coding: [{ system: V2_0131, code, display }] }], name: { text: 'Someone' } }],
});

describe('bindings of profiles', () => {
  const validator = validatorWith(profileWithContainedValueSet());
  const coded = (display: string, options: { profiles?: string[]; displayLanguage?: string } = {}, code = 'C') =>
    validator.validateToIssues(patient(display, code), options).filter((i) => i.expression.startsWith('Patient.contact'));

  it('judges the base binding and displays without a profile', () => {
    const found = coded('alt-display', { displayLanguage: 'en, de' });
    expect(found.map((i) => `${i.severity}:${i.expression}`)).toEqual(['error:Patient.contact[0].relationship[0].coding[0].display', 'warning:Patient.contact[0].relationship[0]']);
  });

  it('resolves a value set contained in the profile, and lets its binding replace the base one', () => {
    expect(coded('alt-display', { profiles: [PROFILE], displayLanguage: 'en, de' })).toEqual([]);
    const outside = coded('Next-of-Kin', { profiles: [PROFILE] }, 'N');
    expect(outside.map((i) => `${i.severity}:${i.expression}`)).toEqual(['error:Patient.contact[0].relationship[0]']);
  });
});

describe('the base definition binding beside a profile binding of the same element', () => {
  const EXTENSIBLE = 'http://example.org/StructureDefinition/patient-local-relationships-extensible';
  const validator = validatorWith(profileWithContainedValueSet(), profileWithContainedValueSet('extensible', EXTENSIBLE));
  // A coding in neither value set: the base binding (extensible) warns, and so does or errs the profile's.
  const outsideBoth = { system: 'http://other.test/cs', code: 'X' };
  const claiming = (profile: string, meta = true) => ({ resourceType: 'Patient', ...(meta ? { meta: { profile: [profile] } } : {}), contact: [{ relationship: [{ coding: [outsideBoth] }], name: { text: 'Someone' } }] });
  const found = (input: unknown, options: { profiles?: string[]; reportConsequences?: boolean } = {}) =>
    validator
      .validateToIssues(input, options)
      .filter((i) => i.expression.endsWith('.contact[0].relationship[0]') && i.severity !== 'information')
      .map((i) => `${i.severity} ${i.rule} ${i.expression}`);

  it('keeps the base warning beside an extensible profile binding, where the resource is walked against both', () => {
    expect(found(claiming(EXTENSIBLE), { reportConsequences: true })).toEqual(['warning Terminology_TX_NoValid_2_CC Patient.contact[0].relationship[0]', 'warning Terminology_TX_NoValid_2_CC Patient.contact[0].relationship[0]']);
    // A resource inside another is always walked against its type too.
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'http://server.test/Patient/1', resource: claiming(EXTENSIBLE) }] };
    expect(found(bundle)).toEqual(['warning Terminology_TX_NoValid_2_CC Bundle.entry[0].resource.contact[0].relationship[0]', 'warning Terminology_TX_NoValid_2_CC Bundle.entry[0].resource.contact[0].relationship[0]']);
  });

  it('drops the base extensible warning where the profile binds the element as required', () => {
    expect(found(claiming(PROFILE), { reportConsequences: true })).toEqual(['error Terminology_TX_NoValid_1_CC Patient.contact[0].relationship[0]']);
  });

  it('keeps the profile binding alone where the profile is asked for, in place of the base', () => {
    expect(found(claiming(EXTENSIBLE, false), { profiles: [EXTENSIBLE], reportConsequences: true })).toEqual(['warning Terminology_TX_NoValid_2_CC Patient.contact[0].relationship[0]']);
  });
});
