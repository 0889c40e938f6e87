import type { Bundle, Communication, Encounter, MedicationAdministration, Observation, OperationOutcome } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { AdsBundleBuilder, sequentialUuids, type AdsBuilderOptions } from './builder.js';
import type { CallInput } from './call.js';
import { AdsBuilderError } from './errors.js';
import { thrown } from '../../test/helpers/builder-error.js';
import { PROFILES } from './systems.js';
import { ruleOf } from '../validation/validator.js';

const options = (over: Partial<AdsBuilderOptions> = {}): AdsBuilderOptions => ({
  submitter: { odsCode: 'RX9', name: 'Ambulance Trust' },
  ids: sequentialUuids(),
  clock: () => new Date('2026-11-24T04:00:00Z'),
  ...over,
});
const CALL: CallInput = {
  cadId: 'CAD-1', connectedAt: '2026-11-23T10:00:00Z', origin: '01', initialCategory: 'C2', reportingCategory: 'C2', treatmentType: 'see-and-convey-ed',
};
const TIMES = { allocated: '2026-11-23T10:02:00Z', arrivedAtScene: '2026-11-23T10:12:00Z', clear: '2026-11-23T11:30:00Z' };

function conveyed(opts = options()) {
  const r = AdsBundleBuilder.create(opts).call(CALL).response({ callSign: 'EA1', times: TIMES });
  const p = r.patient({ nhsNumber: { value: '9434765919', verificationStatus: '01' }, birthDate: '1950-01-01' });
  const c = p.patientContact({ subject: p.added.ref, response: r.added.ref, conveyance: { outcome: 'conveyed-ed', destination: { odsSiteCode: 'RX1RA', name: 'ED' } } });
  return { r, p, c };
}

const entriesOf = <T>(bundle: Bundle, type: string) => (bundle.entry ?? []).map((e) => e.resource).filter((r) => r?.resourceType === type) as T[];
const errors = (o: OperationOutcome) => o.issue.filter((i) => i.severity === 'error');

