/**
 * The datatype and primitive rule family (src/validation/primitives.ts, engine/rules/primitives.ts, identifier.ts,
 * attachment.ts), each from the R4 datatypes page and the reference validator's InstanceValidator.checkPrimitive,
 * checkIdentifier, checkAttachment and checkCodedElement, with severities as the reference gives them. Payloads are
 * our own, through createValidationService (core R4) and, for limits a profile sets, the Validator with a profile.
 */
import type { ElementDefinition, StructureDefinition } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { createValidationService, type ValidationService } from '../index.js';
import { readCoreR4 } from '../packages/core-r4.js';
import { MemoryResolver } from './core-resolver.js';
import { Validator } from './validator.js';

let service: ValidationService;
beforeAll(async () => {
  service = await createValidationService();
}, 120_000);

/** `[severity, rule id, location]` of every issue (information aside) on the payload. */
function issues(resource: unknown): [string, string | undefined, string | undefined][] {
  return service
    .validate(resource)
    .issue.filter((i) => i.severity !== 'information')
    .map((i) => [i.severity, i.details?.coding?.find((c) => c.system === 'urn:ads-fhir:rule')?.code, i.expression?.[0]]);
}

const patient = (extra: Record<string, unknown>) => ({ resourceType: 'Patient', id: 'p1', ...extra });
const observation = (extra: Record<string, unknown>) => ({ resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'x' }, ...extra });

describe('strings and blank values', () => {
  it('counts an empty value as no value: an error, ele-1 since nothing else is there, and no code for a required binding', () => {
    expect(issues(patient({ gender: '' }))).toEqual([
      ['error', 'Type_Specific_Checks_DT_Primitive_NotEmpty', 'Patient.gender'],
      ['error', 'http://hl7.org/fhir/StructureDefinition/Element#ele-1', 'Patient.gender'],
      // The binding of gender is required: with no value there is no code from its value set.
      ['error', 'Terminology_TX_Code_ValueSet_MISSING', 'Patient.gender'],
    ]);
  });

  it('warns about a value of only whitespace, and about whitespace at either end of a string', () => {
    expect(issues(patient({ name: [{ family: '   ' }] }))).toEqual([['warning', 'Type_Specific_Checks_DT_Primitive_WS', 'Patient.name[0].family']]);
    // Non-breaking spaces are not blank to the reader, but a string of them is still all whitespace.
    expect(issues(patient({ name: [{ family: '\u00a0\u00a0' }] }))).toEqual([['warning', 'Type_Specific_Checks_DT_String_WS_ALL', 'Patient.name[0].family']]);
    expect(issues(patient({ name: [{ family: ' Smith ' }] }))).toEqual([['warning', 'Type_Specific_Checks_DT_String_WS', 'Patient.name[0].family']]);
  });

  it('warns about control characters, and a vertical tab also breaks the string regex', () => {
    expect(issues(patient({ name: [{ family: 'A\u0001B' }] }))).toEqual([['warning', 'UNICODE_XML_BAD_CHARS', 'Patient.name[0].family']]);
    expect(issues(patient({ name: [{ family: 'A\u000bB' }] }))).toEqual([
      ['warning', 'UNICODE_XML_BAD_CHARS', 'Patient.name[0].family'],
      ['error', 'Type_Specific_Checks_DT_Primitive_Regex_Type', 'Patient.name[0].family'],
    ]);
  });

  it('warns about HTML in markdown', () => {
    expect(issues(observation({ note: [{ text: 'see <b>this</b>' }] }))).toEqual([['warning', 'TYPE_SPECIFIC_CHECKS_DT_MARKDOWN_HTML', 'Observation.note[0].text']]);
  });
});

describe('codes, ids, booleans', () => {
  it('refuses codes with whitespace at the ends or more than one space inside', () => {
    expect(issues(observation({ status: 'final ' }))).toContainEqual(['error', 'Type_Specific_Checks_DT_Code_WS', 'Observation.status']);
    expect(issues(patient({ gender: 'male  x' }))).toContainEqual(['error', 'Type_Specific_Checks_DT_Code_WS', 'Patient.gender']);
  });

  it('refuses an id outside [A-Za-z0-9-.]{1,64}', () => {
    expect(issues(patient({ meta: { versionId: 'a b!' } }))).toEqual([['error', 'Type_Specific_Checks_DT_ID_Valid', 'Patient.meta.versionId']]);
  });

  it('reads a boolean given as a string as text: a JSON error, and not true or false', () => {
    expect(issues(patient({ active: 'yes' }))).toEqual([
      ['error', 'Error_parsing_JSON_the_primitive_value_must_be_a_boolean', 'Patient.active'],
      ['error', 'Type_Specific_Checks_DT_Boolean_Value', 'Patient.active'],
    ]);
  });
});

