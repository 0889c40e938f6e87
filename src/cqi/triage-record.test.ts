import { describe, expect, it } from 'vitest';
import { TriageValidationError } from './errors.js';
import { sampleTriageInput } from './test-records.js';
import { createTriageRecord, parseIsoWithOffset } from './triage-record.js';

function issuesOf(input: unknown): string[] {
  try {
    createTriageRecord(input);
  } catch (e) {
    expect(e).toBeInstanceOf(TriageValidationError);
    return (e as TriageValidationError).issues.map((i) => i.field);
  }
  throw new Error('expected a validation error');
}

describe('createTriageRecord', () => {
  it('builds a frozen, normalised record from valid input', () => {
    const r = createTriageRecord(
      sampleTriageInput({ service: 999, symptomGroup: 'SG1011', symptomDiscriminator: 4052, dispositionCode: 'DX011', nhsNumber: '943 476 5919' }),
    );
    expect(r.service).toBe('999');
    expect(r.symptomGroup).toBe('1011');
    expect(r.symptomDiscriminator).toBe('4052');
    expect(r.dispositionCode).toBe('Dx011');
    expect(r.nhsNumber).toBe('9434765919');
    expect(Object.isFrozen(r)).toBe(true);
  });

  it('accepts a record without an NHS number', () => {
    const { nhsNumber: _omit, ...rest } = sampleTriageInput();
    expect(createTriageRecord(rest).nhsNumber).toBeUndefined();
  });

  it('names each malformed field', () => {
    expect(issuesOf(sampleTriageInput({ caseId: '' }))).toEqual(['caseId']);
    expect(issuesOf(sampleTriageInput({ providerOdsCode: 'nlo' }))).toEqual(['providerOdsCode']);
    expect(issuesOf(sampleTriageInput({ service: '112' as never }))).toEqual(['service']);
    expect(issuesOf(sampleTriageInput({ callConnectedAt: '2026-11-23T17:00:05' }))).toContain('callConnectedAt');
    expect(issuesOf(sampleTriageInput({ symptomGroup: 'SGabc' }))).toEqual(['symptomGroup']);
    expect(issuesOf(sampleTriageInput({ symptomDiscriminator: '40.5' }))).toEqual(['symptomDiscriminator']);
    expect(issuesOf(sampleTriageInput({ dispositionCode: 'D011' }))).toEqual(['dispositionCode']);
    expect(issuesOf(sampleTriageInput({ finalOutcome: '' }))).toEqual(['finalOutcome']);
    expect(issuesOf(sampleTriageInput({ nhsNumber: '9434765918' }))).toEqual(['nhsNumber']);
  });

  it('checks the order of the times', () => {
    expect(issuesOf(sampleTriageInput({ assessmentEndedAt: '2026-11-23T17:00:05Z' }))).toContain('assessmentEndedAt');
    // an offset that puts the end before the start in absolute time
    expect(issuesOf(sampleTriageInput({ assessmentEndedAt: '2026-11-23T17:12:40+01:00' }))).toContain('assessmentEndedAt');
    expect(issuesOf(sampleTriageInput({ dispositionAt: '2026-11-23T16:59:00Z' }))).toEqual(['dispositionAt']);
    expect(issuesOf(sampleTriageInput({ dispositionAt: '2026-11-23T17:13:00Z' }))).toEqual(['dispositionAt']);
  });

  it('reports missing fields, unknown fields and non-objects', () => {
    expect(issuesOf({})).toEqual(
      expect.arrayContaining(['caseId', 'providerOdsCode', 'service', 'callConnectedAt', 'assessmentEndedAt', 'symptomGroup', 'symptomDiscriminator', 'dispositionCode', 'dispositionAt', 'finalOutcome']),
    );
    expect(issuesOf({ ...sampleTriageInput(), colour: 'red' })).toEqual(['colour']);
    expect(issuesOf(null)).toEqual(['(record)']);
    expect(issuesOf([])).toEqual(['(record)']);
  });

  it('never echoes an NHS number in the error message', () => {
    try {
      createTriageRecord(sampleTriageInput({ nhsNumber: '9434765918' }));
    } catch (e) {
      expect((e as Error).message).not.toContain('9434765918');
      return;
    }
    throw new Error('expected a validation error');
  });
});

describe('parseIsoWithOffset', () => {
  it('requires an offset and a real calendar date', () => {
    expect(parseIsoWithOffset('2026-11-23T17:00:05.123+01:00')).toBe(Date.UTC(2026, 10, 23, 16, 0, 5, 123));
    expect(parseIsoWithOffset('2026-11-23T17:00Z')).toBe(Date.UTC(2026, 10, 23, 17, 0));
    expect(parseIsoWithOffset('2026-04-31T10:00:00Z')).toBeUndefined();
    expect(parseIsoWithOffset('2026-02-29T10:00:00Z')).toBeUndefined();
    expect(parseIsoWithOffset('2028-02-29T10:00:00Z')).toBeDefined();
    expect(parseIsoWithOffset('2026-11-23 17:00:00Z')).toBeUndefined();
    expect(parseIsoWithOffset('2026-11-23T24:00:00Z')).toBeUndefined();
  });
});
