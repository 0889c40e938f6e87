/**
 * SearchParameter rules of the reference validator (SearchParameterValidator) and the CapabilityStatement
 * search parameter type check, through the public Validator with core R4: payloads of our own.
 * Core R4's own search parameters are known without being loaded (derivedFrom a core parameter).
 */
import { describe, expect, it } from 'vitest';
import { readCoreR4 } from '../src/packages/core-r4.js';
import type { CanonicalResource } from '../src/packages/types.js';
import { MemoryResolver } from '../src/validation/core-resolver.js';
import { Validator } from '../src/validation/index.js';

const LOCAL = 'http://example.org/fhir/SearchParameter/local-parent';
const parent = { resourceType: 'SearchParameter', url: LOCAL, name: 'parent', status: 'active', description: 'x', code: 'parent', base: ['Patient', 'Practitioner'], type: 'string', expression: 'Patient.name | Practitioner.name' };
const validator = new Validator(new MemoryResolver([...readCoreR4(), parent as unknown as CanonicalResource]));

const RULES = ['SEARCHPARAMETER_BAD_CHAR', 'ED_SEARCH_EXPRESSION_ERROR', 'SEARCHPARAMETER_NOTFOUND', 'SEARCHPARAMETER_BASE_WRONG', 'SEARCHPARAMETER_TYPE_WRONG', 'SEARCHPARAMETER_EXP_WRONG', 'SEARCHPARAMETER_MISSING_COMPONENTS', 'CapabalityStatement_CS_SP_WrongType'];

function found(input: unknown): string[] {
  return validator
    .validateToIssues(input)
    .filter((i) => RULES.includes(i.rule))
    .map((i) => `${i.severity} ${i.rule} ${i.expression}`);
}

const sp = (extra: Record<string, unknown>) => ({ resourceType: 'SearchParameter', url: 'http://example.org/fhir/SearchParameter/x', name: 'x', status: 'active', description: 'x', code: 'x', base: ['Patient'], type: 'string', expression: 'Patient.name', ...extra });

describe('SearchParameter', () => {
  it('accepts a plain parameter', () => {
    expect(found(sp({}))).toEqual([]);
  });

  it('warns once for each character of the code with a meaning in the REST API', () => {
    expect(found(sp({ code: 'a.b$c' }))).toEqual(['warning SEARCHPARAMETER_BAD_CHAR SearchParameter', 'warning SEARCHPARAMETER_BAD_CHAR SearchParameter']);
    expect(found(sp({ code: 'a|b' }))).toEqual(['warning SEARCHPARAMETER_BAD_CHAR SearchParameter']);
    expect(found(sp({ code: 'a-b_c' }))).toEqual([]);
  });

  it('reports an expression that does not parse, at the expression', () => {
    expect(found(sp({ expression: 'Patient.name.where(' }))).toEqual(['error ED_SEARCH_EXPRESSION_ERROR SearchParameter.expression']);
    expect(found(sp({ expression: "Patient.name.where(use = 'official')" }))).toEqual([]);
  });

  it('requires two or more components on a composite parameter', () => {
    const component = { definition: 'http://hl7.org/fhir/SearchParameter/Patient-name', expression: 'name' };
    expect(found(sp({ type: 'composite', component: [component] }))).toEqual(['error SEARCHPARAMETER_MISSING_COMPONENTS SearchParameter']);
    expect(found(sp({ type: 'composite', component: [component, component] }))).toEqual([]);
  });

  it('warns when the parameter it derives from is unknown', () => {
    expect(found(sp({ derivedFrom: 'http://example.org/fhir/SearchParameter/nowhere' }))).toEqual(['warning SEARCHPARAMETER_NOTFOUND SearchParameter']);
  });

  it('finds core R4 parameters and checks the derivation against them', () => {
    const core = 'http://hl7.org/fhir/SearchParameter/individual-family';
    expect(found(sp({ derivedFrom: core, expression: 'Patient.name.family' }))).toEqual([]);
    expect(found(sp({ derivedFrom: core, type: 'token', expression: 'Patient.name.family' }))).toEqual(['error SEARCHPARAMETER_TYPE_WRONG SearchParameter']);
    expect(found(sp({ derivedFrom: core, base: ['Organization'], expression: 'Organization.name' }))).toEqual(['error SEARCHPARAMETER_BASE_WRONG SearchParameter', 'warning SEARCHPARAMETER_EXP_WRONG SearchParameter']);
  });

  it('compares expressions as unions of paths on the bases, in any order and spacing', () => {
    expect(found(sp({ derivedFrom: LOCAL, expression: 'Patient.name' }))).toEqual([]);
    expect(found(sp({ derivedFrom: LOCAL, base: ['Practitioner', 'Patient'], expression: 'Practitioner.name|Patient.name' }))).toEqual([]);
    expect(found(sp({ derivedFrom: LOCAL, expression: 'Patient.telecom' }))).toEqual(['warning SEARCHPARAMETER_EXP_WRONG SearchParameter']);
  });
});

describe('CapabilityStatement search parameters', () => {
  const cs = (type: string) => ({
    resourceType: 'CapabilityStatement', status: 'active', date: '2026-01-01', kind: 'instance', fhirVersion: '4.0.1', format: ['json'],
    implementation: { description: 'x' },
    rest: [{ mode: 'server', resource: [{ type: 'Patient', searchParam: [{ name: 'family', definition: 'http://hl7.org/fhir/SearchParameter/individual-family', type }] }] }],
  });

  it('requires the type of the SearchParameter cited', () => {
    expect(found(cs('string'))).toEqual([]);
    expect(found(cs('token'))).toEqual(['error CapabalityStatement_CS_SP_WrongType CapabilityStatement.rest[0].resource[0].searchParam[0]']);
  });
});
