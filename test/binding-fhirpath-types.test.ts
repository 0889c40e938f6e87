/**
 * An extensible binding to FHIR's defined types accepts FHIRPath system types (the reference's isOkExtension):
 * ElementDefinition.type.code of `http://hl7.org/fhirpath/System.String` (primitive `value` elements) is no
 * finding, while another code outside the value set still is. Public validation service; payloads of our own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createValidationService, type ValidationService } from '../src/validation/index.js';

let service: ValidationService;
beforeAll(async () => {
  service = await createValidationService();
});

const sd = (code: string) => ({
  resourceType: 'StructureDefinition', url: 'http://example.org/fhir/StructureDefinition/Thing', name: 'Thing', status: 'draft', kind: 'logical', abstract: false,
  type: 'http://example.org/fhir/StructureDefinition/Thing', baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Element', derivation: 'specialization',
  differential: { element: [{ id: 'Thing', path: 'Thing' }, { id: 'Thing.label', path: 'Thing.label', min: 0, max: '1', type: [{ code }] }] },
});

function atTypeCode(resource: unknown): string[] {
  return service.validator
    .validateToIssues(resource)
    .filter((i) => i.expression === 'StructureDefinition.differential.element[1].type[0].code')
    .map((i) => `${i.severity} ${i.rule}`);
}

describe('FHIRPath system types where FHIR types are bound', () => {
  it('accepts http://hl7.org/fhirpath/System.* under the extensible binding', () => {
    expect(atTypeCode(sd('http://hl7.org/fhirpath/System.String'))).toEqual([]);
  });

  it('still warns of another code outside the value set', () => {
    expect(atTypeCode(sd('http://example.org/not-a-type'))).toEqual(['warning Terminology_TX_NoValid_17']);
  });
});
