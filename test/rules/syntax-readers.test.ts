/**
 * What the JSON and XML readers report while loading an instance (the reference's JsonParser and XmlParser),
 * through the validation service's text entry point, with payloads of our own: values of the wrong JSON kind,
 * `_name` companions of the wrong shape, malformed narrative XHTML, and in XML stray text, undefined
 * attributes and unknown resource names.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { found, service } from './helpers.js';

let svc: ValidationService;
beforeAll(async () => {
  svc = await service();
});

const XHTML = 'http://www.w3.org/1999/xhtml';

describe('JSON reader', () => {
  const cases: [string, unknown, string][] = [
    ['Error_parsing_JSON_the_primitive_value_must_be_a_string', { resourceType: 'Patient', gender: 5 }, 'Patient.gender'],
    ['This_base_property_must_be_an_Array_not_', { resourceType: 'Patient', name: [{ given: ['a'], _given: { id: 'g' } }] }, 'Patient.name[0].given'],
    ['This_property_must_be_an_simple_value_not_', { resourceType: 'Patient', birthDate: { value: '2000' } }, 'Patient.birthDate'],
    ['This_property_must_be__not_', { resourceType: 'Patient', managingOrganization: 'Organization/1' }, 'Patient.managingOrganization'],
    ['Error_parsing_XHTML_', { resourceType: 'Patient', text: { status: 'generated', div: `<div xmlns="${XHTML}">unclosed` } }, 'Patient.text.div'],
  ];
  for (const [rule, input, at] of cases) {
    it(`${rule} at ${at}`, () => {
      expect(found(svc.validateText(JSON.stringify(input)).outcome, [rule])).toEqual([{ severity: 'error', rule, at }]);
    });
  }
});

describe('what the JSON reader drops is absent for the rules that follow', () => {
  it('invariants: a Quantity whose system is an array has no system (qty-3)', () => {
    const obs = { resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueQuantity: { value: 1, code: 'mg', system: ['http://unitsofmeasure.org', 'http://unitsofmeasure.org'] } };
    const QTY_3 = 'http://hl7.org/fhir/StructureDefinition/Quantity#qty-3';
    expect(found(svc.validateText(JSON.stringify(obs)).outcome, [QTY_3, 'This_property_must_be_an_simple_value_not_'])).toEqual([
      { severity: 'error', rule: 'This_property_must_be_an_simple_value_not_', at: 'Observation.value[x].system' },
      { severity: 'error', rule: QTY_3, at: 'Observation.value.ofType(Quantity)' },
    ]);
    const fine = { ...obs, valueQuantity: { value: 1, code: 'mg', system: 'http://unitsofmeasure.org' } };
    expect(found(svc.validateText(JSON.stringify(fine)).outcome, [QTY_3])).toEqual([]);
  });

  it('invariants of an enclosing object see it too: a Bundle with an entry whose fullUrl is an object (bdl-7)', () => {
    const patient = { resourceType: 'Patient', id: 'p' };
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: { value: 'urn:uuid:0f2e6a3c-1b2d-4e5f-8a9b-0c1d2e3f4a5b' }, resource: patient }] };
    const issues = found(svc.validateText(JSON.stringify(bundle)).outcome);
    expect(issues.filter((i) => i.rule === 'ADSFHIR_INVARIANT_NOT_EVALUATED')).toEqual([]);
    expect(issues.filter((i) => i.rule === 'BUNDLE_BUNDLE_ENTRY_FULLURL_REQUIRED')).toEqual([{ severity: 'error', rule: 'BUNDLE_BUNDLE_ENTRY_FULLURL_REQUIRED', at: 'Bundle.entry[0]' }]);
  });
});

describe('XML reader', () => {
  const patient = (inner: string) => `<Patient xmlns="http://hl7.org/fhir">${inner}</Patient>`;
  it('Text_should_not_be_present and Undefined_attribute__on__for_type__properties__ on a primitive', () => {
    const outcome = svc.validateText(patient('<active value="true" foo="1">hello</active>'), { format: 'xml' }).outcome;
    expect(found(outcome, ['Text_should_not_be_present', 'Undefined_attribute__on__for_type__properties__'])).toEqual([
      { severity: 'error', rule: 'Undefined_attribute__on__for_type__properties__', at: 'Patient.active.@foo' },
      { severity: 'error', rule: 'Text_should_not_be_present', at: 'Patient.active' },
    ]);
  });

  it('Contained_resource_does_not_appear_to_be_a_FHIR_resource_unknown_name_ for a contained element that is no resource', () => {
    const outcome = svc.validateText(patient('<contained><Foo/></contained>'), { format: 'xml' }).outcome;
    expect(found(outcome, ['Contained_resource_does_not_appear_to_be_a_FHIR_resource_unknown_name_'])).toEqual([
      { severity: 'error', rule: 'Contained_resource_does_not_appear_to_be_a_FHIR_resource_unknown_name_', at: 'Patient.contained[0]' },
    ]);
  });

  it('CDATA inside a FHIR element is text: an error when it is not white space (Text_should_not_be_present), never CDATA_is_not_allowed', () => {
    // The reference joins CDATA to the text around it before its reader looks (a comment ends a run of text).
    const outcome = svc.validateText(patient('<active value="true"><![CDATA[]]></active><name><family value="x"/><![CDATA[  ]]></name><name>a<![CDATA[b]]>c<!-- x -->d<family value="y"/></name>'), { format: 'xml' }).outcome;
    expect(found(outcome, ['CDATA_is_not_allowed', 'Text_should_not_be_present'])).toEqual([
      { severity: 'error', rule: 'Text_should_not_be_present', at: 'Patient.name[1]' },
      { severity: 'error', rule: 'Text_should_not_be_present', at: 'Patient.name[1]' },
    ]);
  });

  it('a processing instruction before the root is an error, the XML declaration is not (No_processing_instructions_allowed_in_resources)', () => {
    const outcome = svc.validateText(`<?xml version="1.0"?><?xml-stylesheet href="s.xsl"?>${patient('<active value="true"/>')}`, { format: 'xml' }).outcome;
    expect(found(outcome)).toEqual([{ severity: 'error', rule: 'No_processing_instructions_allowed_in_resources', at: '(document)' }]);
  });

  it('a FHIR element in another namespace is read, with an error (Wrong_namespace__expected_)', () => {
    const outcome = svc.validateText(patient('<active xmlns="http://example.org/x" value="maybe"/>'), { format: 'xml' }).outcome;
    expect(found(outcome, ['Wrong_namespace__expected_', 'Type_Specific_Checks_DT_Boolean_Value', 'Undefined_element_'])).toEqual([
      { severity: 'error', rule: 'Wrong_namespace__expected_', at: 'Patient.active' },
      { severity: 'error', rule: 'Type_Specific_Checks_DT_Boolean_Value', at: 'Patient.active' },
    ]);
  });

  it('a root element without a namespace is fatal (This__cannot_be_parsed_as_a_FHIR_object_no_namespace)', () => {
    const outcome = svc.validateText('<Patient><active value="true"/></Patient>', { format: 'xml' }).outcome;
    expect(found(outcome)).toEqual([{ severity: 'fatal', rule: 'This__cannot_be_parsed_as_a_FHIR_object_no_namespace', at: 'Patient' }]);
  });

  it('a root in another namespace, or a name that is no resource, is fatal (This_does_not_appear_to_be_a_FHIR_resource_unknown_namespacename_)', () => {
    const rule = 'This_does_not_appear_to_be_a_FHIR_resource_unknown_namespacename_';
    expect(found(svc.validateText('<Patient xmlns="http://example.org/x"/>', { format: 'xml' }).outcome)).toEqual([{ severity: 'fatal', rule, at: 'Patient' }]);
    expect(found(svc.validateText('<Nonsense xmlns="http://hl7.org/fhir"/>', { format: 'xml' }).outcome)).toEqual([{ severity: 'fatal', rule, at: 'Nonsense' }]);
  });

  it('well-formed values raise none of these', () => {
    const outcome = svc.validateText(patient('<active value="true"/>'), { format: 'xml' }).outcome;
    expect(found(outcome)).toEqual([{ severity: 'information', rule: 'ALL_OK', at: undefined }]);
  });
});

describe('where the JSON reader places its findings on choice elements', () => {
  // The HL7 validator's JsonParser builds its locations from the element definitions' names, so a choice element is
  // `value[x]` there, at any depth below it too; the validator's own findings name the type read (value.ofType(T)).
  const observation = (value: Record<string, unknown>) =>
    JSON.stringify({ resourceType: 'Observation', text: { status: 'generated', div: `<div xmlns="${XHTML}">x</div>` }, status: 'final', code: { text: 'x' }, ...value }, null, 2);
  const READER = ['This_property_must_be__not_', 'This_property_must_be_an_simple_value_not_', 'Unrecognised_property_', 'Object_must_have_some_content', 'Error_parsing_JSON_the_primitive_value_must_be_a_string'];
  const line = (text: string, rule: string) =>
    svc.validateText(text).outcome.issue.find((i) => i.details?.coding?.[0]?.code === rule)?.extension?.find((e) => e.url.endsWith('issue-line'))?.valueInteger;

  it.each([
    ['an array for a single complex value', { valueQuantity: [{ value: 1 }] }, 'This_property_must_be__not_', 'Observation.value[x]'],
    ['an object for a primitive', { valueString: { a: 1 } }, 'This_property_must_be_an_simple_value_not_', 'Observation.value[x]'],
    ['an unknown property inside', { valueQuantity: { value: 1, foo: 2 } }, 'Unrecognised_property_', 'Observation.value[x]'],
    ['an empty object', { valueQuantity: {} }, 'Object_must_have_some_content', 'Observation.value[x]'],
    ['an array for a primitive below it', { valueQuantity: { value: 1, system: ['http://unitsofmeasure.org'] } }, 'This_property_must_be_an_simple_value_not_', 'Observation.value[x].system'],
    ['a number for a string', { valueString: 5 }, 'Error_parsing_JSON_the_primitive_value_must_be_a_string', 'Observation.value[x]'],
  ])('%s: at the choice element named as the reader names it, on the line of its property', (_label, value, rule, at) => {
    const text = observation(value);
    expect(found(svc.validateText(text).outcome, READER)).toEqual([{ severity: 'error', rule, at }]);
    const key = at.endsWith('[x]') ? '"value' : `"${at.slice(at.lastIndexOf('.') + 1)}"`;
    expect(line(text, rule)).toBe(text.split('\n').findIndex((l) => l.includes(key)) + 1);
  });

  it("a `_value` companion's own content is the validator's finding, at the type read", () => {
    const text = JSON.stringify({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, _valueInteger: { value: 0 } });
    expect(found(svc.validateText(text).outcome, ['Unrecognised_property_'])).toEqual([{ severity: 'error', rule: 'Unrecognised_property_', at: 'Observation.value.ofType(integer)' }]);
  });
});

describe('a primitive of the wrong JSON kind is read as its text, by every rule after the reader', () => {
  const div = `<div xmlns="${XHTML}">x</div>`;
  const outcome = (resource: unknown) => svc.validateText(JSON.stringify(resource)).outcome;
  const KIND = 'Error_parsing_JSON_the_primitive_value_must_be_a_string';

  it('by the invariants of the objects around it: linkId 1 and "1" are one link id twice (que-2)', () => {
    const q = { resourceType: 'Questionnaire', text: { status: 'generated', div }, status: 'draft', item: [{ linkId: 1, type: 'string' }, { linkId: '1', type: 'string' }] };
    expect(found(outcome(q), [KIND, 'http://hl7.org/fhir/StructureDefinition/Questionnaire#que-2'])).toEqual([
      { severity: 'error', rule: KIND, at: 'Questionnaire.item[0].linkId' },
      { severity: 'error', rule: 'http://hl7.org/fhir/StructureDefinition/Questionnaire#que-2', at: 'Questionnaire' },
    ]);
  });

  it('by the Bundle rules and invariants: a fullUrl written 42 is the URL "42", not a missing one nor an invariant that cannot run', () => {
    const entry = { fullUrl: 42, resource: { resourceType: 'Basic', id: 'a', text: { status: 'generated', div }, code: { text: 'x' } } };
    expect(found(outcome({ resourceType: 'Bundle', type: 'collection', entry: [entry] }))).toEqual([
      { severity: 'error', rule: KIND, at: 'Bundle.entry[0].fullUrl' },
      { severity: 'error', rule: 'BUNDLE_ENTRY_URL_ABSOLUTE', at: 'Bundle.entry[0]' },
    ]);
    const header = { fullUrl: 'urn:uuid:6c1c9a4e-9b44-4f0c-9f86-7b3c0c8e1a11', resource: { resourceType: 'MessageHeader', id: 'h', text: { status: 'generated', div }, eventCoding: { system: 'http://example.org/e', code: 'x' }, source: { endpoint: 'http://example.org/s' } } };
    const rules = found(outcome({ resourceType: 'Bundle', type: 'message', timestamp: '2020-01-01T00:00:00Z', entry: [header, entry] })).map((f) => f.rule);
    expect(rules).not.toContain('Bundle_BUNDLE_Entry_NoFullUrl');
    expect(rules).not.toContain('ADSFHIR_INVARIANT_NOT_EVALUATED');
  });

  it('by the extension rules: a url written 5 is the url "5", not an absolute one, rather than no url', () => {
    const patient = { resourceType: 'Patient', text: { status: 'generated', div }, extension: [{ url: 5, valueString: 'a' }] };
    expect(found(outcome(patient))).toEqual([
      { severity: 'error', rule: 'Extension_EXT_URL_Absolute', at: 'Patient.extension[0]' },
      { severity: 'error', rule: KIND, at: 'Patient.extension[0].url' },
    ]);
  });

  it('by the coded-value rules: a Quantity system written true is the local reference "true"', () => {
    const obs = { resourceType: 'Observation', text: { status: 'generated', div }, status: 'final', code: { text: 'x' }, valueQuantity: { value: 44, system: true, code: '/min' } };
    expect(found(outcome(obs), [KIND, 'Terminology_TX_System_Relative'])).toEqual([
      { severity: 'error', rule: KIND, at: 'Observation.value[x].system' },
      { severity: 'error', rule: 'Terminology_TX_System_Relative', at: 'Observation.value.ofType(Quantity)' },
    ]);
  });

  it('reported once at the property for the items of a repeating primitive, as the reader reads them all at its path', () => {
    const patient = { resourceType: 'Patient', text: { status: 'generated', div }, name: [{ given: ['b', 5, true] }], address: [{ line: [7] }] };
    expect(found(outcome(patient), [KIND])).toEqual([
      { severity: 'error', rule: KIND, at: 'Patient.name[0].given' },
      { severity: 'error', rule: KIND, at: 'Patient.address[0].line' },
    ]);
  });
});

describe('an object where an array is due is kept by the reader as the one item', () => {
  const div = `<div xmlns="${XHTML}">x</div>`;
  const outcome = (resource: unknown) => svc.validateText(JSON.stringify(resource)).outcome;
  const ARRAY = 'This_property_must_be_an_Array_not_';
  const clinical = (coding: unknown) => ({ resourceType: 'Condition', text: { status: 'generated', div }, clinicalStatus: { coding }, subject: { display: 'x' } });
  const CS = 'http://terminology.hl7.org/CodeSystem/condition-clinical';

  it('a CodeableConcept whose coding is an object: the coding is judged against the binding, not taken for none', () => {
    const shape = [ARRAY, 'Terminology_TX_Code_ValueSet', 'Terminology_TX_NoValid_1_CC', 'Unknown_Code_in_Version'];
    expect(found(outcome(clinical({ system: CS, code: 'active' })), shape)).toEqual([{ severity: 'error', rule: ARRAY, at: 'Condition.clinicalStatus.coding' }]);
    expect(found(outcome(clinical({ system: CS, code: 'bogus' })), shape)).toEqual([
      { severity: 'error', rule: ARRAY, at: 'Condition.clinicalStatus.coding' },
      { severity: 'error', rule: 'Unknown_Code_in_Version', at: 'Condition.clinicalStatus.coding[0].code' },
      { severity: 'error', rule: 'Terminology_TX_NoValid_1_CC', at: 'Condition.clinicalStatus' },
    ]);
  });

  it('an Observation code whose coding is an object still implies the vital-signs profile its code requires', () => {
    const obs = { resourceType: 'Observation', text: { status: 'generated', div }, status: 'final', code: { coding: { system: 'http://loinc.org', code: '8867-4' } } };
    // Subject, effective[x] and category, which the heart-rate profile requires and a bare Observation does not.
    expect(found(outcome(obs), ['Validation_VAL_Profile_Minimum']).map((f) => f.at)).toEqual(['Observation', 'Observation', 'Observation']);
  });
});

describe('a Coding the reader keeps nothing of is an empty element: no coding when all are, judged beside one with content', () => {
  const div = `<div xmlns="${XHTML}">x</div>`;
  const outcome = (resource: unknown) => svc.validateText(JSON.stringify(resource)).outcome;
  const TX = ['Coding_has_no_system__cannot_validate', 'Terminology_TX_Code_ValueSet', 'Terminology_TX_NoValid_1_CC'];

  it('unbound: no "Coding has no system" for a coding whose only code was dropped, still one for a coding with a display', () => {
    const obs = { resourceType: 'Observation', text: { status: 'generated', div }, status: 'final', code: { coding: [{ display: 'x' }] }, valueCodeableConcept: { coding: [{ code: ['a'] }] } };
    expect(found(outcome(obs), TX)).toEqual([{ severity: 'warning', rule: 'Coding_has_no_system__cannot_validate', at: 'Observation.code.coding[0]' }]);
  });

  it('beside a coding with content, an emptied or empty coding is judged as the others: it has no system', () => {
    const condition = { resourceType: 'Condition', text: { status: 'generated', div }, clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }, {}] }, subject: { display: 'x' } };
    expect(found(outcome(condition), TX)).toEqual([{ severity: 'warning', rule: 'Coding_has_no_system__cannot_validate', at: 'Condition.clinicalStatus.coding[1]' }]);
    const obs = { resourceType: 'Observation', text: { status: 'generated', div }, status: 'final', code: { text: 'x' }, valueCodeableConcept: { coding: [{ system: 'http://example.org/cs', code: 'a' }, { code: ['b'] }] } };
    expect(found(outcome(obs), TX)).toEqual([{ severity: 'warning', rule: 'Coding_has_no_system__cannot_validate', at: 'Observation.value.ofType(CodeableConcept).coding[1]' }]);
  });

  it('bound: a CodeableConcept whose only coding was emptied provides no code', () => {
    const condition = { resourceType: 'Condition', text: { status: 'generated', div }, clinicalStatus: { coding: [{ code: ['active'] }] }, subject: { display: 'x' } };
    expect(found(outcome(condition), TX)).toEqual([{ severity: 'error', rule: 'Terminology_TX_Code_ValueSet', at: 'Condition.clinicalStatus' }]);
  });
});

describe('a value the reader drops tells no slice', () => {
  it("an extension whose url is a list matches no slice of its parent's extensions: the required slice is missing", () => {
    const div = `<div xmlns="${XHTML}">x</div>`;
    const geolocation = { url: 'http://hl7.org/fhir/StructureDefinition/geolocation', extension: [{ url: ['latitude'], valueDecimal: 1 }, { url: 'longitude', valueDecimal: 2 }] };
    const patient = { resourceType: 'Patient', text: { status: 'generated', div }, address: [{ city: 'x', extension: [geolocation] }] };
    expect(found(svc.validateText(JSON.stringify(patient)).outcome, ['Validation_VAL_Profile_Minimum_SLICE', 'Extension_EXT_Url_NotFound', 'This_property_must_be_an_simple_value_not_'])).toEqual([
      { severity: 'error', rule: 'Validation_VAL_Profile_Minimum_SLICE', at: 'Patient.address[0].extension[0]' },
      { severity: 'error', rule: 'Extension_EXT_Url_NotFound', at: 'Patient.address[0].extension[0].extension[0]' },
      { severity: 'error', rule: 'This_property_must_be_an_simple_value_not_', at: 'Patient.address[0].extension[0].extension[0].url' },
    ]);
  });
});
