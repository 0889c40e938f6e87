/**
 * Measure authoring and MeasureReport-against-Measure rules (the reference validator's MeasureValidator),
 * with payloads of our own written from the rules, through the Validator: rule id, severity and location.
 */
import { describe, expect, it } from 'vitest';
import type { CanonicalResource } from '../src/packages/types.js';
import { Validator } from '../src/validation/validator.js';
import { coreResources, MemoryResolver } from './support/memory-resolver.js';

type Obj = Record<string, unknown>;
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const ELM = (defs: string[], ns = 'urn:hl7-org:elm:r1') =>
  `<library xmlns="${ns}"><parameters><def name="Measurement Period"/></parameters><statements>${defs.map((d) => `<def name="${d}"/>`).join('')}</statements></library>`;
const lib = (url: string, name: string, content: { contentType: string; data: string }[]): Obj => ({ resourceType: 'Library', url, name, status: 'active', type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/library-type', code: 'logic-library' }] }, content });

const LIBS = [
  lib('http://example.org/Library/screening', 'Screening', [{ contentType: 'application/elm+xml', data: b64(ELM(['Initial Population', 'Age Group'])) }]),
  lib('http://example.org/Library/screening-twin', 'Screening', [{ contentType: 'application/elm+xml', data: b64(ELM(['Age Group'])) }]),
  lib('http://example.org/Library/source-only', 'SourceOnly', [{ contentType: 'text/cql', data: b64('library SourceOnly\ndefine "Age Group": 1') }]),
  lib('http://example.org/Library/broken', 'Broken', [{ contentType: 'application/elm+xml', data: b64('<library><statements>') }]),
  lib('http://example.org/Library/not-elm', 'NotElm', [{ contentType: 'application/elm+xml', data: b64(ELM(['Age Group'], 'urn:example:other')) }]),
];

const POP = 'http://terminology.hl7.org/CodeSystem/measure-population';
const pop = (code: string) => ({ code: { coding: [{ system: POP, code }] } });
const code = (c: string) => ({ coding: [{ system: 'http://example.org/codes', code: c }] });
const scoring = (c: string) => ({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-scoring', code: c }] });

const M = 'http://example.org/Measure/';
const MEASURES: Obj[] = [
  { resourceType: 'Measure', url: `${M}cohort`, version: '2.0', status: 'active', scoring: scoring('cohort'), group: [{ population: [pop('initial-population')] }] },
  { resourceType: 'Measure', url: `${M}coded-single`, status: 'active', scoring: scoring('cohort'), group: [{ code: code('g1'), population: [pop('initial-population')] }] },
  {
    resourceType: 'Measure', url: `${M}two-groups`, status: 'active', scoring: scoring('cohort'),
    group: [
      { code: code('g1'), population: [pop('initial-population'), pop('measure-observation')] },
      { code: code('g2'), population: [pop('initial-population'), pop('denominator')], stratifier: [{ code: code('age') }, { code: code('sex') }] },
    ],
  },
  { resourceType: 'Measure', url: `${M}proportion`, status: 'active', scoring: scoring('proportion'), group: [{ population: [pop('initial-population')] }] },
  { resourceType: 'Measure', url: `${M}ratio`, status: 'active', scoring: scoring('ratio'), group: [{ population: [pop('initial-population')] }] },
  {
    resourceType: 'Measure', url: `${M}ratio-unit`, status: 'active', scoring: scoring('ratio'), group: [{ population: [pop('initial-population')] }],
    extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/questionnaire-unit', valueCoding: { system: 'http://unitsofmeasure.org', code: 'min' } }],
  },
  { resourceType: 'Measure', url: `${M}unscored`, status: 'active', group: [{ population: [pop('initial-population')] }] },
];

const validator = new Validator(new MemoryResolver([...coreResources(), ...LIBS, ...MEASURES] as CanonicalResource[]));

const MEASURE_RULE = /^(MEASURE_|Measure_|CANONICAL_MULTIPLE_VERSIONS_KNOWN)/;
function found(resource: Obj): string[][] {
  return validator
    .validateToIssues(resource)
    .filter((i) => MEASURE_RULE.test(i.rule))
    .map((i) => [i.severity, i.rule, i.expression]);
}

const measure = (extra: Obj): Obj => ({ resourceType: 'Measure', status: 'draft', ...extra });
const stratifierCriteria = (language: string, expression: string, libraries: string[]) =>
  measure({ library: libraries, group: [{ population: [pop('initial-population')], stratifier: [{ criteria: { language, expression } }] }] });
const CRIT = 'Measure.group[0].stratifier[0].criteria';

describe('Measure authoring', () => {
  it('warns about a measure without groups', () => {
    expect(found(measure({}))).toEqual([['warning', 'MEASURE_M_NO_GROUPS', 'Measure']]);
  });

  it('wants codes on groups, populations and stratifiers when there are several, and a population in each group', () => {
    const m = measure({ group: [{ population: [{}, {}], stratifier: [{}, {}] }, { stratifier: [{ code: code('a') }] }] });
    expect(found(m)).toEqual([
      ['warning', 'MEASURE_M_GROUP_CODE', 'Measure.group[0]'],
      ['warning', 'MEASURE_M_GROUP_POP_NO_CODE', 'Measure.group[0].population[0]'],
      ['warning', 'MEASURE_M_GROUP_POP_NO_CODE', 'Measure.group[0].population[1]'],
      ['warning', 'MEASURE_M_GROUP_STRATA_NO_CODE', 'Measure.group[0].stratifier[0]'],
      ['warning', 'MEASURE_M_GROUP_STRATA_NO_CODE', 'Measure.group[0].stratifier[1]'],
      ['warning', 'MEASURE_M_GROUP_CODE', 'Measure.group[1]'],
      ['warning', 'MEASURE_M_GROUP_POP', 'Measure.group[1]'],
    ]);
    expect(found(measure({ group: [{ population: [{}], stratifier: [{}] }] }))).toEqual([]);
  });

  it('notes a library that cannot be resolved, and then has no library for CQL criteria', () => {
    expect(found(stratifierCriteria('text/cql', 'Screening.Age Group', ['http://example.org/Library/unknown']))).toEqual([
      ['information', 'MEASURE_M_LIB_UNKNOWN', 'Measure'],
      ['error', 'MEASURE_M_CRITERIA_CQL_NO_LIB', `${CRIT}`],
    ]);
  });

  it('warns that criteria in other languages cannot be checked', () => {
    expect(found(stratifierCriteria('text/fhirpath', 'Patient.gender', []))).toEqual([['warning', 'MEASURE_M_CRITERIA_UNKNOWN', `${CRIT}`]]);
  });

  it('finds the named statement in the ELM of the library the criteria names', () => {
    const screening = 'http://example.org/Library/screening';
    expect(found(stratifierCriteria('text/cql', 'Screening.Age Group', [screening]))).toEqual([]);
    expect(found(stratifierCriteria('text/cql.identifier', 'Age Group', [screening]))).toEqual([]);
    expect(found(stratifierCriteria('text/cql', 'Screening.Sex', [screening]))).toEqual([['error', 'MEASURE_M_CRITERIA_CQL_NOT_FOUND', `${CRIT}`]]);
    expect(found(stratifierCriteria('text/cql', 'Other.Age Group', [screening]))).toEqual([['error', 'MEASURE_M_CRITERIA_CQL_LIB_NOT_FOUND', `${CRIT}`]]);
  });

  it('needs one library to name, and compiled logic in it', () => {
    const both = ['http://example.org/Library/screening', 'http://example.org/Library/screening-twin'];
    expect(found(stratifierCriteria('text/cql', 'Screening.Age Group', both))).toEqual([['error', 'MEASURE_M_CRITERIA_CQL_LIB_DUPL', `${CRIT}`]]);
    expect(found(stratifierCriteria('text/cql', 'Age Group', both))).toEqual([['error', 'MEASURE_M_CRITERIA_CQL_ONLY_ONE_LIB', `${CRIT}`]]);
    expect(found(stratifierCriteria('text/cql', 'Age Group', ['http://example.org/Library/source-only']))).toEqual([['error', 'MEASURE_M_CRITERIA_CQL_NO_ELM', `${CRIT}`]]);
    expect(found(stratifierCriteria('text/cql', 'Age Group', ['http://example.org/Library/broken']))).toEqual([['error', 'MEASURE_M_CRITERIA_CQL_ERROR', `${CRIT}`]]);
    expect(found(stratifierCriteria('text/cql', 'Age Group', ['http://example.org/Library/not-elm']))).toEqual([['error', 'MEASURE_M_CRITERIA_CQL_ELM_NOT_VALID', `${CRIT}`]]);
  });
});

const report = (measureUrl: string | undefined, extra: Obj): Obj => ({
  resourceType: 'MeasureReport', status: 'complete', type: 'summary', ...(measureUrl ? { measure: measureUrl } : {}), period: { start: '2026-01-01', end: '2026-03-31' }, ...extra,
});
const counted = (c: string, count = 1) => ({ ...pop(c), count });

describe('MeasureReport: the Measure', () => {
  it('notes a report that names no Measure, and warns when the Measure cannot be resolved', () => {
    expect(found(report(undefined, {}))).toEqual([['information', 'Measure_MR_M_None', 'MeasureReport']]);
    expect(found(report(`${M}unknown`, {}))).toEqual([['warning', 'Measure_MR_M_NotFound', 'MeasureReport']]);
    expect(found({ ...report(undefined, {}), measure: { reference: `${M}unknown` } }).map((f) => f[1])).toContain('Measure_MR_M_NotFound');
  });

  it('names the versions known when the version asked for is not', () => {
    expect(found(report(`${M}cohort|1.0`, {}))).toEqual([['warning', 'Measure_MR_M_NotFound', 'MeasureReport'], ['information', 'CANONICAL_MULTIPLE_VERSIONS_KNOWN', 'MeasureReport']]);
    expect(found(report(`${M}cohort|2.0`, { group: [{ population: [counted('initial-population')] }] }))).toEqual([]);
  });

  it('notes a Measure whose scoring is unknown', () => {
    expect(found(report(`${M}unscored`, { group: [{ population: [counted('initial-population')] }] }))).toEqual([['information', 'MEASURE_MR_M_SCORING_UNK', 'MeasureReport.measure']]);
  });

  it('uses a contained Measure', () => {
    const contained = { ...MEASURES[0], id: 'm', url: undefined };
    expect(found(report('#m', { contained: [contained], group: [{ population: [counted('initial-population')], measureScore: { value: 1 } }] }))).toEqual([
      ['error', 'MEASURE_MR_SCORE_PROHIBITED_MS', 'MeasureReport.group[0].measureScore'],
    ]);
  });
});

describe('MeasureReport groups against the Measure groups', () => {
  it('checks the code of a single group when both carry one', () => {
    const one = (c: Obj) => report(`${M}coded-single`, { group: [{ code: c, population: [counted('initial-population')] }] });
    expect(found(one(code('g1')))).toEqual([]);
    expect(found(one(code('g9')))).toEqual([['error', 'MEASURE_MR_GRP_NO_WRONG_CODE', 'MeasureReport.group[0]']]);
    expect(found(one({ coding: [{ code: 'g1' }] }))).toEqual([['error', 'MEASURE_MR_GRP_NO_USABLE_CODE', 'MeasureReport.group[0]']]);
  });

  it('matches several groups by code: unknown, duplicate, uncoded and missing groups', () => {
    const g1 = { code: code('g1'), population: [counted('initial-population')] };
    expect(found(report(`${M}two-groups`, { group: [g1, { population: [] }, { code: code('g7') }, g1] }))).toEqual([
      ['error', 'MEASURE_MR_GRP_NO_CODE', 'MeasureReport.group[1]'],
      ['error', 'MEASURE_MR_GRP_UNK_CODE', 'MeasureReport.group[2]'],
      ['error', 'MEASURE_MR_GRP_DUPL_CODE', 'MeasureReport.group[3]'],
      ['error', 'MEASURE_MR_GRP_MISSING_BY_CODE', 'MeasureReport'],
    ]);
    expect(found(report(`${M}two-groups`, { type: 'data-collection', group: [g1] }))).toEqual([]);
  });

  it('matches populations by code, and does not require a measure-observation population', () => {
    const g2 = (population: Obj[]) => report(`${M}two-groups`, {
      group: [{ code: code('g1'), population: [counted('initial-population')] }, { code: code('g2'), population, stratifier: [{ code: [code('age')] }, { code: [code('sex')] }] }],
    });
    expect(found(g2([counted('initial-population'), counted('denominator')]))).toEqual([]);
    expect(found(g2([{ count: 1 }, counted('numerator'), counted('initial-population'), counted('initial-population')]))).toEqual([
      ['error', 'MEASURE_MR_GRP_POP_NO_CODE', 'MeasureReport.group[1].population[0]'],
      ['error', 'MEASURE_MR_GRP_POP_UNK_CODE', 'MeasureReport.group[1].population[1]'],
      ['error', 'MEASURE_MR_GRP_POP_DUPL_CODE', 'MeasureReport.group[1].population[3]'],
      ['error', 'MEASURE_MR_GRP_POP_MISSING_BY_CODE', 'MeasureReport.group[1]'],
    ]);
  });

  it('matches stratifiers by code', () => {
    const g2 = (stratifier: Obj[]) => report(`${M}two-groups`, {
      group: [{ code: code('g1'), population: [counted('initial-population')] }, { code: code('g2'), population: [counted('initial-population'), counted('denominator')], stratifier }],
    });
    expect(found(g2([{}, { code: [code('zip')] }, { code: [code('age')] }, { code: [code('age')] }]))).toEqual([
      ['error', 'MEASURE_MR_GRP_STRAT_NO_CODE', 'MeasureReport.group[1].stratifier[0]'],
      ['error', 'MEASURE_MR_GRP_STRAT_UNK_CODE', 'MeasureReport.group[1].stratifier[1]'],
      ['error', 'MEASURE_MR_GRP_STRAT_DUPL_CODE', 'MeasureReport.group[1].stratifier[3]'],
      ['error', 'MEASURE_MR_GRP_STRAT_MISSING_BY_CODE', 'MeasureReport.group[1]'],
    ]);
  });
});

describe('MeasureReport populations: counts and subjects', () => {
  const cohort = (type: string, population: Obj, extra: Obj = {}) => report(`${M}cohort`, { type, group: [{ population: [population] }], ...extra });
  const P = 'MeasureReport.group[0].population[0]';

  it('wants a count and no subject list outside subject-list reports', () => {
    expect(found(cohort('summary', pop('initial-population')))).toEqual([['warning', 'MEASURE_MR_GRP_POP_NO_COUNT', `${P}`]]);
    expect(found(cohort('individual', { ...counted('initial-population'), subjectResults: { reference: 'List/1' } }))).toEqual([['error', 'MEASURE_MR_GRP_POP_NO_SUBJECTS', `${P}`]]);
  });

  it('counts the subjects of a subject list against the stated count', () => {
    const list = { resourceType: 'List', id: 'subjects', status: 'current', mode: 'snapshot', entry: [{ item: { reference: 'Patient/a' } }, { item: { reference: 'Patient/b' } }] };
    const withList = (count: number) => cohort('subject-list', { ...counted('initial-population', count), subjectResults: { reference: '#subjects' } }, { contained: [list] });
    expect(found(withList(2))).toEqual([]);
    expect(found(withList(3))).toEqual([['error', 'MEASURE_MR_GRP_POP_COUNT_MISMATCH', `${P}`]]);
    expect(found(cohort('subject-list', { ...counted('initial-population', 1), subjectResults: { reference: 'Patient/a' } }))).toEqual([]);
  });

  it('notes a count it cannot check because the subject list cannot be processed', () => {
    expect(found(cohort('subject-list', { ...counted('initial-population', 4), subjectResults: { reference: 'Group/g' } }))).toEqual([['information', 'MEASURE_MR_GRP_POP_COUNT_CANT_CHECK', `${P}`]]);
  });
});

describe('MeasureReport scores against the Measure scoring', () => {
  const G = 'MeasureReport.group[0]';
  const scored = (m: string, measureScore: Obj | undefined, type = 'summary') =>
    report(`${M}${m}`, { type, group: [{ population: [counted('initial-population')], ...(measureScore ? { measureScore } : {}) }] });

  it('bans a score in a data collection and for a cohort', () => {
    expect(found(scored('proportion', { value: 0.5 }, 'data-collection'))).toEqual([['error', 'MEASURE_MR_SCORE_PROHIBITED_RT', `${G}.measureScore`]]);
    expect(found(scored('cohort', { value: 0.5 }))).toEqual([['error', 'MEASURE_MR_SCORE_PROHIBITED_MS', `${G}.measureScore`]]);
  });

  it('wants a unitless proportion from 0 to 1', () => {
    expect(found(scored('proportion', { value: 0.5 }))).toEqual([]);
    expect(found(scored('proportion', undefined))).toEqual([['error', 'MEASURE_MR_SCORE_REQUIRED', `${G}`]]);
    expect(found(scored('proportion', { value: 1.5 }))).toEqual([['error', 'MEASURE_MR_SCORE_VALUE_INVALID_01', `${G}.measureScore.value`]]);
    expect(found(scored('proportion', { value: 0.5, unit: '%' }))).toEqual([['error', 'MEASURE_MR_SCORE_UNIT_PROHIBITED', `${G}.measureScore.unit`]]);
  });

  it('wants a value and a unit on a ratio, the unit the Measure fixes', () => {
    expect(found(scored('ratio', { unit: 'per day' }))).toEqual([['error', 'MEASURE_MR_SCORE_VALUE_REQUIRED', `${G}.measureScore`]]);
    expect(found(scored('ratio', { value: 3 }))).toEqual([['warning', 'MEASURE_MR_SCORE_UNIT_REQUIRED', `${G}.measureScore`]]);
    expect(found(scored('ratio-unit', { value: 3, unit: 'min', system: 'http://unitsofmeasure.org', code: 'min' }))).toEqual([]);
    expect(found(scored('ratio-unit', { value: 3, unit: 'h', system: 'http://unitsofmeasure.org', code: 'h' }))).toEqual([['error', 'MEASURE_MR_SCORE_FIXED', `${G}.measureScore.code`]]);
    expect(found(scored('ratio-unit', { value: 3 }))).toEqual([['error', 'MEASURE_MR_SCORE_FIXED', `${G}.measureScore`]]);
  });
});
