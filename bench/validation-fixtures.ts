import { NHS_NUMBER_SYSTEM } from '../src/systems/index.js';

/**
 * Representative core R4 resources for the validation benchmark: valid, typical sizes, varied
 * content (the same shapes ambulance and 111 feeds carry). Generated, so the bench needs no files.
 */
export function benchResources(count: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const id = `r${i}`;
    switch (i % 5) {
      case 0:
        out.push({
          resourceType: 'Patient',
          id,
          meta: { lastUpdated: '2024-05-01T10:00:00Z' },
          text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">Patient ${i}</div>` },
          identifier: [{ system: NHS_NUMBER_SYSTEM, value: String(9000000000 + i) }],
          active: true,
          name: [{ use: 'official', family: `Family${i}`, given: ['Alex', 'J'] }],
          telecom: [{ system: 'phone', value: '01632 960000', use: 'home' }],
          gender: i % 2 ? 'female' : 'male',
          birthDate: `19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 9}`,
          address: [{ line: [`${i} High Street`], city: 'Leeds', postalCode: 'LS1 4AP', country: 'GB' }],
        });
        break;
      case 1:
        out.push({
          resourceType: 'Observation',
          id,
          status: 'final',
          category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
          code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }], text: 'Heart rate' },
          subject: { reference: `Patient/p${i}` },
          effectiveDateTime: '2024-05-01T10:15:00+01:00',
          valueQuantity: { value: 60 + (i % 50), unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
          interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'N' }] }],
        });
        break;
      case 2:
        out.push({
          resourceType: 'Encounter',
          id,
          status: 'finished',
          class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER', display: 'emergency' },
          subject: { reference: `Patient/p${i}` },
          period: { start: '2024-05-01T09:50:00Z', end: '2024-05-01T11:20:00Z' },
          reasonCode: [{ text: 'Chest pain' }],
          location: [{ location: { display: 'Ambulance' }, status: 'completed' }],
        });
        break;
      case 3:
        out.push({
          resourceType: 'Condition',
          id,
          clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
          verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
          code: { text: 'Fall' },
          subject: { reference: `Patient/p${i}` },
          onsetDateTime: '2024-05-01',
          note: [{ text: 'Found on floor' }],
        });
        break;
      default:
        out.push({
          resourceType: 'Bundle',
          id,
          type: 'collection',
          entry: [
            { fullUrl: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, resource: { resourceType: 'Patient', id: `b${i}`, name: [{ family: 'Smith' }], gender: 'unknown' } },
            {
              fullUrl: `urn:uuid:10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
              resource: {
                resourceType: 'Observation',
                id: `o${i}`,
                status: 'final',
                code: { text: 'Respiratory rate' },
                subject: { reference: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}` },
                valueQuantity: { value: 16, unit: '/min' },
              },
            },
          ],
        });
    }
  }
  return out;
}
