import { randomUUID } from 'node:crypto';
// Only the pure audit modules: the core never loads the SQLite store.
import { recordAuditSync, type AuditOption } from '../audit/option.js';
import { auditRecordIdOf, patientIdsOf } from '../audit/patient-ids.js';
import type { Bundle, BundleEntry, Communication, FhirResource, OperationOutcome, OperationOutcomeIssue, Patient, Reference } from 'fhir/r4';
import { ruleOf } from '../validation/validator.js';
import type { AdsBundleBuilder } from './builder.js';
import { incidentLocation, prepareCall, triageObservation, type CallInput, type TriageInput } from './call.js';
import { checkAdsBundle } from './checks.js';
import type { ClinicalContext } from './clinical.js';
import { codingFrom, CODES, type CrewSkill, type VehicleType } from './codes.js';
import { dateTime, requireInput, type DateTimeInput } from './datatypes.js';
import { AdsBuilderError } from './errors.js';
import { validateFnOf, type AdsBuilderOptions, type BuildResult, type BuildValidation } from './options.js';
import {
  checkConveyance, organisation, patient, patientContactEncounter, receivingLocation, responseEncounter, vehicle,
  type ConveyanceInput, type PatientInput, type ResponseTimes,
} from './parties.js';
import { makeRef, plainReference, type Handle, type PatientContactHandle, type Ref, type ResponseHandle } from './refs.js';
import { deepFreeze, guarded, UUID, withId, type AddKey, type BuilderKeys, type Config, type Entry, type KeyKind, type NoKeys, type State } from './state.js';
import { PROFILES, SYSTEMS } from './systems.js';

/** A response: call sign, vehicle type and times. */
export interface ResponseInput {
  readonly callSign: string;
  readonly vehicleType?: VehicleType;
  readonly times: ResponseTimes;
  /** The skill of each crew member: the crew skill mix (DH-R11). */
  readonly crew?: readonly CrewSkill[];
}

/** A patient contact: which patient, seen by which response, with what outcome. Refs or keys of this builder. */
export interface PatientContactInput<K extends BuilderKeys = BuilderKeys> {
  /** The patient: a `Ref<'Patient'>` or the key given to `patient(key, ...)`. One patient may have several contacts. */
  readonly patient?: Ref<'Patient'> | K['patient'];
  /** The same as `patient` (the FHIR element name); give one of the two. */
  readonly subject?: Ref<'Patient'> | K['patient'];
  /** The response that saw the patient: its `Ref` or the key given to `response(key, ...)`. */
  readonly response: Ref<'Encounter', 'response'> | K['response'];
  readonly conveyance: ConveyanceInput;
  /** When the crew reached the patient (DH-P54); between the response's arrival on scene and its clear time. */
  readonly timeAtPatient?: DateTimeInput;
}

/** A patient contact: its typed Ref or the key given to `patientContact(key, ...)`. */
export type ContactRef<K extends BuilderKeys = BuilderKeys> = Ref<'Encounter', 'patient-contact'> | K['contact'];

const STALE =
  'this builder was already extended by an earlier call: use the builder that call returned (a result left unused would lose its data), or fork() to branch';
const TYPE_OF: Readonly<Record<KeyKind, FhirResource['resourceType']>> = { response: 'Encounter', patient: 'Patient', contact: 'Encounter' };

/** The first state of a builder: the Header section (organisations) and the configuration. */
export function initialState(options: AdsBuilderOptions): State {
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
  return {
    config, bundleId: config.ids(), submitter, provider, callUrl: `urn:uuid:${config.ids()}`, entries: [], triage: new Map(),
    encounters: [], responses: new Map(), contacts: new Map(), vehicles: new Map(), destinations: new Map(), keys: new Map(),
  };
}

/**
 * The Header, Call, Response and Patient Contact sections and `build()`; {@link AdsBundleBuilder} adds the clinical
 * entries. Every call returns a new builder. A builder can be extended once: calling a second method on it (or
 * `build()`) after an earlier call's result was left unused throws, because that result's data would be lost
 * silently; `fork()` branches on purpose.
 */
export class AdsBundleCore<A = undefined, K extends BuilderKeys = NoKeys> {
  /** Set once a call has returned a builder made from this one. */
  private extended = false;

  /** @hidden Builders are made by `AdsBundleBuilder.create` and the calls that extend them. */
  protected constructor(
    private readonly state: State,
    /** Handle to what the call that made this builder added. */
    readonly added: A,
  ) {}

  /** The submitting organisation (ADS0). */
  get submitter(): Handle<'Organization'> {
    return this.handle(this.state.submitter.fullUrl, 'Organization');
  }

