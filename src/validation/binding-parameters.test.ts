import { describe, expect, it } from 'vitest';
import { checkQuestionnaireBindingParameters } from './binding-parameters.js';
import type { Report } from '../plugin-types/index.js';

const VS = 'http://example.org/ValueSet/parameterised';
const valueSet = {
  resourceType: 'ValueSet',
  url: VS,
  extension: [{ url: 'http://hl7.org/fhir/tools/StructureDefinition/valueset-parameter', extension: [{ url: 'name', valueCode: 'p-inactive' }] }],
};
const expand = { resourceType: 'OperationDefinition', parameter: [{ name: 'displayLanguage', use: 'in' }, { name: 'expansion', use: 'out' }] };
const lookup = (url: string) => (url === VS ? valueSet : url === 'http://hl7.org/fhir/OperationDefinition/ValueSet-expand' ? expand : undefined);

const parameter = (name: string) => ({ url: 'http://hl7.org/fhir/tools/StructureDefinition/binding-parameter', extension: [{ url: 'name', valueCode: name }, { url: 'expression', valueString: 'x' }] });

function findings(names: string[]): string[] {
  const out: string[] = [];
  const report: Report = (rule, severity, _code, path) => out.push(`${severity} ${path} ${rule}`);
  const q = { resourceType: 'Questionnaire', item: [{ linkId: 'g', type: 'group', item: [{ linkId: 'a', type: 'choice', answerValueSet: VS, _answerValueSet: { extension: names.map(parameter) } }] }] };
  checkQuestionnaireBindingParameters(q, 'Questionnaire', lookup, report);
  return out;
}

describe('binding parameters', () => {
  it('accepts parameters the value set declares and standard $expand inputs', () => {
    expect(findings(['p-inactive', 'displayLanguage'])).toEqual([]);
  });

  it('warns about a parameter that is neither', () => {
    const out = findings(['p-inactive', 'language', 'expansion']);
    expect(out).toEqual([
      'warning Questionnaire.item[0].item[0] VALUESET_PARAMETER_UNRECOGNISED_BINDING_PARAMETER',
      'warning Questionnaire.item[0].item[0] VALUESET_PARAMETER_UNRECOGNISED_BINDING_PARAMETER',
    ]);
  });
});
