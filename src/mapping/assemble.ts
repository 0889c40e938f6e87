import type { Bundle, OperationOutcome } from 'fhir/r4';
import {
  AdsBuilderError, AdsBundleBuilder, type AdsBuilderOptions, type CallInput, type ConveyanceInput, type Handle, type PatientInput,
  type ResponseHandle, type ResponseInput, type ResponseTimes, type TriageKind, type ValidateFn, type CardiacArrestInput, type CareBundle, type CareBundleItem,
  type Ref, CARE_BUNDLE_ITEMS,
} from '../builder/index.js';
import { crewSkills, MEASUREMENTS, PROCEDURES, type MappingItemLevel } from './items.js';
import type { CompiledMapping } from './load.js';
import type { MappedRecord, Value } from './records.js';
import type { ReportBuilder, ExtractRow } from './report.js';

/** The records of one call, in extract order. */
export interface CallGroup {
  readonly key: string;
  readonly records: MappedRecord[];
}

/** What became of one call. */
export type Assembled =
  | { readonly ok: true; readonly bundle: Bundle; readonly outcome: OperationOutcome }
  | { readonly ok: false; readonly rows: ExtractRow[]; readonly reason: string; readonly item?: string };

/** Builder options shared by every call of a run. */
export interface AssembleOptions {
  readonly ids?: () => string;
  readonly clock?: () => Date;
  readonly validate?: ValidateFn;
}

/** A part of a call that cannot be built; becomes a skipped call in the report. */
class Incomplete extends Error {
  constructor(readonly item: string, reason: string, readonly rows: ExtractRow[]) {
    super(reason);
  }
}

const TRIAGE_KINDS: readonly TriageKind[] = ['ampds', 'pathways', 'sg', 'sd'];
const TIMES: readonly (keyof ResponseTimes)[] = ['allocated', 'mobilised', 'arrivedAtScene', 'leftScene', 'arrivedAtDestination', 'handover', 'clear', 'stoodDown'];

/** Groups records by a key in order of first appearance; records without the key are left out. */
function groupBy(records: readonly MappedRecord[], key: (r: MappedRecord) => string | undefined): Map<string, MappedRecord[]> {
  const groups = new Map<string, MappedRecord[]>();
  for (const r of records) {
    const k = key(r);
    if (k === undefined) continue;
    const list = groups.get(k);
    if (list) list.push(r);
    else groups.set(k, [r]);
  }
  return groups;
}

/**
 * Turns the records of one call into an ADS bundle through {@link AdsBundleBuilder}: call-level items from
 * the first record that has them, one response per response key, one patient contact per patient key (or
 * per record with patient data), attached to the response of its record. Counts missing items per call,
 * response and contact. A missing required item or a value the builder rejects skips the whole call, so no
 * bundle is ever silently incomplete.
 */
export class CallAssembler {
  private readonly index = new Map<string, number>();
  private readonly levelItems: Record<MappingItemLevel, string[]> = { call: [], response: [], patient: [] };

  constructor(private readonly mapping: CompiledMapping, private readonly report: ReportBuilder, private readonly options: AssembleOptions) {
    mapping.items.forEach((item, i) => {
      this.index.set(item.name, i);
      this.levelItems[item.spec.level].push(item.name);
    });
  }

  assemble(group: CallGroup): Assembled {
    const rows = group.records.map((r) => r.row);
    try {
      return this.build(group.records);
    } catch (e) {
      if (e instanceof Incomplete) return { ok: false, rows: e.rows.length ? e.rows : rows, reason: e.message, item: e.item };
      if (e instanceof AdsBuilderError) return { ok: false, rows, reason: `the builder rejected ${e.message}`, item: e.field };
      // Anything else is a fault here, not in the data; its message may quote a value, so only its kind is kept.
      return { ok: false, rows, reason: `the call could not be built (${e instanceof Error ? e.name : 'unknown error'})` };
    }
  }

