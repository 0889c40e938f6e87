import { AdsBundleBuilder, type BuildResult, type BuildValidation } from '../src/builder/index.js';
import { exampleOptions } from './common.js';

/**
 * A Category 3 call closed with clinical advice (stop code 02, hear and treat). An ambulance was allocated and
 * stood down before it arrived, so there was no face-to-face response and no patient contact.
 */
export function stopCodeNoResponse(validation?: BuildValidation): BuildResult {
  return AdsBundleBuilder.create(exampleOptions())
    .call({
      cadId: '20261123-000519', connectedAt: '2026-11-23T21:12:45Z', origin: '01', initialCategory: 'C3', reportingCategory: 'C3',
      treatmentType: 'hear-and-treat', stopCode: '02', dispatchCodeEstablishedAt: '2026-11-23T21:15:02Z', aqiIncident: true,
    })
    .triage({ kind: 'ampds', code: '26C01', display: 'Sick person - altered level of consciousness', at: '2026-11-23T21:15:02Z' })
    .response({ callSign: 'EA410', vehicleType: 'emergency-ambulance', times: { allocated: '2026-11-23T21:16:00Z', mobilised: '2026-11-23T21:16:40Z', stoodDown: '2026-11-23T21:31:00Z' } })
    .build(validation);
}
