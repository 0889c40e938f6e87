import { AdsBundleBuilder, type BuildResult, type BuildValidation } from '../src/builder/index.js';
import { exampleOptions } from './common.js';

/**
 * A witnessed cardiac arrest (Category 1), written in the keyed style. A rapid response vehicle arrives first,
 * starts CPR and defibrillates, and hands the patient over to the ambulance crew (one Patient, two patient
 * contacts). Spontaneous circulation returns; the 12-lead ECG shows a STEMI and the patient is conveyed to a
 * primary PCI centre. The call carries the incident location and the control room clinical review; each response
 * its crew skill mix.
 */
export function cardiacArrestExample(validation?: BuildValidation): BuildResult {
  const at = (t: string) => `2026-11-23T${t}Z`;
  return AdsBundleBuilder.create(exampleOptions({ submitter: { odsCode: 'RYA', name: 'West Midlands Ambulance Service University NHS Foundation Trust' } }))
    .call({
      cadId: '20261123-000901', connectedAt: at('09:12:03'), origin: '01', initialCategory: 'C1', reportingCategory: 'C1',
      treatmentType: 'see-and-convey-ed', dispatchCodeEstablishedAt: at('09:12:40'), aqiIncident: true,
      incidentLocation: { postcode: 'B15 2TT', lsoa: 'E01009370', latitude: 52.4508, longitude: -1.9305 },
      clinicalReview: { at: at('09:13:30'), outcome: 'response-unchanged' },
    })
    .triage({ kind: 'ampds', code: '09E01', display: 'Cardiac or respiratory arrest - not breathing at all', at: at('09:12:40') })
    .response('rrv', {
      callSign: 'RRV12', vehicleType: 'rapid-response-vehicle', crew: ['paramedic'],
      times: { allocated: at('09:12:50'), mobilised: at('09:13:05'), arrivedAtScene: at('09:18:10'), leftScene: at('09:52:00'), clear: at('09:55:00') },
    })
    .response('ambulance', {
      callSign: 'EA440', vehicleType: 'emergency-ambulance', crew: ['paramedic', 'emergency-medical-technician'],
      times: {
        allocated: at('09:13:10'), mobilised: at('09:13:40'), arrivedAtScene: at('09:21:30'), leftScene: at('09:52:00'),
        arrivedAtDestination: at('10:06:00'), handover: at('10:14:00'), clear: at('10:40:00'),
      },
    })
    .patient('patient', {
      nhsNumber: { value: '9991234055', verificationStatus: '01' }, birthDate: '1957-02-11', gender: 'male', ethnicCategory: 'A', postcode: 'B15 2TT',
      gpPractice: { odsCode: 'M85063', name: 'Example Medical Practice' },
    })
    .patientContact('first', { response: 'rrv', patient: 'patient', timeAtPatient: at('09:18:40'), conveyance: { outcome: 'handed-over-to-another-crew' } })
    .procedure('first', { kind: 'cpr', at: at('09:18:40') })
    .procedure('first', { kind: 'defibrillation', at: at('09:20:15') })
    .procedure('first', { kind: 'airway-management', at: at('09:22:00'), code: { code: '7443007', display: 'Insertion of oropharyngeal airway' } })
    .cardiacArrest('first', {
      at: at('09:10:00'), resuscitationAttempted: true, witnessed: 'bystander', bystanderCpr: true, initialRhythm: 'vf', rosc: true, roscAt: at('09:31:00'),
    })
    .patientContact('second', {
      response: 'ambulance', patient: 'patient', timeAtPatient: at('09:22:00'),
      conveyance: { outcome: 'conveyed-ed', destination: { odsSiteCode: 'RRK02', name: 'Receiving hospital with a PPCI centre', department: 'ppci-centre' } },
    })
    .gcs('second', { eyes: 2, verbal: 2, motor: 4, at: at('09:40:00') })
    .pulseRate('second', { value: 96, at: at('09:40:00') })
    .bloodPressure('second', { systolic: 108, diastolic: 70, at: at('09:40:00') })
    .medication('second', {
      medication: { code: '7947003', display: 'Aspirin' }, dose: { value: 300, unit: 'milligram', ucum: 'mg' },
      route: { code: '26643006', display: 'Oral' }, at: at('09:44:00'),
    })
    .procedure('second', { kind: 'twelve-lead-ecg', at: at('09:38:00') })
    .careBundle('second', { bundle: 'stemi', at: at('09:50:00'), items: { aspirin: true, gtn: false, 'pain-score-before': false, 'pain-score-after': false, analgesia: false } })
    .build(validation);
}
