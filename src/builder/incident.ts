import schema from '../../schemas/incident.schema.json';
import { lazySchemaValidator, type ErrorObject } from '../json-schema/index.js';
import { AdsBundleBuilder, type AdsBuilderOptions, type BuildResult, type BuildValidation, type MedicationInput } from './builder.js';
import type { CallInput, TriageInput } from './call.js';
import type { BloodPressureInput, ImpressionInput, InjuryInput, SafeguardingInput } from './clinical.js';
import type { CardiacArrestInput, CareBundleInput, ProcedureInput } from './clinical-care.js';
import type { Acvpu, BundleType, CrewSkill, PublicHealthIndicator, VehicleType } from './codes.js';
import { AdsBuilderError } from './errors.js';
import { builderProblem, CONTACT_FIELDS, placeIssues, type IncidentIssue, type IncidentProblem } from './incident-pointers.js';
import type { ConveyanceInput, OrganisationInput, PatientInput, ResponseTimes } from './parties.js';
import type { BuilderKeys } from './state.js';

export type { IncidentIssue, IncidentProblem } from './incident-pointers.js';

/** A single-quantity observation by the builder method that adds it. */
export type MeasurementName = 'respirationRate' | 'oxygenSaturation' | 'pulseRate' | 'temperature' | 'bloodGlucose' | 'news2' | 'painScore';

/** One observation of a patient contact. */
export type IncidentObservation =
  | { readonly type: MeasurementName; readonly value: number; readonly at: string }
  | ({ readonly type: 'bloodPressure' } & BloodPressureInput & { readonly at: string })
  | { readonly type: 'acvpu'; readonly level: Acvpu; readonly at: string }
  | { readonly type: 'gcs'; readonly eyes: number; readonly verbal: number; readonly motor: number; readonly at: string }
  | { readonly type: 'estimatedAge'; readonly years: number; readonly at: string };

/** One patient seen by one response (named by its key), with what was found and done. */
export interface IncidentPatientContact {
  /** The `key` of the response that saw the patient. */
  readonly response: string;
  /** The patient: the `key` of an entry of `patients` (one patient seen by several crews), or the patient itself. */
  readonly patient: string | PatientInput;
  readonly conveyance: ConveyanceInput;
  /** When the crew reached the patient. */
  readonly timeAtPatient?: string;
  readonly observations?: readonly IncidentObservation[];
  readonly medications?: readonly MedicationInput[];
  readonly diagnoses?: readonly ImpressionInput[];
  readonly injury?: InjuryInput;
  readonly procedures?: readonly ProcedureInput[];
  readonly cardiacArrest?: CardiacArrestInput;
  readonly careBundles?: readonly CareBundleInput[];
  /** Recognition of life extinct, with the time of death. */
  readonly lifeExtinct?: { readonly at: string; readonly timeOfDeath: string };
  readonly safeguarding?: readonly SafeguardingInput[];
  readonly publicHealth?: readonly { readonly indicator: PublicHealthIndicator; readonly at: string }[];
}

/**
 * A whole incident (one call) as JSON: the shape of `schemas/incident.schema.json`, documented in
 * docs/incident-format.md. It mirrors the builder's inputs; times are ISO strings.
 */
export interface IncidentDescription {
  readonly header: { readonly submitter: OrganisationInput; readonly provider?: OrganisationInput; readonly bundleType?: BundleType };
  readonly call: CallInput & { readonly triage?: readonly TriageInput[] };
  readonly responses: readonly {
    readonly key: string; readonly callSign: string; readonly vehicleType?: VehicleType; readonly crew?: readonly CrewSkill[]; readonly times: ResponseTimes;
  }[];
  /** Patients named by key from patient contacts. */
  readonly patients?: readonly (PatientInput & { readonly key: string })[];
  readonly patientContacts?: readonly IncidentPatientContact[];
}

/**
 * What {@link buildIncident} returns: the bundle, its outcome and the outcome's issues placed in the description
 * (`issues`, by JSON pointer); or every problem that stops the description from being built.
 */
export type IncidentResult =
  | ({ readonly ok: true; readonly issues: readonly IncidentIssue[] } & BuildResult)
  | { readonly ok: false; readonly problems: readonly IncidentProblem[] };

/** How {@link buildIncident} builds: profile validation and, for deterministic output, ids and clock. */
export interface BuildIncidentOptions {
  /** Passed to `build()`: e.g. `{ validator: service }`. Without it only the builder's own checks run. */
  readonly validation?: BuildValidation;
  readonly ids?: AdsBuilderOptions['ids'];
  readonly clock?: AdsBuilderOptions['clock'];
  /** Audit trail: one `build` entry for the bundle (see docs/audit.md). */
  readonly audit?: AdsBuilderOptions['audit'];
}

