import { AdsBundleBuilder, type BuildResult, type BuildValidation } from '../src/builder/index.js';
import { exampleOptions } from './common.js';

/**
 * A person found collapsed outdoors, identity and date of birth unknown (an estimated age instead). The crew
 * recognises life extinct; the time of death is the crew's best estimate. Not conveyed (outcome deceased), with a
 * safeguarding referral to the police.
 */
export function foundDeceased(validation?: BuildValidation): BuildResult {
  const at = (t: string) => `2026-11-24T${t}Z`;
  return AdsBundleBuilder.create(exampleOptions({ clock: () => new Date('2026-11-25T04:00:00Z') }))
    .call({
      cadId: '20261124-000077', connectedAt: at('06:41:20'), origin: '04', initialCategory: 'C2', reportingCategory: 'C2',
      treatmentType: 'see-and-treat', dispatchCodeEstablishedAt: at('06:42:05'), aqiIncident: true,
      incidentLocation: { postcode: 'NG1 5FS' },
    })
    .response('ea', {
      callSign: 'EA518', vehicleType: 'emergency-ambulance', crew: ['paramedic', 'emergency-care-assistant'],
      times: { allocated: at('06:42:30'), mobilised: at('06:43:00'), arrivedAtScene: at('06:55:40'), leftScene: at('08:05:00'), clear: at('08:10:00') },
    })
    .patient('unknown', { nhsNumberUnavailable: 'nhs-number-not-known', gender: 'male' })
    .patientContact('contact', { response: 'ea', patient: 'unknown', timeAtPatient: at('06:56:10'), conveyance: { outcome: 'deceased' } })
    .estimatedAge('contact', { years: 60, at: at('06:58:00') })
    .procedure('contact', { kind: 'twelve-lead-ecg', at: at('06:57:30') })
    .recognitionOfLifeExtinct('contact', { at: at('07:02:00'), timeOfDeath: at('05:30:00') })
    .safeguarding('contact', { concern: 'adult', at: at('07:10:00'), referral: { at: at('07:30:00'), agency: 'police', reference: 'NTP-20261124-0113' } })
    .build(validation);
}
