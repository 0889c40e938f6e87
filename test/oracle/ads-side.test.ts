/**
 * ads-fhir's side of the oracle: the self-contained-bundle policy can be turned off through createValidationService
 * (the reference validator only warns about a urn: reference to no entry), and the findings the reference cannot give
 * (UK and ADS rule modules, codes of systems no loaded package holds) are set aside, not counted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createValidationService, ruleOf, type ValidationService } from '../../src/index.js';
import { createAdsValidator, validateWithAds } from '../../tools/oracle/ads-side.js';

const dangling = {
  resourceType: 'Bundle',
  type: 'collection',
  entry: [{ fullUrl: 'urn:uuid:0b8f8a1e-4c52-4a4e-9d43-111111111111', resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: 'urn:uuid:0b8f8a1e-4c52-4a4e-9d43-222222222222' } } }],
};
const rules = (service: ValidationService, v: unknown): string[] =>
  service
    .validate(v)
    .issue.filter((i) => i.severity !== 'information')
    .map((i) => `${i.severity} ${ruleOf(i)} ${i.expression?.[0]}`);

describe('oracle: ads-fhir side', () => {
  let oracle: ValidationService;
  beforeAll(async () => {
    oracle = (await createAdsValidator()).service;
  });

  it('bundledUrnReferences: an error by default, only the reference validator warning when off', async () => {
    const at = 'Bundle.entry[0].resource.subject';
    const product = await createValidationService({ reuse: oracle.store });
    expect(rules(product, dangling)).toEqual([`warning Bundle_BUNDLE_Not_Local ${at}`, `error ADSFHIR_REFERENCE_URN_NOT_IN_BUNDLE ${at}`]);
    expect(rules(oracle, dangling)).toEqual([`warning Bundle_BUNDLE_Not_Local ${at}`]);
  });

  it('sets aside UK rule findings and codes of systems no package holds; counts codes of held systems', () => {
    const patient = { resourceType: 'Patient', identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9434765918' }] };
    const r = validateWithAds(oracle, JSON.stringify(patient), 'json');
    expect(r.setAside.map((i) => i.messageId)).toContain('UK_NHS_NUMBER_INVALID');
    expect(r.issues.map((i) => i.messageId)).not.toContain('UK_NHS_NUMBER_INVALID');
    // A malformed LOINC code: LOINC is not held, the reference cannot judge it offline.
    const loinc = { resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: 'zz-not-loinc' }] } };
    const l = validateWithAds(oracle, JSON.stringify(loinc), 'json');
    expect(l.setAside.map((i) => `${i.messageId} ${i.expression}`)).toEqual(['Unknown_Code_in Observation.code.coding[0].code']);
    expect(l.issues.filter((i) => i.severity === 'error')).toEqual([]);
    // A code system the core package holds complete: the finding counts.
    const status = { resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'zz-no-such' }] } };
    const s = validateWithAds(oracle, JSON.stringify(status), 'json');
    // A code system held with its version: the reference's key names the version (Unknown_Code_in_Version).
    expect(s.issues.map((i) => i.messageId)).toContain('Unknown_Code_in_Version');
    expect(s.setAside).toEqual([]);
  });
});
