import { randomUUID } from 'node:crypto';
// Only the pure audit modules: the core never loads the SQLite store.
import { recordAuditSync, type AuditOption } from '../audit/option.js';
import { auditRecordIdOf, patientIdsOf } from '../audit/patient-ids.js';
import type { Bundle, BundleEntry, Communication, FhirResource, OperationOutcome, OperationOutcomeIssue, Reference } from 'fhir/r4';
import { prepareCall, triageObservation, type CallInput, type PreparedCall, type TriageInput } from './call.js';
import { checkAdsBundle } from './checks.js';
import { ruleOf } from '../validation/validator.js';
import {
  acvpu, bloodPressure, impression, injury, medicationAdministration, publicHealth, safeguarding, vitalSign,
  type BloodPressureInput, type ClinicalContext, type ImpressionInput, type InjuryInput, type MeasurementInput, type MedicationInput,
  type VitalName,
} from './clinical.js';
import { codingFrom, CODES, type Acvpu, type BundleType, type PublicHealthIndicator, type SafeguardingConcern, type TriageKind, type VehicleType } from './codes.js';
import { dateTime, requireInput, type DateTimeInput } from './datatypes.js';
import { AdsBuilderError } from './errors.js';
import {
  checkConveyance, organisation, patient, patientContactEncounter, receivingLocation, responseEncounter, vehicle,
  type ConveyanceInput, type OrganisationInput, type PatientInput, type ResponseTimes,
} from './parties.js';
import { makeRef, plainReference, type Handle, type PatientContactHandle, type Ref, type ResponseHandle } from './refs.js';
import { PROFILES, SYSTEMS } from './systems.js';

/** Checks a whole bundle, e.g. `service.validate.bind(service)` for a `ValidationService`. */
export type ValidateFn = (bundle: Bundle) => OperationOutcome;

/**
 * Anything with a `validate(bundle)` method returning an OperationOutcome: a `ValidationService` from
 * `createValidationService()` fits as is. The builder never loads packages itself; the caller creates the
 * validator once and passes it in.
 */
export interface BundleValidator {
  validate(bundle: Bundle): OperationOutcome;
}

/** What `build()` validates with: a validate function, or `{ validator }` / `{ validate }`. */
export type BuildValidation = ValidateFn | { readonly validator?: BundleValidator; readonly validate?: ValidateFn };

/** The validate function a build uses: a function as given, else the validator's method bound to it. */
function validateFnOf(v: BuildValidation | undefined, field: 'build' | 'options'): ValidateFn | undefined {
  if (v === undefined || typeof v === 'function') return v;
  if (v.validate && v.validator) throw new AdsBuilderError(field, 'takes a validator or a validate function, not both');
  if (v.validate) return v.validate;
  const validator = v.validator;
  if (validator && typeof validator.validate !== 'function') throw new AdsBuilderError(`${field}.validator`, 'has no validate(bundle) method');
  return validator ? (bundle) => validator.validate(bundle) : undefined;
}

/** How a builder starts. */
export interface AdsBuilderOptions {
  /** Submitting organisation (ADS0, the Header section). */
  readonly submitter: OrganisationInput;
  /** Provider ambulance service (ADS1); defaults to the submitter, sharing one Organization resource. */
  readonly provider?: OrganisationInput;
  /** ADS phase the bundle carries; default `epr`. */
  readonly bundleType?: BundleType;
  /** Returns a fresh UUID for each entry; inject for deterministic output. Default: random UUIDs. */
  readonly ids?: () => string;
  /** The time used for `Bundle.timestamp` and to reject future birth dates. Default: the system clock. */
  readonly clock?: () => Date;
  /** Identifier system of the CAD call id; default `SYSTEMS.cadCallIdentifier` (docs/decisions/002). */
  readonly cadSystem?: string;
  /** Whole-bundle validation run by `build()` after the builder's own checks (see {@link AdsBundleBuilder.build}). */
  readonly validate?: ValidateFn;
  /** A validator (e.g. a `ValidationService`) that `build()` runs after the builder's own checks; the same as `validate`. */
  readonly validator?: BundleValidator;
  /** Audit trail: every `build()` records a `build` entry (see {@link AdsBundleBuilder.build}). */
  readonly audit?: AuditOption;
}