describe('dates and times', () => {
  it('refuses dates that do not exist or do not match the pattern', () => {
    expect(issues(patient({ birthDate: '2023-02-30' }))).toEqual([['error', 'Type_Specific_Checks_DT_Date_Valid', 'Patient.birthDate']]);
    expect(issues(patient({ birthDate: '2023-13' }))).toEqual([['error', 'Type_Specific_Checks_DT_Date_Valid', 'Patient.birthDate']]);
  });

  it('warns about years outside 1800 to 80 years ahead', () => {
    expect(issues(patient({ birthDate: '1700-01-01' }))).toEqual([['warning', 'Type_Specific_Checks_DT_DateTime_Reasonable', 'Patient.birthDate']]);
  });

  it('wants a time zone on a dateTime with a time, and seconds in the time', () => {
    expect(issues(observation({ effectiveDateTime: '2020-01-01T10:00:00' }))).toEqual([['error', 'Type_Specific_Checks_DT_DateTime_TZ', 'Observation.effective.ofType(dateTime)']]);
    expect(issues(observation({ effectiveDateTime: '2020-01-01T10:00Z' }))).toEqual([['error', 'Type_Specific_Checks_DT_DateTime_Valid', 'Observation.effective.ofType(dateTime)']]);
    expect(issues(observation({ effectiveDateTime: '2020-01-01T10:00:00+01:00' }))).toEqual([]);
  });

  it('wants an instant to the second with a time zone, and a time of day in range', () => {
    expect(issues(observation({ issued: '2020-01-01' }))).toEqual([['error', 'Type_Specific_Checks_DT_DateTime_Regex', 'Observation.issued']]);
    expect(issues(observation({ valueTime: '25:00:00' }))).toEqual([['error', 'Type_Specific_Checks_DT_Time_Valid', 'Observation.value.ofType(time)']]);
  });
});

describe('numbers', () => {
  it('refuses integers beyond 32 bits, and positiveInt and unsignedInt below their minimum', () => {
    expect(issues(observation({ valueInteger: 2147483648 }))).toEqual([['error', 'Type_Specific_Checks_DT_Integer_Valid', 'Observation.value.ofType(integer)']]);
    const recommendation = { resourceType: 'ImmunizationRecommendation', patient: { display: 'x' }, date: '2020-01-01', recommendation: [{ vaccineCode: [{ text: 'x' }], forecastStatus: { text: 'x' }, doseNumberPositiveInt: 0 }] };
    expect(issues(recommendation)).toEqual([['error', 'Type_Specific_Checks_DT_Integer_LT1', 'ImmunizationRecommendation.recommendation[0].doseNumber.ofType(positiveInt)']]);
    expect(issues(patient({ photo: [{ contentType: 'image/png', size: -5 }] }))).toContainEqual(['error', 'Type_Specific_Checks_DT_Integer_LT0', 'Patient.photo[0].size']);
  });

  it('refuses a decimal that is not one, and warns about one beyond what systems commonly hold', () => {
    expect(issues(observation({ valueQuantity: { value: '1.0.0' } }))).toEqual([
      // The JSON reader names a choice element by its definition (value[x]); the validator by the type read.
      ['error', 'Error_parsing_JSON_the_primitive_value_must_be_a_number', 'Observation.value[x].value'],
      ['error', 'Type_Specific_Checks_DT_Decimal_Valid', 'Observation.value.ofType(Quantity).value'],
    ]);
    expect(issues(observation({ valueQuantity: { value: 123456789012345678901 } }))).toEqual([['warning', 'Type_Specific_Checks_DT_Decimal_Range', 'Observation.value.ofType(Quantity).value']]);
  });
});

