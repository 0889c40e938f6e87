/**
 * ADS bundles of realistic size for the bench: incidents of 30 to 60 entries (one or two ambulances, two
 * to four patients, each with a patient contact, vital signs, an impression and sometimes a medication or
 * an injury), built with the public builder. Deterministic: bundle `i` is the same on every run.
 */
import type { Bundle } from 'fhir/r4';
import { AdsBundleBuilder, sequentialUuids, type Ref } from '../src/builder/index.js';

/** A small deterministic generator, so every run validates the same bundles. */
function random(seed: number): () => number {
  let s = seed * 2654435761 + 1;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** A test-range (999) NHS number with a valid modulus-11 check digit. */
function testNhsNumber(n: number): string {
  for (let k = n; ; k++) {
    const body = `999${String(k % 1_000_000).padStart(6, '0')}`;
    const sum = [...body].reduce((acc, d, i) => acc + Number(d) * (10 - i), 0);
    const check = 11 - (sum % 11);
    if (check === 10) continue; // no valid number with this body
    return body + (check === 11 ? '0' : String(check));
  }
}

const IMPRESSIONS = [
  { code: '29857009', display: 'Chest pain' },
  { code: '230690007', display: 'Cerebrovascular accident' },
  { code: '195967001', display: 'Asthma' },
  { code: '5913000', display: 'Fracture of neck of femur' },
];

/** Bundle `i` of the series: 30 to 60 entries. */
export function adsBundle(i: number): Bundle {
  const r = random(i + 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const day = `2026-11-${String(1 + (i % 28)).padStart(2, '0')}`;
  const at = (hh: number, mm: number) => `${day}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00Z`;
  // The builder's type follows the last entry added; the bench only chains on, so any handle type will do.
  let b: AdsBundleBuilder<{ ref: unknown }> = AdsBundleBuilder.create({
    submitter: { odsCode: 'RX9', name: 'East Midlands Ambulance Service NHS Trust' },
    bundleType: 'epr',
    ids: sequentialUuids(),
    clock: () => new Date(`${day}T23:00:00Z`),
  })
    .call({ cadId: `${day.replace(/-/g, '')}-${String(i).padStart(6, '0')}`, connectedAt: at(10, 0), origin: '01', initialCategory: 'C2', reportingCategory: 'C2', treatmentType: 'see-and-convey-ed' })
    .triage({ kind: 'ampds', code: '10D01', display: 'Chest pain - not alert', at: at(10, 2) });
  const responses: Ref<'Encounter', 'response'>[] = [];
  for (let v = 0; v < 1 + (i % 2); v++) {
    const withResponse = b.response({
      callSign: `EA${100 + v}`, vehicleType: 'emergency-ambulance',
      times: { allocated: at(10, 3), mobilised: at(10, 4), arrivedAtScene: at(10, 15), leftScene: at(10, 45), arrivedAtDestination: at(11, 5), handover: at(11, 20), clear: at(11, 40) },
    });
    responses.push(withResponse.added.ref);
    b = withResponse;
  }
  const patients = 2 + (i % 3);
  for (let p = 0; p < patients; p++) {
    const patient = b.patient({ nhsNumber: { value: testNhsNumber(i * 10 + p), verificationStatus: '01' }, birthDate: `19${int(30, 99)}-0${int(1, 9)}-1${int(0, 9)}`, gender: pick(['male', 'female'] as const), postcode: 'NG7 2UH' });
    const contact = patient.patientContact({ subject: patient.added.ref, response: responses[p % responses.length]!, conveyance: { outcome: 'conveyed-ed', destination: { odsSiteCode: 'RX1RA', name: "Queen's Medical Centre" } } });
    const c = contact.added.ref;
    const t = at(10, 20 + p);
    b = contact
      .respirationRate(c, { value: int(12, 30), at: t })
      .oxygenSaturation(c, { value: int(88, 100), at: t })
      .bloodPressure(c, { systolic: int(115, 180), diastolic: int(50, 110), at: t })
      .pulseRate(c, { value: int(50, 140), at: t })
      .acvpu(c, { level: pick(['A', 'C', 'V'] as const), at: t })
      .temperature(c, { value: 35 + int(0, 40) / 10, at: t })
      .news2(c, { value: int(0, 12), at: t })
      .painScore(c, { value: int(0, 10), at: t })
      .impression(c, { code: pick(IMPRESSIONS), at: at(10, 30) });
    if (r() < 0.6) b = b.bloodGlucose(c, { value: int(40, 120) / 10, at: t });
    if (r() < 0.5) {
      b = b.medication(c, { medication: { code: '7947003', display: 'Aspirin' }, dose: { value: 300, unit: 'milligram', ucum: 'mg' }, route: { code: '26643006', display: 'Oral' }, at: at(10, 25) });
    }
  }
  return b.build().bundle;
}