/** The incident schema, compiled on first use and kept. */
const schemaValidator = lazySchemaValidator(schema);

/** Schema errors as pointers and messages. A failed `oneOf` branch adds noise, so only the `oneOf` itself is kept. */
function schemaProblems(errors: readonly ErrorObject[]): IncidentProblem[] {
  const oneOfs = errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath);
  const seen = new Set<string>();
  const problems: IncidentProblem[] = [];
  for (const e of errors) {
    if (e.schemaPath.includes('/oneOf/') && oneOfs.includes(e.instancePath)) continue;
    const message = e.keyword === 'additionalProperties'
      ? `has an unknown property "${String(e.params.additionalProperty)}"`
      : e.keyword === 'oneOf' ? 'does not match any observation type (see docs/incident-format.md)' : (e.message ?? e.keyword);
    const key = `${e.instancePath} ${message}`;
    if (!seen.has(key)) problems.push({ pointer: e.instancePath || '/', message });
    seen.add(key);
  }
  return problems;
}

/** Checks `description` against the incident schema; the problems found, or none. */
export function checkIncident(description: unknown): IncidentProblem[] {
  const validate = schemaValidator();
  return validate(description) ? [] : schemaProblems(validate.errors ?? []);
}

/** Keys that repeat, and references to keys that do not exist, by pointer. */
function keyProblems(incident: IncidentDescription): IncidentProblem[] {
  const problems: IncidentProblem[] = [];
  const keys = new Set<string>();
  const declare = (key: string, pointer: string) => {
    if (keys.has(key)) problems.push({ pointer, message: 'repeats a key used earlier in the description' });
    keys.add(key);
  };
  incident.responses.forEach((r, i) => declare(r.key, `/responses/${i}/key`));
  const patients = new Set((incident.patients ?? []).map((p) => p.key));
  (incident.patients ?? []).forEach((p, i) => declare(p.key, `/patients/${i}/key`));
  const responses = new Set(incident.responses.map((r) => r.key));
  (incident.patientContacts ?? []).forEach((c, i) => {
    if (!responses.has(c.response)) problems.push({ pointer: `/patientContacts/${i}/response`, message: 'names no response key of this incident' });
    if (typeof c.patient === 'string' && !patients.has(c.patient)) problems.push({ pointer: `/patientContacts/${i}/patient`, message: 'names no patient key of this incident' });
  });
  return problems;
}

// Stand-ins let the entries of a part whose parent was rejected still be checked, on a throwaway branch.
const STAND_IN = '\u0000stand-in';

/**
 * Builds the ADS bundle an incident description gives, through {@link AdsBundleBuilder}. Pure: no I/O.
 * Every problem is reported at once, by JSON pointer to the input at fault: schema problems, unknown or repeated
 * keys, and every value the builder rejects (the parts after a rejected one are still checked). With none, the
 * bundle and its outcome (the ADS rules, plus profile validation when `options.validation` is given), and the
 * outcome's issues placed in the description (`issues`).
 *
 * @example
 * const service = await createValidationService();
 * const result = buildIncident(JSON.parse(text), { validation: { validator: service } });
 */