/** What `build()` returns. */
export interface BuildResult {
  readonly bundle: Bundle;
  readonly outcome: OperationOutcome;
}

/** Medication, dose, route and time; see {@link MedicationInput}. */
export type { MedicationInput } from './clinical.js';

interface Entry {
  readonly fullUrl: string;
  readonly resource: FhirResource;
}

interface Config {
  readonly ids: () => string;
  readonly clock: () => Date;
  readonly cadSystem: string;
  readonly bundleType: BundleType;
  readonly validate?: ValidateFn;
  readonly audit?: AuditOption;
}

interface State {
  readonly config: Config;
  readonly bundleId: string;
  readonly submitter: Entry;
  readonly provider: Entry;
  readonly callUrl: string;
  readonly call?: PreparedCall;
  readonly entries: readonly Entry[];
  readonly triage: ReadonlyMap<TriageKind, string>;
  readonly encounters: readonly string[];
  readonly responses: ReadonlyMap<string, Reference>;
  readonly contacts: ReadonlyMap<string, Reference>;
  readonly vehicles: ReadonlyMap<string, string>;
  readonly destinations: ReadonlyMap<string, string>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Runs one builder step; a TypeError from reading into a missing part of an untyped caller's input becomes an
 * AdsBuilderError naming the input, so bad input never escapes as a crash.
 */
function guarded<T>(field: string, step: () => T): T {
  try {
    return step();
  } catch (e) {
    if (e instanceof TypeError) throw new AdsBuilderError(field, 'has a missing or malformed part');
    throw e;
  }
}

/** The resource with `id` placed right after `resourceType`, as FHIR JSON is usually written. */
function withId<R extends { resourceType: string }>(resource: R, id: string): R {
  const { resourceType, ...rest } = resource;
  return { resourceType, id, ...rest } as unknown as R;
}

/** A UUID source that counts up from 1, for deterministic examples and tests. */
export function sequentialUuids(prefix = '00000000-0000-4000-8000'): () => string {
  let n = 0;
  return () => `${prefix}-${(++n).toString(16).padStart(12, '0')}`;
}

/**
 * Builds an Ambulance Data Set bundle (profile UKCore-ADS-Bundle) step by step.
 *
 * Immutable: every call returns a new builder and leaves the old one untouched. The new builder's
 * `added` holds a handle to what the call added; its `ref` is typed to the resource, so passing the wrong kind
 * of reference does not compile. Impossible values throw {@link AdsBuilderError} at the call, naming the field.
 *
 * @example
 * const b1 = AdsBundleBuilder.create({ submitter: { odsCode: 'RX9', name: 'East Midlands Ambulance Service' } })
 *   .call({ cadId: '240101-0042', connectedAt: '2026-01-01T10:00:00Z', origin: '01', initialCategory: 'C2',
 *           reportingCategory: 'C2', treatmentType: 'see-and-treat' });
 * const b2 = b1.response({ callSign: 'EA123', times: { allocated: '2026-01-01T10:03:00Z' } });
 * const response = b2.added;
 */
export class AdsBundleBuilder<A = undefined> {
  private constructor(
    private readonly state: State,
    /** Handle to what the call that made this builder added. */
    readonly added: A,
  ) {}

