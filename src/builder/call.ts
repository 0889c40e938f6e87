import type { Communication, Extension, Location, Observation, Reference } from 'fhir/r4';
import {
  codingFrom, CODES, TRIAGE_CATEGORY, TRIAGE_CODE_SYSTEM, type CallOrigin, type ClinicalReviewOutcome, type ResponseCategory, type StopCode,
  type TreatmentType, type TriageKind,
} from './codes.js';
import { codeableConcept, dateTime, instant, requireInput, text, type DateTimeInput } from './datatypes.js';
import { AdsBuilderError } from './errors.js';
import { lsoaCode, postcode } from './identifiers.js';
import { typedDateTime } from './parties.js';
import { EXTENSIONS, PROFILES, SYSTEMS } from './systems.js';

/** The Call section of the data set. */
export interface CallInput {
  /** CAD call identifier (ADS3). */
  readonly cadId: string;
  /** Time the call connected (ADS10). */
  readonly connectedAt: DateTimeInput;
  /** Call date (ADS2A); defaults to `connectedAt`. */
  readonly callDate?: DateTimeInput;
  /** Call origin (ADS2B). */
  readonly origin: CallOrigin;
  /** Initial response category (ADS15). */
  readonly initialCategory: ResponseCategory;
  /** Reporting response category (ADS20). */
  readonly reportingCategory: ResponseCategory;
  /** Treatment type (ADS33). */
  readonly treatmentType: TreatmentType;
  /** Time dispatch code established (ADS21). */
  readonly dispatchCodeEstablishedAt?: DateTimeInput;
  /** Stop code (ADS4): the call was closed for this reason; status becomes `stopped`. */
  readonly stopCode?: StopCode;
  /** Call received from NHS 111. */
  readonly from111?: boolean;
  /** Counted in the AQI (ADS8). */
  readonly aqiIncident?: boolean;
  /** AQI response time in seconds. */
  readonly aqiResponseTimeSeconds?: number;
  /** Whether Category 1 was predicted before triage finished, and when. */
  readonly cat1EarlyPrediction?: { readonly predicted: boolean; readonly at?: DateTimeInput };
  /** Where the incident is (DH-C09 to DH-C11): at least one of postcode, LSOA, coordinates. */
  readonly incidentLocation?: IncidentLocationInput;
  /** The control room (EOC) clinical review of the call: when, and what it decided (DH-C12, DH-C13). */
  readonly clinicalReview?: { readonly at: DateTimeInput; readonly outcome: ClinicalReviewOutcome };
}

/** Where an incident is. */
export interface IncidentLocationInput {
  readonly postcode?: string;
  /** Lower Layer Super Output Area, the ONS code (E01... in England, W01... in Wales). */
  readonly lsoa?: string;
  /** WGS84 decimal degrees; give both. */
  readonly latitude?: number;
  readonly longitude?: number;
}

/** A UKCore-ADS-IncidentLocation; throws on a malformed postcode or LSOA code, or coordinates out of range. */
export function incidentLocation(input: IncidentLocationInput): Location {
  requireInput(input, 'call.incidentLocation');
  const { latitude, longitude } = input;
  if (input.postcode === undefined && input.lsoa === undefined && latitude === undefined && longitude === undefined) {
    throw new AdsBuilderError('call.incidentLocation', 'give a postcode, an LSOA code or coordinates');
  }
  if (input.lsoa !== undefined) lsoaCode(input.lsoa, 'call.incidentLocation.lsoa');
  if ((latitude === undefined) !== (longitude === undefined)) throw new AdsBuilderError('call.incidentLocation.latitude', 'give latitude and longitude together');
  const inRange = (v: number, max: number) => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= max;
  if (latitude !== undefined && !inRange(latitude, 90)) throw new AdsBuilderError('call.incidentLocation.latitude', 'must be a number from -90 to 90');
  if (longitude !== undefined && !inRange(longitude, 180)) throw new AdsBuilderError('call.incidentLocation.longitude', 'must be a number from -180 to 180');
  return {
    resourceType: 'Location',
    meta: { profile: [PROFILES.incidentLocation] },
    ...(input.lsoa !== undefined ? { identifier: [{ system: SYSTEMS.lsoa, value: input.lsoa }] } : {}),
    status: 'active',
    mode: 'instance',
    ...(input.postcode !== undefined ? { address: { postalCode: postcode(input.postcode, 'call.incidentLocation.postcode') } } : {}),
    ...(latitude !== undefined && longitude !== undefined ? { position: { latitude, longitude } } : {}),
  };
}

/** The call with every input checked and normalised, waiting for its references at build time. */
export type PreparedCall = Omit<Communication, 'about' | 'reasonReference'>;

function responseCategory(type: 'initial' | 'reporting', code: ResponseCategory, field: string): Extension {
  return {
    url: EXTENSIONS.responseCategory,
    extension: [
      { url: 'responseCategoryType', valueCodeableConcept: codeableConcept(codingFrom(CODES.responseCategoryType, type, field)) },
      { url: 'responseCategoryCode', valueCodeableConcept: codeableConcept(codingFrom(CODES.responseCategory, code, field)) },
    ],
  };
}

const yesNo = (value: boolean) => (value ? 'Y' : 'N');

/**
 * Checks and normalises the call; references to the organisations (and the incident Location, when there is one)
 * are given, the rest is added at build.
 */
