import { describe, expect, it } from 'vitest';
import { checkQuestionnaireResponse, type EnableWhenExpression } from './questionnaire.js';

const questionnaire = {
  resourceType: 'Questionnaire',
  item: [
    { linkId: 'smoker', type: 'boolean' },
    { linkId: 'per-day', type: 'integer', enableWhen: [{ question: 'smoker', operator: '=', answerBoolean: true }] },
    { linkId: 'age', type: 'integer' },
    { linkId: 'adult', type: 'boolean', enableBehavior: 'any', enableWhen: [{ question: 'age', operator: '>=', answerInteger: 18 }, { question: 'smoker', operator: 'exists', answerBoolean: true }] },
    { linkId: 'scripted', type: 'string', extension: [{ url: 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression', valueExpression: { language: 'text/fhirpath', expression: 'x' } }] },
  ],
};

function problems(items: unknown[], expression?: EnableWhenExpression): string[] {
  const found: string[] = [];
  checkQuestionnaireResponse({ resourceType: 'QuestionnaireResponse', item: items }, questionnaire, 'QuestionnaireResponse', (rule, _severity, _code, p) => found.push(`${p}: ${rule}`), expression);
  return found;
}

describe('QuestionnaireResponse enableWhen', () => {
  it('accepts an answer to an item its condition enables', () => {
    expect(problems([{ linkId: 'smoker', answer: [{ valueBoolean: true }] }, { linkId: 'per-day', answer: [{ valueInteger: 10 }] }])).toEqual([]);
  });

  it('reports an answer to an item its condition disables', () => {
    expect(problems([{ linkId: 'smoker', answer: [{ valueBoolean: false }] }, { linkId: 'per-day', answer: [{ valueInteger: 10 }] }])).toEqual([
      'QuestionnaireResponse.item[1]: Questionnaire_QR_Item_NotEnabled2',
    ]);
  });

  it('enables on any one condition when enableBehavior is any', () => {
    expect(problems([{ linkId: 'age', answer: [{ valueInteger: 40 }] }, { linkId: 'adult', answer: [{ valueBoolean: true }] }])).toEqual([]);
    expect(problems([{ linkId: 'age', answer: [{ valueInteger: 12 }] }, { linkId: 'adult', answer: [{ valueBoolean: true }] }])).toHaveLength(1);
  });

  it('follows the enable-when expression, and gives the benefit of the doubt when it cannot be evaluated', () => {
    const answered = [{ linkId: 'scripted', answer: [{ valueString: 'a' }] }];
    expect(problems(answered, () => false)).toHaveLength(1);
    expect(problems(answered, () => true)).toEqual([]);
    expect(problems(answered, () => undefined)).toEqual([]);
  });
});
