/**
 * minValue/maxValue as a Duration (Quantity) on date, dateTime and instant elements (engine/rules/duration-limits.ts),
 * from the reference validator's InstanceValidator.checkMinMaxValueDate / checkMinMaxValueDateTime: no comparator,
 * an exact UCUM time, then the value against now plus or minus the quantity. Profiles and payloads of our own,
 * through the Validator.
 */
import type { ElementDefinition, Quantity, StructureDefinition } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { readCoreR4 } from '../packages/core-r4.js';
import { MemoryResolver } from './core-resolver.js';
import { Validator } from './validator.js';

const CORE = 'http://hl7.org/fhir/StructureDefinition/';
const UCUM = 'http://unitsofmeasure.org';
const core = readCoreR4();

/** A profile on a core type whose elements (by id) take the given changes. */
function profile(type: string, name: string, changes: Record<string, Partial<ElementDefinition>>): StructureDefinition {
  const base = core.find((r) => r.url === `${CORE}${type}`) as StructureDefinition;
  const element = base.snapshot!.element.map((e) => ({ ...JSON.parse(JSON.stringify(e)), ...(changes[e.id!] ?? {}) }) as ElementDefinition);
  return { ...base, id: name, url: `http://durations.test/${name}`, name, derivation: 'constraint', baseDefinition: `${CORE}${type}`, snapshot: { element } } as StructureDefinition;
}

const days = (value: number, extra: Partial<Quantity> = {}): Quantity => ({ value, system: UCUM, code: 'd', ...extra });
const profiles = [
  // Born no later than today and no more than 150 years ago.
  profile('Patient', 'Birth', { 'Patient.birthDate': { maxValueQuantity: days(0), minValueQuantity: { value: 150, system: UCUM, code: 'a' } } }),
  profile('Patient', 'Comparator', { 'Patient.birthDate': { maxValueQuantity: days(1, { comparator: '<' }) } }),
  profile('Patient', 'NotTime', { 'Patient.birthDate': { maxValueQuantity: { value: 1, system: UCUM, code: 'kg' } } }),
  profile('Patient', 'HalfYear', { 'Patient.birthDate': { minValueQuantity: { value: 0.5, system: UCUM, code: 'a' } } }),
  profile('Patient', 'Negative', { 'Patient.birthDate': { maxValueQuantity: days(-1) } }),
  // Issued within the last week, and not in the future by more than an hour.
  profile('Observation', 'Recent', { 'Observation.issued': { minValueQuantity: { value: 1, system: UCUM, code: 'wk' }, maxValueQuantity: { value: 1, system: UCUM, code: 'h' } } }),
];
const validator = new Validator(new MemoryResolver([...core, ...profiles]));

const RULES = /^TYPE_SPECIFIC_CHECKS_DT_QTY_|^Type_Specific_Checks_DT_Date(Time)?_Valid$/;
function found(resource: Record<string, unknown>, name: string): string[][] {
  return validator
    .validateToIssues(resource, { profiles: [`http://durations.test/${name}`] })
    .filter((i) => RULES.test(i.rule))
    .map((i) => [i.rule, i.severity, i.expression ?? '']);
}

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const patient = (birthDate: string) => ({ resourceType: 'Patient', birthDate });
const observation = (issued: string) => ({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, issued });

describe('date/time limits given as a Duration', () => {
  it('compares the value with now plus maxValue and now minus minValue (TYPE_SPECIFIC_CHECKS_DT_QTY_GT_MAX, _GT_MIN)', () => {
    expect(found(patient(isoDay(-365)), 'Birth')).toEqual([]);
    expect(found(patient(isoDay(3)), 'Birth')).toEqual([['TYPE_SPECIFIC_CHECKS_DT_QTY_GT_MAX', 'error', 'Patient.birthDate']]);
    expect(found(patient('1850-06-01'), 'Birth')).toEqual([['TYPE_SPECIFIC_CHECKS_DT_QTY_GT_MIN', 'error', 'Patient.birthDate']]);
    const now = Date.now();
    const at = (ms: number) => new Date(now + ms).toISOString();
    expect(found(observation(at(-3_600_000)), 'Recent')).toEqual([]);
    expect(found(observation(at(-8 * 86_400_000)), 'Recent')).toEqual([['TYPE_SPECIFIC_CHECKS_DT_QTY_GT_MIN', 'error', 'Observation.issued']]);
    expect(found(observation(at(2 * 3_600_000)), 'Recent')).toEqual([['TYPE_SPECIFIC_CHECKS_DT_QTY_GT_MAX', 'error', 'Observation.issued']]);
  });

  it('accepts no comparator and only exact UCUM times (TYPE_SPECIFIC_CHECKS_DT_QTY_COMP, _VALUE)', () => {
    expect(found(patient('2000-01-01'), 'Comparator')).toEqual([['TYPE_SPECIFIC_CHECKS_DT_QTY_COMP', 'error', 'Patient.birthDate']]);
    expect(found(patient('2000-01-01'), 'NotTime')).toEqual([['TYPE_SPECIFIC_CHECKS_DT_QTY_VALUE', 'error', 'Patient.birthDate']]);
    // Years and months are calendar units: only whole numbers of them.
    expect(found(patient('2000-01-01'), 'HalfYear')).toEqual([['TYPE_SPECIFIC_CHECKS_DT_QTY_VALUE', 'error', 'Patient.birthDate']]);
  });

  it('reads the value as not readable when the quantity is negative, as the reference does', () => {
    expect(found(patient('2000-01-01'), 'Negative')).toEqual([['Type_Specific_Checks_DT_Date_Valid', 'error', 'Patient.birthDate']]);
  });

  it('does not apply the limits to a malformed value', () => {
    expect(found(patient('2000-13-01'), 'Birth')).toEqual([['Type_Specific_Checks_DT_Date_Valid', 'error', 'Patient.birthDate']]);
  });
});
