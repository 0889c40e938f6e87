/**
 * Binding parameters of a Questionnaire item's answer value set (the tools extension binding-parameter on
 * answerValueSet): a parameter that is neither declared by the value set (valueset-parameter) nor a standard
 * $expand input is VALUESET_PARAMETER_UNRECOGNISED_BINDING_PARAMETER, a warning on the item, as the reference's
 * QuestionnaireValidator reports it; a parameter the value set declares that the item gives no value for is
 * VALUESET_PARAMETER_MISSING_BINDING_PARAMETER, an error on the item. Through createValidationService with a value set of our own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { found, serviceWith } from './helpers.js';

const VS = 'http://example.org/ValueSet/parameterised';
const RULES = ['VALUESET_PARAMETER_UNRECOGNISED_BINDING_PARAMETER', 'VALUESET_PARAMETER_MISSING_BINDING_PARAMETER'];

let svc: ValidationService;
beforeAll(async () => {
  svc = await serviceWith({
    'vs.json': {
      resourceType: 'ValueSet',
      url: VS,
      name: 'Parameterised',
      status: 'active',
      extension: [{ url: 'http://hl7.org/fhir/tools/StructureDefinition/valueset-parameter', extension: [{ url: 'name', valueCode: 'p-inactive' }] }],
      compose: { include: [{ system: 'http://example.org/CodeSystem/x', concept: [{ code: 'a' }] }] },
    },
  });
});

const parameter = (name: string) => ({ url: 'http://hl7.org/fhir/tools/StructureDefinition/binding-parameter', extension: [{ url: 'name', valueCode: name }, { url: 'expression', valueString: "'x'" }] });
const questionnaire = (names: string[]) => ({
  resourceType: 'Questionnaire',
  status: 'draft',
  item: [{ linkId: 'a', text: 'A', type: 'choice', answerValueSet: VS, _answerValueSet: { extension: names.map(parameter) } }],
});

describe('binding parameters of an answer value set', () => {
  it('a parameter the value set does not declare, and that $expand does not take, is a warning on the item', () => {
    expect(found(svc.validate(questionnaire(['p-inactive', 'no-such-parameter'])), RULES)).toEqual([{ severity: 'warning', rule: 'VALUESET_PARAMETER_UNRECOGNISED_BINDING_PARAMETER', at: 'Questionnaire.item[0]' }]);
  });

  it('a parameter the value set declares but the item does not give is an error on the item', () => {
    expect(found(svc.validate(questionnaire([])), RULES)).toEqual([{ severity: 'error', rule: 'VALUESET_PARAMETER_MISSING_BINDING_PARAMETER', at: 'Questionnaire.item[0]' }]);
    expect(found(svc.validate(questionnaire(['displayLanguage'])), RULES)).toEqual([{ severity: 'error', rule: 'VALUESET_PARAMETER_MISSING_BINDING_PARAMETER', at: 'Questionnaire.item[0]' }]);
  });

  it('a declared parameter or a standard $expand input is accepted', () => {
    expect(found(svc.validate(questionnaire(['p-inactive', 'displayLanguage'])), RULES)).toEqual([]);
  });
});
