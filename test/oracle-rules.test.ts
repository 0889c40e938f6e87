/**
 * Rules the differential oracle (docs/oracle.md) showed ads-fhir reading differently from the HL7 Java validator,
 * each written from the reference's own code and checked through createValidationService with payloads of our own.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createValidationService, ruleOf, type ValidationService } from '../src/index.js';
import { profile, tempDir, testCacheDir, writePackageFolder } from '../src/packages/test-fixtures.js';

const BASE = 'http://example.org/fhir/StructureDefinition/coded-observation';
const DERIVED = 'http://example.org/fhir/StructureDefinition/coded-observation-derived';
const EXPLICIT = 'http://example.org/fhir/StructureDefinition/coded-observation-explicit';
const PLAIN_PATIENT = 'http://example.org/fhir/StructureDefinition/plain-patient';
const IN_SLICE = 'http://example.org/fhir/StructureDefinition/component-observation';
const IN_SLICE_DERIVED = 'http://example.org/fhir/StructureDefinition/component-observation-derived';

/** A required `component:main` slice whose `code.coding` has two required slices. */
const slicedComponent = [
  { id: 'Observation.component', path: 'Observation.component', slicing: { discriminator: [{ type: 'pattern', path: 'code' }], rules: 'open' } },
  { id: 'Observation.component:main', path: 'Observation.component', sliceName: 'main', min: 1, max: '1' },
  { id: 'Observation.component:main.code', path: 'Observation.component.code', patternCodeableConcept: { text: 'main' } },
  { id: 'Observation.component:main.code.coding', path: 'Observation.component.code.coding', slicing: { discriminator: [{ type: 'value', path: 'system' }], rules: 'open' } },
  { id: 'Observation.component:main.code.coding:loinc', path: 'Observation.component.code.coding', sliceName: 'loinc', min: 1, max: '1' },
  { id: 'Observation.component:main.code.coding:loinc.system', path: 'Observation.component.code.coding.system', fixedUri: 'http://loinc.org' },
  { id: 'Observation.component:main.code.coding:snomedCT', path: 'Observation.component.code.coding', sliceName: 'snomedCT', min: 1 },
  { id: 'Observation.component:main.code.coding:snomedCT.system', path: 'Observation.component.code.coding.system', fixedUri: 'http://snomed.info/sct' },
];

/** Two required coding slices, the slicing stated on `coding` (as UK Core's vital signs profile does). */
const slicedCoding = [
  { id: 'Observation.code.coding', path: 'Observation.code.coding', slicing: { discriminator: [{ type: 'value', path: 'system' }], rules: 'open' } },
  { id: 'Observation.code.coding:loinc', path: 'Observation.code.coding', sliceName: 'loinc', min: 1, max: '1' },
  { id: 'Observation.code.coding:loinc.system', path: 'Observation.code.coding.system', fixedUri: 'http://loinc.org' },
  { id: 'Observation.code.coding:snomedCT', path: 'Observation.code.coding', sliceName: 'snomedCT', min: 1 },
  { id: 'Observation.code.coding:snomedCT.system', path: 'Observation.code.coding.system', fixedUri: 'http://snomed.info/sct' },
];

function observation(claims: string): unknown {
  return { resourceType: 'Observation', meta: { profile: [claims] }, status: 'final', code: { coding: [{ system: 'http://snomed.info/sct', code: '75367002' }] } };
}

const errors = (service: ValidationService, v: unknown): string[] =>
  service
    .validate(v)
    .issue.filter((i) => i.severity === 'error')
    .map((i) => `${ruleOf(i)} ${i.expression?.[0]}`)
    .sort();

