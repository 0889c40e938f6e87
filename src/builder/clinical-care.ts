import type { Coding, Observation, ObservationComponent, Procedure } from 'fhir/r4';
import type { ClinicalContext, SnomedInput } from './clinical.js';
import {
  codingFrom, CODES, type CardiacArrestWitness, type CareBundle, type CareBundleItem, type InitialRhythm, type ProcedureKind,
} from './codes.js';
import { codeableConcept, dateTime, instant, snomedConcept, ucumQuantity, type DateTimeInput } from './datatypes.js';
import { AdsBuilderError } from './errors.js';
import { PROFILES, SYSTEMS } from './systems.js';

// Assessments, procedures and the AQI clinical indicator items of a patient contact. SNOMED CT and LOINC codes are
// used only where checked against a published source (docs/ads-mapping.md, "Codes"); the rest are ADS codes.

const loinc = (code: string, display: string): Coding => ({ system: SYSTEMS.loinc, code, display });
const sct = (code: string, display: string): Coding => ({ system: SYSTEMS.snomed, code, display });
const category = (code: string, display: string) => [codeableConcept({ system: SYSTEMS.observationCategory, code, display })];

function observation(profile: string, ctx: ClinicalContext, effective: string, fields: Partial<Observation> & Pick<Observation, 'code'>): Observation {
  return {
    resourceType: 'Observation',
    meta: { profile: [profile] },
    status: 'final',
    ...fields,
    subject: { ...ctx.subject },
    encounter: { ...ctx.encounter },
    effectiveDateTime: effective,
  };
}

/** Glasgow coma score: eye (1-4), verbal (1-5) and motor (1-6) responses; the total is their sum. */
export interface GcsInput {
  readonly eyes: number;
  readonly verbal: number;
  readonly motor: number;
  readonly at: DateTimeInput;
}

/** A UKCore-ADS-Observation-GCS (LOINC 9269-2 total; 9267-6, 9270-0, 9268-4 components). */
export function gcs(ctx: ClinicalContext, input: GcsInput): Observation {
  const part = (value: number, max: number, field: string): number => {
    if (!Number.isInteger(value) || value < 1 || value > max) throw new AdsBuilderError(`gcs.${field}`, `must be a whole number from 1 to ${max}`);
    return value;
  };
  const eyes = part(input.eyes, 4, 'eyes');
  const verbal = part(input.verbal, 5, 'verbal');
  const motor = part(input.motor, 6, 'motor');
  return observation(PROFILES.gcs, ctx, dateTime(input.at, 'gcs.at'), {
    category: category('survey', 'Survey'),
    code: codeableConcept(loinc('9269-2', 'Glasgow coma score total'), 'Glasgow coma score'),
    valueInteger: eyes + verbal + motor,
    component: [
      { code: codeableConcept(loinc('9267-6', 'Glasgow coma score eye opening')), valueInteger: eyes },
      { code: codeableConcept(loinc('9270-0', 'Glasgow coma score verbal')), valueInteger: verbal },
      { code: codeableConcept(loinc('9268-4', 'Glasgow coma score motor')), valueInteger: motor },
    ],
  });
}

/** A UKCore-ADS-Observation-EstimatedAge: the age in years the crew estimated (LOINC 30525-0 Age, UCUM `a`). */
export function estimatedAge(ctx: ClinicalContext, input: { readonly years: number; readonly at: DateTimeInput }): Observation {
  return observation(PROFILES.estimatedAge, ctx, dateTime(input.at, 'estimatedAge.at'), {
    category: category('survey', 'Survey'),
    code: codeableConcept(loinc('30525-0', 'Age'), 'Estimated age'),
    valueQuantity: ucumQuantity(input.years, 'a', 'years', 'estimatedAge.years', { min: 0, max: 130, integer: true }),
  });
}

/** SNOMED CT concepts of the procedures, where one was checked against a published source. */
const PROCEDURE_SNOMED: Partial<Record<ProcedureKind, Coding>> = {
  cpr: sct('89666000', 'Cardiopulmonary resuscitation'),
  'twelve-lead-ecg': sct('268400002', '12 lead electrocardiogram'),
};

/** A procedure of the crew, with the time it was done; `code` adds a more specific SNOMED CT procedure (e.g. an airway device). */
export interface ProcedureInput {
  readonly kind: ProcedureKind;
  readonly at: DateTimeInput;
  readonly code?: SnomedInput;
}

/** A UKCore-ADS-Procedure (also used for recognition of life extinct, with its own kind). */
export function procedure(ctx: ClinicalContext, input: { readonly kind: ProcedureKind | 'recognition-of-life-extinct'; readonly at: DateTimeInput; readonly code?: SnomedInput }): Procedure {
  const ads = codingFrom(CODES.prehospitalProcedure, input.kind, 'procedure.kind');
  const snomed = PROCEDURE_SNOMED[input.kind as ProcedureKind];
  const extra = input.code ? snomedConcept(input.code, 'procedure.code.code').coding! : [];
  return {
    resourceType: 'Procedure',
    meta: { profile: [PROFILES.procedure] },
    status: 'completed',
    code: codeableConcept([ads, ...(snomed ? [{ ...snomed }] : []), ...extra], ads.display),
    subject: { ...ctx.subject },
    encounter: { ...ctx.encounter },
    performedDateTime: dateTime(input.at, 'procedure.at'),
  };
}

