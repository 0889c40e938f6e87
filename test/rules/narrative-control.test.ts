/**
 * narrative-language-control and narrative-source-control, as the reference's InstanceValidator.checkNarrative
 * applies them, through createValidationService with profiles of our own: language sections for the resource's
 * language (`_resource`) and for a named language, and the source class at a warning level.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { CORE, found, profile, serviceWith } from './helpers.js';

const P = 'http://example.org/StructureDefinition/';
const control = (name: string, url: string, valueCode: string) =>
  profile(`${P}${name}`, 'Patient', `${CORE}Patient`, [{ id: 'Patient.text', path: 'Patient.text', extension: [{ url: `http://hl7.org/fhir/StructureDefinition/${url}`, valueCode }] }]);

let svc: ValidationService;
beforeAll(async () => {
  svc = await serviceWith({
    'resource-lang.json': control('resource-lang', 'narrative-language-control', '_resource'),
    'german.json': control('german', 'narrative-language-control', 'de'),
    'sourced-warning.json': control('sourced-warning', 'narrative-source-control', 'warning'),
  });
});

const NS = 'xmlns="http://www.w3.org/1999/xhtml"';
const RULES = ['XHTML_CONTROL_LANGS_NONE', 'XHTML_CONTROL_LANGS_NONE_NO_DEFAULT', 'XHTML_CONTROL_LANGS_NO_DEFAULT', 'XHTML_CONTROL_LANGS_REQUIRED_DEF', 'XHTML_CONTROL_LANGS_NONE2', 'XHTML_CONTROL_LANGS_REQUIRED_LANG', 'XHTML_CONTROL_NO_SOURCE'];
const check = (name: string, div: string, language?: string) =>
  found(svc.validate({ resourceType: 'Patient', ...(language ? { language } : {}), text: { status: 'generated', div } }, { profiles: [`${P}${name}`] }), RULES);
const one = (rule: string, severity: string) => [{ severity, rule, at: 'Patient.text' }];
const sections = (...langs: string[]) => `<div ${NS}>${langs.map((l) => `<div lang="${l}" xml:lang="${l}">t</div>`).join('')}</div>`;

describe('narrative-language-control _resource', () => {
  it('no sections: XHTML_CONTROL_LANGS_NONE with a resource language, _NONE_NO_DEFAULT without (warnings)', () => {
    expect(check('resource-lang', `<div ${NS}>t</div>`, 'en')).toEqual(one('XHTML_CONTROL_LANGS_NONE', 'warning'));
    expect(check('resource-lang', `<div ${NS}>t</div>`)).toEqual(one('XHTML_CONTROL_LANGS_NONE_NO_DEFAULT', 'warning'));
  });
  it('sections but no resource language: XHTML_CONTROL_LANGS_NO_DEFAULT (warning)', () => {
    expect(check('resource-lang', sections('en'))).toEqual(one('XHTML_CONTROL_LANGS_NO_DEFAULT', 'warning'));
  });
  it("sections without the resource's language: XHTML_CONTROL_LANGS_REQUIRED_DEF (error); with it, nothing", () => {
    expect(check('resource-lang', sections('fr'), 'en')).toEqual(one('XHTML_CONTROL_LANGS_REQUIRED_DEF', 'error'));
    expect(check('resource-lang', sections('fr', 'en'), 'en')).toEqual([]);
  });
});

describe('narrative-language-control with a language code', () => {
  it('no sections at all: XHTML_CONTROL_LANGS_NONE2 (warning)', () => {
    expect(check('german', `<div ${NS}>t</div>`)).toEqual(one('XHTML_CONTROL_LANGS_NONE2', 'warning'));
  });
  it('sections without that language: XHTML_CONTROL_LANGS_REQUIRED_LANG (error); with it, nothing', () => {
    expect(check('german', sections('en'))).toEqual(one('XHTML_CONTROL_LANGS_REQUIRED_LANG', 'error'));
    expect(check('german', sections('en', 'de'))).toEqual([]);
  });
});

describe('narrative-source-control', () => {
  it('at warning level, content without a source class is an error (the warning and the error the reference gives are one finding)', () => {
    expect(check('sourced-warning', `<div ${NS}><p>plain</p><p class="generated">made</p></div>`)).toEqual(one('XHTML_CONTROL_NO_SOURCE', 'error'));
    expect(check('sourced-warning', `<div ${NS}><p class="original">a</p><p class="generated">made</p></div>`)).toEqual([]);
  });
});
