/**
 * ValueSet authoring rules (the reference validator's ValueSetValidator) and the value set behaviours of
 * bindings and memberOf(): resources of our own, validated through the Validator with local terminology
 * and FHIRPath invariants, as the product wires them.
 */
import type { ElementDefinition, StructureDefinition } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { FhirPathInvariantEvaluator } from '../src/fhirpath/index.js';
import { generateSnapshot } from '../src/packages/index.js';
import type { CanonicalResource } from '../src/packages/types.js';
import { LocalTerminology, memberOfHook, TerminologyBindingChecker } from '../src/terminology/index.js';
import { Validator } from '../src/validation/validator.js';
import { coreResources, MemoryResolver } from './support/memory-resolver.js';

type Obj = Record<string, unknown>;

const CS = 'http://example.org/CodeSystem/call-category';
const codeSystem: Obj = {
  resourceType: 'CodeSystem', url: CS, version: '2', name: 'CallCategory', status: 'active', content: 'complete', caseSensitive: true, hierarchyMeaning: 'is-a', identifier: [{ system: 'urn:ietf:rfc:3986', value: 'urn:oid:2.16.840.1.113883.3.9999.1' }],
  filter: [{ code: 'urgent', operator: ['='], value: 'true or false' }],
  property: [{ code: 'urgent', type: 'boolean' }, { code: 'weight', type: 'integer' }, { code: 'related', type: 'Coding' }, { code: 'note', type: 'string' }],
  concept: [
    { code: 'c1', display: 'Category 1', property: [{ code: 'urgent', valueBoolean: true }], concept: [{ code: 'c1a', display: 'Category 1 arrest' }] },
    { code: 'c2', display: 'Category 2', property: [{ code: 'urgent', valueBoolean: true }] },
    { code: 'c3', display: 'Category 3', property: [{ code: 'urgent', valueBoolean: false }, { code: 'inactive', valueBoolean: true }] },
  ],
};
const otherVs: Obj = { resourceType: 'ValueSet', url: 'http://example.org/ValueSet/urgent', status: 'active', compose: { include: [{ system: CS, filter: [{ property: 'urgent', op: '=', value: 'true' }] }] } };

function validator(...extra: Obj[]): Validator {
  const resolver = new MemoryResolver([...coreResources(), codeSystem, otherVs, ...extra] as CanonicalResource[]);
  const terminology = new LocalTerminology(resolver);
  return new Validator(resolver, { terminology: new TerminologyBindingChecker(terminology), invariants: new FhirPathInvariantEvaluator({ memberOf: memberOfHook(terminology) }) });
}

/** severity rule@location of the issues whose rule starts with one of `prefixes`. */
function found(resource: Obj, prefixes: string[] = ['VALUESET_', 'UNKNOWN_CODESYSTEM'], extra: Obj[] = []): string[][] {
  return validator(...extra)
    .validateToIssues(resource)
    .filter((i) => prefixes.some((p) => i.rule.startsWith(p)))
    .map((i) => [i.severity, i.rule, i.expression]);
}

const vs = (compose: Obj, fields: Obj = {}): Obj => ({ resourceType: 'ValueSet', url: 'http://example.org/ValueSet/x', status: 'draft', ...fields, compose });
const inc = 'ValueSet.compose.include[0]';

