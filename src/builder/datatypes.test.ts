import { describe, expect, it } from 'vitest';
import { codeableConcept, dateTime, identifier, pastDate, period, ucumQuantity } from './datatypes.js';
import { AdsBuilderError } from './errors.js';

const fieldOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof AdsBuilderError) return e.field;
    throw e;
  }
  return undefined;
};

describe('datatype helpers', () => {
  it('writes dateTimes from Dates and zoned ISO strings only', () => {
    expect(dateTime(new Date('2026-11-23T10:00:00.000Z'), 'x')).toBe('2026-11-23T10:00:00Z');
    expect(dateTime(new Date('2026-11-23T10:00:00.250Z'), 'x')).toBe('2026-11-23T10:00:00.250Z');
    expect(dateTime('2026-11-23T10:00:00+01:00', 'x')).toBe('2026-11-23T10:00:00+01:00');
    expect(fieldOf(() => dateTime('2026-11-23T10:00:00', 'call.connectedAt'))).toBe('call.connectedAt');
    expect(fieldOf(() => dateTime('2026-13-23T10:00:00Z', 'call.connectedAt'))).toBe('call.connectedAt');
    expect(fieldOf(() => dateTime(new Date('nope'), 'call.connectedAt'))).toBe('call.connectedAt');
    expect(fieldOf(() => dateTime('2026-02-30T10:00:00Z', 'call.connectedAt'))).toBe('call.connectedAt');
  });

  it('makes Periods and rejects an end before the start', () => {
    expect(period('2026-11-23T10:00:00Z', '2026-11-23T11:00:00Z', 'p')).toEqual({ start: '2026-11-23T10:00:00Z', end: '2026-11-23T11:00:00Z' });
    expect(period(undefined, '2026-11-23T11:00:00Z', 'p')).toEqual({ end: '2026-11-23T11:00:00Z' });
    expect(fieldOf(() => period('2026-11-23T10:00:00Z', '2026-11-23T09:59:59Z', 'episode'))).toBe('episode.end');
  });

  it('makes UCUM Quantities within their range', () => {
    expect(ucumQuantity(5, 'mg', 'milligram', 'dose', { min: 0 })).toEqual({ value: 5, unit: 'milligram', system: 'http://unitsofmeasure.org', code: 'mg' });
    expect(fieldOf(() => ucumQuantity(-1, 'mg', 'milligram', 'medication.dose', { min: 0 }))).toBe('medication.dose');
    expect(fieldOf(() => ucumQuantity(Number.NaN, 'mg', 'milligram', 'dose'))).toBe('dose');
    expect(fieldOf(() => ucumQuantity(2.5, '{score}', 'score', 'painScore.value', { integer: true }))).toBe('painScore.value');
    expect(fieldOf(() => ucumQuantity(1, '', 'x', 'dose'))).toBe('dose.ucum');
    expect(fieldOf(() => ucumQuantity(1, 'mcg', 'microgram', 'dose'))).toBe('dose.ucum');
  });

  it('checks calendar dates, CodeableConcepts and Identifiers', () => {
    const now = new Date('2026-11-24T00:00:00Z');
    expect(pastDate('2024-02-29', 'd', now)).toBe('2024-02-29');
    expect(fieldOf(() => pastDate('2023-02-29', 'patient.birthDate', now))).toBe('patient.birthDate');
    expect(codeableConcept({ system: 's', code: 'c' }, 't')).toEqual({ coding: [{ system: 's', code: 'c' }], text: 't' });
    expect(identifier('https://x', 'v', { use: 'official' })).toEqual({ system: 'https://x', value: 'v', use: 'official' });
    expect(fieldOf(() => identifier('https://x', '  '))).toBe('identifier.value');
  });
});