/** An out-of-hospital cardiac arrest (the AQI cardiac arrest indicators). */
export interface CardiacArrestInput {
  /** When the arrest happened, or was recognised. */
  readonly at: DateTimeInput;
  readonly resuscitationAttempted?: boolean;
  readonly witnessed?: CardiacArrestWitness;
  readonly bystanderCpr?: boolean;
  readonly initialRhythm?: InitialRhythm;
  readonly rosc?: boolean;
  /** When spontaneous circulation returned; only with `rosc: true`, not before the arrest. */
  readonly roscAt?: DateTimeInput;
}

/** A UKCore-ADS-CardiacArrest-Observation (SNOMED CT 410429000 Cardiac arrest) with one component per item given. */
export function cardiacArrest(ctx: ClinicalContext, input: CardiacArrestInput): Observation {
  const at = dateTime(input.at, 'cardiacArrest.at');
  const part = (code: string, value: Omit<ObservationComponent, 'code'>): ObservationComponent => ({
    code: codeableConcept(codingFrom(CODES.cardiacArrestComponent, code, `cardiacArrest.${code}`)), ...value,
  });
  const flag = (v: boolean | undefined, field: string) => {
    if (v !== undefined && typeof v !== 'boolean') throw new AdsBuilderError(`cardiacArrest.${field}`, 'must be true or false');
    return v;
  };
  const components: ObservationComponent[] = [];
  if (flag(input.resuscitationAttempted, 'resuscitationAttempted') !== undefined) components.push(part('resuscitation-attempted', { valueBoolean: input.resuscitationAttempted! }));
  if (input.witnessed !== undefined) components.push(part('witnessed', { valueCodeableConcept: codeableConcept(codingFrom(CODES.cardiacArrestWitness, input.witnessed, 'cardiacArrest.witnessed')) }));
  if (flag(input.bystanderCpr, 'bystanderCpr') !== undefined) components.push(part('bystander-cpr', { valueBoolean: input.bystanderCpr! }));
  if (input.initialRhythm !== undefined) components.push(part('initial-rhythm', { valueCodeableConcept: codeableConcept(codingFrom(CODES.initialRhythm, input.initialRhythm, 'cardiacArrest.initialRhythm')) }));
  if (flag(input.rosc, 'rosc') !== undefined) components.push(part('rosc', { valueBoolean: input.rosc! }));
  if (input.roscAt !== undefined) {
    // The validator's ADS_CARDIAC_ARREST_ROSC, at the call.
    if (input.rosc !== true) throw new AdsBuilderError('cardiacArrest.roscAt', 'a ROSC time needs rosc: true');
    const roscAt = dateTime(input.roscAt, 'cardiacArrest.roscAt');
    if (instant(roscAt) < instant(at)) throw new AdsBuilderError('cardiacArrest.roscAt', 'is before the arrest');
    components.push(part('rosc-time', { valueDateTime: roscAt }));
  }
  return observation(PROFILES.cardiacArrest, ctx, at, {
    category: category('exam', 'Exam'),
    code: codeableConcept(sct('410429000', 'Cardiac arrest'), 'Cardiac arrest'),
    ...(components.length ? { component: components } : {}),
  });
}

/** An AQI care bundle: which items were delivered (true) or not (false); items not given are left out. */
export interface CareBundleInput {
  readonly bundle: CareBundle;
  readonly at: DateTimeInput;
  readonly items: Partial<Readonly<Record<CareBundleItem, boolean>>>;
}

/** Items of each care bundle (the AQI clinical indicators). */
export const CARE_BUNDLE_ITEMS: Readonly<Record<CareBundle, readonly CareBundleItem[]>> = {
  stemi: ['aspirin', 'gtn', 'pain-score-before', 'pain-score-after', 'analgesia'],
  stroke: ['fast', 'blood-glucose', 'blood-pressure'],
};

/** A UKCore-ADS-CareBundle-Observation with one boolean component per item given. */
export function careBundle(ctx: ClinicalContext, input: CareBundleInput): Observation {
  const code = codingFrom(CODES.careBundle, input.bundle, 'careBundle.bundle');
  if (!input.items || typeof input.items !== 'object') throw new AdsBuilderError('careBundle.items', 'is missing');
  const allowed = CARE_BUNDLE_ITEMS[input.bundle];
  const component = Object.entries(input.items).map(([item, delivered]): ObservationComponent => {
    if (!allowed.includes(item as CareBundleItem)) throw new AdsBuilderError(`careBundle.items.${item}`, `is not an item of the ${input.bundle} care bundle (${allowed.join(', ')})`);
    if (typeof delivered !== 'boolean') throw new AdsBuilderError(`careBundle.items.${item}`, 'must be true or false');
    return { code: codeableConcept(codingFrom(CODES.careBundleItem, item, `careBundle.items.${item}`)), valueBoolean: delivered };
  });
  if (!component.length) throw new AdsBuilderError('careBundle.items', 'give at least one item');
  return observation(PROFILES.careBundle, ctx, dateTime(input.at, 'careBundle.at'), {
    category: category('survey', 'Survey'),
    code: codeableConcept(code),
    component,
  });
}