describe('ValueSet includes', () => {
  it('accepts concepts and filters the code system defines', () => {
    expect(found(vs({ include: [{ system: CS, concept: [{ code: 'c1', display: 'Category 1' }, { code: 'c2', display: 'Category 2' }] }, { system: CS, filter: [{ property: 'concept', op: 'is-a', value: 'c1' }] }] }))).toEqual([]);
  });

  it('reports codes the system does not define, and hints at displays it does not know or gives only sometimes', () => {
    expect(found(vs({ include: [{ system: CS, concept: [{ code: 'c1', display: 'Cat one' }, { code: 'c9' }] }] }), ['VALUESET_'])).toEqual([
      ['information', 'VALUESET_CODE_CONCEPT_HINT', `${inc}.concept[0]`],
      ['error', 'VALUESET_INCLUDE_INVALID_CONCEPT_CODE', `${inc}.concept[1]`],
      ['information', 'VALUESET_CONCEPT_DISPLAY_PRESENCE_MIXED', `${inc}`],
    ]);
    expect(found(vs({ include: [{ system: CS, version: '2', concept: [{ code: 'c9' }] }] }))).toEqual([['error', 'VALUESET_INCLUDE_INVALID_CONCEPT_CODE_VER', `${inc}.concept[0]`]]);
    expect(found(vs({ include: [{ system: CS, version: '2', concept: [{ code: 'c1', display: 'Cat one' }] }] }))).toEqual([['information', 'VALUESET_CODE_CONCEPT_HINT_VER', `${inc}.concept[0]`]]);
    expect(found(vs({ include: [{ system: CS, version: '1', concept: [{ code: 'c1' }] }] }))).toEqual([['information', 'UNKNOWN_CODESYSTEM_VERSION', `${inc}.concept[0]`]]);
  });

  it('says that codes of an unknown system cannot be validated, and mixed SNOMED CT term forms', () => {
    expect(found(vs({ include: [{ system: 'http://example.org/unknown', concept: [{ code: 'a' }, { code: 'b' }] }] }))).toEqual([
      ['information', 'UNKNOWN_CODESYSTEM', `${inc}.concept[0]`],
      ['information', 'UNKNOWN_CODESYSTEM', `${inc}.concept[1]`],
    ]);
    const sct = vs({ include: [{ system: 'http://snomed.info/sct', concept: [{ code: '22298006', display: 'Myocardial infarction (disorder)' }, { code: '38341003', display: 'Hypertension' }] }] });
    expect(found(sct)).toEqual([['information', 'VALUESET_CONCEPT_DISPLAY_SCT_TAG_MIXED', `${inc}`]]);
  });

  it('does not check the concepts one by one beyond the reference\'s limit of 1000 per include', () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({ code: `x${i}` }));
    expect(found(vs({ include: [{ system: CS, concept: many }] }))).toEqual([['information', 'VALUESET_INC_TOO_MANY_CODES', `${inc}`]]);
  });

  it('reports a version written into the system', () => {
    expect(found(vs({ include: [{ system: `${CS}|2` }] }))).toEqual([['error', 'VALUESET_REFERENCE_INVALID_TYPE_NO_VERSION_1', `${inc}`]]);
    expect(found(vs({ include: [{ system: `${CS}|2`, version: '1' }] }))).toEqual([['error', 'VALUESET_REFERENCE_INVALID_TYPE_NO_VERSION_2', `${inc}`]]);
    expect(found(vs({ include: [{ system: `${CS}|2`, version: '2' }] }))).toEqual([['error', 'VALUESET_REFERENCE_INVALID_TYPE_NO_VERSION_3', `${inc}`]]);
    expect(found(vs({ include: [{ system: `${CS}|` }] }))).toEqual([['warning', 'VALUESET_REFERENCE_INVALID_TYPE_NO_VERSION_0', `${inc}`]]);
  });

  it('reports systems that are not absolute, and contained code systems named by #id', () => {
    expect(found(vs({ include: [{ system: 'call-category' }] }))).toEqual([['error', 'VALUESET_INCLUDE_SYSTEM_ABSOLUTE', `${inc}`]]);
    const withContained = (contained: Obj[], include: Obj): Obj => vs({ include: [include] }, { contained });
    const local = { resourceType: 'CodeSystem', id: 'local', status: 'draft', content: 'complete', concept: [{ code: 'a' }] };
    expect(found(withContained([local], { system: '#local' }))).toEqual([['error', 'VALUESET_INCLUDE_SYSTEM_ABSOLUTE_FRAG', `${inc}`]]);
    expect(found(withContained([{ resourceType: 'ValueSet', id: 'local', status: 'draft' }], { system: '#local' }))).toEqual([
      ['error', 'VALUESET_INCLUDE_SYSTEM_ABSOLUTE_FRAG', `${inc}`], ['error', 'VALUESET_INCLUDE_CS_NOT_CS', `${inc}`], ['error', 'VALUESET_INCLUDE_CS_NOT_FOUND', `${inc}`],
    ]);
    expect(found(withContained([local], { system: '#local', version: '9' }))).toEqual([['error', 'VALUESET_INCLUDE_SYSTEM_ABSOLUTE_FRAG', `${inc}`], ['error', 'VALUESET_INCLUDE_CSVER_NOT_FOUND', `${inc}`]]);
    expect(found(withContained([local, { ...local }], { system: '#local' }))).toEqual([['error', 'VALUESET_INCLUDE_SYSTEM_ABSOLUTE_FRAG', `${inc}`], ['error', 'VALUESET_INCLUDE_CS_MULTI_FOUND', `${inc}`]]);
    expect(found(withContained([{ ...local, version: '1' }, { ...local, version: '1' }], { system: '#local', version: '1' }))).toEqual([['error', 'VALUESET_INCLUDE_SYSTEM_ABSOLUTE_FRAG', `${inc}`], ['error', 'VALUESET_INCLUDE_CSVER_MULTI_FOUND', `${inc}`]]);
  });

  it('reports a system given by OID or as a value set, and includes without a system', () => {
    expect(found(vs({ include: [{ system: 'urn:oid:2.16.840.1.113883.3.9999.1' }] }))).toEqual([['error', 'VALUESET_INCLUDE_WRONG_CS_OID', `${inc}`]]);
    const twin = { ...codeSystem, url: 'http://example.org/CodeSystem/twin' };
    expect(found(vs({ include: [{ system: 'urn:oid:2.16.840.1.113883.3.9999.1' }] }), ['VALUESET_'], [twin])).toEqual([['error', 'VALUESET_INCLUDE_WRONG_CS_OID_PLURAL', `${inc}`]]);
    expect(found(vs({ include: [{ system: 'http://example.org/ValueSet/urgent' }] }))).toEqual([['error', 'VALUESET_INCLUDE_WRONG_VS_HINT', `${inc}`]]);
    const many = { resourceType: 'ValueSet', url: 'http://example.org/ValueSet/many', status: 'active', compose: { include: [{ system: CS }, { system: 'http://loinc.org' }] } };
    expect(found(vs({ include: [{ system: 'http://example.org/ValueSet/many' }] }), ['VALUESET_'], [many])).toEqual([['error', 'VALUESET_INCLUDE_WRONG_VS_MANY', `${inc}`]]);
    const empty = { resourceType: 'ValueSet', url: 'http://example.org/ValueSet/empty', status: 'active', compose: { include: [{ valueSet: ['http://example.org/ValueSet/urgent'] }] } };
    expect(found(vs({ include: [{ system: 'http://example.org/ValueSet/empty' }] }), ['VALUESET_'], [empty])).toEqual([['error', 'VALUESET_INCLUDE_WRONG_VS', `${inc}`]]);
    expect(found(vs({ include: [{ concept: [{ code: 'c1' }] }] }))).toEqual([['warning', 'VALUESET_NO_SYSTEM_WARNING', `${inc}`]]);
  });

  it('reports supplements, example content and unknown or wrong imports', () => {
    const supp = { resourceType: 'CodeSystem', url: 'http://example.org/CodeSystem/supp', status: 'active', content: 'supplement', supplements: CS, concept: [{ code: 'c1' }] };
    expect(found(vs({ include: [{ system: 'http://example.org/CodeSystem/supp' }] }), ['VALUESET_'], [supp])).toEqual([['error', 'VALUESET_INCLUDE_CS_SUPPLEMENT', `${inc}`]]);
    expect(found(vs({ include: [{ system: 'http://example.org/CodeSystem/supp', version: '3' }] }), ['VALUESET_'], [{ ...supp, version: '3' }])).toEqual([['error', 'VALUESET_INCLUDE_CSVER_SUPPLEMENT', `${inc}`]]);
    const example = { resourceType: 'CodeSystem', url: 'http://example.org/CodeSystem/ex', version: '1', status: 'active', content: 'example', concept: [{ code: 'e' }] };
    expect(found(vs({ include: [{ system: 'http://example.org/CodeSystem/ex' }] }), ['VALUESET_'], [example])).toEqual([['warning', 'VALUESET_INCLUDE_CS_CONTENT', `${inc}`]]);
    expect(found(vs({ include: [{ system: 'http://example.org/CodeSystem/ex', version: '1' }] }), ['VALUESET_'], [example])).toEqual([['warning', 'VALUESET_INCLUDE_CSVER_CONTENT', `${inc}`]]);
    expect(found(vs({ include: [{ valueSet: ['http://example.org/ValueSet/nowhere'] }] }))).toEqual([['warning', 'VALUESET_REFERENCE_UNKNOWN', `${inc}.valueSet[0]`]]);
    expect(found(vs({ include: [{ valueSet: [CS] }] }))).toEqual([['warning', 'VALUESET_REFERENCE_INVALID_TYPE', `${inc}.valueSet[0]`]]);
    expect(found(vs({ include: [{ valueSet: ['http://example.org/ValueSet/urgent', 'http://example.org/ValueSet/urgent'] }] }))).toEqual([['warning', 'VALUESET_IMPORT_UNION_INTERSECTION', `${inc}`]]);
  });
});