  /** A builder with the Header section (submitting and provider organisations) and nothing else. */
  static create(options: AdsBuilderOptions): AdsBundleBuilder<undefined> {
    return guarded('options', () => {
      requireInput(options, 'options');
      const ids = options.ids ?? randomUUID;
      const nextId = () => {
        const id = ids();
        if (!UUID.test(id)) throw new AdsBuilderError('options.ids', 'must return lower-case UUIDs');
        return id;
      };
      const bundleType = options.bundleType ?? 'epr';
      codingFrom(CODES.bundleType, bundleType, 'options.bundleType');
      const validate = validateFnOf({ ...(options.validate ? { validate: options.validate } : {}), ...(options.validator ? { validator: options.validator } : {}) }, 'options');
      const config: Config = {
        ids: nextId, clock: options.clock ?? (() => new Date()), cadSystem: options.cadSystem ?? SYSTEMS.cadCallIdentifier, bundleType,
        ...(validate ? { validate } : {}),
        ...(options.audit ? { audit: options.audit } : {}),
      };
      const entry = (resource: FhirResource): Entry => {
        const id = config.ids();
        return deepFreeze({ fullUrl: `urn:uuid:${id}`, resource: withId(resource, id) });
      };
      const submitter = entry(organisation(options.submitter, 'submitter'));
      const sameOrg = !options.provider || options.provider.odsCode === options.submitter.odsCode;
      const provider = sameOrg ? submitter : entry(organisation(options.provider!, 'provider'));
      const state: State = {
        config, bundleId: config.ids(), submitter, provider, callUrl: `urn:uuid:${config.ids()}`, entries: [], triage: new Map(),
        encounters: [], responses: new Map(), contacts: new Map(), vehicles: new Map(), destinations: new Map(),
      };
      return new AdsBundleBuilder(state, undefined);
    });
  }

  /** The submitting organisation (ADS0). */
  get submitter(): Handle<'Organization'> {
    return this.handle(this.state.submitter.fullUrl, 'Organization');
  }

  /** The provider organisation (ADS1); the same entry as the submitter unless given separately. */
  get provider(): Handle<'Organization'> {
    return this.handle(this.state.provider.fullUrl, 'Organization');
  }

  /** Sets the Call section (one per bundle). */
  call(input: CallInput): AdsBundleBuilder<Handle<'Communication'>> {
    return guarded('call', () => {
      if (this.state.call) throw new AdsBuilderError('call', 'the bundle already has a call; an ADS bundle holds exactly one');
      const call = deepFreeze(prepareCall(input, this.orgRefs(), this.state.config.cadSystem));
      return this.next({ call }, this.handle(this.state.callUrl, 'Communication'));
    });
  }

  /** Adds a call triage result; at most one of each kind (AMPDS, Pathways, SG, SD). */
  triage(input: TriageInput): AdsBundleBuilder<Handle<'Observation', 'triage'>> {
    return guarded('triage', () => {
      requireInput(input, 'triage');
      if (this.state.triage.has(input.kind)) throw new AdsBuilderError('triage.kind', 'the call already has a triage result of this kind');
      const entry = this.entry(triageObservation(input));
      return this.next(
        { entries: [...this.state.entries, entry], triage: new Map(this.state.triage).set(input.kind, entry.fullUrl) },
        this.handle<'Observation', 'triage'>(entry.fullUrl, 'Observation'),
      );
    });
  }

  /** Adds a response: a vehicle (one Location per call sign) and its times. */
  response(input: { readonly callSign: string; readonly vehicleType?: VehicleType; readonly times: ResponseTimes }): AdsBundleBuilder<ResponseHandle> {
    return guarded('response', () => {
      requireInput(input, 'response');
      const providerRef = this.orgRefs().provider;
      const known = this.state.vehicles.get(input.callSign);
      const newVehicle = known ? undefined : this.entry(vehicle(input.callSign, input.vehicleType, providerRef));
      const vehicleUrl = known ?? newVehicle!.fullUrl;
      const vehicleRef = plainReference(makeRef(vehicleUrl, 'Location'));
      const encounter = this.entry(responseEncounter(input.times, vehicleRef, providerRef));
      const handle: ResponseHandle = { ...this.handle<'Encounter', 'response'>(encounter.fullUrl, 'Encounter'), vehicle: this.handle(vehicleUrl, 'Location') };
      return this.next(
        {
          entries: [...this.state.entries, ...(newVehicle ? [newVehicle] : []), encounter],
          encounters: [...this.state.encounters, encounter.fullUrl],
          responses: new Map(this.state.responses).set(encounter.fullUrl, vehicleRef),
          vehicles: newVehicle ? new Map(this.state.vehicles).set(input.callSign, newVehicle.fullUrl) : this.state.vehicles,
        },
        handle,
      );
    });
  }

