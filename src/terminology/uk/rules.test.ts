import { describe, expect, it } from 'vitest';
import { compileFast } from '../../fhirpath/fast/compile.js';
import { FhirPathInvariantEvaluator } from '../../fhirpath/invariant-evaluator.js';
import { checkUkIdentifier } from './apply.js';
import { isOdsCodeShape, isTypicalOdsOrganisationCode, isTypicalOdsSiteCode } from './ods.js';
import { identifierRulesFor, NHS_NUMBER_SYSTEM, ODS_ORGANISATION_SYSTEM, ODS_SITE_SYSTEM, ukFhirPathFunctions, ukIdentifierRules } from './rules.js';

const evaluator = new FhirPathInvariantEvaluator({ functions: ukFhirPathFunctions });

function check(identifier: object) {
  const patient = { resourceType: 'Patient', identifier: [identifier] };
  return checkUkIdentifier(evaluator, { identifier, resource: patient, root: patient, path: 'Patient.identifier[0]' }).map((i) => `${i.severity}:${i.rule}`);
}

describe('ODS code shapes', () => {
  it('accepts codes of 3 to 9 upper-case letters and digits', () => {
    for (const c of ['RX9', 'RYC', '15N', 'RRK02', 'FVR79', 'A81001', 'G3472185', 'K81003001']) expect(isOdsCodeShape(c), c).toBe(true);
    for (const c of ['', 'RX', 'rx9', 'RX 9', 'RX9-01', 'ABCDEFGHIJ']) expect(isOdsCodeShape(c), c).toBe(false);
  });

  it('knows the typical organisation and site lengths', () => {
    expect(['RX9', 'NT401', 'A81001'].every(isTypicalOdsOrganisationCode)).toBe(true);
    expect(isTypicalOdsOrganisationCode('K81003001')).toBe(false);
    expect(isTypicalOdsSiteCode('RRK02')).toBe(true);
    expect(isTypicalOdsSiteCode('RRK')).toBe(false);
  });
});

describe('UK identifier rules on the fast FHIRPath path', () => {
  it('give what fhirpath.js gives, for every rule and every kind of value', () => {
    const full = new FhirPathInvariantEvaluator({ functions: ukFhirPathFunctions, fast: false });
    const values = [{ value: '9434765919' }, { value: '9434765918' }, { value: '943 476 5919' }, {}, { value: 'RX1' }, { value: 'RRK02' }, { value: 'rx1' }, { value: 'K81003001' }, { value: 12 }, { _value: { extension: [{ url: 'x', valueString: 'y' }] } }];
    let compared = 0;
    for (const [system, rules] of Object.entries(ukIdentifierRules)) {
      for (const rule of rules) {
        // In the fast subset: checking an identifier needs no fhirpath.js.
        expect(compileFast(rule.expression, ukFhirPathFunctions), rule.key).toBeDefined();
        for (const v of values) {
          const node = { system, ...v };
          const args = { ...rule, node, resource: { resourceType: 'Patient' }, root: {}, path: 'Patient.identifier[0]', elementType: 'Identifier' };
          expect(evaluator.evaluate(args), `${rule.key} ${JSON.stringify(v)}`).toEqual(full.evaluate(args));
          compared++;
        }
      }
    }
    expect(compared).toBe(50);
  });
});

describe('ukIdentifierRules', () => {
  it('has rules only for the NHS number and ODS systems', () => {
    expect(Object.keys(ukIdentifierRules).sort()).toEqual([NHS_NUMBER_SYSTEM, ODS_ORGANISATION_SYSTEM, ODS_SITE_SYSTEM].sort());
    expect(identifierRulesFor('http://example.org/mrn')).toEqual([]);
    expect(identifierRulesFor(undefined)).toEqual([]);
  });

  it('applies uk-nhs-1 through the invariant evaluator', () => {
    expect(check({ system: NHS_NUMBER_SYSTEM, value: '9434765919' })).toEqual([]);
    expect(check({ system: NHS_NUMBER_SYSTEM, value: '9434765918' })).toEqual(['error:UK_NHS_NUMBER_INVALID']);
    expect(check({ system: NHS_NUMBER_SYSTEM, value: '943 476 5919' })).toEqual(['error:UK_NHS_NUMBER_INVALID']);
    // a missing value is the slice's cardinality rule, not this one
    expect(check({ system: NHS_NUMBER_SYSTEM })).toEqual([]);
    expect(check({ system: 'http://example.org/mrn', value: '123' })).toEqual([]);
  });

  it('applies the ODS rules', () => {
    expect(check({ system: ODS_ORGANISATION_SYSTEM, value: 'RX9' })).toEqual([]);
    expect(check({ system: ODS_ORGANISATION_SYSTEM, value: 'rx9' })).toEqual(['error:UK_ODS_ORGANISATION_CODE_INVALID', 'warning:UK_ODS_ORGANISATION_CODE_UNUSUAL']);
    expect(check({ system: ODS_ORGANISATION_SYSTEM, value: 'K81003001' })).toEqual(['warning:UK_ODS_ORGANISATION_CODE_UNUSUAL']);
    expect(check({ system: ODS_SITE_SYSTEM, value: 'RRK02' })).toEqual([]);
    expect(check({ system: ODS_SITE_SYSTEM, value: 'RR8' })).toEqual(['warning:UK_ODS_SITE_CODE_UNUSUAL']);
    expect(check({ system: ODS_SITE_SYSTEM, value: 'R!' })).toEqual(['error:UK_ODS_SITE_CODE_INVALID', 'warning:UK_ODS_SITE_CODE_UNUSUAL']);
  });
});
