import { describe, expect, it } from 'vitest';
import { FhirDecimal, stringifyFhirJson } from './decimal.js';
import { FormatError } from './errors.js';
import { parseFhirXml } from './xml-to-json.js';

const NS = 'xmlns="http://hl7.org/fhir"';

function errorOf(fn: () => unknown): FormatError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw e;
  }
  throw new Error('expected a FormatError');
}

describe('parseFhirXml', () => {
  it('types primitives and makes arrays from cardinality', () => {
    const { resource, issues } = parseFhirXml(`<?xml version="1.0"?>
      <Observation ${NS}><id value="o1"/><status value="final"/>
        <code><text value="pain"/></code>
        <valueInteger value="5"/>
        <component><code><text value="a"/></code><valueBoolean value="true"/></component>
        <component><code><text value="b"/></code><valueQuantity><value value="1.50"/><unit value="mg"/></valueQuantity></component>
      </Observation>`);
    expect(issues).toEqual([]);
    expect(resource).toEqual({
      resourceType: 'Observation',
      id: 'o1',
      status: 'final',
      code: { text: 'pain' },
      valueInteger: 5,
      component: [
        { code: { text: 'a' }, valueBoolean: true },
        { code: { text: 'b' }, valueQuantity: { value: 1.5, unit: 'mg' } },
      ],
    });
  });

  it('keeps the written text of decimals on request', () => {
    const xml = `<Observation ${NS}><status value="final"/><code><text value="x"/></code><valueQuantity><value value="1.50"/></valueQuantity></Observation>`;
    const { resource } = parseFhirXml(xml, { decimals: 'exact' });
    const value = (resource as { valueQuantity?: { value?: unknown } }).valueQuantity?.value;
    expect(value).toBeInstanceOf(FhirDecimal);
    expect(stringifyFhirJson(resource)).toContain('"value":1.50');
    expect(JSON.stringify(resource)).toContain('"value":1.5');
  });

  it('aligns _element arrays with their values, with null gaps', () => {
    const { resource } = parseFhirXml(`<Patient ${NS}><name>
        <given value="A"/>
        <given id="g2"><extension url="http://e"><valueString value="x"/></extension></given>
        <given value="C"/>
      </name><birthDate value="2000-01-01"><extension url="http://t"><valueDateTime value="2000-01-01T10:00:00Z"/></extension></birthDate></Patient>`);
    expect(resource).toMatchObject({
      name: [{ given: ['A', null, 'C'], _given: [null, { id: 'g2', extension: [{ url: 'http://e', valueString: 'x' }] }, null] }],
      birthDate: '2000-01-01',
      _birthDate: { extension: [{ url: 'http://t', valueDateTime: '2000-01-01T10:00:00Z' }] },
    });
  });

  it('serialises the narrative div as XHTML with its namespace, normalising entities', () => {
    const { resource } = parseFhirXml(`<Patient ${NS}><text><status value="generated"/><x:div xmlns:x="http://www.w3.org/1999/xhtml">a &amp; b &#169; <x:b class="c">bold</x:b><x:br/><!-- gone --></x:div></text></Patient>`);
    expect((resource as { text?: { div?: string } }).text?.div).toBe('<div xmlns="http://www.w3.org/1999/xhtml">a &amp; b \u00a9 <b class="c">bold</b><br/></div>');
  });

  it('converts contained and nested resources', () => {
    const { resource, issues } = parseFhirXml(`<Bundle ${NS}><type value="collection"/>
      <entry><fullUrl value="urn:uuid:1"/><resource><Patient><id value="p"/><contained><Organization><id value="o"/></Organization></contained></Patient></resource></entry>
      <entry><resource><Parameters><parameter><name value="r"/><resource><Basic><code><text value="t"/></code></Basic></resource></parameter></Parameters></resource></entry>
    </Bundle>`);
    expect(issues).toEqual([]);
    expect(resource).toEqual({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'urn:uuid:1', resource: { resourceType: 'Patient', id: 'p', contained: [{ resourceType: 'Organization', id: 'o' }] } },
        { resource: { resourceType: 'Parameters', parameter: [{ name: 'r', resource: { resourceType: 'Basic', code: { text: 't' } } }] } },
      ],
    });
  });

  it('reports a primitive with neither value nor extensions against ele-1 and the primitive rule, and drops it', () => {
    const { resource, issues } = parseFhirXml('<Observation xmlns="http://hl7.org/fhir"><status value="final"/><valueInteger><value>3</value></valueInteger></Observation>');
    expect(resource).not.toHaveProperty('valueInteger');
    const messages = issues.filter((i) => i.path === 'Observation.valueInteger').map((i) => i.message);
    expect(messages).toEqual([expect.stringContaining('ele-1'), 'Primitive types must have a value or must have child extensions']);
  });

  it('gives the line and column of issues and, on request, of every element', () => {
    const xml = `<Patient ${NS}>\r\n  <name>\r\n    <given value="A"/>\r\n    <bogus/>\r\n  </name>\r\n</Patient>`;
    const { issues, locations } = parseFhirXml(xml, { locations: true });
    expect(issues).toMatchObject([{ path: 'Patient.name[0].bogus', line: 4, column: 5 }]);
    expect(locations?.get('Patient')).toEqual({ line: 1, column: 1 });
    expect(locations?.get('Patient.name[0].given[0]')).toEqual({ line: 3, column: 5 });
    expect(parseFhirXml(xml).locations).toBeUndefined();
  });

  it('accepts whitespace before the XML declaration and still reports true positions', () => {
    const { issues } = parseFhirXml(` \n<?xml version="1.0"?>\n<Patient ${NS}>\n  <bogus/>\n</Patient>`);
    // The leading white space is itself a finding (the reference reads the first bytes as a byte-order mark or `<`).
    expect(issues).toMatchObject([{ rule: 'xml_encoding_invalid' }, { path: 'Patient.bogus', line: 4, column: 3 }]);
    expect(errorOf(() => parseFhirXml(` \n<?xml version="1.0"?>\n<Patient ${NS}>\n  <id value="x">\n</Patient>`)).line).toBe(5);
  });

  it('locates issues inside nested resources by their place in the container', () => {
    const { issues } = parseFhirXml(`<Bundle ${NS}><type value="collection"/><entry><resource><Patient><foo value="1"/></Patient></resource></entry></Bundle>`);
    expect(issues.map((i) => i.path)).toEqual(['Bundle.entry[0].resource.foo']);
  });

  it('follows contentReference (Questionnaire.item.item) and attribute ids/urls', () => {
    const { resource, issues } = parseFhirXml(`<Questionnaire ${NS}><status value="draft"/>
      <item id="i1"><linkId value="1"/><type value="group"/><item><linkId value="1.1"/><type value="string"/></item></item></Questionnaire>`);
    expect(issues).toEqual([]);
    expect(resource).toMatchObject({ item: [{ id: 'i1', linkId: '1', item: [{ linkId: '1.1', type: 'string' }] }] });
  });

  it('reports elements it cannot place, keeping the rest', () => {
    const { resource, issues } = parseFhirXml(`<Patient ${NS}><active value="yes"/><foo value="1"/><gender value="male"/><gender value="female"/>stray</Patient>`);
    expect(resource).toEqual({ resourceType: 'Patient', active: 'yes', gender: 'male' });
    expect(issues.map((i) => `${i.code} ${i.path}`).sort()).toEqual([
      'cardinality Patient.gender',
      'invalid-value Patient.active',
      'unexpected-text Patient',
      'unknown-element Patient.foo',
    ]);
  });

  it('keeps both values when a choice element is given twice with different types, and reports it', () => {
    const { resource, issues } = parseFhirXml(`<Basic ${NS}><extension url="http://e"><valueCode value="a"/><valueString value="b"/></extension><code><text value="t"/></code></Basic>`);
    expect(resource).toMatchObject({ extension: [{ url: 'http://e', valueCode: 'a', valueString: 'b' }] });
    expect(issues.map((i) => `${i.code} ${i.path}`)).toEqual(['cardinality Basic.extension[0].value[x]']);
  });

  it('reports elements out of definition order and still places them', () => {
    const { resource, issues } = parseFhirXml(`<Observation ${NS}><code><text value="c"/></code><status value="final"/><name/></Observation>`);
    expect(resource).toEqual({ resourceType: 'Observation', status: 'final', code: { text: 'c' } });
    expect(issues.map((i) => `${i.code} ${i.path} ${i.message}`)).toEqual([
      "order Observation.status Element 'status' is out of order (found after 'code')",
      "unknown-element Observation.name Unknown element 'name'",
    ]);
  });

  it('drops XML comments (fhir_comments are not produced)', () => {
    const { resource } = parseFhirXml(`<!-- head --><Patient ${NS}><!-- c --><active value="true"/></Patient>`);
    expect(resource).toEqual({ resourceType: 'Patient', active: true });
  });
});