  /** Adds a patient (demographics). */
  patient(input: PatientInput): AdsBundleBuilder<Handle<'Patient'>> {
    return guarded('patient', () => {
      const entry = this.entry(patient(input, this.state.config.clock()));
      return this.next({ entries: [...this.state.entries, entry] }, this.handle(entry.fullUrl, 'Patient'));
    });
  }

  /** Adds a patient contact: one patient seen by one response, with the conveyance outcome. */
  patientContact(input: {
    readonly subject: Ref<'Patient'>;
    readonly response: Ref<'Encounter', 'response'>;
    readonly conveyance: ConveyanceInput;
  }): AdsBundleBuilder<PatientContactHandle> {
    return guarded('patientContact', () => {
      requireInput(input, 'patientContact');
      if (!this.state.entries.some((e) => e.fullUrl === input.subject?.reference && e.resource.resourceType === 'Patient')) {
        throw new AdsBuilderError('patientContact.subject', 'is not a patient of this bundle');
      }
      const vehicleRef = this.state.responses.get(input.response?.reference);
      if (!vehicleRef) throw new AdsBuilderError('patientContact.response', 'is not a response of this bundle');
      checkConveyance(input.conveyance);
      const dest = input.conveyance.destination;
      const knownDest = dest ? this.state.destinations.get(dest.odsSiteCode) : undefined;
      const newDest = dest && !knownDest ? this.entry(receivingLocation(dest)) : undefined;
      const destUrl = knownDest ?? newDest?.fullUrl;
      const subject = plainReference(input.subject);
      const encounter = this.entry(patientContactEncounter({
        subject, response: plainReference(input.response), vehicle: vehicleRef, provider: this.orgRefs().provider,
        outcome: input.conveyance.outcome, ...(destUrl ? { destination: plainReference(makeRef(destUrl, 'Location')) } : {}),
      }));
      const handle: PatientContactHandle = { ...this.handle<'Encounter', 'patient-contact'>(encounter.fullUrl, 'Encounter'), subject: input.subject };
      return this.next(
        {
          entries: [...this.state.entries, ...(newDest ? [newDest] : []), encounter],
          encounters: [...this.state.encounters, encounter.fullUrl],
          contacts: new Map(this.state.contacts).set(encounter.fullUrl, subject),
          destinations: newDest ? new Map(this.state.destinations).set(dest!.odsSiteCode, newDest.fullUrl) : this.state.destinations,
        },
        handle,
      );
    });
  }

