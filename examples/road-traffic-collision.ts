import { AdsBundleBuilder, type BuildResult, type BuildValidation } from '../src/builder/index.js';
import { exampleOptions } from './common.js';

/**
 * A road traffic collision: two ambulances, three patients. Two are conveyed to the same emergency department
 * (one Receiving Location); the third is discharged at the scene.
 */
export function roadTrafficCollision(validation?: BuildValidation): BuildResult {
  const at = (t: string) => `2026-11-23T${t}Z`;
  const call = AdsBundleBuilder.create(exampleOptions())
    .call({
      cadId: '20261123-000377', connectedAt: at('17:41:05'), origin: '01', initialCategory: 'C1', reportingCategory: 'C2',
      treatmentType: 'see-and-convey-ed', dispatchCodeEstablishedAt: at('17:42:10'), aqiIncident: true,
      cat1EarlyPrediction: { predicted: true, at: at('17:41:40') },
    })
    .triage({ kind: 'ampds', code: '29D02', display: 'Traffic/transportation incident - high mechanism', at: at('17:42:10') });
  const first = call.response({
    callSign: 'EA201', vehicleType: 'emergency-ambulance',
    times: { allocated: at('17:42:30'), mobilised: at('17:43:00'), arrivedAtScene: at('17:52:00'), leftScene: at('18:25:00'), arrivedAtDestination: at('18:44:00'), handover: at('19:02:00'), clear: at('19:15:00') },
  });
  const second = first.response({
    callSign: 'EA305', vehicleType: 'emergency-ambulance',
    times: { allocated: at('17:44:00'), mobilised: at('17:44:20'), arrivedAtScene: at('17:58:00'), leftScene: at('18:40:00'), arrivedAtDestination: at('18:59:00'), handover: at('19:20:00'), clear: at('19:31:00') },
  });
  const ed = { odsSiteCode: 'RX1RA', name: "Queen's Medical Centre" };

  // Driver: conveyed by EA201 with a suspected femoral fracture.
  const driver = second.patient({ nhsNumber: { value: '9991234020', verificationStatus: '02' }, birthDate: '1979-06-14', gender: 'male', ethnicCategory: 'C', postcode: 'LE1 5WW' });
  const driverContact = driver.patientContact({ subject: driver.added.ref, response: first.added.ref, conveyance: { outcome: 'conveyed-ed', destination: ed } });
  const d = driverContact.added.ref;
  const afterDriver = driverContact
    .injury(d, { at: at('17:38:00'), mechanism: { code: '418399005', display: 'Motor vehicle accident' } })
    .respirationRate(d, { value: 24, at: at('17:55:00') })
    .oxygenSaturation(d, { value: 96, at: at('17:55:00') })
    .bloodPressure(d, { systolic: 102, diastolic: 64, at: at('17:55:00') })
    .pulseRate(d, { value: 118, at: at('17:55:00') })
    .acvpu(d, { level: 'A', at: at('17:55:00') })
    .news2(d, { value: 6, at: at('17:55:00') })
    .painScore(d, { value: 9, at: at('17:55:00') })
    .medication(d, {
      medication: { code: '73572009', display: 'Morphine' }, dose: { value: 5, unit: 'milligram', ucum: 'mg' },
      route: { code: '47625008', display: 'Intravenous' }, at: at('18:05:00'),
    })
    .impression(d, { code: { code: '5913000', display: 'Fracture of neck of femur' } });

  // Passenger: conveyed by EA305 to the same department; identity not known at the time.
  const passenger = afterDriver.patient({ nhsNumberUnavailable: 'nhs-number-not-known', gender: 'female' });
  const passengerContact = passenger.patientContact({ subject: passenger.added.ref, response: second.added.ref, conveyance: { outcome: 'conveyed-ed', destination: ed } });
  const p = passengerContact.added.ref;
  const afterPassenger = passengerContact
    .injury(p, { at: at('17:38:00'), mechanism: { code: '418399005', display: 'Motor vehicle accident' } })
    .pulseRate(p, { value: 96, at: at('18:02:00') })
    .painScore(p, { value: 5, at: at('18:02:00') })
    .impression(p, { code: { code: '39848009', display: 'Whiplash injury to neck' } });

  // Other driver: assessed by EA305 and discharged at the scene.
  const other = afterPassenger.patient({ nhsNumber: { value: '9991234039', verificationStatus: '01' }, birthDate: '1990-01-30', gender: 'male', postcode: 'LE2 7LX' });
  const otherContact = other.patientContact({ subject: other.added.ref, response: second.added.ref, conveyance: { outcome: 'not-conveyed-discharged' } });
  const o = otherContact.added.ref;
  return otherContact
    .respirationRate(o, { value: 16, at: at('18:10:00') })
    .pulseRate(o, { value: 84, at: at('18:10:00') })
    .news2(o, { value: 0, at: at('18:10:00') })
    .build(validation);
}
