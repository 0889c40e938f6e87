import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AdsBundleBuilder, sequentialUuids } from './builder.js';
import { AdsBuilderError } from './errors.js';

// Bad input from untyped callers must end in an AdsBuilderError, never in another exception.
const onlyBuilderErrors = (step: () => unknown) => {
  try {
    step();
  } catch (e) {
    if (!(e instanceof AdsBuilderError)) throw e;
  }
};

/** A valid input with any subset of its fields replaced by arbitrary values. */
function mutated(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const fields = Object.fromEntries(Object.entries(valid).map(([k, v]) => [k, fc.oneof(fc.constant(v), fc.anything(), fc.constant(undefined))]));
  return fc.oneof(fc.anything(), fc.record(fields));
}

const at = '2026-11-23T10:10:00Z';
const base = AdsBundleBuilder.create({ submitter: { odsCode: 'RX9', name: 'Trust' }, ids: sequentialUuids(), clock: () => new Date('2026-11-24T00:00:00Z') });
const withCall = base.call({ cadId: 'C1', connectedAt: '2026-11-23T10:00:00Z', origin: '01', initialCategory: 'C2', reportingCategory: 'C2', treatmentType: 'see-and-treat' });
const withResponse = withCall.response({ callSign: 'EA1', times: { allocated: '2026-11-23T10:01:00Z' } });
const withPatient = withResponse.patient({ nhsNumberUnavailable: 'nhs-number-not-known' });
const withContact = withPatient.patientContact({ subject: withPatient.added.ref, response: withResponse.added.ref, conveyance: { outcome: 'not-conveyed-discharged' } });
const contact = withContact.added.ref;
const snomed = { code: '26643006', display: 'Oral' };

type Step = (b: typeof withContact, input: never) => unknown;
const cases: [string, Record<string, unknown>, Step][] = [
  ['create', { submitter: { odsCode: 'RX9', name: 'Trust' }, ids: sequentialUuids(), bundleType: 'epr' }, (_b, i) => AdsBundleBuilder.create(i)],
  ['call', { cadId: 'C1', connectedAt: at, origin: '01', initialCategory: 'C2', reportingCategory: 'C2', treatmentType: 'see-and-treat', stopCode: '02', cat1EarlyPrediction: { predicted: true } }, (_b, i) => base.call(i)],
  ['triage', { kind: 'sg', code: 'SG1', at }, (b, i) => b.triage(i)],
  ['response', { callSign: 'EA2', vehicleType: 'other', times: { allocated: at, clear: '2026-11-23T11:00:00Z' } }, (b, i) => b.response(i)],
  ['patient', { nhsNumber: { value: '9991234012', verificationStatus: '01' }, birthDate: '1950-01-01', gender: 'male', ethnicCategory: 'A', postcode: 'LE1 5WW' }, (b, i) => b.patient(i)],
  ['patientContact', { subject: withPatient.added.ref, response: withResponse.added.ref, conveyance: { outcome: 'conveyed-ed', destination: { odsSiteCode: 'RX1RA', name: 'ED' } } }, (b, i) => b.patientContact(i)],
  ['bloodPressure', { systolic: 120, diastolic: 80, at }, (b, i) => b.bloodPressure(contact, i)],
  ['respirationRate', { value: 16, at }, (b, i) => b.respirationRate(contact, i)],
  ['acvpu', { level: 'A', at }, (b, i) => b.acvpu(contact, i)],
  ['medication', { medication: snomed, dose: { value: 1, unit: 'g', ucum: 'g' }, route: snomed, at }, (b, i) => b.medication(contact, i)],
  ['impression', { code: snomed, verification: 'confirmed', at }, (b, i) => b.impression(contact, i)],
  ['injury', { at, mechanism: snomed, place: snomed }, (b, i) => b.injury(contact, i)],
  ['safeguarding', { concern: 'adult', at }, (b, i) => b.safeguarding(contact, i)],
  ['publicHealth', { indicator: 'fall', at }, (b, i) => b.publicHealth(contact, i)],
];

describe('builder under arbitrary input', () => {
  it.each(cases)('%s throws only AdsBuilderError', (_name, valid, step) => {
    fc.assert(fc.property(mutated(valid), (input) => onlyBuilderErrors(() => step(withContact, input as never))), { numRuns: 150, seed: 42 });
  });

  it('rejects arbitrary references passed as the contact', () => {
    fc.assert(fc.property(fc.anything(), (ref) => {
      expect(() => withContact.painScore(ref as never, { value: 1, at })).toThrow(AdsBuilderError);
    }), { numRuns: 100, seed: 7 });
  });
});
