import type { Encounter, Extension, Location, Organization, Patient, Reference } from 'fhir/r4';
import {
  codingFrom, CODES, type ConveyanceOutcome, type CrewSkill, type DestinationDepartment, type EthnicCategory, type NhsNumberUnavailableReason,
  type NhsNumberVerificationStatus, type VehicleType, vehicleRoleCoding,
} from './codes.js';
import { codeableConcept, dateTime, pastDate, requireInput, text, type DateTimeInput } from './datatypes.js';
import { AdsBuilderError } from './errors.js';
import { nhsNumber, odsOrganisationCode, odsSiteCode, postcode } from './identifiers.js';
import { EXTENSIONS, PROFILES, SYSTEMS } from './systems.js';
import { responseTimesOutOfOrder } from '../validation/domain-rules/ads/times.js';

/** An organisation by ODS code (submitter ADS0, provider ADS1). */
export interface OrganisationInput {
  readonly odsCode: string;
  readonly name: string;
}

/** A UKCore-ADS-Organization. */
export function organisation(input: OrganisationInput, field: string): Organization {
  requireInput(input, field);
  text(input.name, `${field}.name`);
  return {
    resourceType: 'Organization',
    meta: { profile: [PROFILES.organization] },
    identifier: [{ system: SYSTEMS.odsOrganisation, value: odsOrganisationCode(input.odsCode, `${field}.odsCode`) }],
    name: input.name,
  };
}

/** A responding vehicle, identified by its call sign, assigned by the provider. */
export function vehicle(callSign: string, type: VehicleType | undefined, provider: Reference): Location {
  if (!/^[A-Za-z0-9][A-Za-z0-9 \-/]{0,19}$/.test(callSign ?? '')) throw new AdsBuilderError('response.callSign', 'must be 1 to 20 letters, digits, spaces, - or /');
  return {
    resourceType: 'Location',
    meta: { profile: [PROFILES.vehicle] },
    identifier: [{ system: SYSTEMS.callSign, value: callSign, assigner: { ...provider } }],
    status: 'active',
    mode: 'instance',
    ...(type ? { type: [codeableConcept([codingFrom(CODES.vehicleType, type, 'response.vehicleType'), vehicleRoleCoding(type)])] } : {}),
    physicalType: codeableConcept({ system: SYSTEMS.locationPhysicalType, code: 've', display: 'Vehicle' }),
    managingOrganization: { ...provider },
  };
}

/** A conveyance destination by ODS site code, and the department within the site (DH-P53). */
export interface DestinationInput {
  readonly odsSiteCode: string;
  readonly name: string;
  readonly department?: DestinationDepartment;
}

/** A UKCore-ADS-Receiving-Location. */
export function receivingLocation(input: DestinationInput): Location {
  text(input.name, 'conveyance.destination.name');
  return {
    resourceType: 'Location',
    meta: { profile: [PROFILES.receivingLocation] },
    identifier: [{ system: SYSTEMS.odsSite, value: odsSiteCode(input.odsSiteCode, 'conveyance.destination.odsSiteCode') }],
    status: 'active',
    name: input.name,
  };
}

/** Response times, in the order they happen. Only `allocated` is required. */
export interface ResponseTimes {
  readonly allocated: DateTimeInput;
  readonly mobilised?: DateTimeInput;
  readonly arrivedAtScene?: DateTimeInput;
  readonly leftScene?: DateTimeInput;
  readonly arrivedAtDestination?: DateTimeInput;
  readonly handover?: DateTimeInput;
  readonly clear?: DateTimeInput;
  /** Stood down before arriving (ends the response instead of clear). */
  readonly stoodDown?: DateTimeInput;
}

const TIME_CODES: readonly (readonly [keyof ResponseTimes, string])[] = [
  ['allocated', 'time-resource-allocated'],
  ['mobilised', 'time-resource-mobilised'],
  ['arrivedAtScene', 'time-resource-arrived-on-scene'],
  ['leftScene', 'time-resource-left-scene'],
  ['arrivedAtDestination', 'time-arrived-receiving-location'],
  ['handover', 'time-patient-handover'],
  ['clear', 'time-clear'],
  ['stoodDown', 'time-stood-down'],
];

/**
 * A typed date-time: UK Core's TypedDateTime for a UK Core DateTimeType code, ADS's own extension of the same shape
 * for an ADS code (a validator checks the UK Core extension against its own extensible binding, which ADS codes miss).
 */
