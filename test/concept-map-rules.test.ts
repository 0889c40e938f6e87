/**
 * ConceptMap authoring rules (the reference validator's ConceptMapValidator, R4): source and target value
 * sets, the code systems of each group, mapped codes and displays against them, and repeated mappings.
 * Resources of our own, validated through the Validator with local terminology, as the product wires it.
 */
import { describe, expect, it } from 'vitest';
import type { CanonicalResource } from '../src/packages/types.js';
import { LocalTerminology, TerminologyBindingChecker } from '../src/terminology/index.js';
import { Validator } from '../src/validation/validator.js';
import { coreResources, MemoryResolver } from './support/memory-resolver.js';

type Obj = Record<string, unknown>;

const FROM = 'http://example.org/CodeSystem/dispatch-code';
const TO = 'http://example.org/CodeSystem/triage-level';
const from: Obj = { resourceType: 'CodeSystem', url: FROM, status: 'active', content: 'complete', caseSensitive: true, concept: [{ code: 'd1', display: 'Cardiac arrest' }, { code: 'd2', display: 'Fall' }] };
const to: Obj = { resourceType: 'CodeSystem', url: TO, version: '1', status: 'active', content: 'complete', caseSensitive: true, concept: [{ code: 't1', display: 'Immediate' }, { code: 't2', display: 'Urgent' }, { code: 't3', display: 'Routine' }] };
const partial: Obj = { resourceType: 'CodeSystem', url: 'http://example.org/CodeSystem/partial', status: 'active', content: 'fragment', concept: [{ code: 'p1' }] };
const targetVs: Obj = { resourceType: 'ValueSet', url: 'http://example.org/ValueSet/urgent-levels', status: 'active', compose: { include: [{ system: TO, concept: [{ code: 't1' }, { code: 't2' }] }] } };

function found(cm: Obj, extra: Obj[] = []): string[][] {
  const resolver = new MemoryResolver([...coreResources(), from, to, partial, targetVs, ...extra] as CanonicalResource[]);
  return new Validator(resolver, { terminology: new TerminologyBindingChecker(new LocalTerminology(resolver)) })
    .validateToIssues(cm)
    .filter((i) => i.rule.startsWith('CONCEPTMAP_'))
    .map((i) => [i.severity, i.rule, i.expression]);
}

const map = (group: Obj, fields: Obj = {}): Obj => ({ resourceType: 'ConceptMap', url: 'http://example.org/ConceptMap/x', status: 'draft', ...fields, group: [group] });
const element = (code: string, targets: Obj[], display?: string): Obj => ({ code, ...(display ? { display } : {}), target: targets });
const G = 'ConceptMap.group[0]';