describe('parseFhirXml on bad input', () => {
  it('refuses DOCTYPE and ENTITY declarations before parsing, with a position', () => {
    const e = errorOf(() => parseFhirXml(`<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<Patient ${NS}><id value="&e;"/></Patient>`));
    expect(e.code).toBe('doctype-forbidden');
    expect(e.line).toBe(2);
    expect(e.column).toBe(1);
  });

  it('refuses an entity bomb quickly without expanding it', () => {
    const lol = Array.from({ length: 10 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
    const started = Date.now();
    const e = errorOf(() => parseFhirXml(`<!DOCTYPE b [<!ENTITY l0 "lol">${lol}]><Patient ${NS}><id value="&l10;"/></Patient>`));
    expect(e.code).toBe('doctype-forbidden');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('rejects undeclared entities', () => {
    expect(errorOf(() => parseFhirXml(`<Patient ${NS}><id value="&e;"/></Patient>`)).code).toBe('malformed-xml');
  });

  it('gives line and column for malformed XML', () => {
    const e = errorOf(() => parseFhirXml(`<Patient ${NS}>\n  <id value="x">\n</Patient>`));
    expect(e.code).toBe('malformed-xml');
    expect(e.line).toBeGreaterThanOrEqual(2);
    expect(e.column).toBeGreaterThan(0);
    expect(e.message).toMatch(/line \d+, column \d+/);
  });

  it('refuses 10 000-deep nesting with a clear error', () => {
    const deep = `<Questionnaire ${NS}>${'<item>'.repeat(10_000)}${'</item>'.repeat(10_000)}</Questionnaire>`;
    expect(errorOf(() => parseFhirXml(deep)).code).toBe('too-deep');
  });

  it('refuses non-FHIR roots and unknown resource types', () => {
    expect(errorOf(() => parseFhirXml('<Patient/>')).code).toBe('not-fhir');
    expect(errorOf(() => parseFhirXml(`<Nonsense ${NS}/>`)).code).toBe('unknown-resource-type');
    expect(errorOf(() => parseFhirXml(`<DomainResource ${NS}/>`)).code).toBe('unknown-resource-type');
    expect(errorOf(() => parseFhirXml('')).code).toBe('malformed-xml');
  });

  it('does not echo element content in error messages', () => {
    const e = errorOf(() => parseFhirXml(`<Patient ${NS}><name><family value="SECRET-NAME"/></name><bad></Patient>`));
    expect(e.message).not.toContain('SECRET-NAME');
  });
});
