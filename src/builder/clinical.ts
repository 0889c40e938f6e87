import type { CodeableConcept, Coding, Condition, Flag, MedicationAdministration, Observation, Quantity, Reference } from 'fhir/r4';
import { codingFrom, CODES, type Acvpu, type PublicHealthIndicator, type SafeguardingAgency, type SafeguardingConcern } from './codes.js';
import { codeableConcept, dateTime, snomedConcept, text, ucumQuantity, type DateTimeInput } from './datatypes.js';
import { AdsBuilderError } from './errors.js';
import { EXTENSIONS, PROFILES, SYSTEMS } from './systems.js';

/** Who and which patient contact a clinical entry belongs to. */
export interface ClinicalContext {
  readonly subject: Reference;
  readonly encounter: Reference;
}

/** A SNOMED CT concept given by id and optional display; the id's check digit is verified. */
export interface SnomedInput {
  readonly code: string;
  readonly display?: string;
}

const category = (code: string, display: string): CodeableConcept[] => [codeableConcept({ system: SYSTEMS.observationCategory, code, display })];
const VITAL_SIGNS = (): CodeableConcept[] => category('vital-signs', 'Vital Signs');
const loinc = (code: string, display: string): Coding => ({ system: SYSTEMS.loinc, code, display });
const sct = (code: string, display: string): Coding => ({ system: SYSTEMS.snomed, code, display });

function observation(profile: string, ctx: ClinicalContext, at: DateTimeInput, field: string, fields: Partial<Observation>): Observation {
  return {
    resourceType: 'Observation',
    meta: { profile: [profile] },
    status: 'final',
    code: fields.code!,
    ...fields,
    subject: { ...ctx.subject },
    encounter: { ...ctx.encounter },
    effectiveDateTime: dateTime(at, `${field}.at`),
  };
}

/** A measured vital sign: the value and when it was taken. */
export interface MeasurementInput {
  readonly value: number;
  readonly at: DateTimeInput;
}

/** Definition of one single-quantity vital sign: codes per the UK Core profile, UCUM unit, plausible range. */
interface VitalSpec {
  readonly profile: string;
  readonly codes: Coding[];
  readonly text: string;
  readonly category: () => CodeableConcept[];
  readonly ucum: string;
  readonly unit: string;
  readonly range: { min?: number; max?: number; integer?: boolean };
}

/** The single-quantity observations the builder knows, keyed by the builder method that adds them. */
export const VITALS = {
  respirationRate: {
    profile: PROFILES.respirationRate, codes: [loinc('9279-1', 'Respiratory rate'), sct('86290005', 'Respiratory rate')], text: 'Respiratory rate',
    category: VITAL_SIGNS, ucum: '/min', unit: 'per minute', range: { min: 0, max: 100, integer: true },
  },
  oxygenSaturation: {
    profile: PROFILES.oxygenSaturation, codes: [loinc('2708-6', 'Oxygen saturation in Arterial blood'), sct('103228002', 'Blood oxygen saturation')],
    text: 'Oxygen saturation', category: VITAL_SIGNS, ucum: '%', unit: 'percent', range: { min: 0, max: 100 },
  },
  pulseRate: {
    profile: PROFILES.heartRate, codes: [loinc('8867-4', 'Heart rate'), sct('78564009', 'Pulse rate')], text: 'Pulse rate',
    category: VITAL_SIGNS, ucum: '/min', unit: 'per minute', range: { min: 0, max: 350, integer: true },
  },
  temperature: {
    profile: PROFILES.bodyTemperature, codes: [loinc('8310-5', 'Body temperature'), sct('386725007', 'Body temperature')], text: 'Body temperature',
    category: VITAL_SIGNS, ucum: 'Cel', unit: 'degree Celsius', range: { min: 10, max: 50 },
  },
  bloodGlucose: {
    profile: PROFILES.bloodGlucose, codes: [sct('997671000000106', 'Blood glucose level')], text: 'Blood glucose level',
    category: () => category('laboratory', 'Laboratory'), ucum: 'mmol/L', unit: 'millimoles per litre', range: { min: 0, max: 100 },
  },
  news2: {
    profile: PROFILES.news2, codes: [sct('1104051000000101', 'Royal College of Physicians NEWS2 (National Early Warning Score 2) total score')],
    text: 'NEWS2 total score', category: () => category('survey', 'Survey'), ucum: '{ScoreOf}', unit: 'score', range: { min: 0, max: 20, integer: true },
  },
  painScore: {
    profile: PROFILES.painScore, codes: [sct('225908003', 'Pain score')], text: 'Pain score',
    category: () => category('survey', 'Survey'), ucum: '{score}', unit: 'score', range: { min: 0, max: 10, integer: true },
  },
} as const satisfies Record<string, VitalSpec>;