describe('oracle rules', () => {
  let service: ValidationService;
  beforeAll(async () => {
    const dir = writePackageFolder(join(tempDir(), 'coded'), { name: 'example.coded', version: '1.0.0' }, {
      'base.json': profile(BASE, 'Observation', 'http://hl7.org/fhir/StructureDefinition/Observation', slicedCoding),
      // Goes straight into a slice of the sliced `coding`, without naming `coding` itself.
      'derived.json': profile(DERIVED, 'Observation', BASE, [{ id: 'Observation.code.coding:loinc', path: 'Observation.code.coding', sliceName: 'loinc', short: 'The LOINC code' }]),
      'plain-patient.json': profile(PLAIN_PATIENT, 'Patient', 'http://hl7.org/fhir/StructureDefinition/Patient', [{ id: 'Patient.gender', path: 'Patient.gender', min: 1 }]),
      'in-slice.json': profile(IN_SLICE, 'Observation', 'http://hl7.org/fhir/StructureDefinition/Observation', slicedComponent),
      'in-slice-derived.json': profile(IN_SLICE_DERIVED, 'Observation', IN_SLICE, [
        { id: 'Observation.component:main.code.coding:loinc', path: 'Observation.component.code.coding', sliceName: 'loinc', short: 'The LOINC code' },
      ]),
      // Names `coding` (and its slicing) before its slice.
      'explicit.json': profile(EXPLICIT, 'Observation', BASE, [
        { id: 'Observation.code.coding', path: 'Observation.code.coding', slicing: { discriminator: [{ type: 'value', path: 'system' }], rules: 'open' } },
        { id: 'Observation.code.coding:loinc', path: 'Observation.code.coding', sliceName: 'loinc', short: 'The LOINC code' },
      ]),
    });
    service = await createValidationService({ packages: [dir], store: { cacheDir: testCacheDir, ukCore: false }, ads: false });
  });

  it('a differential that goes straight into slices raises the sliced element to the sum of their minimums (Validation_VAL_Profile_Minimum)', () => {
    expect(errors(service, observation(DERIVED))).toEqual(['Validation_VAL_Profile_Minimum Observation.code', 'Validation_VAL_Profile_Minimum_SLICE Observation.code']);
    expect(service.store.structureDefinition(DERIVED)?.snapshot?.element.find((e) => e.id === 'Observation.code.coding')?.min).toBe(2);
  });

  it('the minimum stays as stated where the differential names the sliced element, or the slicing is its own', () => {
    expect(errors(service, observation(EXPLICIT))).toEqual(['Validation_VAL_Profile_Minimum_SLICE Observation.code']);
    expect(errors(service, observation(BASE))).toEqual(['Validation_VAL_Profile_Minimum_SLICE Observation.code']);
  });

  it('a count of an extension\'s own content is one finding in every pass over the resource holding it', async () => {
    const every = await createValidationService({ reuse: service.store, reportConsequences: true });
    const patient = { resourceType: 'Patient', meta: { profile: [PLAIN_PATIENT] }, extension: [{ valueString: 'no url' }] };
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:7a4e6c1e-0000-4000-8000-000000000001', resource: patient }] };
    const found = errors(every, bundle).filter((e) => e.startsWith('Validation_VAL_Profile_Minimum '));
    // Extension.url once (the extension's definition, in the base pass and in the profile's); gender from the profile.
    expect(found).toEqual(['Validation_VAL_Profile_Minimum Bundle.entry[0].resource', 'Validation_VAL_Profile_Minimum Bundle.entry[0].resource.extension[0]']);
  });

  it('inside a slice as well (Validation_VAL_Profile_Minimum on the slice\'s element)', () => {
    const coding = service.store.structureDefinition(IN_SLICE_DERIVED)?.snapshot?.element.find((e) => e.id === 'Observation.component:main.code.coding');
    expect(coding?.min).toBe(2);
    const obs = { ...(observation(IN_SLICE_DERIVED) as object), component: [{ code: { text: 'main', coding: [{ system: 'http://snomed.info/sct', code: '271649006' }] }, valueString: 'x' }] };
    expect(errors(service, obs).filter((e) => e.includes('component'))).toEqual(['Validation_VAL_Profile_Minimum Observation.component[0].code', 'Validation_VAL_Profile_Minimum_SLICE Observation.component[0].code']);
  });
});