describe('URIs', () => {
  it('refuses whitespace and the oid: and uuid: forms', () => {
    expect(issues(patient({ implicitRules: 'http://a b' }))).toContainEqual(['error', 'Type_Specific_Checks_DT_URI_WS', 'Patient.implicitRules']);
    expect(issues(patient({ implicitRules: 'oid:1.2.3' }))).toContainEqual(['error', 'Type_Specific_Checks_DT_URI_OID', 'Patient.implicitRules']);
    expect(issues(patient({ implicitRules: 'uuid:1234' }))).toContainEqual(['error', 'Type_Specific_Checks_DT_URI_UUID', 'Patient.implicitRules']);
  });

  it('wants OIDs valid with a namespace root, and UUIDs valid and lower case', () => {
    expect(issues(patient({ identifier: [{ system: 'urn:oid:1.2', value: '1' }] }))).toEqual([['error', 'Type_Specific_Checks_DT_OID_Valid', 'Patient.identifier[0].system']]);
    expect(issues(patient({ identifier: [{ system: 'urn:oid:2.16.840.1.113883.4.1', value: '1' }] }))).toEqual([]);
    expect(issues(patient({ identifier: [{ system: 'urn:uuid:ABCDEF01-2345-6789-ABCD-EF0123456789', value: '1' }] }))).toEqual([['error', 'Type_Specific_Checks_DT_UUID_Valid', 'Patient.identifier[0].system']]);
  });

  it('wants canonical references absolute unless they point at a contained resource', () => {
    const procedure = { resourceType: 'Procedure', status: 'completed', subject: { display: 'x' }, instantiatesCanonical: ['PlanDefinition/x'] };
    expect(issues(procedure)).toEqual([['error', 'TYPE_SPECIFIC_CHECKS_CANONICAL_ABSOLUTE', 'Procedure.instantiatesCanonical[0]']]);
    expect(issues({ ...procedure, instantiatesCanonical: ['http://example.org/PlanDefinition/x'] })).toEqual([]);
  });

  it('wants the url of a canonical resource absolute, and says so differently for a contained one', () => {
    expect(issues({ resourceType: 'ValueSet', url: 'ValueSet/x', status: 'draft' })).toContainEqual(['error', 'TYPE_SPECIFIC_CHECKS_CANONICAL_ABSOLUTE', 'ValueSet.url']);
    const contained = patient({ contained: [{ resourceType: 'ValueSet', id: 'v', url: 'vs1', status: 'draft' }], extension: [{ url: 'http://example.org/x', valueCanonical: '#v' }] });
    expect(issues(contained)).toContainEqual(['error', 'TYPE_SPECIFIC_CHECKS_CANONICAL_CONTAINED', 'Patient.contained[0].url']);
  });
});

describe('Identifier and coded values', () => {
  it('wants an absolute identifier system, and a URI value under urn:ietf:rfc:3986', () => {
    expect(issues(patient({ identifier: [{ system: 'local', value: 'abc' }] }))).toEqual([['error', 'Type_Specific_Checks_DT_Identifier_System', 'Patient.identifier[0]']]);
    expect(issues(patient({ identifier: [{ system: 'urn:ietf:rfc:3986', value: 'abc' }] }))).toEqual([['error', 'TYPE_SPECIFIC_CHECKS_DT_IDENTIFIER_IETF_SYSTEM_VALUE', 'Patient.identifier[0]']]);
    expect(issues(patient({ identifier: [{ system: 'urn:ietf:rfc:3986', value: 'urn:uuid:0f2e6a3c-1b2d-4e5f-8a9b-0c1d2e3f4a5b' }] }))).toEqual([]);
    // A system written as a number is read as its text (the JSON reader's finding beside it), a local reference.
    expect(issues(patient({ identifier: [{ system: 42, value: 'abc' }] }))).toEqual([
      ['error', 'Error_parsing_JSON_the_primitive_value_must_be_a_string', 'Patient.identifier[0].system'],
      ['error', 'Type_Specific_Checks_DT_Identifier_System', 'Patient.identifier[0]'],
    ]);
  });

  it('says the RFC 4122 page is not an identifier system', () => {
    const uuid = '0f2e6a3c-1b2d-4e5f-8a9b-0c1d2e3f4a5b';
    const at = (value: string) => issues(patient({ identifier: [{ system: 'https://tools.ietf.org/html/rfc4122', value }] }));
    expect(at(uuid)).toEqual([['warning', 'TYPE_SPECIFIC_CHECKS_DT_IDENTIFIER_IETF_SYSTEM_WRONG_2', 'Patient.identifier[0]']]);
    expect(at(`urn:uuid:${uuid}`)).toEqual([['warning', 'TYPE_SPECIFIC_CHECKS_DT_IDENTIFIER_IETF_SYSTEM_WRONG_3', 'Patient.identifier[0]']]);
    expect(at('abc')).toEqual([['error', 'TYPE_SPECIFIC_CHECKS_DT_IDENTIFIER_IETF_SYSTEM_WRONG_1', 'Patient.identifier[0]']]);
  });

  it('wants the system of a Coding outside a CodeableConcept absolute', () => {
    expect(issues(patient({ meta: { tag: [{ system: 'foo', code: 'x' }] } }))).toEqual([['error', 'Terminology_TX_System_Relative', 'Patient.meta.tag[0]']]);
  });
});