describe('AdsBundleBuilder', () => {
  it('builds a collection bundle with the call first, urn:uuid fullUrls and references that resolve', () => {
    const { c } = conveyed();
    const { bundle, outcome } = c.respirationRate(c.added.ref, { value: 18, at: '2026-11-23T10:15:00Z' }).build();
    expect(bundle.type).toBe('collection');
    expect(bundle.entry?.[0]?.resource?.resourceType).toBe('Communication');
    expect(bundle.entry?.every((e) => /^urn:uuid:[0-9a-f-]{36}$/.test(e.fullUrl ?? ''))).toBe(true);
    expect(errors(outcome)).toEqual([]);
    const call = bundle.entry![0]!.resource as Communication;
    const encounters = entriesOf<Encounter>(bundle, 'Encounter');
    expect(call.about?.map((a) => a.reference)).toEqual(encounters.map((e) => `urn:uuid:${e.id}`));
    const contact = encounters.find((e) => e.meta?.profile?.includes(PROFILES.patientContact))!;
    const obs = entriesOf<Observation>(bundle, 'Observation')[0]!;
    expect(obs.encounter?.reference).toBe(`urn:uuid:${contact.id}`);
    expect(obs.subject?.reference).toBe(contact.subject?.reference);
    expect(obs.valueQuantity).toEqual({ value: 18, unit: 'per minute', system: 'http://unitsofmeasure.org', code: '/min' });
  });

  it('is deterministic with injected ids and clock, and random otherwise', () => {
    expect(JSON.stringify(conveyed().c.build())).toBe(JSON.stringify(conveyed().c.build()));
    const random = conveyed(options({ ids: undefined })).c.build().bundle;
    expect(random.id).not.toBe(conveyed().c.build().bundle.id);
  });

  it('never changes a builder: a fork keeps its content whatever the branch adds, and built bundles are copies', () => {
    const { r, c } = conveyed();
    const before = JSON.stringify(r.fork().build().bundle);
    c.painScore(c.added.ref, { value: 3, at: '2026-11-23T10:20:00Z' }).build();
    expect(JSON.stringify(r.fork().build().bundle)).toBe(before);
    const kept = r.fork();
    const built = kept.build().bundle;
    built.entry!.pop();
    expect(kept.build().bundle.entry!.length).toBe(built.entry!.length + 1);
  });

  it('refuses to extend a builder twice or to build it after, so a result left unused never loses data silently', () => {
    const b = AdsBundleBuilder.create(options()).call(CALL);
    b.response({ callSign: 'EA1', times: TIMES }); // result not reassigned: its response would be lost
    expect(thrown(() => b.response({ callSign: 'EA2', times: TIMES })).reason).toMatch(/already extended/);
    expect(thrown(() => b.build()).field).toBe('build');
    // A failed call extends nothing: the builder stays usable.
    const ok = AdsBundleBuilder.create(options()).call(CALL);
    expect(() => ok.response({ callSign: 'EA1', times: { allocated: 'yesterday' } })).toThrow(AdsBuilderError);
    expect(ok.response({ callSign: 'EA1', times: TIMES }).build().bundle.entry).toHaveLength(4);
    // fork() branches on purpose.
    const trunk = AdsBundleBuilder.create(options()).call(CALL);
    const one = trunk.fork().response({ callSign: 'EA1', times: TIMES });
    const two = trunk.fork().response({ callSign: 'EA2', times: TIMES }).response({ callSign: 'EA3', times: TIMES });
    expect([one.build().bundle.entry!.length, two.build().bundle.entry!.length, trunk.build().bundle.entry!.length]).toEqual([4, 6, 2]);
  });

  it('chains with keys: no named intermediates, typed by kind, one patient shared by two contacts', () => {
    const { bundle, outcome } = AdsBundleBuilder.create(options())
      .call(CALL)
      .response('ea1', { callSign: 'EA1', times: TIMES })
      .response('rrv', { callSign: 'RRV9', vehicleType: 'rapid-response-vehicle', times: { allocated: '2026-11-23T10:01:00Z', arrivedAtScene: '2026-11-23T10:06:00Z', clear: '2026-11-23T10:30:00Z' } })
      .patient('p1', { nhsNumber: { value: '9434765919', verificationStatus: '01' }, birthDate: '1950-01-01' })
      .patientContact('first', { response: 'rrv', patient: 'p1', conveyance: { outcome: 'handed-over-to-another-crew' } })
      .pulseRate('first', { value: 110, at: '2026-11-23T10:08:00Z' })
      .patientContact('second', { response: 'ea1', patient: 'p1', conveyance: { outcome: 'conveyed-ed', destination: { odsSiteCode: 'RX1RA', name: 'ED' } } })
      .pulseRate('second', { value: 96, at: '2026-11-23T10:20:00Z' })
      .build();
    expect(errors(outcome)).toEqual([]);
    expect(outcome.issue.filter((i) => i.severity === 'warning')).toEqual([]);
    const patients = entriesOf<{ id: string }>(bundle, 'Patient');
    expect(patients).toHaveLength(1);
    const contacts = entriesOf<Encounter>(bundle, 'Encounter').filter((e) => e.meta?.profile?.includes(PROFILES.patientContact));
    expect(contacts.map((c) => c.subject?.reference)).toEqual([`urn:uuid:${patients[0]!.id}`, `urn:uuid:${patients[0]!.id}`]);
    expect(contacts[0]!.hospitalization?.dischargeDisposition?.coding?.[0]?.code).toBe('handed-over-to-another-crew');
    const start = AdsBundleBuilder.create(options()).call(CALL).response('ea1', { callSign: 'EA1', times: TIMES }).patient('p1', { nhsNumberUnavailable: 'nhs-number-not-known' });
    expect(thrown(() => start.patientContact({ response: 'p1' as never, patient: 'p1', conveyance: { outcome: 'deceased' } })).field).toBe('patientContact.response');
    expect(thrown(() => start.patientContact({ response: 'ea1', patient: 'nobody' as never, conveyance: { outcome: 'deceased' } })).field).toBe('patientContact.patient');
    expect(thrown(() => start.patient('ea1', { nhsNumberUnavailable: 'nhs-number-not-known' })).field).toBe('patient.key');
    expect(thrown(() => start.pulseRate('ea1' as never, { value: 80, at: '2026-11-23T10:20:00Z' })).field).toBe('contact');
  });

  it('warns about two Patients with the same NHS number, and about a handover no other contact follows', () => {
    const nhs = { value: '9434765919', verificationStatus: '01' } as const;
    const { outcome } = AdsBundleBuilder.create(options())
      .call({ ...CALL, treatmentType: 'see-and-treat' })
      .response('ea1', { callSign: 'EA1', times: TIMES })
      .patient('a', { nhsNumber: nhs })
      .patient('b', { nhsNumber: nhs })
      .patientContact({ response: 'ea1', patient: 'a', conveyance: { outcome: 'handed-over-to-another-crew' } })
      .patientContact({ response: 'ea1', patient: 'b', conveyance: { outcome: 'not-conveyed-discharged' } })
      .build();
    expect(outcome.issue.map((i) => `${i.severity} ${ruleOf(i)}`)).toEqual(['warning ADS_HANDOVER_WITHOUT_NEXT_CONTACT', 'warning ADS_DUPLICATE_NHS_NUMBER']);
  });

  it('writes one Organization when submitter and provider are the same, two when not', () => {
    const same = AdsBundleBuilder.create(options()).call(CALL);
    expect(same.submitter.fullUrl).toBe(same.provider.fullUrl);
    const two = AdsBundleBuilder.create(options({ provider: { odsCode: 'RYC', name: 'Provider Trust' } })).call(CALL);
    const bundle = two.build().bundle;
    const call = bundle.entry![0]!.resource as Communication;
    expect(entriesOf(bundle, 'Organization')).toHaveLength(2);
    expect([call.sender?.reference, call.recipient?.[0]?.reference]).toEqual([two.submitter.fullUrl, two.provider.fullUrl]);
    expect(call.identifier?.[0]?.assigner?.reference).toBe(two.provider.fullUrl);
  });

  it('reuses one Location per call sign and per destination site', () => {
    const { r, c } = conveyed();
    const r2 = c.response({ callSign: 'EA1', times: { allocated: '2026-11-23T10:40:00Z' } });
    const p2 = r2.patient({ nhsNumberUnavailable: 'nhs-number-not-known' });
    const c2 = p2.patientContact({ subject: p2.added.ref, response: r2.added.ref, conveyance: { outcome: 'conveyed-ed', destination: { odsSiteCode: 'RX1RA', name: 'ED' } } });
    const locations = entriesOf<{ meta?: { profile?: string[] } }>(c2.build().bundle, 'Location');
    expect(locations.map((l) => l.meta?.profile?.[0])).toEqual([PROFILES.vehicle, PROFILES.receivingLocation]);
    expect(r2.added.vehicle.fullUrl).toBe(r.added.vehicle.fullUrl);
  });

  it('rejects impossible values at the call, naming the field', () => {
    const built = conveyed();
    // Forks: a failed call extends nothing, so each fork takes every bad call below.
    const [r, p, c] = [built.r.fork(), built.p.fork(), built.c];
    const contact = c.added.ref;
    expect(thrown(() => r.patient({ nhsNumber: { value: '94347659190', verificationStatus: '01' } })).field).toBe('patient.nhsNumber.value');
    expect(thrown(() => r.patient({ nhsNumber: { value: '9434765918', verificationStatus: '01' } })).reason).toMatch(/check digit/);
    expect(thrown(() => r.patient({})).field).toBe('patient.nhsNumber');
    expect(thrown(() => r.patient({ nhsNumberUnavailable: 'overseas-patient', birthDate: '2099-01-01' })).field).toBe('patient.birthDate');
    expect(thrown(() => r.patient({ nhsNumberUnavailable: 'overseas-patient', birthDate: '2001-02-30' })).field).toBe('patient.birthDate');
    expect(thrown(() => r.response({ callSign: 'EA2', times: { allocated: '2026-11-23T10:02:00Z', mobilised: '2026-11-23T10:01:00Z' } })).field).toBe('response.times.mobilised');
    expect(thrown(() => r.response({ callSign: 'EA2', times: { allocated: '2026-11-23T10:02:00Z', clear: '2026-11-23T11:00:00Z', stoodDown: '2026-11-23T10:30:00Z' } })).field).toBe('response.times.stoodDown');
    expect(thrown(() => r.response({ callSign: 'EA2', times: { allocated: '23/11/2026 10:02' } })).field).toBe('response.times.allocated');
    const dose = { medication: { code: '7947003' }, route: { code: '26643006' }, at: '2026-11-23T10:20:00Z' };
    expect(thrown(() => c.medication(contact, { ...dose, dose: { value: -300, unit: 'mg', ucum: 'mg' } })).field).toBe('medication.dose');
    expect(thrown(() => c.medication(contact, { ...dose, medication: { code: '7947004' }, dose: { value: 300, unit: 'mg', ucum: 'mg' } })).field).toBe('medication.medication.code');
    for (const ucum of ['mcg', 'milligram', '']) expect(thrown(() => c.medication(contact, { ...dose, dose: { value: 300, unit: 'microgram', ucum } })).field).toBe('medication.dose.ucum');
    expect(thrown(() => c.medication(contact, { ...dose, dose: { value: 300 } as never })).field).toBe('medication.dose.ucum');
    expect(thrown(() => c.oxygenSaturation(contact, { value: 140, at: '2026-11-23T10:20:00Z' })).field).toBe('oxygenSaturation.value');
    expect(thrown(() => c.bloodPressure(contact, { systolic: 80, diastolic: 120, at: '2026-11-23T10:20:00Z' })).field).toBe('bloodPressure.diastolic');
    expect(thrown(() => p.patientContact({ subject: p.added.ref, response: r.added.ref, conveyance: { outcome: 'conveyed-ed' } })).field).toBe('conveyance.destination');
    expect(thrown(() => AdsBundleBuilder.create(options()).call({ ...CALL, dispatchCodeEstablishedAt: '2026-11-23T09:59:00Z' })).field).toBe('call.dispatchCodeEstablishedAt');
    expect(thrown(() => c.call(CALL)).field).toBe('call');
  });

  it('rejects codes outside the required bindings of the ADS value sets, even when the types are bypassed', () => {
    const start = AdsBundleBuilder.create(options());
    const bad = <T>(v: string) => v as unknown as T;
    expect(thrown(() => start.call({ ...CALL, origin: bad('99') })).field).toBe('call.origin');
    expect(thrown(() => start.call({ ...CALL, initialCategory: bad('C5') })).field).toBe('call.initialCategory');
    expect(thrown(() => start.call({ ...CALL, treatmentType: bad('see-and-fly') })).field).toBe('call.treatmentType');
    expect(thrown(() => start.call({ ...CALL, stopCode: bad('42') })).field).toBe('call.stopCode');
    expect(thrown(() => start.response({ callSign: 'EA1', vehicleType: bad('bicycle'), times: TIMES })).field).toBe('response.vehicleType');
    expect(thrown(() => start.patient({ nhsNumberUnavailable: 'nhs-number-not-known', ethnicCategory: bad('Q') })).reason).toMatch(/allowed: A, B/);
    expect(thrown(() => AdsBundleBuilder.create(options({ bundleType: bad('phase-9') }))).field).toBe('options.bundleType');
  });

  it('rejects a second triage result of the same kind and references from another bundle', () => {
    const t = AdsBundleBuilder.create(options()).call(CALL).triage({ kind: 'ampds', code: '10D01', at: '2026-11-23T10:01:00Z' });
    expect(thrown(() => t.triage({ kind: 'ampds', code: '10C01', at: '2026-11-23T10:01:00Z' })).field).toBe('triage.kind');
    const other = conveyed(options({ ids: sequentialUuids('11111111-1111-4111-8111') }));
    const mine = conveyed();
    expect(thrown(() => mine.c.painScore(other.c.added.ref, { value: 1, at: '2026-11-23T10:20:00Z' })).field).toBe('contact');
    expect(thrown(() => mine.p.fork().patientContact({ subject: other.p.added.ref, response: mine.r.added.ref, conveyance: { outcome: 'deceased' } })).field).toBe('patientContact.subject');
  });

  it('reports in the outcome what only the whole bundle can tell, with the rule ids', () => {
    const noCall = AdsBundleBuilder.create(options()).build();
    expect(errors(noCall.outcome).map(ruleOf)).toEqual(['ADS_ONE_CALL']);
    const r = AdsBundleBuilder.create(options()).call(CALL).response({ callSign: 'EA1', times: TIMES });
    const p = r.patient({ nhsNumberUnavailable: 'nhs-number-not-known' });
    const notConveyed = p.patientContact({ subject: p.added.ref, response: r.added.ref, conveyance: { outcome: 'not-conveyed-discharged' } }).build();
    expect(errors(notConveyed.outcome)).toEqual([expect.objectContaining({ code: 'business-rule', expression: ['Bundle.entry[0].resource.category'] })]);
    expect(errors(notConveyed.outcome).map(ruleOf)).toEqual(['ADS_TREATMENT_TYPE_CONVEYANCE']);
    const early = AdsBundleBuilder.create(options()).call({ ...CALL, treatmentType: 'hear-and-treat' }).response({ callSign: 'EA1', times: { allocated: '2026-11-23T09:00:00Z' } }).build();
    expect(errors(early.outcome).map(ruleOf)).toEqual(['ADS_RESPONSE_BEFORE_CALL']);
  });

  it('adds the injected validator\'s issues to the outcome, and says when none ran', () => {
    const { c } = conveyed();
    expect(c.build().outcome.issue).toEqual([expect.objectContaining({ severity: 'information', diagnostics: expect.stringMatching(/no profile validation/) })]);
    let seen: Bundle | undefined;
    const validate = (bundle: Bundle): OperationOutcome => {
      seen = bundle;
      return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: 'from the validator' }] };
    };
    const { bundle, outcome } = c.build(validate);
    expect(seen).toBe(bundle);
    expect(outcome.issue.map((i) => i.diagnostics)).toEqual(['from the validator']);
    expect(conveyed(options({ validate })).c.build().outcome.issue[0]?.diagnostics).toBe('from the validator');
  });

  it('takes a validator object (such as a ValidationService) in build() or the options; build() overrides the options', () => {
    const { c } = conveyed();
    const calls: string[] = [];
    const validator = (name: string) => ({
      // A method reading `this`, as ValidationService.validate does: the builder must call it on the object.
      prefix: name,
      validate(this: { prefix: string }, bundle: Bundle): OperationOutcome {
        calls.push(`${this.prefix}:${bundle.id}`);
        return { resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'invalid', diagnostics: this.prefix }] };
      },
    });
    const built = c.build({ validator: validator('given') });
    expect(calls).toEqual([`given:${built.bundle.id}`]);
    expect(built.outcome.issue.map((i) => i.diagnostics)).toEqual(['given']);
    const configured = conveyed(options({ validator: validator('options') })).c;
    expect(configured.build().outcome.issue.map((i) => i.diagnostics)).toEqual(['options']);
    expect(configured.build({ validator: validator('override') }).outcome.issue.map((i) => i.diagnostics)).toEqual(['override']);
    const fn = () => ({ resourceType: 'OperationOutcome' as const, issue: [] });
    expect(thrown(() => c.build({ validator: validator('x'), validate: fn })).field).toBe('build');
    expect(thrown(() => c.build({ validator: {} as never })).field).toBe('build.validator');
    expect(thrown(() => AdsBundleBuilder.create(options({ validator: validator('x'), validate: fn }))).field).toBe('options');
  });

  it('writes medication, impression, injury, safeguarding and public health against the contact', () => {
    const { c } = conveyed();
    const ref = c.added.ref;
    const { bundle } = c
      .medication(ref, { medication: { code: '7947003', display: 'Aspirin' }, dose: { value: 300, unit: 'milligram', ucum: 'mg' }, route: { code: '26643006' }, at: '2026-11-23T10:20:00Z' })
      .impression(ref, { code: { code: '29857009', display: 'Chest pain' } })
      .injury(ref, { at: '2026-11-23T09:50:00Z', mechanism: { code: '418399005' } })
      .safeguarding(ref, { concern: 'adult', at: '2026-11-23T10:30:00Z' })
      .publicHealth(ref, { indicator: 'alcohol', at: '2026-11-23T10:30:00Z' })
      .build();
    const med = entriesOf<MedicationAdministration>(bundle, 'MedicationAdministration')[0]!;
    expect(med.context?.reference).toBe(c.added.fullUrl);
    expect(med.dosage?.dose).toEqual({ value: 300, unit: 'milligram', system: 'http://unitsofmeasure.org', code: 'mg' });
    const profiles = (bundle.entry ?? []).map((e) => e.resource?.meta?.profile?.[0]);
    for (const p of [PROFILES.medicationAdministration, PROFILES.condition, PROFILES.injury, PROFILES.safeguarding, PROFILES.publicHealth]) expect(profiles).toContain(p);
  });

  it('never puts patient identifiers in error messages', () => {
    const { r } = conveyed();
    const e = thrown(() => r.patient({ nhsNumber: { value: '9434765918', verificationStatus: '01' }, postcode: 'NG7 2UH' }));
    expect(e.message).not.toMatch(/9434765918|NG7/);
  });
});