describe('ConceptMap groups and codes', () => {
  it('accepts codes and displays the code systems define', () => {
    expect(found(map({ source: FROM, target: TO, element: [element('d1', [{ code: 't1', display: 'IMMEDIATE', equivalence: 'equivalent' }], 'Cardiac arrest')] }))).toEqual([]);
  });

  it('reports codes the code systems do not define, and displays they do not give', () => {
    expect(found(map({ source: FROM, target: TO, element: [element('d9', [{ code: 't9', equivalence: 'equivalent' }]), element('d2', [{ code: 't2', display: 'Soon', equivalence: 'wider' }], 'Trip')] }))).toEqual([
      ['error', 'CONCEPTMAP_GROUP_SOURCE_CODE_INVALID', `${G}.element[0].code`],
      ['error', 'CONCEPTMAP_GROUP_TARGET_CODE_INVALID', `${G}.element[0].target[0].code`],
      ['warning', 'CONCEPTMAP_GROUP_SOURCE_DISPLAY_INVALID', `${G}.element[1].code`],
      ['warning', 'CONCEPTMAP_GROUP_TARGET_DISPLAY_INVALID', `${G}.element[1].target[0].code`],
    ]);
  });

  it('warns when a group names no code systems, or ones without all their content, or unknown ones', () => {
    expect(found(map({ element: [element('d1', [{ code: 't1', equivalence: 'equivalent' }])] }))).toEqual([['warning', 'CONCEPTMAP_GROUP_SOURCE_MISSING', `${G}`], ['warning', 'CONCEPTMAP_GROUP_TARGET_MISSING', `${G}`]]);
    expect(found(map({ source: 'http://example.org/CodeSystem/partial', target: 'http://example.org/CodeSystem/nowhere', element: [element('p1', [{ code: 'x', equivalence: 'equivalent' }])] }))).toEqual([
      ['warning', 'CONCEPTMAP_GROUP_SOURCE_INCOMPLETE', `${G}.source`],
      ['warning', 'CONCEPTMAP_GROUP_TARGET_UNKNOWN', `${G}.target`],
    ]);
    expect(found(map({ source: 'http://example.org/CodeSystem/nowhere', target: 'http://example.org/CodeSystem/partial', element: [element('x', [{ code: 'p1', equivalence: 'equivalent' }])] }))).toEqual([
      ['warning', 'CONCEPTMAP_GROUP_SOURCE_UNKNOWN', `${G}.source`],
      ['warning', 'CONCEPTMAP_GROUP_TARGET_INCOMPLETE', `${G}.target`],
    ]);
  });

  it('checks mapped codes against the source and target value sets', () => {
    const scoped = { targetCanonical: 'http://example.org/ValueSet/urgent-levels' };
    expect(found(map({ source: FROM, target: TO, element: [element('d2', [{ code: 't3', equivalence: 'equivalent' }])] }, scoped))).toEqual([['error', 'CONCEPTMAP_GROUP_TARGET_CODE_INVALID_VS', `${G}.element[0].target[0].code`]]);
    const sctScoped = { sourceUri: 'http://example.org/ValueSet/urgent-levels' };
    // Core R4 carries a SNOMED CT CodeSystem without content: its codes are the terminology server's to check.
    const serverSide = ['information', 'CONCEPTMAP_GROUP_SOURCE_SERVER_SIDE', `${G}.source`];
    expect(found(map({ source: 'http://snomed.info/sct', target: TO, element: [element('12345', [{ code: 't1', equivalence: 'equivalent' }])] }, sctScoped))).toEqual([serverSide, ['error', 'CONCEPTMAP_VS_INVALID_CONCEPT_CODE', `${G}.element[0].code`]]);
    expect(found(map({ source: TO, target: 'http://snomed.info/sct', element: [element('t1', [{ code: '22298006', equivalence: 'equivalent' }])] }))).toEqual([['information', 'CONCEPTMAP_GROUP_TARGET_SERVER_SIDE', `${G}.target`]]);
    expect(found(map({ source: 'http://snomed.info/sct', sourceVersion: 'http://snomed.info/sct/83821000000107/version/20240101', target: TO, element: [element('12345', [{ code: 't1', equivalence: 'equivalent' }])] }, sctScoped))).toEqual([serverSide, ['error', 'CONCEPTMAP_VS_INVALID_CONCEPT_CODE_VER', `${G}.element[0].code`]]);
    expect(found(map({ source: 'http://example.org/unknown', target: TO, element: [element('a', [{ code: 't1', equivalence: 'equivalent' }])] }, sctScoped))).toEqual([['warning', 'CONCEPTMAP_VS_CONCEPT_CODE_UNKNOWN_SYSTEM', `${G}.element[0].code`]]);
    expect(found(map({ source: 'http://example.org/unknown', sourceVersion: '2', target: TO, element: [element('a', [{ code: 't1', equivalence: 'equivalent' }])] }, sctScoped))).toEqual([['warning', 'CONCEPTMAP_VS_CONCEPT_CODE_UNKNOWN_SYSTEM_VERSION', `${G}.element[0].code`]]);
  });

  it('says a code cannot be checked when the value set cannot be evaluated offline', () => {
    const open = { resourceType: 'ValueSet', url: 'http://example.org/ValueSet/open', status: 'active', compose: { include: [{ valueSet: ['http://example.org/ValueSet/nowhere'] }] } };
    expect(found(map({ source: FROM, target: TO, element: [element('d1', [{ code: 't1', equivalence: 'equivalent' }])] }, { sourceUri: 'http://example.org/ValueSet/open' }), [open])).toEqual([['warning', 'CONCEPTMAP_GROUP_SOURCE_CODE_CANT_CHECK', `${G}.element[0].code`]]);
    const openTarget = { targetUri: 'http://example.org/ValueSet/open' };
    expect(found(map({ source: FROM, target: TO, element: [element('d1', [{ code: 't1', equivalence: 'equivalent' }])] }, openTarget), [open])).toEqual([['warning', 'CONCEPTMAP_GROUP_TARGET_CODE_CANT_CHECK', `${G}.element[0].target[0].code`]]);
    const sourceVs = { sourceUri: 'http://example.org/ValueSet/urgent-levels' };
    expect(found(map({ source: TO, target: FROM, element: [element('t3', [{ code: 'd1', equivalence: 'equivalent' }])] }, sourceVs))).toEqual([['error', 'CONCEPTMAP_GROUP_SOURCE_CODE_INVALID_VS', `${G}.element[0].code`]]);
  });

  it('does not have more than 1000 codes checked as a terminology server would', () => {
    const many = Array.from({ length: 1001 }, (_, i) => element(String(100000 + i), [{ code: 't1', equivalence: 'equivalent' }]));
    expect(found(map({ source: 'http://snomed.info/sct', target: TO, element: many }, { sourceUri: 'http://example.org/ValueSet/urgent-levels' }))).toEqual([
      ['information', 'CONCEPTMAP_GROUP_SOURCE_SERVER_SIDE', `${G}.source`],
      ['information', 'CONCEPTMAP_VS_TOO_MANY_CODES', 'ConceptMap'],
    ]);
  });

  it('reports a source or target scope that is not a value set', () => {
    expect(found(map({ source: FROM, target: TO, element: [] }, { sourceUri: FROM }))).toEqual([['error', 'CONCEPTMAP_VS_NOT_A_VS', 'ConceptMap.source']]);
  });
});

