import { AdsBundleBuilder, type BuildResult, type BuildValidation } from '../src/builder/index.js';
import { exampleOptions } from './common.js';

/** A 999 call for chest pain: one ambulance, one patient, treated and conveyed to an emergency department. */
export function conveyedToEd(validation?: BuildValidation): BuildResult {
  const call = AdsBundleBuilder.create(exampleOptions())
    .call({
      cadId: '20261123-000142', connectedAt: '2026-11-23T14:02:11Z', origin: '01', initialCategory: 'C2', reportingCategory: 'C2',
      treatmentType: 'see-and-convey-ed', dispatchCodeEstablishedAt: '2026-11-23T14:03:40Z', aqiIncident: true, from111: false,
      aqiResponseTimeSeconds: 829,
    })
    .triage({ kind: 'ampds', code: '10D01', display: 'Chest pain - not alert', at: '2026-11-23T14:03:40Z' });
  const withResponse = call.response({
    callSign: 'EA123', vehicleType: 'emergency-ambulance',
    times: {
      allocated: '2026-11-23T14:04:00Z', mobilised: '2026-11-23T14:04:30Z', arrivedAtScene: '2026-11-23T14:16:00Z',
      leftScene: '2026-11-23T14:48:00Z', arrivedAtDestination: '2026-11-23T15:05:00Z', handover: '2026-11-23T15:20:00Z',
      clear: '2026-11-23T15:35:00Z',
    },
  });
  const withPatient = withResponse.patient({
    nhsNumber: { value: '9991234012', verificationStatus: '01' }, birthDate: '1948-03-02', gender: 'female', ethnicCategory: 'A', postcode: 'NG7 2UH',
  });
  const withContact = withPatient.patientContact({
    subject: withPatient.added.ref, response: withResponse.added.ref,
    conveyance: { outcome: 'conveyed-ed', destination: { odsSiteCode: 'RX1RA', name: "Queen's Medical Centre" } },
  });
  const contact = withContact.added.ref;
  const at = '2026-11-23T14:20:00Z';
  return withContact
    .respirationRate(contact, { value: 22, at })
    .oxygenSaturation(contact, { value: 94, at })
    .bloodPressure(contact, { systolic: 148, diastolic: 92, at })
    .pulseRate(contact, { value: 104, at })
    .acvpu(contact, { level: 'A', at })
    .temperature(contact, { value: 36.9, at })
    .bloodGlucose(contact, { value: 6.2, at })
    .news2(contact, { value: 4, at })
    .painScore(contact, { value: 7, at })
    .medication(contact, {
      medication: { code: '7947003', display: 'Aspirin' }, dose: { value: 300, unit: 'milligram', ucum: 'mg' },
      route: { code: '26643006', display: 'Oral' }, at: '2026-11-23T14:24:00Z',
    })
    .impression(contact, { code: { code: '29857009', display: 'Chest pain' }, at: '2026-11-23T14:30:00Z' })
    .build(validation);
}