export function buildIncident(description: unknown, options: BuildIncidentOptions = {}): IncidentResult {
  const schemaFailures = checkIncident(description);
  if (schemaFailures.length) return { ok: false, problems: schemaFailures };
  const incident = description as IncidentDescription;
  const problems = keyProblems(incident);
  if (problems.length) return { ok: false, problems };

  /** Which part of the description made each entry (by fullUrl), to place the outcome's issues. */
  const partOf = new Map<string, string>();
  const attempt = <T>(at: string, run: () => T, parts?: Readonly<Record<string, string>>): T | undefined => {
    try {
      return run();
    } catch (e) {
      if (!(e instanceof AdsBuilderError)) throw e;
      problems.push(builderProblem(at, e, parts));
      return undefined;
    }
  };
  const { submitter, provider, bundleType } = incident.header;
  let b: AdsBundleBuilder<unknown, BuilderKeys> | undefined = attempt('/header', () => AdsBundleBuilder.create({
    submitter, ...(provider ? { provider } : {}), ...(bundleType ? { bundleType } : {}),
    ...(options.ids ? { ids: options.ids } : {}), ...(options.clock ? { clock: options.clock } : {}),
  }), { submitter: '/submitter', provider: '/provider', options: '' });
  if (!b) return { ok: false, problems };
  const { triage = [], ...call } = incident.call;
  const withCall = attempt('/call', () => b!.call(call));
  if (withCall) (b = withCall), partOf.set(withCall.added.fullUrl, '/call');
  triage.forEach((t, i) => {
    const next = attempt(`/call/triage/${i}`, () => b!.triage(t));
    if (next) (b = next), partOf.set(next.added.fullUrl, `/call/triage/${i}`);
  });
  const built = new Set<string>();
  incident.responses.forEach(({ key, ...response }, i) => {
    const next = attempt(`/responses/${i}`, () => b!.response(key, response));
    if (!next) return;
    b = next;
    built.add(key);
    partOf.set(next.added.fullUrl, `/responses/${i}`).set(next.added.vehicle.fullUrl, `/responses/${i}`);
  });
  (incident.patients ?? []).forEach(({ key, ...patient }, i) => {
    const next = attempt(`/patients/${i}`, () => b!.patient(key, patient), { patient: '' });
    if (!next) return;
    b = next;
    built.add(key);
    partOf.set(next.added.fullUrl, `/patients/${i}`);
  });
  (incident.patientContacts ?? []).forEach((c, i) => {
    const at = `/patientContacts/${i}`;
    // The real builder while every part this contact needs was built; else a throwaway branch with stand-ins.
    let target = b!;
    let real = true;
    const standIn = (kind: 'response' | 'patient' | 'contact') => {
      if (real) (target = target.fork()), (real = false);
      const key = `${STAND_IN}-${kind}`;
      if (kind === 'response') target = target.response(key, { callSign: 'STANDIN', times: { allocated: new Date(0) } });
      else if (kind === 'patient') target = target.patient(key, { nhsNumberUnavailable: 'nhs-number-not-known' });
      else target = target.patientContact(key, { response, patient, conveyance: { outcome: 'not-conveyed-discharged' } });
      return key;
    };
    let response = '';
    let patient = '';
    response = built.has(c.response) ? c.response : standIn('response');
    if (typeof c.patient === 'string') patient = built.has(c.patient) ? c.patient : standIn('patient');
    else {
      const next = attempt(at, () => target.patient(`${STAND_IN}-own-${i}`, c.patient as PatientInput), CONTACT_FIELDS);
      if (next) (target = next), partOf.set(next.added.fullUrl, `${at}/patient`);
      patient = next ? `${STAND_IN}-own-${i}` : standIn('patient');
    }
    const contact = attempt(at, () => target.patientContact(`${STAND_IN}-contact-${i}`, {
      response, patient, conveyance: c.conveyance, ...(c.timeAtPatient !== undefined ? { timeAtPatient: c.timeAtPatient } : {}),
    }), CONTACT_FIELDS);
    if (contact) (target = contact), partOf.set(contact.added.fullUrl, at);
    const ref = contact ? `${STAND_IN}-contact-${i}` : standIn('contact');
    const each = <T>(list: readonly T[] | undefined, name: string, add: (item: T) => AdsBundleBuilder<{ fullUrl: string }, BuilderKeys>) => {
      (list ?? []).forEach((item, j) => {
        const next = attempt(`${at}/${name}/${j}`, () => add(item));
        if (next) (target = next), partOf.set(next.added.fullUrl, `${at}/${name}/${j}`);
      });
    };
    const one = <T>(item: T | undefined, name: string, add: (item: T) => AdsBundleBuilder<{ fullUrl: string }, BuilderKeys>) => {
      if (item === undefined) return;
      const next = attempt(`${at}/${name}`, () => add(item));
      if (next) (target = next), partOf.set(next.added.fullUrl, `${at}/${name}`);
    };
    each(c.observations, 'observations', (o) => {
      switch (o.type) {
        case 'bloodPressure': return target.bloodPressure(ref, o);
        case 'acvpu': return target.acvpu(ref, o);
        case 'gcs': return target.gcs(ref, o);
        case 'estimatedAge': return target.estimatedAge(ref, o);
        default: return target[o.type](ref, o);
      }
    });
    each(c.medications, 'medications', (m) => target.medication(ref, m));
    each(c.diagnoses, 'diagnoses', (d) => target.impression(ref, d));
    one(c.injury, 'injury', (x) => target.injury(ref, x));
    each(c.procedures, 'procedures', (p) => target.procedure(ref, p));
    one(c.cardiacArrest, 'cardiacArrest', (x) => target.cardiacArrest(ref, x));
    each(c.careBundles, 'careBundles', (x) => target.careBundle(ref, x));
    one(c.lifeExtinct, 'lifeExtinct', (x) => target.recognitionOfLifeExtinct(ref, x));
    each(c.safeguarding, 'safeguarding', (s) => target.safeguarding(ref, s));
    each(c.publicHealth, 'publicHealth', (p) => target.publicHealth(ref, p));
    if (real) b = target;
  });
  if (problems.length) return { ok: false, problems };
  const result = b.build(options.validation, options.audit ? { audit: options.audit } : {});
  return { ok: true, ...result, issues: placeIssues(result.bundle, result.outcome.issue, partOf) };
}