  /** The provider organisation (ADS1); the same entry as the submitter unless given separately. */
  get provider(): Handle<'Organization'> {
    return this.handle(this.state.provider.fullUrl, 'Organization');
  }

  /** A builder with the same content that may be extended separately (branching on purpose). */
  fork(): AdsBundleBuilder<A, K> {
    return this.make(this.state, this.added);
  }

  /** Sets the Call section (one per bundle). */
  call(input: CallInput): AdsBundleBuilder<Handle<'Communication'>, K> {
    return this.step('call', () => {
      if (this.state.call) throw new AdsBuilderError('call', 'the bundle already has a call; an ADS bundle holds exactly one');
      requireInput(input, 'call');
      // The incident Location is an entry of its own, which the call references (DH-C09 to DH-C11).
      const entry = input.incidentLocation === undefined ? undefined : this.entry(incidentLocation(input.incidentLocation));
      const location = entry ? { location: plainReference(makeRef(entry.fullUrl, 'Location')) } : {};
      const call = deepFreeze(prepareCall(input, { ...this.orgRefs(), ...location }, this.state.config.cadSystem));
      return this.next({ call, entries: entry ? [...this.state.entries, entry] : this.state.entries }, this.handle(this.state.callUrl, 'Communication'));
    });
  }

  /** Adds a call triage result; at most one of each kind (AMPDS, Pathways, SG, SD). */
  triage(input: TriageInput): AdsBundleBuilder<Handle<'Observation', 'triage'>, K> {
    return this.step('triage', () => {
      requireInput(input, 'triage');
      if (this.state.triage.has(input.kind)) throw new AdsBuilderError('triage.kind', 'the call already has a triage result of this kind');
      const entry = this.entry(triageObservation(input));
      return this.next(
        { entries: [...this.state.entries, entry], triage: new Map(this.state.triage).set(input.kind, entry.fullUrl) },
        this.handle<'Observation', 'triage'>(entry.fullUrl, 'Observation'),
      );
    });
  }

  /** Adds a response: a vehicle (one Location per call sign) and its times. With a key, later calls can name it. */
  response(input: ResponseInput): AdsBundleBuilder<ResponseHandle, K>;
  response<N extends string>(key: N, input: ResponseInput): AdsBundleBuilder<ResponseHandle, AddKey<K, 'response', N>>;
  response(a: string | ResponseInput, b?: ResponseInput): AdsBundleBuilder<ResponseHandle, BuilderKeys> {
    return this.step('response', () => {
      const [key, input] = this.keyed(a, b, 'response');
      requireInput(input, 'response');
      const providerRef = this.orgRefs().provider;
      const known = this.state.vehicles.get(input.callSign);
      const newVehicle = known ? undefined : this.entry(vehicle(input.callSign, input.vehicleType, providerRef));
      const vehicleUrl = known ?? newVehicle!.fullUrl;
      const vehicleRef = plainReference(makeRef(vehicleUrl, 'Location'));
      const encounter = this.entry(responseEncounter(input.times, vehicleRef, providerRef, input.crew));
      const handle: ResponseHandle = { ...this.handle<'Encounter', 'response'>(encounter.fullUrl, 'Encounter'), vehicle: this.handle(vehicleUrl, 'Location') };
      return this.next(
        {
          entries: [...this.state.entries, ...(newVehicle ? [newVehicle] : []), encounter],
          encounters: [...this.state.encounters, encounter.fullUrl],
          responses: new Map(this.state.responses).set(encounter.fullUrl, vehicleRef),
          vehicles: newVehicle ? new Map(this.state.vehicles).set(input.callSign, newVehicle.fullUrl) : this.state.vehicles,
          keys: this.withKey(key, 'response', encounter.fullUrl),
        },
        handle,
      );
    });
  }

  /** Adds a patient (demographics). One patient seen by several crews is added once and named by every contact. */
  patient(input: PatientInput): AdsBundleBuilder<Handle<'Patient'>, K>;
  patient<N extends string>(key: N, input: PatientInput): AdsBundleBuilder<Handle<'Patient'>, AddKey<K, 'patient', N>>;
  patient(a: string | PatientInput, b?: PatientInput): AdsBundleBuilder<Handle<'Patient'>, BuilderKeys> {
    return this.step('patient', () => {
      const [key, input] = this.keyed(a, b, 'patient');
      const entry = this.entry(patient(input, this.state.config.clock()));
      return this.next({ entries: [...this.state.entries, entry], keys: this.withKey(key, 'patient', entry.fullUrl) }, this.handle(entry.fullUrl, 'Patient'));
    });
  }

