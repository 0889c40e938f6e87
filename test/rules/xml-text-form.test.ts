/**
 * How the XML text is written, as the reference's XML reader (a conforming XML parser, then XmlParser) judges it:
 * attributes outside FHIR's namespace, characters XML does not allow, processing instructions around the root, the
 * narrative div's namespace. Payloads of our own, through the service's text entry point.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { found, service } from './helpers.js';

let svc: ValidationService;
beforeAll(async () => {
  svc = await service();
});

const DIV = '<text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml"><p>Pat</p></div></text>';
const patient = (inner: string, rootAttributes = '', div = DIV) => `<Patient xmlns="http://hl7.org/fhir"${rootAttributes}><id value="p1"/>${div}${inner}</Patient>`;
const xml = (text: string) => svc.validateText(text, { format: 'xml' }).outcome;
const UNDEFINED_ATTRIBUTE = 'Undefined_attribute__on__for_type__properties__';
const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

describe('attributes outside FHIR namespace (Undefined_attribute__on__for_type__properties__)', () => {
  it('xsi:schemaLocation, xml:lang and xsi:nil on FHIR content are undefined attributes', () => {
    const outcome = xml(patient(`<active xsi:nil="false" value="true"/><name xml:space="preserve"><family value="X"/></name>`, ` ${XSI} xsi:schemaLocation="http://hl7.org/fhir patient.xsd" xml:lang="en"`));
    expect(found(outcome)).toEqual([
      { severity: 'error', rule: UNDEFINED_ATTRIBUTE, at: 'Patient.@xsi:schemaLocation' },
      { severity: 'error', rule: UNDEFINED_ATTRIBUTE, at: 'Patient.@xml:lang' },
      { severity: 'error', rule: UNDEFINED_ATTRIBUTE, at: 'Patient.active.@xsi:nil' },
      { severity: 'error', rule: UNDEFINED_ATTRIBUTE, at: 'Patient.name[0].@xml:space' },
    ]);
  });

  it('an attribute in another namespace is undefined on a nested resource and an extension too', () => {
    const outcome = xml(
      `<Bundle xmlns="http://hl7.org/fhir" xmlns:x="urn:x"><type value="collection"/><entry><fullUrl value="urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0"/>` +
        `<resource>${patient('<active x:flag="1" value="true"/>')}</resource></entry></Bundle>`,
    );
    expect(found(outcome, [UNDEFINED_ATTRIBUTE])).toEqual([{ severity: 'error', rule: UNDEFINED_ATTRIBUTE, at: 'Bundle.entry[0].resource.active.@x:flag' }]);
  });

  it('an attribute prefixed into FHIR namespace is read as the unprefixed one', () => {
    const outcome = xml(patient('<extension xmlns:f="http://hl7.org/fhir" f:url="http://example.org/x"><valueString value="x"/></extension><active xmlns:f="http://hl7.org/fhir" f:value="true"/>'));
    expect(found(outcome)).toEqual([{ severity: 'information', rule: 'ALL_OK', at: undefined }]);
  });

  it('schemaLocation on an element outside FHIR namespace is let pass (that element is still in the wrong namespace)', () => {
    const outcome = xml(patient(`<active xmlns="urn:x" ${XSI} xsi:schemaLocation="a b" value="true"/>`));
    expect(found(outcome)).toEqual([{ severity: 'error', rule: 'Wrong_namespace__expected_', at: 'Patient.active' }]);
  });
});

describe('characters XML does not allow', () => {
  const fatal = [{ severity: 'fatal', rule: 'Error_parsing_', at: undefined }];
  it.each([
    ['a surrogate as a character reference', '&#xD800;'],
    ['U+FFFE as a character reference', '&#xFFFE;'],
    ['U+FFFF as a character reference', '&#65535;'],
    ['a C0 control as a character reference in XML 1.0', '&#x1;'],
    ['a C0 control written as it is', '\u0001'],
    ['U+FFFE written as it is', '\uFFFE'],
  ])('%s stops the reading (fatal)', (_label, written) => {
    const outcome = xml(`<?xml version="1.0" encoding="UTF-8"?>\n${patient(`<name><family value="a${written}b"/></name>`)}`);
    expect(found(outcome)).toEqual(fatal);
    expect(outcome.issue[0]!.extension?.some((e) => e.url.endsWith('issue-line'))).toBe(true);
  });

  it('in narrative text too', () => {
    expect(found(xml(patient('', '', '<text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml"><p>a&#xDFFF;b</p></div></text>')))).toEqual(fatal);
  });

  it('a C0 control as a character reference is read in XML 1.1, and only the content rule applies', () => {
    const outcome = xml(`<?xml version="1.1" encoding="UTF-8"?>\n${patient('<name><family value="a&#x1;b"/></name>')}`);
    expect(found(outcome)).toEqual([{ severity: 'warning', rule: 'UNICODE_XML_BAD_CHARS', at: 'Patient.name[0].family' }]);
  });

  it('character references are just text in a comment', () => {
    expect(found(xml(patient('<!-- &#0; &#xD800; --><active value="true"/>')))).toEqual([{ severity: 'information', rule: 'ALL_OK', at: undefined }]);
  });

  it('tab, line feed, carriage return and characters beyond the BMP are allowed', () => {
    expect(found(xml(patient('<name><family value="a&#x9;b&#10;c&#13;d&#x1F600;e"/></name>')))).toEqual([{ severity: 'information', rule: 'ALL_OK', at: undefined }]);
  });
});

describe('processing instructions around the root (No_processing_instructions_allowed_in_resources)', () => {
  const one = [{ severity: 'error', rule: 'No_processing_instructions_allowed_in_resources', at: '(document)' }];
  it('after the root element too', () => {
    expect(found(xml(`${patient('<active value="true"/>')}\n<!-- end -->\n<?marker x?>\n`))).toEqual(one);
  });
  it('is one finding however many there are, before and after the root', () => {
    expect(found(xml(`<?xml version="1.0"?>\n<?a b?>\n<?c d?>\n${patient('<active value="true"/>')}\n<?e f?>`))).toEqual(one);
  });
});

describe('the narrative div namespace', () => {
  const text = (div: string) => `<text><status value="generated"/>${div}</text>`;
  it('a div that inherits FHIR namespace is read, and its namespace is wrong (XHTML_XHTML_NS_InValid)', () => {
    const outcome = xml(patient('', '', text('<div><p>Pat</p></div>')));
    expect(found(outcome)).toEqual([{ severity: 'error', rule: 'XHTML_XHTML_NS_InValid', at: 'Patient.text.div' }]);
  });
  it('a div in another namespace is read, and its namespace is wrong', () => {
    const outcome = xml(patient('', '', text('<div xmlns="http://www.w3.org/1999/xhtmlX"><p>Pat</p></div>')));
    expect(found(outcome)).toEqual([{ severity: 'error', rule: 'XHTML_XHTML_NS_InValid', at: 'Patient.text.div' }]);
  });
  it('a div in FHIR namespace through a prefix is judged on its namespace only', () => {
    const outcome = xml('<f:Patient xmlns:f="http://hl7.org/fhir"><f:id value="p1"/><f:text><f:status value="generated"/><f:div><f:p>Pat</f:p></f:div></f:text></f:Patient>');
    expect(found(outcome)).toEqual([{ severity: 'error', rule: 'XHTML_XHTML_NS_InValid', at: 'Patient.text.div' }]);
  });
  it('a div in no namespace is taken as XHTML', () => {
    const outcome = xml(patient('', '', text('<div xmlns=""><p>Pat</p></div>')));
    expect(found(outcome)).toEqual([{ severity: 'information', rule: 'ALL_OK', at: undefined }]);
  });
});

describe('number texts that are not in JSON number form', () => {
  const observation = (value: string) =>
    `<Observation xmlns="http://hl7.org/fhir"><id value="o1"/>${DIV}<status value="final"/><code><text value="x"/></code>${value}</Observation>`;
  const at = { integer: 'Observation.value.ofType(integer)', decimal: 'Observation.value.ofType(Quantity).value' };
  it.each([
    ['an integer with a leading zero breaks the integer pattern', '<valueInteger value="05"/>', 'Type_Specific_Checks_DT_Primitive_Regex_Type', at.integer],
    ['an integer with a plus sign is no integer', '<valueInteger value="+5"/>', 'Type_Specific_Checks_DT_Integer_Valid', at.integer],
    ['a decimal with a leading zero is no decimal', '<valueQuantity><value value="01.5"/></valueQuantity>', 'Type_Specific_Checks_DT_Decimal_Valid', at.decimal],
    ['a decimal with a plus sign breaks the decimal pattern only', '<valueQuantity><value value="+5.0"/></valueQuantity>', 'Type_Specific_Checks_DT_Primitive_Regex_Type', at.decimal],
  ])('%s: one finding, on the text as written', (_label, value, rule, path) => {
    expect(found(xml(observation(value)))).toEqual([{ severity: 'error', rule, at: path }]);
  });
  it('minus zero, exponents and trailing zeros are numbers', () => {
    for (const value of ['<valueInteger value="-0"/>', '<valueQuantity><value value="1.5e3"/></valueQuantity>', '<valueQuantity><value value="0.50"/></valueQuantity>']) {
      expect(found(xml(observation(value)))).toEqual([{ severity: 'information', rule: 'ALL_OK', at: undefined }]);
    }
  });
});

describe('the reserved processing instruction target xml', () => {
  it('an XML declaration in upper case, or one after the start, stops the reading (fatal)', () => {
    for (const text of [`<?XML version="1.0"?>\n${patient('<active value="true"/>')}`, `<!-- c --><?xml version="1.0"?>\n${patient('<active value="true"/>')}`]) {
      expect(found(xml(text))).toEqual([{ severity: 'fatal', rule: 'Error_parsing_', at: undefined }]);
    }
  });
  it('the declaration in lower case at the start is fine, and so is another target that begins with xml', () => {
    expect(found(xml(`<?xml version="1.0"?>\n${patient('<active value="true"/>')}`))).toEqual([{ severity: 'information', rule: 'ALL_OK', at: undefined }]);
    expect(found(xml(`<?xml version="1.0"?><?xml-stylesheet href="s.xsl"?>${patient('<active value="true"/>')}`))).toEqual([
      { severity: 'error', rule: 'No_processing_instructions_allowed_in_resources', at: '(document)' },
    ]);
  });
});

describe('a resource wrapper with more than one resource (ADSFHIR_XML_RESOURCE_COUNT)', () => {
  it('the first is read, as the reference reads it, so references to it resolve; the others are reported, not dropped silently', () => {
    const org = (id: string) => `<Organization><id value="${id}"/><name value="O"/></Organization>`;
    const outcome = xml(patient(`<contained>${org('o1')}${org('o2')}</contained><active value="true"/><managingOrganization><reference value="#o1"/></managingOrganization>`));
    expect(found(outcome)).toEqual([{ severity: 'error', rule: 'ADSFHIR_XML_RESOURCE_COUNT', at: 'Patient.contained[0]' }]);
  });
});
