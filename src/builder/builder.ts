import {
  acvpu, bloodPressure, impression, injury, medicationAdministration, publicHealth, safeguarding, vitalSign,
  type BloodPressureInput, type ImpressionInput, type InjuryInput, type MeasurementInput, type MedicationInput, type SafeguardingInput, type VitalName,
} from './clinical.js';
import {
  cardiacArrest, careBundle, estimatedAge, gcs, procedure, type CardiacArrestInput, type CareBundleInput, type GcsInput, type ProcedureInput,
} from './clinical-care.js';
import { dateTime as normalisedDateTime, instant } from './datatypes.js';
import { AdsBuilderError } from './errors.js';
import { AdsBundleCore, initialState, type ContactRef } from './builder-core.js';
import type { Acvpu, PublicHealthIndicator } from './codes.js';
import type { DateTimeInput } from './datatypes.js';
import type { AdsBuilderOptions } from './options.js';
import type { Handle } from './refs.js';
import { guarded, type BuilderKeys, type NoKeys } from './state.js';

export type { AdsBuilderOptions, BuildResult, BuildValidation, BundleValidator, ValidateFn } from './options.js';
export type { ContactRef, PatientContactInput, ResponseInput } from './builder-core.js';
export type { AddKey, BuilderKeys, KeyKind, NoKeys } from './state.js';
export { sequentialUuids } from './state.js';
/** Medication, dose, route and time; see {@link MedicationInput}. */
export type { MedicationInput } from './clinical.js';

/**
 * Builds an Ambulance Data Set bundle (profile UKCore-ADS-Bundle) step by step.
 *
 * Every call returns a new builder. Parts can be named by **keys** (`.response('ea1', ...)`, `.patient('p1', ...)`,
 * `.patientContact('c1', { response: 'ea1', patient: 'p1', ... })`, `.pulseRate('c1', ...)`): the compiler knows
 * which keys name which kind, so a patient key where a response is expected does not compile. The new builder's
 * `added` holds a typed handle to what the call added, for callers that prefer references. A builder is extended
 * once: calling it again after its result was left unused throws (the unused result's data would be lost), and
 * `fork()` branches on purpose. Impossible values throw {@link AdsBuilderError} at the call, naming the field.
 *
 * @example
 * const { bundle, outcome } = AdsBundleBuilder.create({ submitter: { odsCode: 'RX9', name: 'East Midlands Ambulance Service' } })
 *   .call({ cadId: '240101-0042', connectedAt: '2026-01-01T10:00:00Z', origin: '01', initialCategory: 'C2',
 *           reportingCategory: 'C2', treatmentType: 'see-and-treat' })
 *   .response('ea1', { callSign: 'EA123', times: { allocated: '2026-01-01T10:03:00Z', arrivedAtScene: '2026-01-01T10:15:00Z' } })
 *   .patient('p1', { nhsNumberUnavailable: 'nhs-number-not-known' })
 *   .patientContact('c1', { response: 'ea1', patient: 'p1', conveyance: { outcome: 'not-conveyed-discharged' } })
 *   .pulseRate('c1', { value: 88, at: '2026-01-01T10:20:00Z' })
 *   .build();
 */
export class AdsBundleBuilder<A = undefined, K extends BuilderKeys = NoKeys> extends AdsBundleCore<A, K> {
  /** A builder with the Header section (submitting and provider organisations) and nothing else. */
  static create(options: AdsBuilderOptions): AdsBundleBuilder<undefined, NoKeys> {
    return guarded('options', () => new AdsBundleBuilder(initialState(options), undefined));
  }

