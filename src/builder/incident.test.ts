import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cardiacArrestExample } from '../../examples/cardiac-arrest.js';
import { conveyedToEd } from '../../examples/conveyed-to-ed.js';
import { foundDeceased } from '../../examples/found-deceased.js';
import { exampleOptions } from '../../examples/common.js';
import schema from '../../schemas/incident.schema.json';
import { CODES } from './codes.js';
import { buildIncident, checkIncident } from './incident.js';

const example = (): Record<string, any> => JSON.parse(readFileSync(new URL('../../examples/incidents/conveyed-to-ed.incident.json', import.meta.url), 'utf8'));
const deterministic = () => {
  const { ids, clock } = exampleOptions();
  return { ids: ids!, clock: clock! };
};

describe('buildIncident', () => {
  it('builds the same bundle from the example description as the builder calls of examples/conveyed-to-ed.ts', () => {
    const result = buildIncident(example(), deterministic());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.bundle).toEqual(conveyedToEd().bundle);
    expect(result.outcome.issue.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it.each([
    ['cardiac-arrest', cardiacArrestExample, exampleOptions()],
    ['found-deceased', foundDeceased, exampleOptions({ clock: () => new Date('2026-11-25T04:00:00Z') })],
  ] as const)('builds %s.incident.json (keys, shared patient, the new ADS content) as the builder calls of its example do', (name, build, opts) => {
    const d = JSON.parse(readFileSync(new URL(`../../examples/incidents/${name}.incident.json`, import.meta.url), 'utf8'));
    const result = buildIncident(d, { ids: opts.ids!, clock: opts.clock! });
    expect(result.ok ? [] : result.problems).toEqual([]);
    if (!result.ok) return;
    expect(result.bundle).toEqual(build().bundle);
    expect(result.issues).toEqual([]);
  });

  it('lists schema problems by JSON pointer without echoing the values', () => {
    const d = example();
    d.call.initialCategory = 'C9-SECRET';
    d.patientContacts[0].patient.nhsNumber.value = 'SECRET';
    d.patientContacts[0].observations[2] = { type: 'bloodPressure', systolic: 120, at: '2026-11-23T14:20:00Z' };
    d.responses[0].times.allocated = 'yesterday-SECRET';
    delete d.header.submitter;
    d.surprise = 1;
    const result = buildIncident(d);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const pointers = result.problems.map((p) => p.pointer);
    expect(pointers).toEqual(expect.arrayContaining([
      '/call/initialCategory', '/patientContacts/0/patient/nhsNumber/value', '/patientContacts/0/observations/2',
      '/responses/0/times/allocated', '/header', '/',
    ]));
    expect(JSON.stringify(result.problems)).not.toMatch(/SECRET/);
    expect(result.problems.find((p) => p.pointer === '/')?.message).toMatch(/unknown property "surprise"/);
  });

  it('rejects a patient contact naming a response key that does not exist, and repeated keys', () => {
    const d = example();
    d.patientContacts[0].response = 'nope';
    d.responses.push({ ...d.responses[0] });
    const result = buildIncident(d);
    expect(result.ok ? [] : result.problems.map((p) => p.pointer)).toEqual(['/responses/1/key', '/patientContacts/0/response']);
    expect(result.ok ? [] : result.problems[0]?.message).toMatch(/repeats a key/);
  });

  it('reports a value the builder rejects at the input that holds it, without the value', () => {
    const d = example();
    d.patientContacts[0].patient.nhsNumber.value = '9991234013'; // fails the Modulus 11 check
    const bad = buildIncident(d);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems).toEqual([{ pointer: '/patientContacts/0/patient/nhsNumber/value', message: expect.stringMatching(/check digit/) }]);
    expect(JSON.stringify(bad.problems)).not.toContain('9991234013');

    const late = example();
    late.patientContacts[0].observations[0].value = 500;
    const r = buildIncident(late);
    expect(r.ok ? [] : r.problems.map((p) => p.pointer)).toEqual(['/patientContacts/0/observations/0/value']);
  });

  it('reports every problem at once: later parts, and the entries of a rejected part, are still checked', () => {
    const d = example();
    d.call.dispatchCodeEstablishedAt = '2026-11-23T13:00:00Z'; // before the call connected
    d.responses[0].times.clear = '2026-11-23T14:00:00Z'; // before the vehicle arrived
    d.patientContacts[0].patient.nhsNumber.value = '9991234013';
    d.patientContacts[0].conveyance = { outcome: 'conveyed-ed' }; // no destination
    d.patientContacts[0].observations[1].value = 140;
    d.patientContacts[0].medications[0].dose.ucum = 'mcg';
    const r = buildIncident(d);
    expect(r.ok ? [] : r.problems.map((p) => p.pointer)).toEqual([
      '/call/dispatchCodeEstablishedAt',
      '/responses/0/times/clear',
      '/patientContacts/0/patient/nhsNumber/value',
      '/patientContacts/0/conveyance/destination',
      '/patientContacts/0/observations/1/value',
      '/patientContacts/0/medications/0/dose/ucum',
    ]);
  });

  it('shares one patient between contacts by key, and places the outcome\'s issues by JSON pointer with their rule ids', () => {
    const d = example();
    const { patient } = d.patientContacts[0];
    d.patients = [{ key: 'p1', ...patient }];
    d.responses.unshift({ key: 'rrv', callSign: 'RRV9', vehicleType: 'rapid-response-vehicle', times: { allocated: '2026-11-23T14:03:50Z', arrivedAtScene: '2026-11-23T14:10:00Z', clear: '2026-11-23T14:40:00Z' } });
    d.patientContacts[0].patient = 'p1';
    d.patientContacts.unshift({ response: 'rrv', patient: 'p1', conveyance: { outcome: 'handed-over-to-another-crew' },
      observations: [{ type: 'pulseRate', value: 110, at: '2026-11-23T14:12:00Z' }],
      medications: [{ medication: { code: '7947003', display: 'Aspirin' }, dose: { value: 300, unit: 'milligram', ucum: 'mg' }, route: { code: '26643006' }, at: '2026-10-23T14:12:00Z' }] });
    const r = buildIncident(d, deterministic());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.bundle.entry!.filter((e) => e.resource?.resourceType === 'Patient')).toHaveLength(1);
    expect(r.issues).toEqual([expect.objectContaining({ severity: 'error', rule: 'ADS_CLINICAL_BEFORE_CALL', pointer: '/patientContacts/0/medications/0' })]);
  });

  it('reports problems in the new parts at the input at fault', () => {
    const d = JSON.parse(readFileSync(new URL('../../examples/incidents/cardiac-arrest.incident.json', import.meta.url), 'utf8'));
    d.call.clinicalReview.at = '2026-11-23T09:00:00Z'; // before the call connected
    d.patients[0].gpPractice.odsCode = 'M850630000';
    d.patientContacts[0].cardiacArrest.rosc = false; // with a ROSC time
    d.patientContacts[1].observations[0].motor = 9;
    d.patientContacts[1].careBundles[0].items = { fast: true }; // a stroke item in the STEMI bundle
    const r = buildIncident(d);
    expect(r.ok ? [] : r.problems.map((p) => p.pointer)).toEqual([
      '/call/clinicalReview/at', '/patients/0/gpPractice/odsCode', '/patientContacts/0/cardiacArrest/roscAt',
      '/patientContacts/1/observations/0/motor', '/patientContacts/1/careBundles/0/items/fast',
    ]);
  });

  it('rejects a contact naming a patient key that does not exist', () => {
    const d = example();
    d.patientContacts[0].patient = 'nobody';
    const r = buildIncident(d);
    expect(r.ok ? [] : r.problems).toEqual([{ pointer: '/patientContacts/0/patient', message: 'names no patient key of this incident' }]);
  });

  it('takes a minimal incident: a hear-and-treat call with one response and no patient contact', () => {
    const d = example();
    delete d.patientContacts;
    d.call.treatmentType = 'hear-and-treat';
    expect(checkIncident(d)).toEqual([]);
    const result = buildIncident(d, deterministic());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.bundle.entry?.filter((e) => e.resource?.resourceType === 'Encounter')).toHaveLength(1);
    expect(result.bundle.entry?.some((e) => e.resource?.resourceType === 'Patient')).toBe(false);
  });
});

