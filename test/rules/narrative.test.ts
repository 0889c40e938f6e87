/**
 * Narrative rules of the reference validator (XhtmlValidator, InstanceValidator.checkNarrative and its
 * language checks), through createValidationService, with profiles of our own setting the
 * narrative-language-control and narrative-source-control extensions.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ruleOf, type ValidationService } from '../../src/validation/index.js';
import { CORE, found, hasErrors, profile, serviceWith } from './helpers.js';

const P = 'http://example.org/StructureDefinition/';
const control = (name: string, url: string, valueCode: string) =>
  profile(`${P}${name}`, 'Patient', `${CORE}Patient`, [{ id: 'Patient.text', path: 'Patient.text', extension: [{ url: `http://hl7.org/fhir/StructureDefinition/${url}`, valueCode }] }]);

let svc: ValidationService;
beforeAll(async () => {
  svc = await serviceWith({
    'no-langs.json': control('no-langs', 'narrative-language-control', '_no'),
    'langs.json': control('langs', 'narrative-language-control', '_yes'),
    'french.json': control('french', 'narrative-language-control', 'fr'),
    'sourced.json': control('sourced', 'narrative-source-control', 'error'),
  });
});

const XHTML = 'xmlns="http://www.w3.org/1999/xhtml"';
const patient = (div: string, extra: Record<string, unknown> = {}) => ({ resourceType: 'Patient', ...extra, text: { status: 'generated', div } });
const check = (div: string, rules: string[], profiles?: string[], extra?: Record<string, unknown>) => found(svc.validate(patient(div, extra), profiles ? { profiles } : {}), rules);

describe('txt-1: only the basic HTML formatting elements and attributes (htmlChecks)', () => {
  const TXT_1 = `${CORE}Narrative#txt-1`;
  const RULES = [TXT_1, 'XHTML_XHTML_Element_Illegal'];
  it('fails on an element or attribute outside the lists, beside the XHTML finding, and holds otherwise', () => {
    expect(check(`<div ${XHTML}><p>x</p><script>alert(1)</script></div>`, RULES)).toEqual([
      { severity: 'error', rule: 'XHTML_XHTML_Element_Illegal', at: 'Patient.text.div' },
      { severity: 'error', rule: TXT_1, at: 'Patient.text.div' },
    ]);
    expect(check(`<div ${XHTML}><a href="#x" rel="next">x</a><table width="1"><tr><td nowrap="nowrap">y</td></tr></table></div>`, [TXT_1])).toEqual([]);
    expect(check(`<div ${XHTML}><p data-x="1">x</p></div>`, [TXT_1])).toEqual([{ severity: 'error', rule: TXT_1, at: 'Patient.text.div' }]);
  });

  it('fails with txt-2 when the div cannot be read at all (a JSON boolean is read as the text "true")', () => {
    const TXT_2 = `${CORE}Narrative#txt-2`;
    const RULES_ALL = [TXT_1, TXT_2, 'Error_parsing_XHTML_', 'Error_parsing_JSON_the_primitive_value_must_be_a_string'];
    const at = 'Patient.text.div';
    expect(found(svc.validate({ resourceType: 'Patient', text: { status: 'generated', div: true } }), RULES_ALL)).toEqual([
      { severity: 'error', rule: 'Error_parsing_JSON_the_primitive_value_must_be_a_string', at },
      { severity: 'error', rule: 'Error_parsing_XHTML_', at },
      { severity: 'error', rule: TXT_1, at },
      { severity: 'error', rule: TXT_2, at },
    ]);
  });
});

describe('the XHTML of a narrative', () => {
  const RULES = ['XHTML_XHTML_Name_Invalid', 'XHTML_XHTML_NS_InValid', 'XHTML_XHTML_Element_Illegal', 'XHTML_XHTML_Attribute_Illegal'];

  it('a div in the XHTML namespace with plain content passes', () => {
    expect(found(svc.validate(patient(`<div ${XHTML}><p>Hello <b>there</b></p></div>`)))).toEqual([{ severity: 'information', rule: 'ALL_OK' }]);
  });

  it('the root must be a div (XHTML_XHTML_Name_Invalid)', () => {
    expect(check(`<p ${XHTML}>Hello</p>`, RULES)).toEqual([{ severity: 'error', rule: 'XHTML_XHTML_Name_Invalid', at: 'Patient.text.div' }]);
  });

  it('in the XHTML namespace (XHTML_XHTML_NS_InValid)', () => {
    expect(check('<div xmlns="http://example.org/other">Hello</div>', RULES)).toEqual([{ severity: 'error', rule: 'XHTML_XHTML_NS_InValid', at: 'Patient.text.div' }]);
  });

  it('without active content elements (XHTML_XHTML_Element_Illegal)', () => {
    expect(check(`<div ${XHTML}><p>Hi</p><script>alert(1)</script></div>`, RULES)).toEqual([{ severity: 'error', rule: 'XHTML_XHTML_Element_Illegal', at: 'Patient.text.div' }]);
  });

  it('without event handler attributes (XHTML_XHTML_Attribute_Illegal)', () => {
    expect(check(`<div ${XHTML}><p onclick="x()">Hi</p></div>`, RULES)).toEqual([{ severity: 'error', rule: 'XHTML_XHTML_Attribute_Illegal', at: 'Patient.text.div' }]);
  });
});

describe('languages of the narrative', () => {
  it('language sections beside content in no section are a warning (XHTML_XHTML_MIXED_LANG)', () => {
    const outcome = svc.validate(patient(`<div ${XHTML}><div lang="en" xml:lang="en">Hello</div><p>stray</p></div>`));
    expect(found(outcome, ['XHTML_XHTML_MIXED_LANG'])).toEqual([{ severity: 'warning', rule: 'XHTML_XHTML_MIXED_LANG', at: 'Patient.text.div' }]);
    expect(hasErrors(outcome)).toBe(false);
    expect(check(`<div ${XHTML}><div lang="en" xml:lang="en">Hello</div><div lang="fr" xml:lang="fr">Bonjour</div></div>`, ['XHTML_XHTML_MIXED_LANG'])).toEqual([]);
  });

  it("a narrative language other than the resource's is a warning on the resource (Language_XHTML_Lang_Different1)", () => {
    const RULES = ['Language_XHTML_Lang_Different1'];
    expect(check(`<div ${XHTML} lang="fr" xml:lang="fr">Bonjour</div>`, RULES, undefined, { language: 'en' })).toEqual([{ severity: 'warning', rule: 'Language_XHTML_Lang_Different1', at: 'Patient' }]);
    expect(check(`<div ${XHTML} lang="en" xml:lang="en">Hello</div>`, RULES, undefined, { language: 'en' })).toEqual([]);
  });
});

describe('narrative-language-control', () => {
  const sections = `<div ${XHTML}><div lang="en" xml:lang="en">Hello</div></div>`;
  const plain = `<div ${XHTML}><p>Hello</p></div>`;

  it('_no: language sections are prohibited (XHTML_CONTROL_NO_LANGS)', () => {
    expect(check(sections, ['XHTML_CONTROL_NO_LANGS'], [`${P}no-langs`])).toEqual([{ severity: 'error', rule: 'XHTML_CONTROL_NO_LANGS', at: 'Patient.text' }]);
    expect(check(plain, ['XHTML_CONTROL_NO_LANGS'], [`${P}no-langs`])).toEqual([]);
  });

  it('_yes: language sections are required (XHTML_CONTROL_LANGS_REQUIRED)', () => {
    expect(check(plain, ['XHTML_CONTROL_LANGS_REQUIRED'], [`${P}langs`])).toEqual([{ severity: 'error', rule: 'XHTML_CONTROL_LANGS_REQUIRED', at: 'Patient.text' }]);
    expect(check(sections, ['XHTML_CONTROL_LANGS_REQUIRED'], [`${P}langs`])).toEqual([]);
  });

  it('a code: a section in that language is required (XHTML_CONTROL_LANGS_REQUIRED_LANG)', () => {
    expect(check(sections, ['XHTML_CONTROL_LANGS_REQUIRED_LANG'], [`${P}french`])).toEqual([{ severity: 'error', rule: 'XHTML_CONTROL_LANGS_REQUIRED_LANG', at: 'Patient.text' }]);
    expect(check(`<div ${XHTML}><div lang="fr" xml:lang="fr">Bonjour</div></div>`, ['XHTML_CONTROL_LANGS_REQUIRED_LANG'], [`${P}french`])).toEqual([]);
  });
});

describe('narrative-source-control', () => {
  it('content without a source class is an error at the error level (XHTML_CONTROL_NO_SOURCE)', () => {
    expect(check(`<div ${XHTML}><p>Hello</p></div>`, ['XHTML_CONTROL_NO_SOURCE'], [`${P}sourced`])).toEqual([{ severity: 'error', rule: 'XHTML_CONTROL_NO_SOURCE', at: 'Patient.text' }]);
    expect(check(`<div ${XHTML}><p class="generated">Hello</p></div>`, ['XHTML_CONTROL_NO_SOURCE'], [`${P}sourced`])).toEqual([]);
    expect(check(`<div ${XHTML}><p>Hello</p></div>`, ['XHTML_CONTROL_NO_SOURCE'])).toEqual([]);
  });
});

describe('entities in the narrative', () => {
  it('a named entity the reader does not know stays as written where a finding quotes the text, even one named as what every object has', () => {
    const outcome = svc.validate(patient(`<div ${XHTML}><a href="#nowhere">&constructor;&toString;</a></div>`));
    const unresolved = outcome.issue.filter((i) => ruleOf(i) === 'Type_Specific_Checks_DT_XHTML_Resolve');
    expect(unresolved).toHaveLength(1);
    expect(`${unresolved[0]!.diagnostics ?? ''} ${unresolved[0]!.details?.text ?? ''}`).toContain("for '&constructor;&toString;'");
    // Each is also an entity XHTML does not define.
    expect(found(outcome, ['XHTML_XHTML_Entity_Illegal'])).toHaveLength(2);
  });
});