  /** Respiration rate, breaths per minute. */
  respirationRate(contact: ContactRef<K>, input: MeasurementInput): AdsBundleBuilder<Handle<'Observation'>, K> {
    return this.vital('respirationRate', contact, input);
  }
  /** Oxygen saturation (SpO2), percent. */
  oxygenSaturation(contact: ContactRef<K>, input: MeasurementInput): AdsBundleBuilder<Handle<'Observation'>, K> {
    return this.vital('oxygenSaturation', contact, input);
  }
  /** Pulse rate, beats per minute. */
  pulseRate(contact: ContactRef<K>, input: MeasurementInput): AdsBundleBuilder<Handle<'Observation'>, K> {
    return this.vital('pulseRate', contact, input);
  }
  /** Body temperature, degrees Celsius. */
  temperature(contact: ContactRef<K>, input: MeasurementInput): AdsBundleBuilder<Handle<'Observation'>, K> {
    return this.vital('temperature', contact, input);
  }
  /** Blood glucose, mmol/L. */
  bloodGlucose(contact: ContactRef<K>, input: MeasurementInput): AdsBundleBuilder<Handle<'Observation'>, K> {
    return this.vital('bloodGlucose', contact, input);
  }
  /** NEWS2 total score, 0 to 20. */
  news2(contact: ContactRef<K>, input: MeasurementInput): AdsBundleBuilder<Handle<'Observation'>, K> {
    return this.vital('news2', contact, input);
  }
  /** Pain score, 0 to 10. */
  painScore(contact: ContactRef<K>, input: MeasurementInput): AdsBundleBuilder<Handle<'Observation'>, K> {
    return this.vital('painScore', contact, input);
  }
  /** Systolic and diastolic blood pressure, mm[Hg]. */
  bloodPressure(contact: ContactRef<K>, input: BloodPressureInput): AdsBundleBuilder<Handle<'Observation'>, K> {
    return this.clinical(contact, 'Observation', input, (ctx) => bloodPressure(ctx, input));
  }
  /** Level of consciousness (ACVPU). */
  acvpu(contact: ContactRef<K>, input: { readonly level: Acvpu; readonly at: DateTimeInput }): AdsBundleBuilder<Handle<'Observation'>, K> {
    return this.clinical(contact, 'Observation', input, (ctx) => acvpu(ctx, input));
  }
  /** A medicine administered (dm+d), with dose (UCUM unit), route and time. */
  medication(contact: ContactRef<K>, input: MedicationInput): AdsBundleBuilder<Handle<'MedicationAdministration'>, K> {
    return this.clinical(contact, 'MedicationAdministration', input, (ctx) => medicationAdministration(ctx, input));
  }
  /** A clinical impression or working diagnosis. */
  impression(contact: ContactRef<K>, input: ImpressionInput): AdsBundleBuilder<Handle<'Condition'>, K> {
    return this.clinical(contact, 'Condition', input, (ctx) => impression(ctx, input));
  }
  /** An injury: mechanism, place, activity and time. */
  injury(contact: ContactRef<K>, input: InjuryInput): AdsBundleBuilder<Handle<'Observation'>, K> {
    return this.clinical(contact, 'Observation', input, (ctx) => injury(ctx, input));
  }
  /** A safeguarding concern, and the referral made for it. */
  safeguarding(contact: ContactRef<K>, input: SafeguardingInput): AdsBundleBuilder<Handle<'Flag'>, K> {
    return this.clinical(contact, 'Flag', input, (ctx) => safeguarding(ctx, input));
  }
  /** Glasgow coma score: eye, verbal and motor responses (the total is their sum). */
  gcs(contact: ContactRef<K>, input: GcsInput): AdsBundleBuilder<Handle<'Observation'>, K> {
    return this.clinical(contact, 'Observation', input, (ctx) => gcs(ctx, input));
  }
  /** The age the crew estimated, in years, when the date of birth is not known. */
  estimatedAge(contact: ContactRef<K>, input: { readonly years: number; readonly at: DateTimeInput }): AdsBundleBuilder<Handle<'Observation'>, K> {
    return this.clinical(contact, 'Observation', input, (ctx) => estimatedAge(ctx, input));
  }
  /** A procedure or intervention: CPR, defibrillation, airway management, 12-lead ECG, immobilisation. */
  procedure(contact: ContactRef<K>, input: ProcedureInput): AdsBundleBuilder<Handle<'Procedure'>, K> {
    return this.clinical(contact, 'Procedure', input, (ctx) => procedure(ctx, input));
  }
  /** An out-of-hospital cardiac arrest: witnessed, bystander CPR, initial rhythm, ROSC and its time. */
  cardiacArrest(contact: ContactRef<K>, input: CardiacArrestInput): AdsBundleBuilder<Handle<'Observation'>, K> {
    return this.clinical(contact, 'Observation', input, (ctx) => cardiacArrest(ctx, input));
  }
  /** An AQI care bundle (STEMI or stroke): which items were delivered. */
  careBundle(contact: ContactRef<K>, input: CareBundleInput): AdsBundleBuilder<Handle<'Observation'>, K> {
    return this.clinical(contact, 'Observation', input, (ctx) => careBundle(ctx, input));
  }
  /**
   * Recognition of life extinct: a Procedure at `at`, and the time of death on the contact's Patient
   * (`deceasedDateTime`, not after `at`). The contact's conveyance outcome should be `deceased`.
   */
  recognitionOfLifeExtinct(contact: ContactRef<K>, input: { readonly at: DateTimeInput; readonly timeOfDeath: DateTimeInput }): AdsBundleBuilder<Handle<'Procedure'>, K> {
    const death = () => {
      const t = normalisedDateTime(input.timeOfDeath, 'recognitionOfLifeExtinct.timeOfDeath');
      if (instant(t) > instant(normalisedDateTime(input.at, 'recognitionOfLifeExtinct.at'))) throw new AdsBuilderError('recognitionOfLifeExtinct.timeOfDeath', 'is after the recognition of life extinct');
      return t;
    };
    return this.clinical(contact, 'Procedure', input, (ctx) => procedure(ctx, { kind: 'recognition-of-life-extinct', at: input.at }), (p) => ({ ...p, deceasedDateTime: death() }));
  }
  /** A public health factor. */
  publicHealth(contact: ContactRef<K>, input: { readonly indicator: PublicHealthIndicator; readonly at: DateTimeInput }): AdsBundleBuilder<Handle<'Observation'>, K> {
    return this.clinical(contact, 'Observation', input, (ctx) => publicHealth(ctx, input));
  }

  private vital(name: VitalName, contact: ContactRef<K>, input: MeasurementInput): AdsBundleBuilder<Handle<'Observation'>, K> {
    return this.clinical(contact, 'Observation', input, (ctx) => vitalSign(name, ctx, input));
  }
}