describe('schemas/incident.schema.json', () => {
  it('lists exactly the codes of the builder\'s code tables, so the two cannot drift apart', () => {
    const s = schema as any;
    const contact = s.properties.patientContacts.items.properties;
    const pairs: Array<[unknown, { displays: ReadonlyMap<string, string> }]> = [
      [s.properties.header.properties.bundleType.enum, CODES.bundleType],
      [s.properties.call.properties.treatmentType.enum, CODES.treatmentType],
      [s.definitions.category.enum, CODES.responseCategory],
      [s.properties.responses.items.properties.vehicleType.enum, CODES.vehicleType],
      [contact.conveyance.properties.outcome.enum, CODES.conveyanceOutcome],
      [s.definitions.patient.properties.nhsNumberUnavailable.enum, CODES.nhsNumberUnavailableReason],
      [contact.safeguarding.items.properties.concern.enum, CODES.safeguardingConcern],
      [contact.publicHealth.items.properties.indicator.enum, CODES.publicHealthIndicator],
      [s.properties.call.properties.clinicalReview.properties.outcome.enum, CODES.clinicalReviewOutcome],
      [s.properties.responses.items.properties.crew.items.enum, CODES.crewSkill],
      [contact.conveyance.properties.destination.properties.department.enum, CODES.destinationDepartment],
      [[...contact.procedures.items.properties.kind.enum, 'recognition-of-life-extinct'], CODES.prehospitalProcedure],
      [contact.cardiacArrest.properties.witnessed.enum, CODES.cardiacArrestWitness],
      [contact.cardiacArrest.properties.initialRhythm.enum, CODES.initialRhythm],
      [contact.careBundles.items.properties.bundle.enum, CODES.careBundle],
      [contact.careBundles.items.properties.items.propertyNames.enum, CODES.careBundleItem],
      [contact.safeguarding.items.properties.referral.properties.agency.enum, CODES.safeguardingAgency],
    ];
    for (const [inSchema, table] of pairs) expect([...(inSchema as string[])].sort()).toEqual([...table.displays.keys()].sort());
  });
});