export function prepareCall(input: CallInput, orgs: { submitter: Reference; provider: Reference; location?: Reference }, cadSystem: string): PreparedCall {
  requireInput(input, 'call');
  text(input.cadId, 'call.cadId');
  const sent = dateTime(input.connectedAt, 'call.connectedAt');
  const callDate = input.callDate === undefined ? sent : dateTime(input.callDate, 'call.callDate');
  const extension: Extension[] = [
    { url: EXTENSIONS.callOrigin, valueCodeableConcept: codeableConcept(codingFrom(CODES.callOrigin, input.origin, 'call.origin')) },
  ];
  if (input.aqiIncident !== undefined) {
    extension.push({ url: EXTENSIONS.aqiIncidentFlag, valueCodeableConcept: codeableConcept(codingFrom(CODES.aqiIncidentFlag, yesNo(input.aqiIncident), 'call.aqiIncident')) });
  }
  extension.push(responseCategory('initial', input.initialCategory, 'call.initialCategory'));
  extension.push(responseCategory('reporting', input.reportingCategory, 'call.reportingCategory'));
  if (input.aqiResponseTimeSeconds !== undefined) {
    const s = input.aqiResponseTimeSeconds;
    if (!Number.isFinite(s) || s < 0) throw new AdsBuilderError('call.aqiResponseTimeSeconds', 'must be a number of seconds, 0 or more');
    extension.push({ url: EXTENSIONS.aqiResponseTime, valueDuration: { value: s, unit: 'seconds', system: SYSTEMS.ucum, code: 's' } });
  }
  if (input.from111 !== undefined) {
    extension.push({ url: EXTENSIONS.flag111, valueCodeableConcept: codeableConcept(codingFrom(CODES.flag111, yesNo(input.from111), 'call.from111')) });
  }
  if (input.cat1EarlyPrediction) {
    const p = input.cat1EarlyPrediction;
    extension.push({
      url: EXTENSIONS.cat1EarlyPrediction,
      extension: [
        { url: 'cat1EarlyPredictionFlag', valueCodeableConcept: codeableConcept(codingFrom(CODES.cat1EarlyPrediction, p.predicted ? '01' : '02', 'call.cat1EarlyPrediction.predicted')) },
        ...(p.at !== undefined ? [{ url: 'predictionDateTime', valueDateTime: dateTime(p.at, 'call.cat1EarlyPrediction.at') }] : []),
      ],
    });
  }
  if (orgs.location) extension.push({ url: EXTENSIONS.incidentLocation, valueReference: { ...orgs.location } });
  if (input.clinicalReview !== undefined) {
    requireInput(input.clinicalReview, 'call.clinicalReview');
    const at = dateTime(input.clinicalReview.at, 'call.clinicalReview.at');
    if (instant(at) < instant(sent)) throw new AdsBuilderError('call.clinicalReview.at', 'is before call.connectedAt');
    extension.push({
      url: EXTENSIONS.clinicalReview,
      extension: [
        { url: 'reviewedAt', valueDateTime: at },
        { url: 'outcome', valueCodeableConcept: codeableConcept(codingFrom(CODES.clinicalReviewOutcome, input.clinicalReview.outcome, 'call.clinicalReview.outcome')) },
      ],
    });
  }
  if (input.dispatchCodeEstablishedAt !== undefined) {
    const at = dateTime(input.dispatchCodeEstablishedAt, 'call.dispatchCodeEstablishedAt');
    if (instant(at) < instant(sent)) throw new AdsBuilderError('call.dispatchCodeEstablishedAt', 'is before call.connectedAt');
    extension.push(typedDateTime('ukcore', 'time-dispatch-code-established', at, 'call.dispatchCodeEstablishedAt'));
  }
  return {
    resourceType: 'Communication',
    meta: { profile: [PROFILES.communication] },
    extension,
    identifier: [{ system: cadSystem, value: input.cadId, period: { start: callDate }, assigner: { ...orgs.provider } }],
    status: input.stopCode ? 'stopped' : 'completed',
    ...(input.stopCode ? { statusReason: codeableConcept(codingFrom(CODES.stopCode, input.stopCode, 'call.stopCode')) } : {}),
    category: [codeableConcept(codingFrom(CODES.treatmentType, input.treatmentType, 'call.treatmentType'))],
    sent,
    recipient: [{ ...orgs.provider }],
    sender: { ...orgs.submitter },
  };
}

/** A triage result of the call: the disposition or SG/SD code as given by AMPDS or Pathways. */
export interface TriageInput {
  readonly kind: TriageKind;
  /** The disposition code, e.g. an AMPDS determinant `09E01` or a Pathways Dx/SG/SD code. */
  readonly code: string;
  readonly display?: string;
  /** Code system URI, when the trust has one for these codes; else the toolkit's own (see TRIAGE_CODE_SYSTEM). */
  readonly system?: string;
  readonly at: DateTimeInput;
}

/** A UKCore-ADS-Triage-Observation. */
export function triageObservation(input: TriageInput): Observation {
  requireInput(input, 'triage');
  const category = Object.hasOwn(TRIAGE_CATEGORY, input.kind) ? TRIAGE_CATEGORY[input.kind] : undefined;
  if (!category) throw new AdsBuilderError('triage.kind', 'must be ampds, pathways, sg or sd');
  text(input.code, 'triage.code');
  return {
    resourceType: 'Observation',
    meta: { profile: [PROFILES.triage] },
    status: 'final',
    code: codeableConcept(codingFrom(CODES.triageCategory, category, 'triage.kind')),
    effectiveDateTime: dateTime(input.at, 'triage.at'),
    valueCodeableConcept: {
      coding: [{ system: input.system ?? TRIAGE_CODE_SYSTEM[input.kind], code: input.code, ...(input.display ? { display: input.display } : {}) }],
      ...(input.display ? { text: input.display } : {}),
    },
  };
}
