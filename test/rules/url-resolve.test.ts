/**
 * uri and url values in the FHIR specification's own spaces that name no definition (Type_Specific_Checks_DT_URL_Resolve),
 * as the HL7 validator command judges them, through createValidationService with `resolveUrls` (off by default, as the
 * HL7 test suite's runner takes every URL as found). Payloads of our own, on core R4.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { testCacheDir } from '../../src/packages/test-fixtures.js';
import { createValidationService, type ValidationService } from '../../src/validation/index.js';
import { found } from './helpers.js';

const RULE = 'Type_Specific_Checks_DT_URL_Resolve';
let resolving: ValidationService;
let plain: ValidationService;
beforeAll(async () => {
  const store = { ukCore: false, cacheDir: testCacheDir, useFhirPackageCache: false };
  resolving = await createValidationService({ ads: false, store, resolveUrls: true });
  plain = await createValidationService({ ads: false, reuse: resolving.store });
});

const patient = (extra: Record<string, unknown>) => ({ resourceType: 'Patient', ...extra });
const withSystem = (system: string) => patient({ identifier: [{ type: { coding: [{ system, code: 'MR' }] }, value: '1' }] });
const check = (input: unknown, svc = resolving) => found(svc.validate(input), [RULE]);

describe('URLs in the FHIR spaces that name nothing known', () => {
  it('a Coding.system under http://hl7.org/fhir that no loaded package defines is an error there', () => {
    expect(check(withSystem('http://hl7.org/fhir/v2/0203'))).toEqual([{ severity: 'error', rule: RULE, at: 'Patient.identifier[0].type.coding[0].system' }]);
    // A loaded code system, a system outside the FHIR spaces, and one of HL7 Terminology, which the command loads
    // whole and ads-fhir holds only in part, are not reported.
    expect(check(withSystem('http://hl7.org/fhir/administrative-gender'))).toEqual([]);
    expect(check(withSystem('http://terminology.hl7.org/CodeSystem/v2-0360/2.7'))).toEqual([]);
    expect(check(withSystem('https://fhir.nhs.example.net/Id/local'))).toEqual([]);
  });

  it('an extension url of an implementation guide not loaded is an error, beside the unknown extension', () => {
    const input = patient({ extension: [{ url: 'http://hl7.org/fhir/uv/made-up/StructureDefinition/thing', valueString: 'x' }] });
    expect(check(input)).toEqual([{ severity: 'error', rule: RULE, at: 'Patient.extension[0].url' }]);
    expect(found(resolving.validate(input), ['Extension_EXT_Unknown_NotHere'])).toHaveLength(1);
  });

  it('knows URLs without a definition: SIDs, mapping spaces, version-specific URLs, core-namespace extensions', () => {
    const ids = (system: string) => patient({ identifier: [{ system, value: '123456789' }] });
    expect(check(ids('http://hl7.org/fhir/sid/us-ssn'))).toEqual([]);
    expect(check(ids('http://hl7.org/fhir/sid/passport-GBR'))).toEqual([]);
    expect(check(ids('http://hl7.org/fhir/workflow'))).toEqual([]);
    expect(check(ids('http://hl7.org/fhir/5.0/StructureDefinition/extension-Patient.contact'))).toEqual([]);
    expect(check(ids('http://hl7.org/fhir/StructureDefinition/patient-birthPlace'))).toEqual([]);
    expect(check(ids('http://hl7.org/fhir/no-such-system'))).toEqual([{ severity: 'error', rule: RULE, at: 'Patient.identifier[0].system' }]);
  });

  it('leaves the value of an extension that says so alone, and the fullUrl of a Bundle entry', () => {
    const exempt = patient({ extension: [{ url: 'http://hl7.org/fhir/uv/cql/StructureDefinition/cql-namespaceUri', valueUri: 'http://hl7.org/fhir/nothing' }] });
    expect(check(exempt).map((f) => f.at)).toEqual(['Patient.extension[0].url']);
    const other = patient({ extension: [{ url: 'https://ext.example.net/StructureDefinition/flag', valueUri: 'http://hl7.org/fhir/nothing' }] });
    expect(check(other).map((f) => f.at)).toEqual(['Patient.extension[0].value.ofType(uri)']);
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'http://hl7.org/fhir/Patient/1', resource: { resourceType: 'Patient', id: '1' } }] };
    expect(check(bundle)).toEqual([]);
  });

  it('takes an extension of the HL7 test space as unknown, as the command has no test definitions', () => {
    const input = patient({ extension: [{ url: 'http://hl7.org/fhir/test/StructureDefinition/anything', valueString: 'x' }] });
    const RULES = [RULE, 'Extension_EXT_Unknown_NotHere'];
    expect(found(resolving.validate(input), RULES)).toEqual([
      { severity: 'error', rule: 'Extension_EXT_Unknown_NotHere', at: 'Patient.extension[0]' },
      { severity: 'error', rule: RULE, at: 'Patient.extension[0].url' },
    ]);
    expect(found(plain.validate(input), RULES)).toEqual([]);
  });

  it('is off by default', () => {
    expect(check(withSystem('http://hl7.org/fhir/v2/0203'), plain)).toEqual([]);
  });
});