/** Names of the single-quantity observations. */
export type VitalName = keyof typeof VITALS;

/** An Observation for one single-quantity vital sign; throws when the value is outside its plausible range. */
export function vitalSign(name: VitalName, ctx: ClinicalContext, input: MeasurementInput): Observation {
  const spec: VitalSpec = VITALS[name];
  const valueQuantity: Quantity = ucumQuantity(input.value, spec.ucum, spec.unit, `${name}.value`, spec.range);
  return observation(spec.profile, ctx, input.at, name, {
    category: spec.category(),
    code: codeableConcept(spec.codes.map((c) => ({ ...c })), spec.text),
    valueQuantity,
  });
}

/** Systolic and diastolic pressure in mm[Hg]. */
export interface BloodPressureInput {
  readonly systolic: number;
  readonly diastolic: number;
  readonly at: DateTimeInput;
}

/** A UK Core blood pressure panel with systolic and diastolic components. */
export function bloodPressure(ctx: ClinicalContext, input: BloodPressureInput): Observation {
  const mmHg = (value: number, field: string) => ucumQuantity(value, 'mm[Hg]', 'millimeter of mercury', field, { min: 0, max: 400 });
  const systolic = mmHg(input.systolic, 'bloodPressure.systolic');
  const diastolic = mmHg(input.diastolic, 'bloodPressure.diastolic');
  if (input.diastolic >= input.systolic) throw new AdsBuilderError('bloodPressure.diastolic', 'must be below the systolic pressure');
  return observation(PROFILES.bloodPressure, ctx, input.at, 'bloodPressure', {
    category: VITAL_SIGNS(),
    code: codeableConcept([loinc('85354-9', 'Blood pressure panel with all children optional'), sct('75367002', 'Blood pressure')], 'Blood pressure'),
    component: [
      { code: codeableConcept([loinc('8480-6', 'Systolic blood pressure'), sct('271649006', 'Systolic blood pressure')], 'Systolic blood pressure'), valueQuantity: systolic },
      { code: codeableConcept([loinc('8462-4', 'Diastolic blood pressure'), sct('271650006', 'Diastolic blood pressure')], 'Diastolic blood pressure'), valueQuantity: diastolic },
    ],
  });
}

const ACVPU: Readonly<Record<Acvpu, Coding>> = {
  A: sct('248234008', 'Mentally alert'),
  C: sct('130987000', 'Acute confusion'),
  V: sct('300202002', 'Responds to voice'),
  P: sct('450847001', 'Responds to pain'),
  U: sct('422768004', 'Unresponsive'),
};

/** Level of consciousness on the ACVPU scale (UK Core ACVPU value set). */
export function acvpu(ctx: ClinicalContext, input: { readonly level: Acvpu; readonly at: DateTimeInput }): Observation {
  const value = ACVPU[input.level];
  if (!value) throw new AdsBuilderError('acvpu.level', 'must be one of A, C, V, P, U');
  return observation(PROFILES.acvpu, ctx, input.at, 'acvpu', {
    category: category('exam', 'Exam'),
    code: codeableConcept(sct('1104441000000107', 'ACVPU (Alert Confusion Voice Pain Unresponsive) scale score')),
    valueCodeableConcept: codeableConcept({ ...value }),
  });
}

/** Mechanism, place and activity of an injury (SNOMED CT concepts), and when it happened. */
export interface InjuryInput {
  readonly at: DateTimeInput;
  readonly mechanism?: SnomedInput;
  readonly place?: SnomedInput;
  readonly activity?: SnomedInput;
}

/** An injury Observation with one component per given part. */
export function injury(ctx: ClinicalContext, input: InjuryInput): Observation {
  const parts = (['mechanism', 'place', 'activity'] as const).filter((p) => input[p]);
  if (parts.length === 0) throw new AdsBuilderError('injury', 'give at least one of mechanism, place, activity');
  return observation(PROFILES.injury, ctx, input.at, 'injury', {
    category: category('exam', 'Exam'),
    code: codeableConcept(sct('417746004', 'Traumatic injury')),
    component: parts.map((p) => ({
      code: codeableConcept(codingFrom(CODES.injuryComponent, p, `injury.${p}`)),
      valueCodeableConcept: snomedConcept(input[p]!, `injury.${p}.code`),
    })),
  });
}

