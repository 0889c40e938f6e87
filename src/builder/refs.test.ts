import { describe, expect, it } from 'vitest';
import { AdsBundleBuilder, sequentialUuids } from './builder.js';
import { AdsBuilderError } from './errors.js';

// tsc checks this file: each @ts-expect-error below must be a real type error, or compilation fails.
describe('typed references', () => {
  const start = AdsBundleBuilder.create({ submitter: { odsCode: 'RX9', name: 'Trust' }, ids: sequentialUuids(), clock: () => new Date('2026-11-24T00:00:00Z') })
    .call({ cadId: 'C1', connectedAt: '2026-11-23T10:00:00Z', origin: '01', initialCategory: 'C2', reportingCategory: 'C2', treatmentType: 'see-and-treat' });
  const withResponse = start.response({ callSign: 'EA1', times: { allocated: '2026-11-23T10:01:00Z' } });
  const response = withResponse.added;
  const vehicle = response.vehicle;
  const withPatient = withResponse.patient({ nhsNumberUnavailable: 'nhs-number-not-known' });
  const patient = withPatient.added;

  it('accepts a patient reference as subject and a response reference as response', () => {
    const contact = withPatient.fork().patientContact({ subject: patient.ref, response: response.ref, conveyance: { outcome: 'not-conveyed-discharged' } });
    expect(contact.added.subject).toBe(patient.ref);
    expect(contact.added.ref.type).toBe('Encounter');
  });

  it('rejects a vehicle reference as subject at compile time and at run time', () => {
    // @ts-expect-error a Location is not a Patient
    expect(() => withPatient.fork().patientContact({ subject: vehicle.ref, response: response.ref, conveyance: { outcome: 'not-conveyed-discharged' } })).toThrow(AdsBuilderError);
  });

  it('tells a response Encounter from a patient-contact Encounter', () => {
    const contact = withPatient.fork().patientContact({ subject: patient.ref, response: response.ref, conveyance: { outcome: 'not-conveyed-discharged' } });
    // @ts-expect-error a response is not a patient contact
    expect(() => contact.pulseRate(response.ref, { value: 80, at: '2026-11-23T10:10:00Z' })).toThrow(AdsBuilderError);
    // @ts-expect-error a patient contact is not a response
    expect(() => contact.patientContact({ subject: patient.ref, response: contact.added.ref, conveyance: { outcome: 'deceased' } })).toThrow(AdsBuilderError);
  });

  it('types keys by kind: a patient key is no response, a response key no patient contact', () => {
    const keyed = start.fork().response('ea1', { callSign: 'EA2', times: { allocated: '2026-11-23T10:01:00Z' } }).patient('p1', { nhsNumberUnavailable: 'nhs-number-not-known' });
    // @ts-expect-error 'p1' names a patient, not a response
    expect(() => keyed.fork().patientContact({ response: 'p1', patient: 'p1', conveyance: { outcome: 'deceased' } })).toThrow(AdsBuilderError);
    // @ts-expect-error 'nobody' is no key of this builder
    expect(() => keyed.fork().patientContact({ response: 'ea1', patient: 'nobody', conveyance: { outcome: 'deceased' } })).toThrow(AdsBuilderError);
    const contact = keyed.patientContact('c1', { response: 'ea1', patient: 'p1', conveyance: { outcome: 'deceased' } });
    // @ts-expect-error 'ea1' names a response, not a patient contact
    expect(() => contact.fork().pulseRate('ea1', { value: 80, at: '2026-11-23T10:10:00Z' })).toThrow(AdsBuilderError);
    expect(contact.pulseRate('c1', { value: 80, at: '2026-11-23T10:10:00Z' }).added.ref.type).toBe('Observation');
  });

  it('keeps code inputs to the codes of the ADS value sets', () => {
    // @ts-expect-error '99' is not an Ambulance-CallOrigin code
    expect(() => AdsBundleBuilder.create({ submitter: { odsCode: 'RX9', name: 'Trust' } }).call({ cadId: 'C1', connectedAt: '2026-11-23T10:00:00Z', origin: '99', initialCategory: 'C2', reportingCategory: 'C2', treatmentType: 'see-and-treat' })).toThrow(AdsBuilderError);
  });
});