  /** Respiration rate, breaths per minute. */
  respirationRate(contact: Ref<'Encounter', 'patient-contact'>, input: MeasurementInput): AdsBundleBuilder<Handle<'Observation'>> {
    return this.vital('respirationRate', contact, input);
  }
  /** Oxygen saturation (SpO2), percent. */
  oxygenSaturation(contact: Ref<'Encounter', 'patient-contact'>, input: MeasurementInput): AdsBundleBuilder<Handle<'Observation'>> {
    return this.vital('oxygenSaturation', contact, input);
  }
  /** Pulse rate, beats per minute. */
  pulseRate(contact: Ref<'Encounter', 'patient-contact'>, input: MeasurementInput): AdsBundleBuilder<Handle<'Observation'>> {
    return this.vital('pulseRate', contact, input);
  }
  /** Body temperature, degrees Celsius. */
  temperature(contact: Ref<'Encounter', 'patient-contact'>, input: MeasurementInput): AdsBundleBuilder<Handle<'Observation'>> {
    return this.vital('temperature', contact, input);
  }
  /** Blood glucose, mmol/L. */
  bloodGlucose(contact: Ref<'Encounter', 'patient-contact'>, input: MeasurementInput): AdsBundleBuilder<Handle<'Observation'>> {
    return this.vital('bloodGlucose', contact, input);
  }
  /** NEWS2 total score, 0 to 20. */
  news2(contact: Ref<'Encounter', 'patient-contact'>, input: MeasurementInput): AdsBundleBuilder<Handle<'Observation'>> {
    return this.vital('news2', contact, input);
  }
  /** Pain score, 0 to 10. */
  painScore(contact: Ref<'Encounter', 'patient-contact'>, input: MeasurementInput): AdsBundleBuilder<Handle<'Observation'>> {
    return this.vital('painScore', contact, input);
  }
  /** Systolic and diastolic blood pressure, mm[Hg]. */
  bloodPressure(contact: Ref<'Encounter', 'patient-contact'>, input: BloodPressureInput): AdsBundleBuilder<Handle<'Observation'>> {
    return this.clinical(contact, 'Observation', input, (ctx) => bloodPressure(ctx, input));
  }
  /** Level of consciousness (ACVPU). */
  acvpu(contact: Ref<'Encounter', 'patient-contact'>, input: { readonly level: Acvpu; readonly at: DateTimeInput }): AdsBundleBuilder<Handle<'Observation'>> {
    return this.clinical(contact, 'Observation', input, (ctx) => acvpu(ctx, input));
  }
  /** A medicine administered (dm+d), with dose, route and time. */
  medication(contact: Ref<'Encounter', 'patient-contact'>, input: MedicationInput): AdsBundleBuilder<Handle<'MedicationAdministration'>> {
    return this.clinical(contact, 'MedicationAdministration', input, (ctx) => medicationAdministration(ctx, input));
  }
  /** A clinical impression or working diagnosis. */
  impression(contact: Ref<'Encounter', 'patient-contact'>, input: ImpressionInput): AdsBundleBuilder<Handle<'Condition'>> {
    return this.clinical(contact, 'Condition', input, (ctx) => impression(ctx, input));
  }
  /** An injury: mechanism, place, activity and time. */
  injury(contact: Ref<'Encounter', 'patient-contact'>, input: InjuryInput): AdsBundleBuilder<Handle<'Observation'>> {
    return this.clinical(contact, 'Observation', input, (ctx) => injury(ctx, input));
  }
  /** A safeguarding concern. */
  safeguarding(contact: Ref<'Encounter', 'patient-contact'>, input: { readonly concern: SafeguardingConcern; readonly at: DateTimeInput }): AdsBundleBuilder<Handle<'Flag'>> {
    return this.clinical(contact, 'Flag', input, (ctx) => safeguarding(ctx, input));
  }
  /** A public health factor. */
  publicHealth(contact: Ref<'Encounter', 'patient-contact'>, input: { readonly indicator: PublicHealthIndicator; readonly at: DateTimeInput }): AdsBundleBuilder<Handle<'Observation'>> {
    return this.clinical(contact, 'Observation', input, (ctx) => publicHealth(ctx, input));
  }

  /**
   * The bundle and an OperationOutcome.
   *
   * The outcome always holds the builder's own whole-bundle checks ({@link checkAdsBundle}): one call, references
   * that resolve, triage kinds, time order across resources, and treatment type against conveyance. It holds
   * profile validation when a validator is given here (`build({ validator: service })`, `build(fn)`) or in the
   * options; one given here replaces the options' one. The validator checks the bundle against the profiles it
   * claims in `meta.profile`: the ADS profiles of `profiles/ads` (or the official ADS package, if the validator
   * was loaded with that). With no issues, the outcome carries one `information` issue.
   * The returned bundle is a fresh copy; changing it does not affect the builder.
   *
   * @example
   * const service = await createValidationService();           // once: loads core R4, UK Core and profiles/ads
   * const { bundle, outcome } = builder.build({ validator: service });
   */
  build(validation?: BuildValidation, options: { readonly audit?: AuditOption } = {}): BuildResult {
    const audit = options.audit ?? this.state.config.audit;
    if (!audit) return this.buildUnaudited(validation);
    let result: BuildResult;
    try {
      result = this.buildUnaudited(validation);
    } catch (e) {
      const code = (e as { code?: unknown })?.code;
      const detail = typeof code === 'string' ? code : e instanceof AdsBuilderError ? e.field : 'error';
      recordAuditSync(audit, { action: 'build', recordId: `Bundle/${this.state.bundleId}`, outcome: 'failure', detail });
      throw e;
    }
    const invalid = (result.outcome.issue ?? []).some((i) => i.severity === 'error' || i.severity === 'fatal');
    recordAuditSync(audit, { action: 'build', recordId: auditRecordIdOf(result.bundle), outcome: invalid ? 'invalid' : 'valid', patientIds: patientIdsOf(result.bundle) });
    return result;
  }

