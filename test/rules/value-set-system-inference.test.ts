/**
 * A bare code (a `code` element) bound to a value set: its system is inferred from the value set as the
 * reference's terminology layer does it. When the code is in several systems of the value set
 * (Unable_to_resolve_system__value_set_has_multiple_matches), in none (UNABLE_TO_INFER_CODESYSTEM, with
 * what made the value set unusable for inference: Unable_to_resolve_system__value_set_has_no_includes_or_expansion,
 * Unable_to_resolve_system__value_set_has_include_with_no_system), a required binding reports why, as errors
 * on the element, before the binding finding itself (Terminology_TX_NoValid_16). Other strengths report the
 * binding finding only. Through createValidationService with value sets and profiles of our own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { CORE, found, profile, serviceWith } from './helpers.js';

const P = 'http://example.org/StructureDefinition/';
const V = 'http://example.org/ValueSet/';
const CS_A = 'http://example.org/CodeSystem/a';
const CS_B = 'http://example.org/CodeSystem/b';
const RULES = [
  'Unable_to_resolve_system__value_set_has_multiple_matches',
  'Unable_to_resolve_system__value_set_has_no_includes_or_expansion',
  'Unable_to_resolve_system__value_set_has_include_with_no_system',
  'UNABLE_TO_INFER_CODESYSTEM',
  'Terminology_TX_NoValid_16',
  'Terminology_TX_NoValid_17',
];

const codeSystem = (url: string, codes: string[]) => ({ resourceType: 'CodeSystem', url, name: 'Codes', status: 'active', content: 'complete', caseSensitive: true, concept: codes.map((code) => ({ code })) });
const valueSet = (name: string, body: Record<string, unknown>) => ({ resourceType: 'ValueSet', url: `${V}${name}`, name, status: 'active', ...body });
const bound = (name: string, strength: string) => profile(`${P}${name}-${strength}`, 'Patient', `${CORE}Patient`, [{ id: 'Patient.language', path: 'Patient.language', binding: { strength, valueSet: `${V}${name}` } }]);

let svc: ValidationService;
beforeAll(async () => {
  const sets: Record<string, Record<string, unknown>> = {
    both: { compose: { include: [{ system: CS_A }, { system: CS_B }] } },
    listed: { compose: { include: [{ system: CS_A, concept: [{ code: 'shared' }] }, { system: CS_B, concept: [{ code: 'shared' }] }] } },
    expanded: { expansion: { timestamp: '2026-01-01T00:00:00Z', contains: [{ system: CS_A, code: 'shared' }, { system: CS_B, code: 'shared' }] } },
    excludes: { compose: { exclude: [{ system: CS_A }] } },
    nosystem: { compose: { include: [{ concept: [{ code: 'shared' }] }] } },
    partly: { compose: { include: [{ concept: [{ code: 'shared' }] }, { system: CS_A }] } },
    single: { compose: { include: [{ system: CS_A }] } },
    imported: { compose: { include: [{ valueSet: [`${V}single`] }, { system: CS_B, concept: [{ code: 'shared' }] }] } },
  };
  const files: Record<string, unknown> = { 'a.json': codeSystem(CS_A, ['shared', 'only-a']), 'b.json': codeSystem(CS_B, ['shared', 'only-b']) };
  for (const [name, body] of Object.entries(sets)) {
    files[`vs-${name}.json`] = valueSet(name, body);
    files[`p-${name}.json`] = bound(name, 'required');
  }
  // Patient.language has a maximum value set of its own: the extensible binding goes on a code without one.
  files['p-both-ext.json'] = profile(`${P}both-extensible`, 'Parameters', `${CORE}Parameters`, [
    { id: 'Parameters.parameter.value[x]', path: 'Parameters.parameter.value[x]', type: [{ code: 'code' }], binding: { strength: 'extensible', valueSet: `${V}both` } },
  ]);
  svc = await serviceWith(files);
});

const check = (name: string, code: string, strength = 'required') => found(svc.validate({ resourceType: 'Patient', language: code }, { profiles: [`${P}${name}-${strength}`] }), RULES);
const at = 'Patient.language';

describe('the system of a bare code, inferred from the value set', () => {
  it('a code that two systems of the value set define has no single system', () => {
    const expected = [
      { severity: 'error', rule: 'Unable_to_resolve_system__value_set_has_multiple_matches', at },
      { severity: 'error', rule: 'Terminology_TX_NoValid_16', at },
    ];
    expect(check('both', 'shared')).toEqual(expected);
    expect(check('listed', 'shared')).toEqual(expected);
    expect(check('expanded', 'shared')).toEqual(expected);
    // one of them through an imported value set
    expect(check('imported', 'shared')).toEqual(expected);
    expect(check('imported', 'only-a')).toEqual([]);
  });

  it('a code that one system defines is accepted', () => {
    expect(check('both', 'only-a')).toEqual([]);
    expect(check('single', 'shared')).toEqual([]);
    expect(check('expanded', 'shared'.toUpperCase())).toEqual([
      { severity: 'error', rule: 'UNABLE_TO_INFER_CODESYSTEM', at },
      { severity: 'error', rule: 'Terminology_TX_NoValid_16', at },
    ]);
  });

  it('a value set with nothing to look in, and an include without a system, are said as well', () => {
    expect(check('excludes', 'shared')).toEqual([
      { severity: 'error', rule: 'Unable_to_resolve_system__value_set_has_no_includes_or_expansion', at },
      { severity: 'error', rule: 'UNABLE_TO_INFER_CODESYSTEM', at },
      { severity: 'error', rule: 'Terminology_TX_NoValid_16', at },
    ]);
    expect(check('nosystem', 'shared')).toEqual([
      { severity: 'error', rule: 'Unable_to_resolve_system__value_set_has_include_with_no_system', at },
      { severity: 'error', rule: 'UNABLE_TO_INFER_CODESYSTEM', at },
      { severity: 'error', rule: 'Terminology_TX_NoValid_16', at },
    ]);
  });

  it('an include without a system says nothing when another include gives the system', () => {
    expect(check('partly', 'shared')).toEqual([]);
  });

  it('a code in no system of the value set', () => {
    expect(check('single', 'only-b')).toEqual([
      { severity: 'error', rule: 'UNABLE_TO_INFER_CODESYSTEM', at },
      { severity: 'error', rule: 'Terminology_TX_NoValid_16', at },
    ]);
  });

  it('an extensible binding reports the binding finding only', () => {
    const parameters = (code: string) => found(svc.validate({ resourceType: 'Parameters', parameter: [{ name: 'p', valueCode: code }] }, { profiles: [`${P}both-extensible`] }), RULES);
    expect(parameters('shared')).toEqual([{ severity: 'warning', rule: 'Terminology_TX_NoValid_17', at: 'Parameters.parameter[0].value.ofType(code)' }]);
    expect(parameters('only-b')).toEqual([]);
  });
});