/** A public health factor present at the contact. */
export function publicHealth(ctx: ClinicalContext, input: { readonly indicator: PublicHealthIndicator; readonly at: DateTimeInput }): Observation {
  return observation(PROFILES.publicHealth, ctx, input.at, 'publicHealth', {
    category: category('social-history', 'Social History'),
    code: codeableConcept(codingFrom(CODES.publicHealthIndicator, input.indicator, 'publicHealth.indicator')),
    valueBoolean: true,
  });
}

/** A medicine given: dm+d concept, dose with UCUM unit, SNOMED route, time. */
export interface MedicationInput {
  readonly medication: SnomedInput;
  readonly dose: { readonly value: number; readonly unit: string; readonly ucum: string };
  readonly route: SnomedInput;
  readonly at: DateTimeInput;
}

/** A MedicationAdministration; throws on a negative dose or a malformed dm+d/SNOMED id. */
export function medicationAdministration(ctx: ClinicalContext, input: MedicationInput): MedicationAdministration {
  const dose = ucumQuantity(input.dose.value, input.dose.ucum, input.dose.unit, 'medication.dose', { min: 0 });
  return {
    resourceType: 'MedicationAdministration',
    meta: { profile: [PROFILES.medicationAdministration] },
    status: 'completed',
    medicationCodeableConcept: snomedConcept(input.medication, 'medication.medication.code'),
    subject: { ...ctx.subject },
    context: { ...ctx.encounter },
    effectiveDateTime: dateTime(input.at, 'medication.at'),
    dosage: { route: snomedConcept(input.route, 'medication.route.code'), dose },
  };
}

/** A clinical impression or working diagnosis (SNOMED CT). */
export interface ImpressionInput {
  readonly code: SnomedInput;
  readonly verification?: 'provisional' | 'confirmed';
  readonly at?: DateTimeInput;
}

/** A Condition of category encounter-diagnosis. */
export function impression(ctx: ClinicalContext, input: ImpressionInput): Condition {
  const verification = input.verification ?? 'provisional';
  return {
    resourceType: 'Condition',
    meta: { profile: [PROFILES.condition] },
    clinicalStatus: codeableConcept({ system: SYSTEMS.conditionClinical, code: 'active', display: 'Active' }),
    verificationStatus: codeableConcept({ system: SYSTEMS.conditionVerification, code: verification, display: verification === 'confirmed' ? 'Confirmed' : 'Provisional' }),
    category: [codeableConcept({ system: SYSTEMS.conditionCategory, code: 'encounter-diagnosis', display: 'Encounter Diagnosis' })],
    code: snomedConcept(input.code, 'impression.code.code'),
    subject: { ...ctx.subject },
    encounter: { ...ctx.encounter },
    ...(input.at !== undefined ? { recordedDate: dateTime(input.at, 'impression.at') } : {}),
  };
}

/** A safeguarding concern raised at the contact, and the referral made for it. */
export interface SafeguardingInput {
  readonly concern: SafeguardingConcern;
  readonly at: DateTimeInput;
  /** The referral (DH-P61 to DH-P63): when, to whom, and the reference the agency gave. */
  readonly referral?: { readonly at: DateTimeInput; readonly agency: SafeguardingAgency; readonly reference?: string };
}

/** A safeguarding Flag. */
export function safeguarding(ctx: ClinicalContext, input: SafeguardingInput): Flag {
  const start = dateTime(input.at, 'safeguarding.at');
  const r = input.referral;
  if (r !== undefined && (!r || typeof r !== 'object')) throw new AdsBuilderError('safeguarding.referral', 'is missing');
  return {
    resourceType: 'Flag',
    meta: { profile: [PROFILES.safeguarding] },
    ...(r
      ? {
          extension: [{
            url: EXTENSIONS.safeguardingReferral,
            extension: [
              { url: 'referredAt', valueDateTime: dateTime(r.at, 'safeguarding.referral.at') },
              { url: 'agency', valueCodeableConcept: codeableConcept(codingFrom(CODES.safeguardingAgency, r.agency, 'safeguarding.referral.agency')) },
              ...(r.reference !== undefined ? [{ url: 'reference', valueString: text(r.reference, 'safeguarding.referral.reference') }] : []),
            ],
          }],
        }
      : {}),
    status: 'active',
    category: [codeableConcept({ system: SYSTEMS.flagCategory, code: 'safety', display: 'Safety' })],
    code: codeableConcept(codingFrom(CODES.safeguardingConcern, input.concern, 'safeguarding.concern')),
    subject: { ...ctx.subject },
    period: { start },
    encounter: { ...ctx.encounter },
  };
}
