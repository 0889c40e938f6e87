/**
 * The content model of narrative XHTML and its hyperlinks, as the reference validator's XhtmlValidator and
 * InstanceValidator.checkReferences / checkImageSources / validateResourceRules check them, through
 * createValidationService with narratives of our own. Each case asserts the rule ids, severities and
 * locations it raises, and nothing else of the XHTML families.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { found, service } from './helpers.js';

let svc: ValidationService;
beforeAll(async () => {
  svc = await service();
});

const NS = 'xmlns="http://www.w3.org/1999/xhtml"';
const FAMILY = /^(XHTML_|TYPE_SPECIFIC_CHECKS_DT_XHTML|Type_Specific_Checks_DT_XHTML|Language_XHTML|Error_parsing_XHTML_)/;
const patient = (div: string, extra: Record<string, unknown> = {}) => ({ resourceType: 'Patient', ...extra, text: { status: 'generated', div } });
const xhtmlIssues = (input: unknown) => found(svc.validate(input)).filter((f) => FAMILY.test(f.rule ?? ''));
const at = 'Patient.text.div';
const one = (rule: string, severity = 'error', where = at) => [{ severity, rule, at: where }];

describe('content model (XhtmlValidator)', () => {
  const cases: [string, string, string, string?][] = [
    ['XHTML_XHTML_Element_Illegal', `<div ${NS}><p>a <u>b</u></p></div>`, 'error'],
    ['XHTML_XHTML_Attribute_Illegal', `<div ${NS}><p onclick="x()">a</p></div>`, 'error'],
    ['XHTML_XHTML_ATTRIBUTE_XML_SPACE', `<div ${NS}><pre xml:space="preserve">a</pre></div>`, 'information'],
    ['XHTML_XHTML_ELEMENT_ILLEGAL_IN_PARA', `<div ${NS}><p>a <span>b<blockquote>c</blockquote></span></p></div>`, 'error'],
    ['XHTML_XHTML_BLOCK_IN_PARA', `<div ${NS}><h1>a<div>b</div></h1></div>`, 'error'],
    ['XHTML_XHTML_NO_RECURSION', `<div ${NS}><b>a <b>b</b></b></div>`, 'error'],
    ['XHTML_XHTML_NO_CHILDREN', `<div ${NS}>a<br>b</br></div>`, 'error'],
    ['XHTML_XHTML_ILLEGAL_CHILDREN', `<div ${NS}><ul><li>a</li><p>b</p></ul></div>`, 'error'],
    ['XHTML_XHTML_OUT_OF_PLACE', `<div ${NS}><li>a</li></div>`, 'error'],
    ['XHTML_XHTML_DUPLICATE_IDS', `<div ${NS}><p id="a">a</p><p id="a">b</p></div>`, 'warning'],
    ['XHTML_XHTML_DOCTYPE_ILLEGAL', `<div ${NS}><!DOCTYPE html>a</div>`, 'error'],
    ['XHTML_URL_INVALID', `<div ${NS}><a href="http://example.org/a b">a</a></div>`, 'error'],
    ['XHTML_XHTML_NS_InValid', `<div ${NS}><p xmlns="http://example.org/x">a</p></div>`, 'error'],
    ['XHTML_XHTML_MIXED_LANG', `<div ${NS}><div lang="en" xml:lang="en">a</div><p>b</p></div>`, 'warning'],
    ['Error_parsing_XHTML_', `<div ${NS}><p>a<br></p></div>`, 'error'],
  ];
  for (const [rule, div, severity] of cases) {
    it(`${rule} (${severity})`, () => {
      expect(xhtmlIssues(patient(div))).toEqual(one(rule, severity));
    });
  }

  // Attribute names are data, not keys of an object that has a prototype: each is judged as onclick is.
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    it(`an attribute named ${name} is illegal like any other unknown attribute`, () => {
      expect(xhtmlIssues(patient(`<div ${NS}><p ${name}="x">a</p></div>`))).toEqual(one('XHTML_XHTML_Attribute_Illegal'));
    });
  }

  it('a table, list, definition list and inline markup in their places raise nothing', () => {
    const div = `<div ${NS}><p id="top">Hi <b>there</b> <a name="n1">x</a><br/><img src="http://example.org/i.png" alt="i"/></p>` +
      '<table><caption>c</caption><thead><tr><th>h</th></tr></thead><tbody><tr><td>d</td></tr></tbody></table>' +
      '<ul><li>a</li></ul><dl><dt>t</dt><dd>d</dd></dl><pre>p</pre></div>';
    expect(xhtmlIssues(patient(div))).toEqual([]);
  });
});

describe('hyperlinks and images (checkReferences, checkImageSources)', () => {
  const cases: [string, string, string][] = [
    ['Type_Specific_Checks_DT_XHTML_Resolve', `<div ${NS}><a href="#nowhere">a</a></div>`, 'error'],
    ['TYPE_SPECIFIC_CHECKS_DT_XHTML_ACTIVE_HREF', `<div ${NS}><a href="javascript:alert(1)">a</a></div>`, 'error'],
    ['TYPE_SPECIFIC_CHECKS_DT_XHTML_LITERAL_HREF', `<div ${NS}><a href="urn:oid:1.2.3">a</a></div>`, 'error'],
    ['TYPE_SPECIFIC_CHECKS_DT_XHTML_UNKNOWN_HREF', `<div ${NS}><a href="ftp://example.org/f">a</a></div>`, 'information'],
    ['Type_Specific_Checks_DT_XHTML_Resolve_Img', `<div ${NS}><img src="#pic"/>a</div>`, 'error'],
  ];
  for (const [rule, div, severity] of cases) {
    it(`${rule} (${severity})`, () => {
      expect(xhtmlIssues(patient(div))).toEqual(one(rule, severity));
    });
  }

  it('TYPE_SPECIFIC_CHECKS_DT_XHTML_EMPTY_HREF, with XHTML_URL_INVALID for the empty URL', () => {
    expect(xhtmlIssues(patient(`<div ${NS}><a href="">a</a></div>`))).toEqual([...one('XHTML_URL_INVALID'), ...one('TYPE_SPECIFIC_CHECKS_DT_XHTML_EMPTY_HREF')]);
  });

  it('TYPE_SPECIFIC_CHECKS_DT_XHTML_MULTIPLE_MATCHES: a warning for a link, an error for an image', () => {
    const input = patient(`<div ${NS}><a href="#t">a</a><span id="t">y</span></div>`, { name: [{ id: 't', family: 'x' }] });
    expect(xhtmlIssues(input)).toEqual(one('TYPE_SPECIFIC_CHECKS_DT_XHTML_MULTIPLE_MATCHES', 'warning'));
    const image = patient(`<div ${NS}><img src="#t"/><span id="t">y</span></div>`, { name: [{ id: 't', family: 'x' }] });
    expect(xhtmlIssues(image)).toEqual(one('TYPE_SPECIFIC_CHECKS_DT_XHTML_MULTIPLE_MATCHES', 'error'));
  });

  it('internal links resolve to element ids, the resource id, contained resources and XHTML ids', () => {
    const div = `<div ${NS}><a href="#p1">self</a> <a href="#n">name</a> <a href="#c1">contained</a> <a href="#sec">anchor</a> <img src="#sec"/><p id="sec">s</p></div>`;
    const input = patient(div, { id: 'p1', name: [{ id: 'n', family: 'x' }], contained: [{ resourceType: 'Organization', id: 'c1', name: 'o' }], managingOrganization: { reference: '#c1' } });
    expect(xhtmlIssues(input)).toEqual([]);
  });

  it('http, https, tel, mailto and data links raise nothing', () => {
    const div = `<div ${NS}><a href="http://a.org">a</a><a href="https://a.org">b</a><a href="tel:123">c</a><a href="mailto:a@b.org">d</a><a href="data:text/plain,hi">e</a></div>`;
    expect(xhtmlIssues(patient(div))).toEqual([]);
  });

  it('a link that does not resolve in its resource resolves in the Bundle holding it', () => {
    const entry = (id: string, div: string) => ({ fullUrl: `http://example.org/fhir/Patient/${id}`, resource: { ...patient(div), id } });
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [entry('a', `<div ${NS}><a href="#b">other</a></div>`), entry('b', `<div ${NS}>b</div>`)] };
    expect(found(svc.validate(bundle)).filter((f) => FAMILY.test(f.rule ?? ''))).toEqual([]);
  });
});

describe("the resource's language against the narrative's (validateResourceRules)", () => {
  const lang = (div: string) => xhtmlIssues(patient(div, { language: 'en' }));
  it('both lang and xml:lang agreeing raise nothing; so does a div of language sections', () => {
    expect(lang(`<div ${NS} lang="en" xml:lang="en">a</div>`)).toEqual([]);
    expect(lang(`<div ${NS}><div lang="en" xml:lang="en">a</div><div lang="fr" xml:lang="fr">b</div></div>`)).toEqual([]);
  });
  const cases: [string, string][] = [
    ['Language_XHTML_Lang_Missing1', `<div ${NS}>a</div>`],
    ['Language_XHTML_Lang_Missing2', `<div ${NS} xml:lang="en">a</div>`],
    ['Language_XHTML_Lang_Missing3', `<div ${NS} lang="en">a</div>`],
    ['Language_XHTML_Lang_Different2', `<div ${NS} lang="en" xml:lang="fr">a</div>`],
  ];
  for (const [rule, div] of cases) {
    it(`${rule} on the resource`, () => {
      expect(lang(div)).toEqual(one(rule, 'warning', 'Patient'));
    });
  }
  it('Language_XHTML_Lang_Different1 and Missing3 together', () => {
    expect(lang(`<div ${NS} lang="fr">a</div>`)).toEqual([
      { severity: 'warning', rule: 'Language_XHTML_Lang_Different1', at: 'Patient' },
      { severity: 'warning', rule: 'Language_XHTML_Lang_Missing3', at: 'Patient' },
    ]);
  });
  it('without a resource language nothing is said', () => {
    expect(xhtmlIssues(patient(`<div ${NS}>a</div>`))).toEqual([]);
  });
});
