import { AdsBundleBuilder, type BuildResult, type BuildValidation } from '../src/builder/index.js';
import { exampleOptions } from './common.js';

/**
 * A call passed on by NHS 111 after a Pathways assessment: an older person who fell at home. Seen, treated
 * and referred to community services (not conveyed), with a safeguarding concern and a public health factor.
 */
export function transferredFrom111(validation?: BuildValidation): BuildResult {
  const start = AdsBundleBuilder.create(exampleOptions({ submitter: { odsCode: 'RYC', name: 'East of England Ambulance Service NHS Trust' } }))
    .call({
      cadId: '20261123-000611', connectedAt: '2026-11-23T08:30:12Z', origin: '02', from111: true, initialCategory: 'C3', reportingCategory: 'C3',
      treatmentType: 'see-and-treat', dispatchCodeEstablishedAt: '2026-11-23T08:30:12Z', aqiIncident: true,
    })
    .triage({ kind: 'pathways', code: 'Dx013', display: 'Emergency ambulance response (Category 3)', at: '2026-11-23T08:24:00Z' })
    .triage({ kind: 'sg', code: 'SG1025', display: 'Falls', at: '2026-11-23T08:24:00Z' })
    .triage({ kind: 'sd', code: 'SD4008', display: 'Fall from own height', at: '2026-11-23T08:24:00Z' });
  const response = start.response({
    callSign: 'EA77', vehicleType: 'emergency-ambulance',
    times: { allocated: '2026-11-23T08:41:00Z', mobilised: '2026-11-23T08:41:30Z', arrivedAtScene: '2026-11-23T09:20:00Z', leftScene: '2026-11-23T10:15:00Z', clear: '2026-11-23T10:15:00Z' },
  });
  const person = response.patient({ nhsNumber: { value: '9991234047', verificationStatus: '01' }, birthDate: '1936-09-21', gender: 'male', ethnicCategory: 'B', postcode: 'CB2 0QQ' });
  const contact = person.patientContact({ subject: person.added.ref, response: response.added.ref, conveyance: { outcome: 'not-conveyed-referred' } });
  const c = contact.added.ref;
  return contact
    .injury(c, { at: '2026-11-23T07:50:00Z', mechanism: { code: '217082002', display: 'Accidental fall' } })
    .respirationRate(c, { value: 16, at: '2026-11-23T09:25:00Z' })
    .oxygenSaturation(c, { value: 97, at: '2026-11-23T09:25:00Z' })
    .bloodPressure(c, { systolic: 132, diastolic: 78, at: '2026-11-23T09:25:00Z' })
    .pulseRate(c, { value: 72, at: '2026-11-23T09:25:00Z' })
    .temperature(c, { value: 36.4, at: '2026-11-23T09:25:00Z' })
    .acvpu(c, { level: 'A', at: '2026-11-23T09:25:00Z' })
    .news2(c, { value: 0, at: '2026-11-23T09:25:00Z' })
    .painScore(c, { value: 2, at: '2026-11-23T09:25:00Z' })
    .medication(c, {
      medication: { code: '90332006', display: 'Paracetamol' }, dose: { value: 1, unit: 'gram', ucum: 'g' },
      route: { code: '26643006', display: 'Oral' }, at: '2026-11-23T09:40:00Z',
    })
    .safeguarding(c, { concern: 'self-neglect', at: '2026-11-23T10:00:00Z' })
    .publicHealth(c, { indicator: 'fall', at: '2026-11-23T10:00:00Z' })
    .build(validation);
}