  /**
   * First value of each item of `level` across `records`; counts the mapped items that none of them has, and
   * reports a later record of the same call, response or contact that gives a different value (the first is used).
   */
  private values(records: readonly MappedRecord[], level: MappingItemLevel): (name: string) => Value {
    const found = new Map<string, Value>();
    for (const name of this.levelItems[level]) {
      const i = this.index.get(name)!;
      const first = records.find((r) => r.values[i] !== undefined);
      if (!first) {
        this.report.missing(name, records[0]!.row);
        continue;
      }
      const value = first.values[i];
      found.set(name, value);
      for (const r of records) {
        if (r.values[i] !== undefined && r.values[i] !== value) {
          this.report.invalid(name, r.row, this.mapping.items[i]!.source.text, `differs from row ${first.row} of the same ${level === 'patient' ? 'patient contact' : level}; the value of row ${first.row} is used`);
        }
      }
    }
    return (name) => found.get(name);
  }

  private build(records: readonly MappedRecord[]) {
    const rowsOf = (rs: readonly MappedRecord[]) => rs.map((r) => r.row);
    const v = this.values(records, 'call');
    const need = <T extends Value>(get: (n: string) => Value, name: string, rs: readonly MappedRecord[]): T => {
      const value = get(name);
      if (value === undefined) throw new Incomplete(name, `the required item ${name} is missing or invalid`, rowsOf(rs));
      return value as T;
    };
    const opt = <T>(get: (n: string) => Value, name: string): T | undefined => get(name) as T | undefined;
    const callRows = records;

    const provider = opt<string>(v, 'header.provider.odsCode');
    const options: AdsBuilderOptions = {
      submitter: { odsCode: need(v, 'header.submitter.odsCode', callRows), name: need(v, 'header.submitter.name', callRows) },
      ...(provider ? { provider: { odsCode: provider, name: need(v, 'header.provider.name', callRows) } } : {}),
      ...(v('header.bundleType') !== undefined ? { bundleType: v('header.bundleType') as AdsBuilderOptions['bundleType'] } : {}),
      ...(this.options.ids ? { ids: this.options.ids } : {}),
      ...(this.options.clock ? { clock: this.options.clock } : {}),
    };
    const predicted = opt<boolean>(v, 'call.cat1EarlyPrediction.predicted');
    const callInput: CallInput = {
      cadId: need(v, 'call.cadId', callRows), connectedAt: need(v, 'call.connectedAt', callRows),
      origin: need(v, 'call.origin', callRows), initialCategory: need(v, 'call.initialCategory', callRows),
      reportingCategory: need(v, 'call.reportingCategory', callRows), treatmentType: need(v, 'call.treatmentType', callRows),
      ...defined({
        callDate: v('call.callDate'), dispatchCodeEstablishedAt: v('call.dispatchCodeEstablishedAt'), stopCode: v('call.stopCode'),
        from111: v('call.from111'), aqiIncident: v('call.aqiIncident'), aqiResponseTimeSeconds: v('call.aqiResponseTimeSeconds'),
      }),
      ...(predicted !== undefined ? { cat1EarlyPrediction: { predicted, ...defined({ at: v('call.cat1EarlyPrediction.at') }) } } : {}),
      ...(() => {
        const location = defined({ postcode: v('call.incidentLocation.postcode'), lsoa: v('call.incidentLocation.lsoa'), latitude: v('call.incidentLocation.latitude'), longitude: v('call.incidentLocation.longitude') });
        return Object.keys(location).length ? { incidentLocation: location } : {};
      })(),
      ...(v('call.clinicalReview.at') !== undefined ? { clinicalReview: { at: v('call.clinicalReview.at'), outcome: need(v, 'call.clinicalReview.outcome', callRows) } } : {}),
    } as CallInput;
    let b: AdsBundleBuilder<unknown> = AdsBundleBuilder.create(options).call(callInput);
    for (const kind of TRIAGE_KINDS) {
      const code = opt<string>(v, `triage.${kind}.code`);
      if (code !== undefined) b = b.triage({ kind, code, at: need<string>(v, `triage.${kind}.at`, callRows) });
    }

    const responses = new Map<string, ResponseHandle>();
    const responseRecords = records.filter((r) => r.responseData);
    const keyless = responseRecords.filter((r) => r.response === undefined);
    if (keyless.length) throw new Incomplete('grouping.response', 'a record has response data but no response key', rowsOf(keyless));
    for (const [key, rs] of groupBy(responseRecords, (r) => r.response)) {
      const rv = this.values(rs, 'response');
      const times: Record<string, Value> = {};
      for (const t of TIMES) times[t] = rv(`response.times.${t}`);
      times.allocated = need(rv, 'response.times.allocated', rs);
      const crew = opt<string>(rv, 'response.crew');
      const next = b.response({
        callSign: need(rv, 'response.callSign', rs),
        ...defined({ vehicleType: rv('response.vehicleType') }),
        ...(crew !== undefined ? { crew: crewSkills(crew) } : {}),
        times: defined(times) as unknown as ResponseTimes,
      } as ResponseInput);
      responses.set(key, next.added);
      b = next;
    }

    const patientRecords = records.filter((r) => r.patientData);
    const patients = this.mapping.grouping.patient
      ? groupBy(patientRecords, (r) => r.patient ?? `row:${r.row}`)
      : new Map(patientRecords.map((r) => [`row:${r.row}`, [r]]));
    for (const rs of patients.values()) {
      const pv = this.values(rs, 'patient');
      const responseKey = rs.find((r) => r.response !== undefined)?.response;
      const response = responseKey === undefined ? undefined : responses.get(responseKey);
      if (!response) throw new Incomplete('response.callSign', 'a patient contact has no response in its records', rowsOf(rs));
      const nhs = opt<string>(pv, 'patient.nhsNumber.value');
      const patientInput = {
        ...(nhs !== undefined ? { nhsNumber: { value: nhs, verificationStatus: need(pv, 'patient.nhsNumber.verificationStatus', rs) } } : {}),
        ...defined({
          nhsNumberUnavailable: pv('patient.nhsNumberUnavailable'), birthDate: pv('patient.birthDate'), gender: pv('patient.gender'),
          ethnicCategory: pv('patient.ethnicCategory'), postcode: pv('patient.postcode'),
        }),
        ...(pv('patient.gpPractice.odsCode') !== undefined ? { gpPractice: { odsCode: pv('patient.gpPractice.odsCode') } } : {}),
      } as PatientInput;
      if (nhs === undefined && patientInput.nhsNumberUnavailable === undefined) {
        throw new Incomplete('patient.nhsNumber.value', 'the patient has neither an NHS number nor the reason it is unavailable (missing or invalid)', rowsOf(rs));
      }
      const withPatient = b.patient(patientInput);
      const site = opt<string>(pv, 'conveyance.destination.odsSiteCode');
      const conveyance = {
        outcome: need(pv, 'conveyance.outcome', rs),
        ...(site !== undefined ? { destination: { odsSiteCode: site, name: need(pv, 'conveyance.destination.name', rs), ...defined({ department: pv('conveyance.destination.department') }) } } : {}),
      } as ConveyanceInput;
      const contact = withPatient.patientContact({
        subject: (withPatient.added as Handle<'Patient'>).ref, response: response.ref, conveyance, ...defined({ timeAtPatient: pv('patientContact.timeAtPatient') as string | undefined }),
      });
      const c = contact.added.ref;
      b = contact;
      // A clinical entry needs its value and its time; with either missing (counted above) it is left out.
      const both = (...names: string[]) => names.every((n) => pv(n) !== undefined);
      for (const m of MEASUREMENTS) {
        if (both(`observation.${m}.value`, `observation.${m}.at`)) b = b[m](c, { value: pv(`observation.${m}.value`) as number, at: pv(`observation.${m}.at`) as string });
      }
      if (both('observation.bloodPressure.systolic', 'observation.bloodPressure.diastolic', 'observation.bloodPressure.at')) {
        b = b.bloodPressure(c, { systolic: pv('observation.bloodPressure.systolic') as number, diastolic: pv('observation.bloodPressure.diastolic') as number, at: pv('observation.bloodPressure.at') as string });
      }
      if (both('observation.acvpu.level', 'observation.acvpu.at')) b = b.acvpu(c, { level: pv('observation.acvpu.level') as 'A', at: pv('observation.acvpu.at') as string });
      if (both(...GCS)) b = b.gcs(c, { eyes: pv('observation.gcs.eyes') as number, verbal: pv('observation.gcs.verbal') as number, motor: pv('observation.gcs.motor') as number, at: pv('observation.gcs.at') as string });
      if (both('observation.estimatedAge.years', 'observation.estimatedAge.at')) b = b.estimatedAge(c, { years: pv('observation.estimatedAge.years') as number, at: pv('observation.estimatedAge.at') as string });
      if (both('impression.code')) b = b.impression(c, { code: { code: pv('impression.code') as string }, ...defined({ at: pv('impression.at') as string | undefined }) });
      if (both('safeguarding.concern', 'safeguarding.at')) {
        const referral = both('safeguarding.referral.at', 'safeguarding.referral.agency')
          ? { referral: { at: pv('safeguarding.referral.at') as string, agency: pv('safeguarding.referral.agency') as 'police', ...defined({ reference: pv('safeguarding.referral.reference') as string | undefined }) } }
          : {};
        b = b.safeguarding(c, { concern: pv('safeguarding.concern') as 'adult', at: pv('safeguarding.at') as string, ...referral });
      }
      if (both('publicHealth.indicator', 'publicHealth.at')) b = b.publicHealth(c, { indicator: pv('publicHealth.indicator') as 'fall', at: pv('publicHealth.at') as string });
      b = addCareItems(b, c, pv);
    }
    const { bundle, outcome } = b.build(this.options.validate);
    return { ok: true as const, bundle, outcome };
  }
}

