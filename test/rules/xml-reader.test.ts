/**
 * Rules of the reference's XML reader (XmlParser) that have no JSON counterpart, through the validation
 * service's text entry point with payloads of our own: empty FHIR elements, the declared encoding.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { found, service } from './helpers.js';

let svc: ValidationService;
beforeAll(async () => {
  svc = await service();
});

const patient = (inner: string) => `<Patient xmlns="http://hl7.org/fhir">${inner}</Patient>`;
const xml = (text: string) => svc.validateText(text, { format: 'xml' }).outcome;

describe('an empty value attribute', () => {
  it('is one empty value and an ele-1 failure, as the reference reports it, and no display to judge', () => {
    const outcome = xml(
      '<Observation xmlns="http://hl7.org/fhir"><status value="final"/><category><coding><system value="http://terminology.hl7.org/CodeSystem/observation-category"/>' +
        '<code value="exam"/><display value=""/></coding></category><code><text value="x"/></code></Observation>',
    );
    const at = 'Observation.category[0].coding[0].display';
    expect(found(outcome).filter((f) => f.severity === 'error' || f.severity === 'warning')).toEqual([
      { severity: 'error', rule: 'Type_Specific_Checks_DT_Primitive_NotEmpty', at },
      { severity: 'error', rule: 'http://hl7.org/fhir/StructureDefinition/Element#ele-1', at },
    ]);
  });
});

describe('Element_must_have_some_content', () => {
  it('is reported on an empty complex element, and the JSON rule is not', () => {
    const outcome = xml(patient('<name/><active value="true"/>'));
    expect(found(outcome, ['Element_must_have_some_content', 'Object_must_have_some_content'])).toEqual([
      { severity: 'error', rule: 'Element_must_have_some_content', at: 'Patient.name' },
    ]);
  });
  it('is reported on an empty primitive and an empty extension inside a primitive', () => {
    const outcome = xml(patient('<active/><birthDate value="2000-01-01"><extension/></birthDate>'));
    expect(found(outcome, ['Element_must_have_some_content'])).toEqual([
      { severity: 'error', rule: 'Element_must_have_some_content', at: 'Patient.active' },
      { severity: 'error', rule: 'Element_must_have_some_content', at: 'Patient.birthDate.extension' },
    ]);
  });
  it('is reported on an empty root', () => {
    expect(found(xml('<Patient xmlns="http://hl7.org/fhir"/>'), ['Element_must_have_some_content'])).toEqual([
      { severity: 'error', rule: 'Element_must_have_some_content', at: 'Patient' },
    ]);
  });
  it('is not reported when an attribute, text or a child element is there (comments do not count)', () => {
    const outcome = xml(patient('<name id="n1"/><name><!-- note --><family value="A"/></name><active value="true"/>'));
    expect(found(outcome, ['Element_must_have_some_content', 'Object_must_have_some_content'])).toEqual([]);
    const commentOnly = xml(patient('<name><!-- only a comment --></name>'));
    expect(found(commentOnly, ['Element_must_have_some_content'])).toEqual([{ severity: 'error', rule: 'Element_must_have_some_content', at: 'Patient.name' }]);
  });
});

describe('xml_encoding_invalid', () => {
  const body = patient('<active value="true"/>');
  it('is reported when the declaration names another encoding', () => {
    expect(found(xml(`<?xml version="1.0" encoding="ISO-8859-1"?>${body}`), ['xml_encoding_invalid'])).toEqual([{ severity: 'error', rule: 'xml_encoding_invalid', at: 'XML' }]);
    expect(found(xml(`<?xml version='1.0' encoding='utf8'?>${body}`), ['xml_encoding_invalid'])).toEqual([{ severity: 'error', rule: 'xml_encoding_invalid', at: 'XML' }]);
  });
  it('is reported when the document starts with neither a declaration nor an element', () => {
    expect(found(xml(`\n${body}`), ['xml_encoding_invalid'])).toEqual([{ severity: 'error', rule: 'xml_encoding_invalid', at: 'XML' }]);
  });
  it('is not reported for UTF-8 in any case, no encoding, no declaration, or a UTF-8 byte-order mark', () => {
    for (const text of [`<?xml version="1.0" encoding="UTF-8"?>${body}`, `<?xml version="1.0" encoding="utf-8"?>${body}`, `<?xml version="1.0"?>${body}`, body, `\ufeff<?xml version="1.0" encoding="UTF-8"?>${body}`]) {
      expect(found(xml(text), ['xml_encoding_invalid'])).toEqual([]);
    }
  });
});

describe('xsi:type on a FHIR element', () => {
  const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
  const rules = ['XSI_TYPE_UNNECESSARY', 'XSI_TYPE_WRONG', 'Undefined_attribute__on__for_type__properties__'];
  it('XSI_TYPE_UNNECESSARY (information) when it names the element type; the attribute itself is undefined', () => {
    const outcome = xml(`<Patient xmlns="http://hl7.org/fhir" ${XSI}><name xsi:type="HumanName"><family value="A"/></name></Patient>`);
    expect(found(outcome, rules)).toEqual([
      { severity: 'information', rule: 'XSI_TYPE_UNNECESSARY', at: 'Patient.name' },
      { severity: 'error', rule: 'Undefined_attribute__on__for_type__properties__', at: 'Patient.name[0].@xsi:type' },
    ]);
  });
  it('XSI_TYPE_WRONG (error) when it names an unrelated type or a constraint, whatever the prefix', () => {
    const outcome = xml(`<Patient xmlns="http://hl7.org/fhir" xmlns:s="http://www.w3.org/2001/XMLSchema-instance"><name s:type="Address"><family value="A"/></name><birthDate s:type="Age" value="2000-01-01"/></Patient>`);
    expect(found(outcome, ['XSI_TYPE_WRONG'])).toEqual([
      { severity: 'error', rule: 'XSI_TYPE_WRONG', at: 'Patient.name' },
      { severity: 'error', rule: 'XSI_TYPE_WRONG', at: 'Patient.birthDate' },
    ]);
  });
  it('no type finding for a type specialised from the element type (code on a string)', () => {
    const outcome = xml(`<Patient xmlns="http://hl7.org/fhir" ${XSI}><name><family xsi:type="code" value="A"/></name></Patient>`);
    expect(found(outcome, rules)).toEqual([{ severity: 'error', rule: 'Undefined_attribute__on__for_type__properties__', at: 'Patient.name[0].family.@xsi:type' }]);
  });
  it('an attribute named type in another namespace is not xsi:type: it is an attribute FHIR does not define', () => {
    const outcome = xml(`<Patient xmlns="http://hl7.org/fhir" xmlns:o="urn:other"><name o:type="Address"><family value="A"/></name></Patient>`);
    expect(found(outcome, rules)).toEqual([{ severity: 'error', rule: 'Undefined_attribute__on__for_type__properties__', at: 'Patient.name[0].@o:type' }]);
  });
});

describe('Node_type__is_not_allowed', () => {
  it('is reported for a processing instruction inside a FHIR element or a primitive', () => {
    const outcome = xml(patient('<?marker one?><active value="true"><?marker two?></active>'));
    expect(found(outcome, ['Node_type__is_not_allowed'])).toEqual([
      { severity: 'error', rule: 'Node_type__is_not_allowed', at: 'Patient' },
      { severity: 'error', rule: 'Node_type__is_not_allowed', at: 'Patient.active' },
    ]);
  });
  it('is not reported for comments or the XML declaration', () => {
    expect(found(xml(`<?xml version="1.0" encoding="UTF-8"?>${patient('<!-- c --><active value="true"><!-- d --></active>')}`), ['Node_type__is_not_allowed'])).toEqual([]);
  });
});