describe('ValueSet filters', () => {
  const filter = (f: Obj, system = CS): Obj => vs({ include: [{ system, filter: [f] }] });
  const at = `${inc}.filter[0]`;

  it('reports properties the system does not know, and operators a property does not allow', () => {
    expect(found(filter({ property: 'colour', op: '=', value: 'red' }))).toEqual([['warning', 'VALUESET_UNKNOWN_FILTER_PROPERTY', `${at}`]]);
    expect(found(filter({ property: 'colour', op: '=', value: 'red' }, 'http://example.org/unknown'))).toEqual([['information', 'VALUESET_UNKNOWN_FILTER_PROPERTY_NO_CS', `${at}`]]);
    expect(found(filter({ property: 'concept', op: 'exists', value: 'true' }))).toEqual([['error', 'VALUESET_BAD_FILTER_OP', `${at}`]]);
  });

  it('checks values against the property type', () => {
    expect(found(filter({ property: 'urgent', op: '=', value: 'yes' }))).toEqual([['error', 'VALUESET_BAD_FILTER_VALUE_BOOLEAN', `${at}`]]);
    expect(found(filter({ property: 'weight', op: '=', value: '2.5' }))).toEqual([['error', 'VALUESET_BAD_FILTER_VALUE_INTEGER', `${at}`]]);
    expect(found(filter({ property: 'itemWeight', op: '=', value: 'heavy' }))).toEqual([['error', 'VALUESET_BAD_FILTER_VALUE_DECIMAL', `${at}`]]);
    expect(found(filter({ property: 'effectiveDate', op: '=', value: '2024-13-01' }))).toEqual([['error', 'VALUESET_BAD_FILTER_VALUE_DATETIME', `${at}`]]);
    expect(found(filter({ property: 'concept', op: 'is-a', value: 'c9' }))).toEqual([['error', 'VALUESET_BAD_FILTER_VALUE_VALID_CODE', `${at}`]]);
    expect(found(filter({ property: 'concept', op: 'is-a', value: ' c1' }))).toEqual([['error', 'VALUESET_BAD_FILTER_VALUE_CODE', `${at}`], ['error', 'VALUESET_BAD_FILTER_VALUE_VALID_CODE', `${at}`]]);
    expect(found(filter({ property: 'concept', op: 'is-a', value: 'c3' }))).toEqual([['warning', 'VALUESET_BAD_FILTER_VALUE_VALID_CODE_INACTIVE', `${at}`]]);
    expect(found(filter({ property: 'concept', op: 'in', value: 'c1,c9' }))).toEqual([['error', 'VALUESET_BAD_FILTER_VALUE_VALID_CODE', `${at}`]]);
    expect(found(filter({ property: 'concept', op: '=', value: 'c1,c2' }), ['VALUESET_BAD_FILTER_VALUE_HAS'])).toEqual([['information', 'VALUESET_BAD_FILTER_VALUE_HAS_COMMA', `${at}`]]);
    expect(found(filter({ property: 'COMPONENT', op: '=', value: 'LP14082-9' }, 'http://loinc.org'))).toEqual([]);
    expect(found(filter({ property: 'COMPONENT', op: '=', value: 'LP-x' }, 'http://loinc.org'))).toEqual([['error', 'VALUESET_BAD_FILTER_VALUE_VALID_CODE_CHANGE', `${at}`]]);
  });

  it('checks Coding values, regexes and SNOMED CT constraints (ECL)', () => {
    expect(found(filter({ property: 'related', op: '=', value: 'c1' }))).toEqual([['error', 'VALUESET_BAD_FILTER_VALUE_CODED', `${at}`]]);
    expect(found(filter({ property: 'related', op: '=', value: `${CS}#c9` }))).toEqual([['error', 'VALUESET_BAD_FILTER_VALUE_CODED_INVALID', `${at}`]]);
    expect(found(filter({ property: 'related', op: '=', value: `${CS}|c1` }))).toEqual([['warning', 'VALUESET_BAD_FILTER_VALUE_CODED_LEGACY', `${at}`]]);
    expect(found(filter({ property: 'code', op: 'regex', value: 'c[0-9' }))).toEqual([['error', 'VALUESET_BAD_FILTER_VALUE_VALID_REGEX', `${at}`]]);
    expect(found(filter({ property: 'concept', op: 'regex', value: 'c.*' }))).toEqual([['error', 'VALUESET_BAD_FILTER_OP', `${at}`], ['error', 'VALUESET_BAD_PROPERTY_NO_REGEX', `${at}`]]);
    const sct = 'http://snomed.info/sct';
    expect(found(filter({ property: 'constraint', op: '=', value: '<< 404684003 |Clinical finding| : 363698007 = << 39057004' }, sct))).toEqual([]);
    expect(found(filter({ property: 'constraint', op: '=', value: '<< 404684003 |Clinical finding' }, sct))).toEqual([['error', 'VALUESET_BAD_FILTER_VALUE_INVALID', `${at}`]]);
    // The long syntax of ECL 2: memberOf is ^, descendantOrSelfOf is <<.
    expect(found(filter({ property: 'constraint', op: '=', value: 'memberOf 999000051000001100 AND descendantOrSelfOf 284009009' }, sct))).toEqual([]);
    expect(found(filter({ property: 'constraint', op: '=', value: 'memberOf' }, sct))).toEqual([['error', 'VALUESET_BAD_FILTER_VALUE_INVALID', `${at}`]]);
  });

  it('takes a value from a FHIRPath expression over declared parameters', () => {
    const param = (name: string, doc = true): Obj => ({ url: 'http://hl7.org/fhir/tools/StructureDefinition/valueset-parameter', extension: [{ url: 'name', valueCode: name }, ...(doc ? [{ url: 'documentation', valueMarkdown: 'which' }] : [])] });
    const expr = (expression: string, language = 'text/fhirpath'): Obj => ({ property: 'urgent', op: '=', _value: { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/cqf-expression', valueExpression: { language, expression } }] } });
    const exprAt = `${at}.extension[0].value.ofType(Expression)`;
    const withParams = (params: Obj[], f: Obj): Obj => ({ ...filter(f), extension: params });
    expect(found(withParams([param('p-urgent')], expr('%p-urgent')))).toEqual([]);
    expect(found(withParams([param('p-urgent')], expr('%p-other')))).toEqual([['error', 'VALUESET_BAD_FILTER_EXPR_PARAM_NAME', `${exprAt}`], ['warning', 'VALUESET_PARAMETER_NOT_USED', 'ValueSet.extension[0]']]);
    expect(found(withParams([param('p-urgent')], expr('%p-urgent', 'text/cql')))).toEqual([['error', 'VALUESET_BAD_FILTER_EXPR_LANG', `${exprAt}`], ['warning', 'VALUESET_PARAMETER_NOT_USED', 'ValueSet.extension[0]']]);
    expect(found(withParams([param('p-urgent')], expr('%p-urgent..x')))).toEqual([['error', 'VALUESET_BAD_FILTER_EXPR_VALUE', `${exprAt}`], ['warning', 'VALUESET_PARAMETER_NOT_USED', 'ValueSet.extension[0]']]);
    expect(found(withParams([param('urgent', false)], expr('%urgent')))).toEqual([['warning', 'VALUESET_PARAMETER_NO_DOCO', 'ValueSet.extension[0]'], ['information', 'VALUESET_PARAMETER_NAME_WARNING', 'ValueSet.extension[0]']]);
    expect(found(filter({ property: 'urgent', op: '=' }))).toEqual([['error', 'VALUESET_BAD_FILTER_EXPR_OR_VALUE', `${at}`]]);
    // With a value, the expression is not read, so the parameter goes unused.
    expect(found(withParams([param('p-urgent')], { ...expr('%p-urgent'), value: 'true' }))).toEqual([['error', 'VALUESET_BAD_FILTER_EXPR_AND_VALUE', `${at}`], ['warning', 'VALUESET_PARAMETER_NOT_USED', 'ValueSet.extension[0]']]);
  });
});

describe('ValueSet expansions', () => {
  const exp = (expansion: Obj, compose: Obj = { include: [{ system: CS, filter: [{ property: 'urgent', op: '=', value: 'true' }] }] }): Obj => vs(compose, { expansion: { timestamp: '2024-01-01T00:00:00Z', ...expansion } });
  const at = 'ValueSet.expansion';
  const contains = (...codes: string[]): Obj[] => codes.map((code) => ({ system: CS, code }));

  it('accepts an expansion of the definition that says how it was made', () => {
    expect(found(exp({ identifier: 'urn:uuid:9d5f0a9e-1c38-4a52-9c2f-0c8d8a2b7f11', parameter: [{ name: 'activeOnly', valueBoolean: false }, { name: 'used-codesystem', valueUri: `${CS}|2` }], contains: contains('c1', 'c2') }))).toEqual([]);
  });

  it('reports missing parameters, identifier, used code systems and a count beyond the total', () => {
    expect(found(exp({ total: 1, offset: 0, contains: contains('c1', 'c2') }), ['VALUESET_EXPANSION'])).toEqual([
      ['warning', 'VALUESET_EXPANSION_PARAMETER_NOT_FOUND', `${at}`],
      ['information', 'VALUESET_EXPANSION_NO_IDENTIFIER', `${at}`],
      ['warning', 'VALUESET_EXPANSION_PARAMETER_COUNT_WRONG', `${at}`],
      ['warning', 'VALUESET_EXPANSION_PARAMETER_SYSTEM_NEEDED', `${at}`],
    ]);
    const twice = [{ name: 'used-codesystem', valueUri: `${CS}|1` }, { name: 'used-codesystem', valueUri: `${CS}|2` }];
    expect(found(exp({ identifier: 'urn:uuid:1', parameter: [{ name: 'count', valueInteger: 10 }, ...twice], contains: contains('c1', 'c2') }), ['VALUESET_EXPANSION'])).toEqual([['error', 'VALUESET_EXPANSION_PARAMETER_SYSTEM_MULTIPLE', `${at}`]]);
  });

  it('compares the expansion with the one its definition gives', () => {
    const base = { identifier: 'urn:uuid:1', parameter: [{ name: 'count', valueInteger: 10 }, { name: 'used-codesystem', valueUri: `${CS}|2` }] };
    expect(found(exp({ ...base, contains: contains('c1') }), ['VALUESET_EXPANSION'])).toEqual([['warning', 'VALUESET_EXPANSION_MISSING', `${at}`]]);
    expect(found(exp({ ...base, contains: contains('c1', 'c2', 'c3') }), ['VALUESET_EXPANSION'])).toEqual([['warning', 'VALUESET_EXPANSION_EXTRA', `${at}`]]);
  });
});

describe('value sets used by bindings and memberOf()', () => {
  const PROFILE = 'http://example.org/StructureDefinition/categorised';
  function profiled(extra: Obj[], elements: ElementDefinition[]): Validator {
    const resolver = new MemoryResolver([...coreResources(), codeSystem, otherVs, ...extra] as CanonicalResource[]);
    const sd = { resourceType: 'StructureDefinition', url: PROFILE, name: 'Categorised', status: 'draft', kind: 'resource', abstract: false, type: 'Observation', baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Observation', derivation: 'constraint', differential: { element: elements } } as StructureDefinition;
    resolver.add({ ...sd, snapshot: { element: generateSnapshot(sd, resolver.structureDefinition('Observation')!, resolver) } } as CanonicalResource);
    const terminology = new LocalTerminology(resolver);
    return new Validator(resolver, { terminology: new TerminologyBindingChecker(terminology), invariants: new FhirPathInvariantEvaluator({ memberOf: memberOfHook(terminology) }) });
  }
  const obs = (...codes: string[]): Obj => ({ resourceType: 'Observation', status: 'final', code: { coding: codes.map((code) => ({ system: CS, code })) } });
  const bound = (valueSet: string, extra: Obj[]): string[][] =>
    profiled(extra, [{ id: 'Observation.code', path: 'Observation.code', binding: { strength: 'required', valueSet } } as ElementDefinition])
      .validateToIssues(obs('c1'), { profiles: [PROFILE] })
      .filter((i) => i.severity === 'error')
      .map((i) => [i.rule, i.expression]);

  it('cannot judge codes against a value set whose filters no server could evaluate, or whose supplement is missing', () => {
    const withFilter = (f: Obj, system = CS): Obj => ({ resourceType: 'ValueSet', url: 'http://example.org/ValueSet/f', status: 'active', compose: { include: [{ system, filter: [f] }] } });
    expect(bound('http://example.org/ValueSet/f', [withFilter({ property: 'constraint', op: '=', value: '<< 404684003 |x' }, 'http://snomed.info/sct')])).toEqual([['INVALID_ECL', 'Observation.code']]);
    expect(bound('http://example.org/ValueSet/f', [withFilter({ property: 'code', op: 'regex', value: 'c[' })])).toEqual([['INVALID_REGEX', 'Observation.code']]);
    expect(bound('http://example.org/ValueSet/f', [withFilter({ property: 'urgent', op: 'is-a', value: 'true' })])).toEqual([['FILTER_NOT_UNDERSTOOD', 'Observation.code']]);
    const needsSupplement = { ...otherVs, url: 'http://example.org/ValueSet/s', extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/valueset-supplement', valueCanonical: 'http://example.org/CodeSystem/absent-supplement' }] };
    expect(bound('http://example.org/ValueSet/s', [needsSupplement])).toEqual([['VALUESET_SUPPLEMENT_MISSING', 'Observation.code']]);
    expect(bound('http://example.org/ValueSet/urgent', [])).toEqual([]);
  });

  it('counts a CodeableConcept as a member when any of its codings is', () => {
    const v = profiled([], [{ id: 'Observation', path: 'Observation', constraint: [{ key: 'cat-1', severity: 'error', human: 'urgent category', expression: "code.memberOf('http://example.org/ValueSet/urgent')" }] } as ElementDefinition]);
    const rules = (r: Obj): string[] => v.validateToIssues(r, { profiles: [PROFILE] }).filter((i) => i.severity === 'error').map((i) => i.rule);
    expect(rules(obs('c3', 'c1'))).toEqual([]);
    expect(rules(obs('c3'))).toEqual([`${PROFILE}#cat-1`]);
  });
});
