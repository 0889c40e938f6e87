import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FhirDecimal } from './decimal.js';
import { FormatError } from './errors.js';
import { toFhirXml } from './json-to-xml.js';
import { canonicalXhtml } from './xhtml.js';
import { parseFhirXml } from './xml-to-json.js';

describe('toFhirXml', () => {
  it('writes elements in definition order with value attributes and merged _element data', () => {
    const { xml, issues } = toFhirXml(
      {
        resourceType: 'Patient',
        gender: 'female',
        name: [{ given: ['A', null], _given: [null, { id: 'g', extension: [{ url: 'http://e', valueBoolean: true }] }], family: 'F' }],
        id: 'p1',
        active: true,
        text: { status: 'generated', div: '<div>x &amp; <b>y</b></div>' },
      },
      { declaration: false },
    );
    expect(issues).toEqual([]);
    expect(xml).toBe(
      [
        '<Patient xmlns="http://hl7.org/fhir">',
        '  <id value="p1"/>',
        '  <text>',
        '    <status value="generated"/>',
        '    <div xmlns="http://www.w3.org/1999/xhtml">x &amp; <b>y</b></div>',
        '  </text>',
        '  <active value="true"/>',
        '  <name>',
        '    <family value="F"/>',
        '    <given value="A"/>',
        '    <given id="g">',
        '      <extension url="http://e">',
        '        <valueBoolean value="true"/>',
        '      </extension>',
        '    </given>',
        '  </name>',
        '  <gender value="female"/>',
        '</Patient>',
        '',
      ].join('\n'),
    );
  });

  it('wraps nested resources and keeps exact decimals', () => {
    const { xml } = toFhirXml(
      { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Observation', status: 'final', code: { text: 'c' }, valueQuantity: { value: new FhirDecimal('1.50') } } }] },
      { pretty: false, declaration: false },
    );
    expect(xml).toBe(
      '<Bundle xmlns="http://hl7.org/fhir"><type value="collection"/><entry><resource><Observation><status value="final"/><code><text value="c"/></code><valueQuantity><value value="1.50"/></valueQuantity></Observation></resource></entry></Bundle>',
    );
  });

  it('escapes attribute values so they survive XML attribute normalisation', () => {
    const text = 'a "q" <b> & c\nline\ttab\r';
    const { xml } = toFhirXml({ resourceType: 'Basic', code: { text } });
    expect(parseFhirXml(xml).resource).toEqual({ resourceType: 'Basic', code: { text } });
  });

  it('never writes characters XML cannot carry', () => {
    const { xml, issues } = toFhirXml({ resourceType: 'Basic', code: { text: 'a\u0001b\ud800' } });
    expect(issues.map((i) => `${i.code} ${i.path}`)).toEqual(['invalid-value Basic.code.text']);
    expect(parseFhirXml(xml).resource).toEqual({ resourceType: 'Basic', code: { text: 'a\ufffdb\ufffd' } });
  });

  it('reports what has no place in XML instead of dropping it silently', () => {
    const { issues } = toFhirXml({ resourceType: 'Patient', foo: 1, active: 'yes', name: [], meta: null, text: { status: 'generated', div: '<div><p>unclosed</div>' } });
    expect(issues.map((i) => `${i.code} ${i.path}`).sort()).toEqual([
      'invalid-value Patient.active',
      'invalid-value Patient.meta',
      'invalid-value Patient.name',
      'invalid-value Patient.text.div',
      'unknown-element Patient.foo',
    ]);
  });

  it('writes both values of a choice given twice, and reports it', () => {
    const { xml, issues } = toFhirXml({ resourceType: 'Basic', code: { text: 't' }, extension: [{ url: 'http://e', valueCode: 'a', valueString: 'b' }] }, { pretty: false, declaration: false });
    expect(xml).toContain('<extension url="http://e"><valueCode value="a"/><valueString value="b"/></extension>');
    expect(issues.map((i) => `${i.code} ${i.path}`)).toEqual(['cardinality Basic.extension[0].value[x]']);
  });

  it('locates issues inside nested resources by their place in the container', () => {
    const { issues } = toFhirXml({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Patient', foo: 1 } }] });
    expect(issues.map((i) => i.path)).toEqual(['Bundle.entry[0].resource.foo']);
  });

  it('refuses nesting deeper than XML readers accept, with a clear error', () => {
    let item: Record<string, unknown> = { linkId: 'leaf', type: 'string' };
    for (let i = 0; i < 10_000; i++) item = { linkId: `l${i}`, type: 'group', item: [item] };
    expect(() => toFhirXml({ resourceType: 'Questionnaire', status: 'draft', item: [item] })).toThrow(expect.objectContaining({ code: 'too-deep' }));
  });

  it('refuses what is not a resource', () => {
    expect(() => toFhirXml([1, 2])).toThrow(FormatError);
    expect(() => toFhirXml({ resourceType: 'Nope' })).toThrow(/Unknown resource type/);
  });
});

// Characters XML 1.0 can carry (no controls other than tab/newline/CR, no lone surrogates).
const xmlChar = fc.oneof(fc.constantFrom('\t', '\n', '\r', '&', '<', '>', '"', "'", ' '), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }));
const xmlString = fc.array(xmlChar, { minLength: 1, maxLength: 12 }).map((a) => a.join(''));
const decimal = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }).filter((d) => !Object.is(d, -0));
const extension = fc.record({ url: fc.webUrl(), valueString: xmlString });

