/**
 * The system of a Coding no binding checks (InstanceValidator.checkCodedElement / checkCode): value set URLs,
 * specification pages, unknown systems under hl7.org/fhir, URIs that extend SNOMED CT / LOINC / UCUM / RxNorm,
 * and https: for an http: code system. Through createValidationService, on Meta.tag (an example binding) and
 * an extension's valueCoding, with code systems of our own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { found, serviceWith } from './helpers.js';

const CS = 'http://example.org/CodeSystem/colours';
const VS = 'http://example.org/ValueSet/colours';
const RULES = ['Terminology_TX_System_ValueSet2', 'TERMINOLOGY_TX_SYSTEM_WRONG_BUILD', 'TERMINOLOGY_TX_SYSTEM_WRONG_HTML', 'Terminology_TX_System_Unknown', 'Terminology_TX_System_Invalid', 'TERMINOLOGY_TX_SYSTEM_HTTPS'];

let svc: ValidationService;
beforeAll(async () => {
  svc = await serviceWith({
    'cs.json': { resourceType: 'CodeSystem', url: CS, name: 'Colours', status: 'active', content: 'complete', concept: [{ code: 'red', display: 'Red' }] },
    'vs.json': { resourceType: 'ValueSet', url: VS, name: 'Colours', status: 'active', compose: { include: [{ system: CS }] } },
  });
});

const tagged = (system: string, code = 'red') => ({ resourceType: 'Basic', code: { text: 'x' }, meta: { tag: [{ system, code }] } });
const check = (system: string) => found(svc.validate(tagged(system)), RULES);
const at = 'Basic.meta.tag[0]';

describe('the system of a Coding without a binding that checks it', () => {
  it('a value set is not a code system', () => {
    expect(check(VS)).toEqual([{ severity: 'error', rule: 'Terminology_TX_System_ValueSet2', at }]);
  });

  it('build.fhir.org and .html pages of the specification are not code systems', () => {
    expect(check('http://build.fhir.org/codesystem-administrative-gender.html')).toEqual([{ severity: 'error', rule: 'TERMINOLOGY_TX_SYSTEM_WRONG_BUILD', at }]);
    expect(check('http://hl7.org/fhir/codesystem-administrative-gender.html')).toEqual([{ severity: 'error', rule: 'TERMINOLOGY_TX_SYSTEM_WRONG_HTML', at }]);
  });

  it('a system under hl7.org/fhir that is no known code system', () => {
    expect(check('http://hl7.org/fhir/no-such-system')).toEqual([{ severity: 'error', rule: 'Terminology_TX_System_Unknown', at }]);
    // known ones: a loaded code system, a well-known sid, the test space
    expect(check('http://hl7.org/fhir/administrative-gender')).toEqual([]);
    expect(check('http://hl7.org/fhir/sid/icd-10')).toEqual([]);
    expect(check('http://hl7.org/fhir/test/anything')).toEqual([]);
  });

  it('a URI that extends SNOMED CT or LOINC is not theirs', () => {
    expect(check('http://snomed.info/sct/900000000000207008')).toEqual([{ severity: 'error', rule: 'Terminology_TX_System_Invalid', at }]);
    expect(check('http://loinc.org/')).toEqual([{ severity: 'error', rule: 'Terminology_TX_System_Invalid', at }]);
    expect(check('http://snomed.info/sct')).toEqual([]);
  });

  it('https: where the code system is http:', () => {
    expect(check('https://example.org/CodeSystem/colours')).toEqual([{ severity: 'error', rule: 'TERMINOLOGY_TX_SYSTEM_HTTPS', at }]);
    expect(check('https://loinc.org')).toEqual([{ severity: 'error', rule: 'TERMINOLOGY_TX_SYSTEM_HTTPS', at }]);
    expect(check(CS)).toEqual([]);
    expect(check('https://example.org/unknown')).toEqual([]);
  });

  it('a Coding of a CodeableConcept is left to the terminology checks', () => {
    const basic = { resourceType: 'Basic', code: { coding: [{ system: 'http://hl7.org/fhir/no-such-system', code: 'x' }] } };
    expect(found(svc.validate(basic), RULES)).toEqual([]);
  });
});