  private buildUnaudited(validation: BuildValidation | undefined): BuildResult {
    const validate = validation === undefined ? this.state.config.validate : validateFnOf(validation, 'build');
    const s = this.state;
    const orgs: Entry[] = s.provider === s.submitter ? [s.submitter] : [s.submitter, s.provider];
    const callEntry: Entry[] = s.call
      ? [{
          fullUrl: s.callUrl,
          resource: {
            ...withId(s.call, s.callUrl.slice('urn:uuid:'.length)),
            ...(s.encounters.length ? { about: s.encounters.map((u) => ({ reference: u, type: 'Encounter' })) } : {}),
            ...(s.triage.size ? { reasonReference: [...s.triage.values()].map((u) => ({ reference: u, type: 'Observation' })) } : {}),
          } as Communication,
        }]
      : [];
    const bundle: Bundle = structuredClone({
      resourceType: 'Bundle',
      id: s.bundleId,
      meta: { profile: [PROFILES.bundle], tag: [codingFrom(CODES.bundleType, s.config.bundleType, 'options.bundleType')] },
      identifier: { system: SYSTEMS.submission, value: s.bundleId },
      type: 'collection',
      timestamp: dateTime(s.config.clock(), 'options.clock'),
      entry: [...callEntry, ...orgs, ...s.entries].map((e): BundleEntry => ({ fullUrl: e.fullUrl, resource: e.resource })),
    });
    // The ADS rules are the validator's own: with a validator that runs them too, each finding is kept once. The
    // structural checks (one call, references resolve) are the Bundle profile's, so a validator reports those.
    const own = checkAdsBundle(bundle, { structure: !validate });
    const ids = new Set(own.map((i) => `${ruleOf(i)}|${i.expression?.[0] ?? ''}`));
    const validated = validate ? validate(bundle).issue.filter((i) => !ruleOf(i) || !ids.has(`${ruleOf(i)}|${i.expression?.[0] ?? ''}`)) : [];
    const issues: OperationOutcomeIssue[] = [...own, ...validated];
    const outcome: OperationOutcome = {
      resourceType: 'OperationOutcome',
      issue: issues.length ? issues : [{ severity: 'information', code: 'informational', diagnostics: validate ? 'No issues found' : 'No issues found by the builder checks (no profile validation was run)' }],
    };
    return { bundle, outcome };
  }

  private vital(name: VitalName, contact: Ref<'Encounter', 'patient-contact'>, input: MeasurementInput): AdsBundleBuilder<Handle<'Observation'>> {
    return this.clinical(contact, 'Observation', input, (ctx) => vitalSign(name, ctx, input));
  }

  private clinical<R extends FhirResource['resourceType']>(
    contact: Ref<'Encounter', 'patient-contact'>,
    type: R,
    input: unknown,
    make: (ctx: ClinicalContext) => FhirResource,
  ): AdsBundleBuilder<Handle<R>> {
    const subject = this.state.contacts.get(contact?.reference);
    if (!subject) throw new AdsBuilderError('contact', 'is not a patient contact of this bundle');
    requireInput(input, type);
    const entry = this.entry(guarded(type, () => make({ subject, encounter: plainReference(contact) })));
    return this.next({ entries: [...this.state.entries, entry] }, this.handle(entry.fullUrl, type));
  }

  private orgRefs(): { submitter: Reference; provider: Reference } {
    return { submitter: plainReference(makeRef(this.state.submitter.fullUrl, 'Organization')), provider: plainReference(makeRef(this.state.provider.fullUrl, 'Organization')) };
  }

  private entry(resource: FhirResource): Entry {
    const id = this.state.config.ids();
    return deepFreeze({ fullUrl: `urn:uuid:${id}`, resource: withId(resource, id) });
  }

  private handle<R extends FhirResource['resourceType'], K extends string = R>(fullUrl: string, type: R): Handle<R, K> {
    return Object.freeze({ fullUrl, ref: makeRef<R, K>(fullUrl, type) });
  }

  private next<H>(changes: Partial<State>, added: H): AdsBundleBuilder<H> {
    return new AdsBundleBuilder({ ...this.state, ...changes }, added);
  }
}