const patient = fc.record(
  {
    resourceType: fc.constant('Patient'),
    id: fc.stringMatching(/^[A-Za-z0-9\-.]{1,64}$/),
    active: fc.boolean(),
    gender: fc.constantFrom('male', 'female', 'other', 'unknown'),
    multipleBirthInteger: fc.integer(),
    name: fc.array(fc.record({ family: xmlString, given: fc.array(xmlString, { minLength: 1, maxLength: 3 }) }, { requiredKeys: ['family'] }), { minLength: 1, maxLength: 3 }),
    extension: fc.array(extension, { minLength: 1, maxLength: 2 }),
    _birthDate: fc.record({ extension: fc.array(extension, { minLength: 1, maxLength: 2 }) }),
  },
  { requiredKeys: ['resourceType'] },
);
const observation = fc.record({
  resourceType: fc.constant('Observation'),
  status: fc.constantFrom('final', 'amended'),
  code: fc.record({ text: xmlString }),
  valueQuantity: fc.record({ value: decimal, unit: xmlString }, { requiredKeys: ['value'] }),
  component: fc.array(fc.record({ code: fc.record({ text: xmlString }), valueInteger: fc.integer() }), { minLength: 1, maxLength: 3 }),
});

const xhtmlFragment: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    xmlString.map((t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')),
    fc.tuple(fc.constantFrom('p', 'b', 'i', 'span', 'br'), fc.array(tie('node'), { maxLength: 3 })).map(([tag, kids]) => (kids.length ? `<${tag}>${kids.join('')}</${tag}>` : `<${tag}/>`)),
  ),
})).node;

describe('JSON -> XML -> JSON property', () => {
  it('keeps any narrative the same through XML, and canonical XHTML is stable', () => {
    fc.assert(
      fc.property(fc.array(xhtmlFragment, { maxLength: 4 }), (parts) => {
        const div = canonicalXhtml(`<div xmlns="http://www.w3.org/1999/xhtml">${parts.join('')}</div>`);
        expect(canonicalXhtml(div)).toBe(div);
        const back = parseFhirXml(toFhirXml({ resourceType: 'Basic', code: { text: 'x' }, text: { status: 'generated', div } }).xml);
        expect((back.resource as { text?: { div?: string } }).text?.div).toBe(div);
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips generated resources exactly', () => {
    fc.assert(
      fc.property(fc.oneof(patient, observation), (resource) => {
        const { xml, issues } = toFhirXml(resource);
        expect(issues).toEqual([]);
        const back = parseFhirXml(xml);
        expect(back.issues).toEqual([]);
        expect(back.resource).toEqual(resource);
      }),
      { numRuns: 300 },
    );
  });
});