describe('repeated mappings of a source code', () => {
  const twice = (a: Obj, b: Obj): string[][] => found(map({ source: FROM, target: TO, element: [element('d1', [a, b])] }));

  it('warns about a second mapping of the same source and target', () => {
    // As the reference reports them: the same relationship again is "different", another one is "duplication".
    expect(twice({ code: 't1', equivalence: 'equivalent' }, { code: 't1', equivalence: 'equivalent' })).toEqual([['warning', 'CONCEPTMAP_GROUP_TARGET_DUPLICATION_DIFFERENT', `${G}.element[0].target[1]`]]);
    expect(twice({ code: 't1', equivalence: 'equivalent' }, { code: 't1', equivalence: 'wider' })).toEqual([['warning', 'CONCEPTMAP_GROUP_TARGET_DUPLICATION', `${G}.element[0].target[1]`]]);
  });

  it('warns when a source code is unmapped twice, or both unmapped and mapped', () => {
    expect(twice({ equivalence: 'unmatched' }, { equivalence: 'unmatched' })).toEqual([['warning', 'CONCEPTMAP_GROUP_TARGET_DUPLICATION', `${G}.element[0].target[1]`]]);
    expect(twice({ equivalence: 'unmatched' }, { code: 't2', equivalence: 'equivalent' })).toEqual([['warning', 'CONCEPTMAP_GROUP_TARGET_DUPLICATION_DIFFERENT', `${G}.element[0].target[1]`]]);
  });

  it('accepts different targets for one source', () => {
    expect(twice({ code: 't1', equivalence: 'wider' }, { code: 't2', equivalence: 'narrower' })).toEqual([]);
  });
});