describe('base64 and Attachment', () => {
  const photo = (a: Record<string, unknown>) => issues(patient({ photo: [{ contentType: 'text/plain', ...a }] }));

  it('refuses base64 whose characters do not come in fours, and warns about whitespace inside', () => {
    expect(photo({ data: 'SGVsbG8' })).toEqual([['error', 'Type_Specific_Checks_DT_Base64_Valid', 'Patient.photo[0].data']]);
    // The strict decoder the Attachment check uses refuses the space too.
    expect(photo({ data: 'SGVs bG8=' })).toEqual([
      ['warning', 'TYPE_SPECIFIC_CHECKS_DT_BASE64_NO_WS_WARNING', 'Patient.photo[0].data'],
      ['error', 'TYPE_SPECIFIC_CHECKS_DT_ATT_B64_DECODE_FAIL', 'Patient.photo[0]'],
    ]);
    expect(photo({ data: '...' })).toEqual([['error', 'TYPE_SPECIFIC_CHECKS_DT_ATT_B64_DECODE_FAIL', 'Patient.photo[0]']]);
  });

  it('checks a stated size and hash against the data', () => {
    const hello = 'SGVsbG8=';
    const sha1 = '9/+ei3uy4Jtwk1pdeF4MxdnQq/A=';
    expect(photo({ data: hello, size: 5, hash: sha1 })).toEqual([]);
    expect(photo({ data: hello, size: 7, hash: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' })).toEqual([
      ['error', 'TYPE_SPECIFIC_CHECKS_DT_ATT_SIZE_CORRECT', 'Patient.photo[0]'],
      ['error', 'TYPE_SPECIFIC_CHECKS_DT_ATT_HASH_MISMATCH', 'Patient.photo[0]'],
    ]);
    expect(photo({ size: -1 })).toEqual([
      ['error', 'Type_Specific_Checks_DT_Integer_LT0', 'Patient.photo[0].size'],
      ['error', 'TYPE_SPECIFIC_CHECKS_DT_ATT_SIZE_INVALID', 'Patient.photo[0]'],
    ]);
  });

  it('warns about an attachment with no data, url, content type or language', () => {
    expect(issues(patient({ photo: [{ title: 'x' }] }))).toEqual([['warning', 'TYPE_SPECIFIC_CHECKS_DT_ATT_NO_CONTENT', 'Patient.photo[0]']]);
  });
});

describe('limits a profile sets', () => {
  const CORE = 'http://hl7.org/fhir/StructureDefinition/';
  const core = readCoreR4();
  const obs = core.find((r) => r.url === `${CORE}Observation`) as StructureDefinition;
  /** A profile on Observation whose elements take the given changes. */
  function profile(name: string, changes: Record<string, Partial<ElementDefinition>>): StructureDefinition {
    const element = obs.snapshot!.element.map((e) => ({ ...JSON.parse(JSON.stringify(e)), ...(changes[e.id!] ?? {}) }) as ElementDefinition);
    return { ...obs, id: name, url: `http://limits.test/${name}`, name, derivation: 'constraint', baseDefinition: `${CORE}Observation`, snapshot: { element } } as StructureDefinition;
  }
  const limits = profile('Limits', {
    'Observation.value[x]': { minValueInteger: 1, maxValueInteger: 10 },
    'Observation.issued': { minValueInstant: '2020-01-01T00:00:00Z', maxValueInstant: '2021-01-01T00:00:00Z' },
    'Observation.effective[x]': { maxLength: 10 },
  });
  const text = profile('MinLength', {
    'Observation.value[x]': { extension: [{ url: `${CORE}minLength`, valueInteger: 3 }] },
  });
  const validator = new Validator(new MemoryResolver([...core, limits, text]));
  const found = (url: string, extra: Record<string, unknown>) =>
    validator
      .validateToIssues(observation(extra), { profiles: [url] })
      .filter((i) => i.severity !== 'information')
      .map((i) => [i.severity, i.rule, i.expression]);

  it('applies minValue and maxValue by the value type', () => {
    expect(found(limits.url, { valueInteger: 11 })).toEqual([['error', 'Type_Specific_Checks_DT_Integer_GT', 'Observation.value.ofType(integer)']]);
    expect(found(limits.url, { valueInteger: 0 })).toEqual([['error', 'Type_Specific_Checks_DT_Integer_LT', 'Observation.value.ofType(integer)']]);
    expect(found(limits.url, { valueInteger: 5 })).toEqual([]);
    expect(found(limits.url, { issued: '2022-01-01T00:00:00Z' })).toEqual([['error', 'TYPE_SPECIFIC_CHECKS_DT_DT_GT', 'Observation.issued']]);
    expect(found(limits.url, { issued: '2019-01-01T00:00:00Z' })).toEqual([['error', 'TYPE_SPECIFIC_CHECKS_DT_DT_LT', 'Observation.issued']]);
  });

  it('applies maxLength and minLength', () => {
    expect(found(limits.url, { effectiveDateTime: '2020-01-01T10:00:00Z' })).toEqual([['error', 'Type_Specific_Checks_DT_Primitive_Length', 'Observation.effective.ofType(dateTime)']]);
    expect(found(text.url, { valueString: 'ab' })).toEqual([['error', 'PRIMITIVE_TOO_SHORT', 'Observation.value.ofType(string)']]);
  });
});
