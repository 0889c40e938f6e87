/**
 * '#id' values of uri, url and canonical elements (InstanceValidator.validateReference, internal branch),
 * through createValidationService: the fragment must name an id in the resource (or its narrative, or the
 * Bundle holding it); a canonical without a target is an error, a uri a warning, Meta.source only a hint,
 * ValueSet include systems an error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { OperationOutcomeIssue } from 'fhir/r4';
import { createValidationService, type ValidationService } from '../src/validation/index.js';

/** The rule id an OperationOutcome issue carries (its message-id extension). */
const ruleId = (i: OperationOutcomeIssue): string => i.extension?.[0]?.valueString ?? '';

const RULES = ['TYPE_SPECIFIC_CHECKS_DT_URL_INTERNAL', 'TYPE_SPECIFIC_CHECKS_DT_URL_INTERNAL_WARN'];

describe('internal url targets', () => {
  let service: ValidationService;
  beforeAll(async () => {
    service = await createValidationService();
  }, 120_000);

  const found = (resource: unknown): string[][] =>
    service.validate(resource).issue
      .map((i) => [ruleId(i), i.severity, i.expression?.[0] ?? ''])
      .filter(([rule]) => RULES.includes(rule!));

  it('rejects a canonical that points at no local target (TYPE_SPECIFIC_CHECKS_DT_URL_INTERNAL)', () => {
    expect(found({ resourceType: 'Questionnaire', status: 'draft', derivedFrom: ['#nothing'] }))
      .toEqual([['TYPE_SPECIFIC_CHECKS_DT_URL_INTERNAL', 'error', 'Questionnaire.derivedFrom[0]']]);
    const contained = { resourceType: 'Questionnaire', id: 'q1', status: 'draft' };
    expect(found({ resourceType: 'Questionnaire', status: 'draft', contained: [contained], derivedFrom: ['#q1'] })).toEqual([]);
  });

  it('makes an unresolved ValueSet include system an error', () => {
    expect(found({ resourceType: 'ValueSet', status: 'draft', compose: { include: [{ system: '#cs' }] } }))
      .toEqual([['TYPE_SPECIFIC_CHECKS_DT_URL_INTERNAL', 'error', 'ValueSet.compose.include[0].system']]);
  });

  it('warns on a uri that points at no local target, and only hints on Meta.source (TYPE_SPECIFIC_CHECKS_DT_URL_INTERNAL_WARN)', () => {
    expect(found({ resourceType: 'Patient', meta: { source: '#feed' }, implicitRules: '#rules' })).toEqual([
      ['TYPE_SPECIFIC_CHECKS_DT_URL_INTERNAL_WARN', 'information', 'Patient.meta.source'],
      ['TYPE_SPECIFIC_CHECKS_DT_URL_INTERNAL_WARN', 'warning', 'Patient.implicitRules'],
    ]);
  });

  it('accepts element ids, narrative ids and anchors, and ids elsewhere in the Bundle as targets', () => {
    expect(found({ resourceType: 'Patient', implicitRules: '#n1', name: [{ id: 'n1', family: 'Smith' }] })).toEqual([]);
    const div = '<div xmlns="http://www.w3.org/1999/xhtml"><p id="p1">x</p><a name="a1">y</a></div>';
    expect(found({ resourceType: 'Patient', implicitRules: '#p1', text: { status: 'generated', div } })).toEqual([]);
    expect(found({ resourceType: 'Patient', implicitRules: '#a1', text: { status: 'generated', div } })).toEqual([]);
    const bundle = {
      resourceType: 'Bundle', type: 'collection',
      entry: [
        { fullUrl: 'urn:uuid:9d5a4f6e-3c3b-4b8a-9f1e-2a7c5d6e8f01', resource: { resourceType: 'Patient', id: 'a', implicitRules: '#other' } },
        { fullUrl: 'urn:uuid:1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d', resource: { resourceType: 'Patient', id: 'other' } },
      ],
    };
    expect(found(bundle)).toEqual([]);
  });
});