export function typedDateTime(system: 'ads' | 'ukcore', code: string, value: string, field: string): Extension {
  const table = system === 'ads' ? CODES.responseDateTimeType : CODES.ukCoreDateTimeType;
  return {
    url: system === 'ads' ? EXTENSIONS.adsTypedDateTime : EXTENSIONS.typedDateTime,
    extension: [
      { url: 'dateTimeType', valueCodeableConcept: codeableConcept(codingFrom(table, code, field)) },
      { url: 'dateTime', valueDateTime: value },
    ],
  };
}

/** Normalised times; throws when one is before an earlier step or the response both clears and stands down. */
export function responseTimes(times: ResponseTimes): { extensions: Extension[]; start: string; end?: string; stoodDown: boolean } {
  requireInput(times, 'response.times');
  if (times.allocated === undefined) throw new AdsBuilderError('response.times.allocated', 'is required');
  const set = TIME_CODES.flatMap(([key, code]) => (times[key] === undefined ? [] : [{ key, code, value: dateTime(times[key]!, `response.times.${key}`) }]));
  // The validator's rule ADS_RESPONSE_TIME_ORDER, applied at the call so the error names the input.
  const late = responseTimesOutOfOrder(set)[0];
  if (late) throw new AdsBuilderError(`response.times.${late.time.key}`, `is before response.times.${late.after.key}`);
  const stood = set.find((t) => t.key === 'stoodDown');
  if (stood && times.clear !== undefined) throw new AdsBuilderError('response.times.stoodDown', 'a response is either stood down or clear, not both');
  const extensions = set.map((t) => typedDateTime(t.key === 'allocated' ? 'ads' : 'ukcore', t.code, t.value, `response.times.${t.key}`));
  const end = stood?.value ?? set.find((t) => t.key === 'clear')?.value;
  return { extensions, start: set[0]!.value, ...(end ? { end } : {}), stoodDown: !!stood };
}

const FIELD_CLASS = { system: SYSTEMS.actCode, code: 'FLD', display: 'field' };

/** A UKCore-ADS-Response-Encounter; `crew` gives the skill of each crew member (DH-R11). */
export function responseEncounter(times: ResponseTimes, vehicleRef: Reference, provider: Reference, crew: readonly CrewSkill[] = []): Encounter {
  const t = responseTimes(times);
  if (!Array.isArray(crew)) throw new AdsBuilderError('response.crew', 'must be a list of crew skills');
  const skills = crew.map((c, i) => ({ url: EXTENSIONS.crewSkill, valueCodeableConcept: codeableConcept(codingFrom(CODES.crewSkill, c, `response.crew.${i}`)) }));
  return {
    resourceType: 'Encounter',
    meta: { profile: [PROFILES.response] },
    extension: [...t.extensions, ...skills],
    status: t.stoodDown ? 'cancelled' : t.end ? 'finished' : 'in-progress',
    class: { ...FIELD_CLASS },
    type: [codeableConcept(codingFrom(CODES.encounterType, 'response', 'response'))],
    period: { start: t.start, ...(t.end ? { end: t.end } : {}) },
    location: [{ location: { ...vehicleRef } }],
    serviceProvider: { ...provider },
  };
}

/** Patient demographics. Give either `nhsNumber` or `nhsNumberUnavailable`. */
export interface PatientInput {
  readonly nhsNumber?: { readonly value: string; readonly verificationStatus: NhsNumberVerificationStatus };
  readonly nhsNumberUnavailable?: NhsNumberUnavailableReason;
  /** YYYY-MM-DD. */
  readonly birthDate?: string;
  readonly gender?: 'male' | 'female' | 'other' | 'unknown';
  readonly ethnicCategory?: EthnicCategory;
  readonly postcode?: string;
  /** The patient's GP practice, by ODS code (DH-P08). */
  readonly gpPractice?: { readonly odsCode: string; readonly name?: string };
}

const GENDERS = new Set(['male', 'female', 'other', 'unknown']);

