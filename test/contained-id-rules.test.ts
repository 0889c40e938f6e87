/**
 * A contained resource must have an id (InstanceValidator.validateContains validates contained resources with
 * their id required: Resource_RES_ID_Missing, an error at the contained resource), through createValidationService.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { OperationOutcomeIssue } from 'fhir/r4';
import { createValidationService, type ValidationService } from '../src/validation/index.js';

/** The rule id an OperationOutcome issue carries (its message-id extension). */
const ruleId = (i: OperationOutcomeIssue): string => i.extension?.[0]?.valueString ?? '';

describe('contained resource ids (Resource_RES_ID_Missing)', () => {
  let service: ValidationService;
  beforeAll(async () => {
    service = await createValidationService();
  }, 120_000);

  const found = (resource: unknown): string[][] =>
    service.validate(resource).issue
      .filter((i) => ruleId(i) === 'Resource_RES_ID_Missing')
      .map((i) => [i.severity, i.expression?.[0] ?? '']);

  it('rejects a contained resource without an id', () => {
    const patient = {
      resourceType: 'Patient',
      contained: [{ resourceType: 'Organization', id: 'org', name: 'A' }, { resourceType: 'Organization', name: 'B' }],
      managingOrganization: { reference: '#org' },
    };
    expect(found(patient)).toEqual([['error', 'Patient.contained[1]']]);
  });

  it('does not ask for an id on the resource itself or on Bundle entries', () => {
    expect(found({ resourceType: 'Patient', gender: 'male' })).toEqual([]);
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:0f0c4b7e-8d2a-4c55-9a3e-6d1f2b3c4d5e', resource: { resourceType: 'Patient' } }] };
    expect(found(bundle)).toEqual([]);
  });
});
