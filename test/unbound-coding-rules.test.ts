/**
 * Codings no value set is bound to are still checked against their code systems, as the reference's
 * checkCodeableConcept ("no binding check, so we just check the CodeableConcept generally") and checkCodedElement
 * do: an unknown code or a wrong display of a code system at hand is reported wherever the value stands (an
 * Observation's valueCodeableConcept, an extension's valueCoding), once per coding. Payloads of our own, through the
 * public validation service; the reference gives the same findings on them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createValidationService, type ValidationService } from '../src/validation/index.js';
import { errorsAndWarnings } from './support/rule-ids.js';

const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

let service: ValidationService;
beforeAll(async () => {
  service = await createValidationService();
});

/** `severity rule@location` of every error and warning the public service reports for the JSON text of `resource`. */
function found(resource: unknown): string[] {
  return errorsAndWarnings(service.validateText(JSON.stringify(resource), { format: 'json' }).outcome);
}

const observationValue = (coding: Record<string, unknown>): Record<string, unknown> => ({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueCodeableConcept: { coding: [coding] } });
const extensionCoding = (coding: Record<string, unknown>): Record<string, unknown> => ({ resourceType: 'Basic', code: { text: 'x' }, extension: [{ url: 'http://example.org/fhir/StructureDefinition/x', valueCoding: coding }] });
const AT_VALUE = 'Observation.value.ofType(CodeableConcept).coding[0]';
const AT_EXTENSION = 'Basic.extension[0].value.ofType(Coding)';

describe('codings without a bound value set', () => {
  it('accepts a known code with its display', () => {
    expect(found(observationValue({ system: CATEGORY, code: 'vital-signs', display: 'Vital Signs' }))).toEqual([]);
    expect(found(extensionCoding({ system: CATEGORY, code: 'laboratory', display: 'Laboratory' }))).toEqual([]);
  });

  it('reports a code its code system does not have, in a CodeableConcept and in a lone Coding', () => {
    expect(found(observationValue({ system: CATEGORY, code: 'vital-sines' }))).toEqual([`error Unknown_Code_in_Version@${AT_VALUE}.code`]);
    expect(found(extensionCoding({ system: CATEGORY, code: 'vital-sines' }))).toEqual([`error Unknown_Code_in_Version@${AT_EXTENSION}.code`]);
  });

  it('takes any absolute URI as a code of urn:ietf:rfc:3986 and nothing else (the reference\'s URI code system)', () => {
    const URI = 'urn:ietf:rfc:3986';
    expect(found(observationValue({ system: URI, code: 'RicardianContract' }))).toEqual([`error Unknown_Code_in@${AT_VALUE}.code`]);
    expect(found(extensionCoding({ system: URI, code: 'not a uri' }))).toEqual([`error Unknown_Code_in@${AT_EXTENSION}.code`]);
    for (const code of ['http://example.org/x', 'urn:oid:1.2.3', 'urn:uuid:6c1c9a4e-9b44-4f0c-9f86-7b3c0c8e1a11']) expect(found(observationValue({ system: URI, code }))).toEqual([]);
  });

  it('reports a wrong display', () => {
    expect(found(observationValue({ system: CATEGORY, code: 'vital-signs', display: 'Vital Sines' }))).toEqual([`error Display_Name_for__should_be_one_of__instead_of@${AT_VALUE}.display`]);
    expect(found(extensionCoding({ system: CATEGORY, code: 'vital-signs', display: '  ' }))).toEqual([
      `warning Type_Specific_Checks_DT_Primitive_WS@${AT_EXTENSION}.display`,
      `error Display_Name_for__should_be_one_of__instead_of@${AT_EXTENSION}.display`,
    ]);
  });

  it('leaves a code system not at hand to a terminology server (no finding offline)', () => {
    expect(found(observationValue({ system: 'http://example.org/fhir/CodeSystem/local', code: 'anything' }))).toEqual([]);
  });

  it('does not judge a lone Coding without a code, bound or not (checkCodedElement)', () => {
    const encounter = (cls: Record<string, unknown>) => ({ resourceType: 'Encounter', status: 'finished', class: cls });
    expect(found(encounter({ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', display: 'ambulatory' }))).toEqual([]);
    expect(found(extensionCoding({ system: CATEGORY, display: 'Vital Sines' }))).toEqual([]);
    expect(found(encounter({ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'nope' }))).toEqual(['error Unknown_Code_in_Version@Encounter.class.code', 'warning Terminology_TX_NoValid_13@Encounter.class']);
  });

  it('checks a coding of a CodeableConcept once, through the CodeableConcept', () => {
    const two = { resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueCodeableConcept: { coding: [{ system: CATEGORY, code: 'nope' }, { system: CATEGORY, code: 'exam', display: 'Exam' }] } };
    expect(found(two)).toEqual(['error Unknown_Code_in_Version@Observation.value.ofType(CodeableConcept).coding[0].code']);
  });

  it('a CodeSystem property value is checked against the code systems at hand, not the code system being validated', () => {
    const cs = {
      resourceType: 'CodeSystem',
      url: 'http://example.org/fhir/CodeSystem/self',
      status: 'draft',
      content: 'complete',
      caseSensitive: true,
      property: [{ code: 'kind', uri: 'http://example.org/fhir/property/kind', type: 'Coding' }],
      concept: [
        { code: 'a', display: 'A', definition: 'A', property: [{ code: 'kind', valueCoding: { system: 'http://example.org/fhir/CodeSystem/self', code: 'zz' } }] },
        { code: 'b', display: 'B', definition: 'B', property: [{ code: 'kind', valueCoding: { system: CATEGORY, code: 'zz' } }] },
      ],
    };
    expect(found(cs)).toEqual(['error Unknown_Code_in_Version@CodeSystem.concept[1].property[0].value.ofType(Coding).code']);
  });
});