  /** Adds a patient contact: one patient seen by one response, with the conveyance outcome. */
  patientContact(input: PatientContactInput<K>): AdsBundleBuilder<PatientContactHandle, K>;
  patientContact<N extends string>(key: N, input: PatientContactInput<K>): AdsBundleBuilder<PatientContactHandle, AddKey<K, 'contact', N>>;
  patientContact(a: string | PatientContactInput<K>, b?: PatientContactInput<K>): AdsBundleBuilder<PatientContactHandle, BuilderKeys> {
    return this.step('patientContact', () => {
      const [key, input] = this.keyed(a, b, 'patientContact');
      requireInput(input, 'patientContact');
      if (input.patient !== undefined && input.subject !== undefined && input.patient !== input.subject) {
        throw new AdsBuilderError('patientContact.patient', 'give the patient once, as patient or subject');
      }
      const subjectRef = this.resolve<'Patient'>(input.patient ?? input.subject, 'patient', `patientContact.${input.patient !== undefined ? 'patient' : 'subject'}`);
      const responseRef = this.resolve<'Encounter', 'response'>(input.response, 'response', 'patientContact.response');
      const vehicleRef = this.state.responses.get(responseRef.reference)!;
      checkConveyance(input.conveyance);
      const dest = input.conveyance.destination;
      const knownDest = dest ? this.state.destinations.get(dest.odsSiteCode) : undefined;
      const newDest = dest && !knownDest ? this.entry(receivingLocation(dest)) : undefined;
      const destUrl = knownDest ?? newDest?.fullUrl;
      const subject = plainReference(subjectRef);
      const encounter = this.entry(patientContactEncounter({
        subject, response: plainReference(responseRef), vehicle: vehicleRef, provider: this.orgRefs().provider,
        outcome: input.conveyance.outcome, ...(destUrl ? { destination: plainReference(makeRef(destUrl, 'Location')) } : {}),
        ...(dest?.department !== undefined ? { department: dest.department } : {}),
        ...(input.timeAtPatient !== undefined ? { timeAtPatient: input.timeAtPatient } : {}),
      }));
      const handle: PatientContactHandle = { ...this.handle<'Encounter', 'patient-contact'>(encounter.fullUrl, 'Encounter'), subject: subjectRef };
      return this.next(
        {
          entries: [...this.state.entries, ...(newDest ? [newDest] : []), encounter],
          encounters: [...this.state.encounters, encounter.fullUrl],
          contacts: new Map(this.state.contacts).set(encounter.fullUrl, subject),
          destinations: newDest ? new Map(this.state.destinations).set(dest!.odsSiteCode, newDest.fullUrl) : this.state.destinations,
          keys: this.withKey(key, 'contact', encounter.fullUrl),
        },
        handle,
      );
    });
  }

  /**
   * The bundle and an OperationOutcome.
   *
   * The outcome always holds the ADS rules (`checkAdsBundle`, the same rules the validator runs on every ADS bundle:
   * time order, treatment type against conveyance, stop codes, triage kinds, shared NHS numbers, dose units), each
   * issue with its rule id. Without a validator it also holds what the Bundle profile checks (one call, references
   * that resolve). With a validator (`build({ validator: service })`, `build(fn)`, or in the options; one given here
   * replaces the options' one) it holds profile validation, and an ADS rule both report is kept once. The validator
   * checks the bundle against the profiles it claims in `meta.profile`: the ADS profiles of `profiles/ads` (or the
   * official ADS package, if the validator was loaded with that). With no issues, the outcome carries one
   * `information` issue. The returned bundle is a fresh copy; changing it does not affect the builder.
   *
   * @example
   * const service = await createValidationService();           // once: loads core R4, UK Core and profiles/ads
   * const { bundle, outcome } = builder.build({ validator: service });
   */
  build(validation?: BuildValidation, options: { readonly audit?: AuditOption } = {}): BuildResult {
    if (this.extended) throw new AdsBuilderError('build', STALE);
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
    const seen = new Set(own.map((i) => `${ruleOf(i)}|${i.expression?.[0] ?? ''}`));
    const validated = validate ? validate(bundle).issue.filter((i) => !ruleOf(i) || !seen.has(`${ruleOf(i)}|${i.expression?.[0] ?? ''}`)) : [];
    const issues: OperationOutcomeIssue[] = [...own, ...validated];
    const outcome: OperationOutcome = {
      resourceType: 'OperationOutcome',
      issue: issues.length ? issues : [{ severity: 'information', code: 'informational', diagnostics: validate ? 'No issues found' : 'No issues found by the builder checks (no profile validation was run)' }],
    };
    return { bundle, outcome };
  }

