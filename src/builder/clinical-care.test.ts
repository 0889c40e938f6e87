import type { Communication, Encounter, Flag, Location, Observation, Patient, Procedure } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { cardiacArrestExample } from '../../examples/cardiac-arrest.js';
import { foundDeceased } from '../../examples/found-deceased.js';
import { AdsBundleBuilder, sequentialUuids } from './builder.js';
import { thrown } from '../../test/helpers/builder-error.js';
import { EXTENSIONS, PROFILES, SYSTEMS } from './systems.js';

const ofProfile = <T>(bundle: { entry?: { resource?: unknown }[] }, profile: string) =>
  (bundle.entry ?? []).map((e) => e.resource as T & { meta?: { profile?: string[] } }).filter((r) => r.meta?.profile?.includes(profile));
const codes = (r: { code?: { coding?: { system?: string; code?: string }[] } }) => (r.code?.coding ?? []).map((c) => `${c.system}|${c.code}`);

describe('the clinical content of a patient contact (builder)', () => {
  const { bundle } = cardiacArrestExample();

  it('writes the incident location, the clinical review and the crew skill mix', () => {
    const call = bundle.entry![0]!.resource as Communication;
    const [location] = ofProfile<Location>(bundle, PROFILES.incidentLocation);
    expect(location).toMatchObject({ identifier: [{ system: SYSTEMS.lsoa, value: 'E01009370' }], address: { postalCode: 'B15 2TT' }, position: { latitude: 52.4508, longitude: -1.9305 } });
    const ref = call.extension!.find((x) => x.url === EXTENSIONS.incidentLocation)!.valueReference!.reference;
    expect(bundle.entry!.find((e) => e.fullUrl === ref)!.resource).toBe(location);
    expect(call.extension!.find((x) => x.url === EXTENSIONS.clinicalReview)!.extension!.map((x) => x.url)).toEqual(['reviewedAt', 'outcome']);
    const crews = ofProfile<Encounter>(bundle, PROFILES.response).map((r) => r.extension!.filter((x) => x.url === EXTENSIONS.crewSkill).map((x) => x.valueCodeableConcept!.coding![0]!.code));
    expect(crews).toEqual([['paramedic'], ['paramedic', 'emergency-medical-technician']]);
  });

  it('writes procedures with the ADS code and, where checked, SNOMED CT; GCS with LOINC and its sum; the cardiac arrest items', () => {
    const procedures = ofProfile<Procedure>(bundle, PROFILES.procedure);
    expect(procedures.map(codes)).toEqual([
      ['https://fhir.nhs.uk/R4/CodeSystem/ADS-PrehospitalProcedure|cpr', 'http://snomed.info/sct|89666000'],
      ['https://fhir.nhs.uk/R4/CodeSystem/ADS-PrehospitalProcedure|defibrillation'],
      ['https://fhir.nhs.uk/R4/CodeSystem/ADS-PrehospitalProcedure|airway-management', 'http://snomed.info/sct|7443007'],
      ['https://fhir.nhs.uk/R4/CodeSystem/ADS-PrehospitalProcedure|twelve-lead-ecg', 'http://snomed.info/sct|268400002'],
    ]);
    const [gcs] = ofProfile<Observation>(bundle, PROFILES.gcs);
    expect([gcs!.valueInteger, ...gcs!.component!.map((c) => c.valueInteger)]).toEqual([8, 2, 2, 4]);
    const [arrest] = ofProfile<Observation>(bundle, PROFILES.cardiacArrest);
    expect(codes(arrest!)).toEqual(['http://snomed.info/sct|410429000']);
    expect(arrest!.component!.map((c) => c.code.coding![0]!.code)).toEqual(['resuscitation-attempted', 'witnessed', 'bystander-cpr', 'initial-rhythm', 'rosc', 'rosc-time']);
  });

  it('writes time at patient, destination department, care bundle items, and shares the patient between the contacts', () => {
    const contacts = ofProfile<Encounter>(bundle, PROFILES.patientContact);
    expect(contacts.map((c) => c.extension?.[0]?.extension?.[0]?.valueCodeableConcept?.coding?.[0]?.code)).toEqual(['time-at-patient', 'time-at-patient']);
    expect(contacts[1]!.hospitalization!.extension![0]).toMatchObject({ url: EXTENSIONS.destinationDepartment, valueCodeableConcept: { coding: [{ code: 'ppci-centre' }] } });
    expect(new Set(contacts.map((c) => c.subject!.reference)).size).toBe(1);
    const [care] = ofProfile<Observation>(bundle, PROFILES.careBundle);
    expect(care!.component!.map((c) => `${c.code.coding![0]!.code}=${c.valueBoolean}`)).toEqual(['aspirin=true', 'gtn=false', 'pain-score-before=false', 'pain-score-after=false', 'analgesia=false']);
    const [patient] = ofProfile<Patient>(bundle, PROFILES.patient);
    expect(patient!.generalPractitioner).toEqual([{ type: 'Organization', identifier: { system: SYSTEMS.odsOrganisation, value: 'M85063' }, display: 'Example Medical Practice' }]);
  });

  it('writes recognition of life extinct (time of death on the Patient), estimated age and the safeguarding referral', () => {
    const found = foundDeceased().bundle;
    const [patient] = ofProfile<Patient>(found, PROFILES.patient);
    expect(patient!.deceasedDateTime).toBe('2026-11-24T05:30:00Z');
    expect(ofProfile<Procedure>(found, PROFILES.procedure).map((p) => p.code!.coding![0]!.code)).toEqual(['twelve-lead-ecg', 'recognition-of-life-extinct']);
    const [age] = ofProfile<Observation>(found, PROFILES.estimatedAge);
    expect(age!.valueQuantity).toEqual({ value: 60, unit: 'years', system: SYSTEMS.ucum, code: 'a' });
    const [flag] = ofProfile<Flag>(found, PROFILES.safeguarding);
    expect(flag!.extension![0]!.extension!.map((x) => x.url)).toEqual(['referredAt', 'agency', 'reference']);
  });

  it('rejects impossible values at the call, naming the field', () => {
    const contact = AdsBundleBuilder.create({ submitter: { odsCode: 'RX9', name: 'Trust' }, ids: sequentialUuids(), clock: () => new Date('2026-11-24T00:00:00Z') })
      .call({ cadId: 'C1', connectedAt: '2026-11-23T10:00:00Z', origin: '01', initialCategory: 'C1', reportingCategory: 'C1', treatmentType: 'see-and-treat' })
      .response('r', { callSign: 'EA1', times: { allocated: '2026-11-23T10:01:00Z' } })
      .patient('p', { nhsNumberUnavailable: 'nhs-number-not-known' })
      .patientContact('c', { response: 'r', patient: 'p', conveyance: { outcome: 'deceased' } });
    const at = '2026-11-23T10:10:00Z';
    expect(thrown(() => contact.gcs('c', { eyes: 5, verbal: 1, motor: 1, at })).field).toBe('gcs.eyes');
    expect(thrown(() => contact.estimatedAge('c', { years: 200, at })).field).toBe('estimatedAge.years');
    expect(thrown(() => contact.procedure('c', { kind: 'surgery' as never, at })).field).toBe('procedure.kind');
    expect(thrown(() => contact.cardiacArrest('c', { at, rosc: false, roscAt: at })).field).toBe('cardiacArrest.roscAt');
    expect(thrown(() => contact.cardiacArrest('c', { at, rosc: true, roscAt: '2026-11-23T10:00:00Z' })).field).toBe('cardiacArrest.roscAt');
    expect(thrown(() => contact.careBundle('c', { bundle: 'stroke', at, items: { aspirin: true } })).field).toBe('careBundle.items.aspirin');
    expect(thrown(() => contact.recognitionOfLifeExtinct('c', { at, timeOfDeath: '2026-11-23T10:30:00Z' })).field).toBe('recognitionOfLifeExtinct.timeOfDeath');
    expect(thrown(() => contact.safeguarding('c', { concern: 'adult', at, referral: { at, agency: 'nobody' as never } })).field).toBe('safeguarding.referral.agency');
    const call = AdsBundleBuilder.create({ submitter: { odsCode: 'RX9', name: 'Trust' } });
    const base = { cadId: 'C1', connectedAt: '2026-11-23T10:00:00Z', origin: '01', initialCategory: 'C1', reportingCategory: 'C1', treatmentType: 'see-and-treat' } as const;
    expect(thrown(() => call.call({ ...base, incidentLocation: { lsoa: 'X01000000' } })).field).toBe('call.incidentLocation.lsoa');
    expect(thrown(() => call.call({ ...base, incidentLocation: { latitude: 52 } })).field).toBe('call.incidentLocation.latitude');
    expect(thrown(() => call.call({ ...base, clinicalReview: { at: '2026-11-23T09:00:00Z', outcome: 'response-unchanged' } })).field).toBe('call.clinicalReview.at');
    expect(thrown(() => call.fork().call(base).response({ callSign: 'EA1', crew: ['pilot' as never], times: { allocated: at } })).field).toBe('response.crew.0');
    expect(thrown(() => call.fork().call(base).patient({ nhsNumberUnavailable: 'nhs-number-not-known', gpPractice: { odsCode: 'gp1' } })).field).toBe('patient.gpPractice.odsCode');
  });
});
