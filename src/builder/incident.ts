import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import schema from '../../schemas/incident.schema.json';
import { AdsBundleBuilder, type AdsBuilderOptions, type BuildResult, type BuildValidation, type MedicationInput } from './builder.js';
import type { CallInput, TriageInput } from './call.js';
import type { BloodPressureInput, ImpressionInput, InjuryInput } from './clinical.js';
import type { Acvpu, BundleType, PublicHealthIndicator, SafeguardingConcern, VehicleType } from './codes.js';
import { AdsBuilderError } from './errors.js';
import type { ConveyanceInput, OrganisationInput, PatientInput, ResponseTimes } from './parties.js';
import type { ResponseHandle } from './refs.js';

/** A single-quantity observation by the builder method that adds it. */
export type MeasurementName = 'respirationRate' | 'oxygenSaturation' | 'pulseRate' | 'temperature' | 'bloodGlucose' | 'news2' | 'painScore';

/** One observation of a patient contact. */
export type IncidentObservation =
  | { readonly type: MeasurementName; readonly value: number; readonly at: string }
  | ({ readonly type: 'bloodPressure' } & BloodPressureInput & { readonly at: string })
  | { readonly type: 'acvpu'; readonly level: Acvpu; readonly at: string };

/** One patient seen by one response (named by its key), with what was found and done. */
export interface IncidentPatientContact {
  /** The `key` of the response that saw the patient. */
  readonly response: string;
  readonly patient: PatientInput;
  readonly conveyance: ConveyanceInput;
  readonly observations?: readonly IncidentObservation[];
  readonly medications?: readonly MedicationInput[];
  readonly diagnoses?: readonly ImpressionInput[];
  readonly injury?: InjuryInput;
  readonly safeguarding?: readonly { readonly concern: SafeguardingConcern; readonly at: string }[];
  readonly publicHealth?: readonly { readonly indicator: PublicHealthIndicator; readonly at: string }[];
}

/**
 * A whole incident (one call) as JSON: the shape of `schemas/incident.schema.json`, documented in
 * docs/incident-format.md. It mirrors the builder's inputs; times are ISO strings.
 */
export interface IncidentDescription {
  readonly header: { readonly submitter: OrganisationInput; readonly provider?: OrganisationInput; readonly bundleType?: BundleType };
  readonly call: CallInput & { readonly triage?: readonly TriageInput[] };
  readonly responses: readonly { readonly key: string; readonly callSign: string; readonly vehicleType?: VehicleType; readonly times: ResponseTimes }[];
  readonly patientContacts?: readonly IncidentPatientContact[];
}

/** Something wrong with a description: where (a JSON pointer into it) and what, never the value itself. */
export interface IncidentProblem {
  readonly pointer: string;
  readonly message: string;
}

/** What {@link buildIncident} returns: the bundle and its outcome, or why the description cannot be built. */
export type IncidentResult = ({ readonly ok: true } & BuildResult) | { readonly ok: false; readonly problems: readonly IncidentProblem[] };

/** How {@link buildIncident} builds: profile validation and, for deterministic output, ids and clock. */
export interface BuildIncidentOptions {
  /** Passed to `build()`: e.g. `{ validator: service }`. Without it only the builder's own checks run. */
  readonly validation?: BuildValidation;
  readonly ids?: AdsBuilderOptions['ids'];
  readonly clock?: AdsBuilderOptions['clock'];
  /** Audit trail: one `build` entry for the bundle (see docs/audit.md). */
  readonly audit?: AdsBuilderOptions['audit'];
}

let compiled: ValidateFunction | undefined;

/** The incident schema, compiled on first use and kept. */
function schemaValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    addFormats(ajv);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

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

/**
 * Builds the ADS bundle an incident description gives, through {@link AdsBundleBuilder}. Pure: no I/O.
 * A description that breaks the schema, names a response key that does not exist, or holds a value the
 * builder rejects gives `ok: false` with JSON pointers to the faults; otherwise the bundle and its outcome
 * (builder checks, plus profile validation when `options.validation` is given).
 *
 * @example
 * const service = await createValidationService();
 * const result = buildIncident(JSON.parse(text), { validation: { validator: service } });
 */
export function buildIncident(description: unknown, options: BuildIncidentOptions = {}): IncidentResult {
  const problems = checkIncident(description);
  if (problems.length) return { ok: false, problems };
  const incident = description as IncidentDescription;
  const keys = new Set<string>();
  for (const [i, r] of incident.responses.entries()) {
    if (keys.has(r.key)) problems.push({ pointer: `/responses/${i}/key`, message: 'repeats the key of an earlier response' });
    keys.add(r.key);
  }
  for (const [i, c] of (incident.patientContacts ?? []).entries()) {
    if (!keys.has(c.response)) problems.push({ pointer: `/patientContacts/${i}/response`, message: 'names no response key of this incident' });
  }
  if (problems.length) return { ok: false, problems };
  let at = '/header';
  try {
    const { triage = [], ...call } = incident.call;
    const { submitter, provider, bundleType } = incident.header;
    let b: AdsBundleBuilder<unknown> = AdsBundleBuilder.create({
      submitter, ...(provider ? { provider } : {}), ...(bundleType ? { bundleType } : {}),
      ...(options.ids ? { ids: options.ids } : {}), ...(options.clock ? { clock: options.clock } : {}),
    });
    at = '/call';
    b = b.call(call);
    for (const [i, t] of triage.entries()) {
      at = `/call/triage/${i}`;
      b = b.triage(t);
    }
    const responses = new Map<string, ResponseHandle>();
    for (const [i, { key, ...response }] of incident.responses.entries()) {
      at = `/responses/${i}`;
      const next = b.response(response);
      responses.set(key, next.added);
      b = next;
    }
    for (const [i, c] of (incident.patientContacts ?? []).entries()) {
      at = `/patientContacts/${i}`;
      const withPatient = b.patient(c.patient);
      const contact = withPatient.patientContact({ subject: withPatient.added.ref, response: responses.get(c.response)!.ref, conveyance: c.conveyance });
      const ref = contact.added.ref;
      b = contact;
      const each = <T>(list: readonly T[] | undefined, name: string, add: (item: T) => AdsBundleBuilder<unknown>) => {
        for (const [j, item] of (list ?? []).entries()) {
          at = `/patientContacts/${i}/${name}/${j}`;
          b = add(item);
        }
      };
      each(c.observations, 'observations', (o) => {
        if (o.type === 'bloodPressure') return b.bloodPressure(ref, o);
        if (o.type === 'acvpu') return b.acvpu(ref, o);
        return b[o.type](ref, o);
      });
      each(c.medications, 'medications', (m) => b.medication(ref, m));
      each(c.diagnoses, 'diagnoses', (d) => b.impression(ref, d));
      if (c.injury) {
        at = `/patientContacts/${i}/injury`;
        b = b.injury(ref, c.injury);
      }
      each(c.safeguarding, 'safeguarding', (s) => b.safeguarding(ref, s));
      each(c.publicHealth, 'publicHealth', (p) => b.publicHealth(ref, p));
    }
    at = '/';
    return { ok: true, ...b.build(options.validation, options.audit ? { audit: options.audit } : {}) };
  } catch (e) {
    if (e instanceof AdsBuilderError) return { ok: false, problems: [{ pointer: at, message: `the builder rejected ${e.message}` }] };
    throw e;
  }
}