const GCS = ['observation.gcs.eyes', 'observation.gcs.verbal', 'observation.gcs.motor', 'observation.gcs.at'];

/** Procedures, the cardiac arrest, care bundles and recognition of life extinct of one patient contact, from its values. */
function addCareItems(start: AdsBundleBuilder<unknown>, c: Ref<'Encounter', 'patient-contact'>, pv: (name: string) => Value): AdsBundleBuilder<unknown> {
  let b = start;
  for (const kind of PROCEDURES) {
    const at = pv(`procedure.${kind}.at`) as string | undefined;
    if (at !== undefined) b = b.procedure(c, { kind, at });
  }
  const arrestAt = pv('cardiacArrest.at') as string | undefined;
  if (arrestAt !== undefined) {
    b = b.cardiacArrest(c, {
      at: arrestAt,
      ...defined({
        resuscitationAttempted: pv('cardiacArrest.resuscitationAttempted'), witnessed: pv('cardiacArrest.witnessed'), bystanderCpr: pv('cardiacArrest.bystanderCpr'),
        initialRhythm: pv('cardiacArrest.initialRhythm'), rosc: pv('cardiacArrest.rosc'), roscAt: pv('cardiacArrest.roscAt'),
      }),
    } as CardiacArrestInput);
  }
  for (const [bundle, names] of Object.entries(CARE_BUNDLE_ITEMS) as [CareBundle, readonly CareBundleItem[]][]) {
    const at = pv(`careBundle.${bundle}.at`) as string | undefined;
    const items = Object.fromEntries(names.flatMap((n) => (pv(`careBundle.${bundle}.${n}`) === undefined ? [] : [[n, pv(`careBundle.${bundle}.${n}`) as boolean]])));
    if (at !== undefined && Object.keys(items).length) b = b.careBundle(c, { bundle, at, items });
  }
  const lifeExtinct = pv('lifeExtinct.at') as string | undefined;
  if (lifeExtinct !== undefined && pv('lifeExtinct.timeOfDeath') !== undefined) b = b.recognitionOfLifeExtinct(c, { at: lifeExtinct, timeOfDeath: pv('lifeExtinct.timeOfDeath') as string });
  return b;
}

/** The entries of `o` whose value is not undefined. */
function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(o)) if (val !== undefined) out[k] = val;
  return out as Partial<T>;
}
