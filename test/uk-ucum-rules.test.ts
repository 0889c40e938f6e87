import type { OperationOutcomeIssue } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { createValidationService, ruleOf, type ValidationService } from '../src/validation/index.js';

// The UK identifier rules and the UCUM rule through the public validation service, on payloads of our own:
// any Identifier with the NHS number or ODS systems, at any depth; any Quantity claiming UCUM.

const NHS = 'https://fhir.nhs.uk/Id/nhs-number';
const ODS_ORG = 'https://fhir.nhs.uk/Id/ods-organization-code';
const ODS_SITE = 'https://fhir.nhs.uk/Id/ods-site-code';
const UCUM = 'http://unitsofmeasure.org';

let service: ValidationService;
beforeAll(async () => {
  service = await createValidationService();
}, 120_000);

/** `severity rule path` of every issue that has a rule id of the given prefixes. */
const ruled = (issues: OperationOutcomeIssue[], ...prefixes: string[]) =>
  issues.filter((i) => prefixes.some((p) => ruleOf(i)?.startsWith(p))).map((i) => `${i.severity} ${ruleOf(i)} ${i.expression?.[0]}`);
const uk = (input: unknown) => ruled(service.validate(input).issue, 'UK_');

describe('UK identifier rules in validation', () => {
  it('reports a wrong NHS number check digit on a Patient, with its rule id', () => {
    expect(uk({ resourceType: 'Patient', identifier: [{ system: NHS, value: '9434765918' }] })).toEqual(['error UK_NHS_NUMBER_INVALID Patient.identifier[0]']);
    expect(uk({ resourceType: 'Patient', identifier: [{ system: NHS, value: '9434765919' }] })).toEqual([]);
    expect(uk({ resourceType: 'Patient', identifier: [{ system: NHS, value: '943476591' }] })).toEqual(['error UK_NHS_NUMBER_INVALID Patient.identifier[0]']);
  });

  it('checks every Identifier at any depth: contained resources, references, bundle entries, nested bundles', () => {
    const patient = { resourceType: 'Patient', id: 'p', identifier: [{ system: NHS, value: '9000000001' }], generalPractitioner: [{ reference: '#gp' }],
      contained: [{ resourceType: 'Organization', id: 'gp', identifier: [{ system: ODS_ORG, value: 'a81001' }] }],
      managingOrganization: { identifier: { system: ODS_ORG, value: 'RX9!' } } };
    expect(uk(patient).sort()).toEqual([
      'error UK_NHS_NUMBER_INVALID Patient.identifier[0]',
      'error UK_ODS_ORGANISATION_CODE_INVALID Patient.contained[0].identifier[0]',
      'error UK_ODS_ORGANISATION_CODE_INVALID Patient.managingOrganization.identifier',
      'warning UK_ODS_ORGANISATION_CODE_UNUSUAL Patient.contained[0].identifier[0]',
      'warning UK_ODS_ORGANISATION_CODE_UNUSUAL Patient.managingOrganization.identifier',
    ]);
    const inner = { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:11111111-1111-4111-8111-111111111111', resource: { resourceType: 'Location', identifier: [{ system: ODS_SITE, value: 'rr8-1' }] } }] };
    const outer = { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:22222222-2222-4222-8222-222222222222', resource: inner }] };
    expect(uk(outer)).toEqual([
      'error UK_ODS_SITE_CODE_INVALID Bundle.entry[0].resource.entry[0].resource.identifier[0]',
      'warning UK_ODS_SITE_CODE_UNUSUAL Bundle.entry[0].resource.entry[0].resource.identifier[0]',
    ]);
  });

  it('carries the rule id in the operationoutcome-message-id extension, and from JSON text with a line and column', () => {
    const text = JSON.stringify({ resourceType: 'Patient', identifier: [{ system: NHS, value: '9434765918' }] }, null, 2);
    const issue = service.validateText(text).outcome.issue.find((i) => ruleOf(i) === 'UK_NHS_NUMBER_INVALID')!;
    expect(issue.extension).toContainEqual({ url: 'http://hl7.org/fhir/StructureDefinition/operationoutcome-message-id', valueString: 'UK_NHS_NUMBER_INVALID' });
    expect(issue.extension?.some((e) => e.url.endsWith('issue-line'))).toBe(true);
    expect(JSON.stringify(issue)).not.toContain('9434765918');
  });
});

describe('UCUM codes wherever a Quantity claims UCUM', () => {
  const obs = (q: object) => ({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueQuantity: { value: 1, ...q } });
  // A code that is not UCUM is one finding: the reference validator's (Unknown_Code_in, from the Quantity rule or
  // the binding check), and the UCUM post-pass (ADSFHIR_UCUM_CODE_INVALID) does not report the same code again.
  const ucum = (input: unknown) => ruled(service.validate(input).issue, 'ADSFHIR_UCUM_', 'Unknown_Code_in');

  it('rejects codes that are not UCUM, in any Quantity type, at any depth, once', () => {
    expect(ucum(obs({ system: UCUM, code: 'mcg' }))).toEqual(['error Unknown_Code_in Observation.value.ofType(Quantity).code']);
    expect(ucum(obs({ system: UCUM, code: 'milligram' }))).toEqual(['error Unknown_Code_in Observation.value.ofType(Quantity).code']);
    const med = { resourceType: 'MedicationAdministration', status: 'completed', medicationCodeableConcept: { text: 'x' }, subject: { display: 'x' }, effectiveDateTime: '2026-01-01',
      dosage: { dose: { value: 5, system: UCUM, code: 'mgs' }, rateQuantity: { value: 1, system: UCUM, code: 'mL/h' } } };
    expect(ucum(med)).toEqual(['error Unknown_Code_in MedicationAdministration.dosage.dose.code']);
    const age = { resourceType: 'Patient', contained: [{ resourceType: 'FamilyMemberHistory', id: 'f', status: 'completed', patient: { reference: 'Patient/1' }, relationship: { text: 'x' }, ageAge: { value: 4, system: UCUM, code: 'years' } }] };
    // The reference checks Quantity-typed values only (InstanceValidator: type Quantity -> checkQuantity), not Age,
    // Count, Distance or Duration: there the UCUM post-pass reports the code, once.
    expect(ucum(age)).toEqual(['error ADSFHIR_UCUM_CODE_INVALID Patient.contained[0].age.ofType(Age).code']);
  });

  it('accepts valid UCUM (annotations, prefixes, brackets) and leaves other unit systems alone', () => {
    for (const code of ['mg', 'ug', 'mL', '/min', 'mm[Hg]', '{score}', 'mmol/L', 'Cel', '%', '10*9/L', 'a']) expect(ucum(obs({ system: UCUM, code })), code).toEqual([]);
    expect(ucum(obs({ system: 'http://example.org/units', code: 'mcg' }))).toEqual([]);
    expect(ucum(obs({ unit: 'mcg' }))).toEqual([]);
  });
});

describe('UCUM annotations: the reference validator\'s best-practice level', () => {
  const scored = { resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueQuantity: { value: 3, unit: 'points', system: UCUM, code: '{score}' } };
  const annotations = (s: ValidationService) =>
    s.validate(scored).issue.filter((i) => ruleOf(i)?.startsWith('TYPE_SPECIFIC_CHECKS_DT_QTY_UCUM_ANNOTATIONS')).map((i) => `${i.severity} ${ruleOf(i)} ${i.expression?.[0]}`);
  const at = 'Observation.value.ofType(Quantity)';

  it('warns by default, as the reference does (its bpWarnings default is Warning), once per Quantity', () => {
    expect(annotations(service)).toEqual([`warning TYPE_SPECIFIC_CHECKS_DT_QTY_UCUM_ANNOTATIONS_NOT_IN_UNIT ${at}`]);
  });

  it('follows bestPractice: ignore, hint (information) or error', async () => {
    const withLevel = (bestPractice: 'ignore' | 'hint' | 'error') => createValidationService({ reuse: service.store, bestPractice });
    expect(annotations(await withLevel('ignore'))).toEqual([]);
    expect(annotations(await withLevel('hint'))).toEqual([`information TYPE_SPECIFIC_CHECKS_DT_QTY_UCUM_ANNOTATIONS_NOT_IN_UNIT ${at}`]);
    expect(annotations(await withLevel('error'))).toEqual([`error TYPE_SPECIFIC_CHECKS_DT_QTY_UCUM_ANNOTATIONS_NOT_IN_UNIT ${at}`]);
  });
});

describe('the QA page runs the same rules', () => {
  it('reports the UK and ADS rules with their ids through POST /validate', { timeout: 60_000 }, async () => {
    const { startQaServer } = await import('../src/server/index.js');
    const { readFileSync } = await import('node:fs');
    const qa = await startQaServer({ service });
    try {
      const post = async (payload: string) => {
        const res = await fetch(`${qa.url}validate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ payload }) });
        const { issue } = ((await res.json()) as { outcome: { issue: OperationOutcomeIssue[] } }).outcome;
        return issue.map(ruleOf).filter((id) => /^(UK|ADS)_/.test(id ?? ''));
      };
      expect(await post(JSON.stringify({ resourceType: 'Patient', identifier: [{ system: NHS, value: '9434765918' }] }))).toEqual(['UK_NHS_NUMBER_INVALID']);
      const broken = readFileSync(new URL('../examples/broken/response-before-call.json', import.meta.url), 'utf8');
      expect(await post(broken)).toEqual(['ADS_RESPONSE_BEFORE_CALL']);
    } finally {
      await qa.close();
    }
  });
});

describe('which payloads the rule modules run on', () => {
  const adsRules = (issues: OperationOutcomeIssue[]) => issues.map(ruleOf).filter((id) => /^ADS_/.test(id ?? ''));

  it('an ADS Bundle claimed with a version, read from text or given parsed', async () => {
    const { readFileSync } = await import('node:fs');
    const broken = JSON.parse(readFileSync(new URL('../examples/broken/response-before-call.json', import.meta.url), 'utf8')) as { meta: { profile: string[] } };
    broken.meta.profile = broken.meta.profile.map((p) => (p.endsWith('/UKCore-ADS-Bundle') ? `${p}|1.0.0` : p));
    expect(broken.meta.profile.some((p) => p.endsWith('/UKCore-ADS-Bundle|1.0.0'))).toBe(true);
    // No other value a rule module starts from (NHS numbers, ODS codes, UCUM units): the claim alone must lead to the ADS rules.
    const others = new Set([NHS, ODS_ORG, ODS_SITE, UCUM]);
    const strip = (v: unknown): void => {
      if (!v || typeof v !== 'object') return;
      for (const [k, x] of Object.entries(v)) if (typeof x === 'string' && others.has(x)) (v as Record<string, unknown>)[k] = 'http://example.org/other';
      else strip(x);
    };
    strip(broken);
    expect(JSON.stringify(broken)).not.toMatch(/nhs-number|ods-organization-code|unitsofmeasure/);
    expect(adsRules(service.validate(broken).issue)).toContain('ADS_RESPONSE_BEFORE_CALL');
    expect(adsRules(service.validateText(JSON.stringify(broken)).outcome.issue)).toContain('ADS_RESPONSE_BEFORE_CALL');
  });

  it('an Identifier of a caller\'s own class, whose system is a getter of the class', () => {
    class NhsNumber {
      constructor(readonly value: string) {}
      get system(): string {
        return NHS;
      }
    }
    expect(uk({ resourceType: 'Patient', identifier: [new NhsNumber('9434765918')] })).toEqual(['error UK_NHS_NUMBER_INVALID Patient.identifier[0]']);
  });
});
