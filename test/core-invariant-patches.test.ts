import { describe, expect, it } from 'vitest';
import { createValidationService } from '../src/index.js';
import { ruleOf } from '../src/validation/index.js';

const RAS_2 = 'http://hl7.org/fhir/StructureDefinition/RiskAssessment#ras-2';

function riskAssessment(prediction: Record<string, unknown>) {
  return { resourceType: 'RiskAssessment', status: 'final', subject: { display: 'a patient' }, prediction: [prediction] };
}

describe('patched core invariants, through the validation service', () => {
  it('ras-2 accepts a prediction with a qualitative risk only, and still rejects a probability over 100', async () => {
    const service = await createValidationService();
    const rules = (r: unknown) => service.validate(r).issue.filter((i) => i.severity === 'error').map(ruleOf);
    expect(rules(riskAssessment({ qualitativeRisk: { text: 'moderate' } }))).not.toContain(RAS_2);
    expect(rules(riskAssessment({ probabilityDecimal: 40 }))).not.toContain(RAS_2);
    expect(rules(riskAssessment({ probabilityDecimal: 120 }))).toContain(RAS_2);
  });
});