/** A UKCore-ADS-Patient; throws on a bad NHS number, both or neither of NHS number and reason, a future birth date. */
export function patient(input: PatientInput, now: Date): Patient {
  requireInput(input, 'patient');
  if (input.nhsNumber && input.nhsNumberUnavailable) throw new AdsBuilderError('patient.nhsNumberUnavailable', 'give either an NHS number or the reason it is unavailable, not both');
  if (!input.nhsNumber && !input.nhsNumberUnavailable) throw new AdsBuilderError('patient.nhsNumber', 'give the NHS number or nhsNumberUnavailable');
  if (input.gender !== undefined && !GENDERS.has(input.gender)) throw new AdsBuilderError('patient.gender', 'must be male, female, other or unknown');
  const extension: Extension[] = [];
  if (input.ethnicCategory !== undefined) {
    extension.push({ url: EXTENSIONS.ethnicCategory, valueCodeableConcept: codeableConcept(codingFrom(CODES.ethnicCategory, input.ethnicCategory, 'patient.ethnicCategory')) });
  }
  if (input.nhsNumberUnavailable !== undefined) {
    extension.push({
      url: EXTENSIONS.nhsNumberUnavailableReason,
      valueCodeableConcept: codeableConcept(codingFrom(CODES.nhsNumberUnavailableReason, input.nhsNumberUnavailable, 'patient.nhsNumberUnavailable')),
    });
  }
  return {
    resourceType: 'Patient',
    meta: { profile: [PROFILES.patient] },
    ...(extension.length ? { extension } : {}),
    ...(input.nhsNumber
      ? {
          identifier: [{
            extension: [{
              url: EXTENSIONS.nhsNumberVerificationStatus,
              valueCodeableConcept: codeableConcept(codingFrom(CODES.nhsNumberVerificationStatus, input.nhsNumber.verificationStatus, 'patient.nhsNumber.verificationStatus')),
            }],
            system: SYSTEMS.nhsNumber,
            value: nhsNumber(input.nhsNumber.value, 'patient.nhsNumber.value'),
          }],
        }
      : {}),
    ...(input.gender ? { gender: input.gender } : {}),
    ...(input.birthDate !== undefined ? { birthDate: pastDate(input.birthDate, 'patient.birthDate', now) } : {}),
    ...(input.postcode !== undefined ? { address: [{ postalCode: postcode(input.postcode, 'patient.postcode') }] } : {}),
    ...(input.gpPractice !== undefined ? { generalPractitioner: [gpPractice(input.gpPractice)] } : {}),
  };
}

/** A logical reference to the GP practice by its ODS organisation code (no Organization entry is needed). */
function gpPractice(input: NonNullable<PatientInput['gpPractice']>): Reference {
  requireInput(input, 'patient.gpPractice');
  return {
    type: 'Organization',
    identifier: { system: SYSTEMS.odsOrganisation, value: odsOrganisationCode(input.odsCode, 'patient.gpPractice.odsCode') },
    ...(input.name !== undefined ? { display: text(input.name, 'patient.gpPractice.name') } : {}),
  };
}

/** What happened to the patient; conveyed outcomes need a destination, the others must not have one. */
export interface ConveyanceInput {
  readonly outcome: ConveyanceOutcome;
  readonly destination?: DestinationInput;
}

/** Throws when the outcome and the destination disagree. */
export function checkConveyance(input: ConveyanceInput): void {
  requireInput(input, 'conveyance');
  codingFrom(CODES.conveyanceOutcome, input.outcome, 'conveyance.outcome');
  const conveyed = input.outcome.startsWith('conveyed-');
  if (conveyed && !input.destination) throw new AdsBuilderError('conveyance.destination', 'is required when the patient is conveyed');
  if (!conveyed && input.destination) throw new AdsBuilderError('conveyance.destination', 'must be empty when the patient is not conveyed');
  if (input.destination?.department !== undefined) codingFrom(CODES.destinationDepartment, input.destination.department, 'conveyance.destination.department');
}

/** A UKCore-ADS-PatientContact-Encounter; `timeAtPatient` is when the crew reached the patient (DH-P54). */
export function patientContactEncounter(args: {
  subject: Reference; response: Reference; vehicle: Reference; provider: Reference; outcome: ConveyanceOutcome; destination?: Reference;
  department?: DestinationDepartment; timeAtPatient?: DateTimeInput;
}): Encounter {
  const atPatient = args.timeAtPatient === undefined ? undefined : dateTime(args.timeAtPatient, 'patientContact.timeAtPatient');
  return {
    resourceType: 'Encounter',
    meta: { profile: [PROFILES.patientContact] },
    ...(atPatient ? { extension: [typedDateTime('ads', 'time-at-patient', atPatient, 'patientContact.timeAtPatient')] } : {}),
    status: 'finished',
    class: { ...FIELD_CLASS },
    type: [codeableConcept(codingFrom(CODES.encounterType, 'patient-contact', 'patientContact'))],
    subject: { ...args.subject },
    location: [{ location: { ...args.vehicle } }],
    hospitalization: {
      ...(args.department
        ? { extension: [{ url: EXTENSIONS.destinationDepartment, valueCodeableConcept: codeableConcept(codingFrom(CODES.destinationDepartment, args.department, 'conveyance.destination.department')) }] }
        : {}),
      ...(args.destination ? { destination: { ...args.destination } } : {}),
      dischargeDisposition: codeableConcept(codingFrom(CODES.conveyanceOutcome, args.outcome, 'conveyance.outcome')),
    },
    serviceProvider: { ...args.provider },
    partOf: { ...args.response },
  };
}