  /** Adds a clinical entry made by `make` to a patient contact (by Ref or key). */
  protected clinical<R extends FhirResource['resourceType']>(
    contact: ContactRef<K>,
    type: R,
    input: unknown,
    make: (ctx: ClinicalContext) => FhirResource,
    /** A change the entry makes to the contact's Patient as well (recognition of life extinct: the time of death). */
    patientUpdate?: (patient: Patient) => Patient,
  ): AdsBundleBuilder<Handle<R>, K> {
    return this.step(type, () => {
      const ref = this.resolve<'Encounter', 'patient-contact'>(contact, 'contact', 'contact');
      const subject = this.state.contacts.get(ref.reference)!;
      requireInput(input, type);
      const entry = this.entry(guarded(type, () => make({ subject, encounter: plainReference(ref) })));
      const entries = patientUpdate
        ? this.state.entries.map((e) => (e.fullUrl === subject.reference ? deepFreeze({ ...e, resource: patientUpdate(structuredClone(e.resource) as Patient) }) : e))
        : this.state.entries;
      return this.next({ entries: [...entries, entry] }, this.handle(entry.fullUrl, type));
    });
  }

  /** Runs a step that extends this builder: refuses when it was extended already; bad input becomes an AdsBuilderError. */
  protected step<T>(field: string, run: () => T): T {
    if (this.extended) throw new AdsBuilderError(field, STALE);
    return guarded(field, run);
  }

  /** `(key, input)` or `(input)`: the key (checked, unused so far) and the input. */
  private keyed<I>(a: string | I, b: I | undefined, field: string): [string | undefined, I] {
    if (typeof a !== 'string') return [undefined, a];
    if (!a.trim()) throw new AdsBuilderError(`${field}.key`, 'must be a non-empty string');
    if (this.state.keys.has(a)) throw new AdsBuilderError(`${field}.key`, 'is already used in this bundle');
    return [a, b as I];
  }

  private withKey(key: string | undefined, kind: KeyKind, fullUrl: string): State['keys'] {
    return key === undefined ? this.state.keys : new Map(this.state.keys).set(key, { kind, fullUrl });
  }

  /** The typed Ref a Ref or key names, when it is an entry of this bundle of the right kind; else throws naming `field`. */
  private resolve<R extends FhirResource['resourceType'], R2 extends string = R>(value: unknown, kind: KeyKind, field: string): Ref<R, R2> {
    let url: string | undefined;
    if (typeof value === 'string') {
      const named = this.state.keys.get(value);
      url = named?.kind === kind ? named.fullUrl : undefined;
      if (!url) throw new AdsBuilderError(field, `names no ${kind === 'contact' ? 'patient contact' : kind} key of this bundle`);
    } else url = (value as Reference | undefined)?.reference;
    const known = kind === 'response' ? this.state.responses.has(url ?? '')
      : kind === 'contact' ? this.state.contacts.has(url ?? '')
      : this.state.entries.some((e) => e.fullUrl === url && e.resource.resourceType === 'Patient');
    if (!known) throw new AdsBuilderError(field, `is not a ${kind === 'contact' ? 'patient contact' : kind} of this bundle`);
    return typeof value === 'string' ? makeRef<R, R2>(url!, TYPE_OF[kind] as R) : (value as Ref<R, R2>);
  }

  private orgRefs(): { submitter: Reference; provider: Reference } {
    return { submitter: plainReference(makeRef(this.state.submitter.fullUrl, 'Organization')), provider: plainReference(makeRef(this.state.provider.fullUrl, 'Organization')) };
  }

  private entry(resource: FhirResource): Entry {
    const id = this.state.config.ids();
    return deepFreeze({ fullUrl: `urn:uuid:${id}`, resource: withId(resource, id) });
  }

  private handle<R extends FhirResource['resourceType'], R2 extends string = R>(fullUrl: string, type: R): Handle<R, R2> {
    return Object.freeze({ fullUrl, ref: makeRef<R, R2>(fullUrl, type) });
  }

  private make<H, K2 extends BuilderKeys>(state: State, added: H): AdsBundleBuilder<H, K2> {
    const Builder = this.constructor as new (state: State, added: H) => AdsBundleBuilder<H, K2>;
    return new Builder(state, added);
  }

  private next<H, K2 extends BuilderKeys = K>(changes: Partial<State>, added: H): AdsBundleBuilder<H, K2> {
    if (this.extended) throw new AdsBuilderError('builder', STALE);
    this.extended = true;
    return this.make({ ...this.state, ...changes }, added);
  }
}
