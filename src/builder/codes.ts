import type { CodeSystem, Coding } from 'fhir/r4';
import adsStopCode from '../../profiles/ads/CodeSystem-ADS-StopCode.json';
import adsTreatmentType from '../../profiles/ads/CodeSystem-ADS-TreatmentType.json';
import adsBundleType from '../../profiles/ads/CodeSystem-ADS-BundleType.json';
import adsResponseCategory from '../../profiles/ads/CodeSystem-ADS-ResponseCategory.json';
import adsResponseCategoryType from '../../profiles/ads/CodeSystem-ADS-ResponseCategoryType.json';
import adsTriageCategory from '../../profiles/ads/CodeSystem-ADS-TriageCategory.json';
import adsVehicleType from '../../profiles/ads/CodeSystem-ADS-VehicleType.json';
import adsConveyanceOutcome from '../../profiles/ads/CodeSystem-ADS-ConveyanceOutcome.json';
import adsSafeguardingConcern from '../../profiles/ads/CodeSystem-ADS-SafeguardingConcern.json';
import adsPublicHealthIndicator from '../../profiles/ads/CodeSystem-ADS-PublicHealthIndicator.json';
import adsEncounterType from '../../profiles/ads/CodeSystem-ADS-EncounterType.json';
import adsInjuryComponent from '../../profiles/ads/CodeSystem-ADS-InjuryComponent.json';
import adsAqiIncidentFlag from '../../profiles/ads/CodeSystem-ADS-AQIIncidentFlag.json';
import ads111Flag from '../../profiles/ads/CodeSystem-ADS-111Flag.json';
import adsResponseDateTimeType from '../../profiles/ads/CodeSystem-ADS-ResponseDateTimeType.json';
import ambulanceCallOrigin from '../../profiles/ads/CodeSystem-Ambulance-CallOrigin.json';
import ambulanceCat1 from '../../profiles/ads/CodeSystem-Ambulance-Cat1EarlyPredictionFlag.json';
import adsClinicalReviewOutcome from '../../profiles/ads/CodeSystem-ADS-ClinicalReviewOutcome.json';
import adsCrewSkill from '../../profiles/ads/CodeSystem-ADS-CrewSkill.json';
import adsPrehospitalProcedure from '../../profiles/ads/CodeSystem-ADS-PrehospitalProcedure.json';
import adsCardiacArrestComponent from '../../profiles/ads/CodeSystem-ADS-CardiacArrestComponent.json';
import adsCardiacArrestWitness from '../../profiles/ads/CodeSystem-ADS-CardiacArrestWitness.json';
import adsInitialRhythm from '../../profiles/ads/CodeSystem-ADS-InitialRhythm.json';
import adsCareBundle from '../../profiles/ads/CodeSystem-ADS-CareBundle.json';
import adsCareBundleItem from '../../profiles/ads/CodeSystem-ADS-CareBundleItem.json';
import adsSafeguardingAgency from '../../profiles/ads/CodeSystem-ADS-SafeguardingAgency.json';
import adsDestinationDepartment from '../../profiles/ads/CodeSystem-ADS-DestinationDepartment.json';
import { AdsBuilderError } from './errors.js';
import { SYSTEMS } from './systems.js';

// Literal unions give callers compile-time help; the tables below are read from the package's own
// CodeSystems so a code the package does not define is still rejected at run time (src/builder/codes.test.ts
// keeps both in step).

/** Ambulance-CallOrigin codes (ADS2B): 01 999, 02 NHS 111, 03 HCP, ... 98 other agency. */
export type CallOrigin = '01' | '02' | '03' | '04' | '05' | '06' | '07' | '08' | '09' | '10' | '11' | '12' | '13' | '14' | '15' | '98';
/** ADS-ResponseCategory codes (ADS15, ADS20). */
export type ResponseCategory = 'C1' | 'C2' | 'C3' | 'C4';
/** ADS-TreatmentType codes (ADS33). */
export type TreatmentType = 'hear-and-treat' | 'see-and-treat' | 'see-and-convey-ed' | 'see-and-convey-other';
/** ADS-StopCode codes (ADS4). */
export type StopCode = '01' | '02' | '03' | '04' | '05' | '98';
/** ADS-BundleType codes. */
export type BundleType = 'mvp' | 'bundle-1' | 'bundle-2' | 'epr';
/** ADS-VehicleType codes. */
export type VehicleType = 'emergency-ambulance' | 'rapid-response-vehicle' | 'non-emergency-vehicle' | 'air-ambulance' | 'specialist-vehicle' | 'other';
/** ADS-ConveyanceOutcome codes. */
export type ConveyanceOutcome =
  | 'conveyed-ed' | 'conveyed-other' | 'not-conveyed-discharged' | 'not-conveyed-referred' | 'not-conveyed-declined' | 'handed-over-to-another-crew' | 'deceased';
/** ADS-SafeguardingConcern codes. */
export type SafeguardingConcern = 'child' | 'adult' | 'domestic-abuse' | 'self-neglect' | 'modern-slavery' | 'other';
/** ADS-PublicHealthIndicator codes. */
export type PublicHealthIndicator = 'alcohol' | 'drugs' | 'mental-health' | 'self-harm' | 'fall' | 'homeless' | 'violence';
/** Kind of call triage result; maps to ADS-TriageCategory 01 to 04. */
export type TriageKind = 'ampds' | 'pathways' | 'sg' | 'sd';
/** UK Core NHS number verification status (England) codes. */
export type NhsNumberVerificationStatus = '01' | '02' | '03' | '04' | '05' | '06' | '07' | '08';
/** UK Core NHS number unavailable reason codes. */
export type NhsNumberUnavailableReason = 'nhs-number-not-known' | 'overseas-patient' | 'devolved-nation';
/** UK Core ethnic category (England) codes. */
export type EthnicCategory = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'J' | 'K' | 'L' | 'M' | 'N' | 'P' | 'R' | 'S' | 'Z' | '99';
/** ACVPU level of consciousness. */
export type Acvpu = 'A' | 'C' | 'V' | 'P' | 'U';

/** ADS-ClinicalReviewOutcome codes: what the control room clinical review decided. */
export type ClinicalReviewOutcome = 'response-upgraded' | 'response-downgraded' | 'response-unchanged' | 'closed-hear-and-treat' | 'referred-other-service';
/** ADS-CrewSkill codes: the skill of one crew member. */
export type CrewSkill =
  | 'advanced-paramedic' | 'paramedic' | 'associate-ambulance-practitioner' | 'emergency-medical-technician' | 'emergency-care-assistant' | 'nurse' | 'doctor'
  | 'student' | 'other';
/** ADS-PrehospitalProcedure codes (recognition of life extinct has its own builder method). */
export type ProcedureKind = 'cpr' | 'defibrillation' | 'airway-management' | 'twelve-lead-ecg' | 'immobilisation';
/** ADS-CardiacArrestWitness codes. */
export type CardiacArrestWitness = 'bystander' | 'ambulance-crew' | 'unwitnessed';
/** ADS-InitialRhythm codes. */
export type InitialRhythm = 'vf' | 'pulseless-vt' | 'pea' | 'asystole' | 'unknown';
/** ADS-CareBundle codes. */
export type CareBundle = 'stemi' | 'stroke';
/** ADS-CareBundleItem codes. */
export type CareBundleItem = 'aspirin' | 'gtn' | 'pain-score-before' | 'pain-score-after' | 'analgesia' | 'fast' | 'blood-glucose' | 'blood-pressure';
/** ADS-SafeguardingAgency codes. */
export type SafeguardingAgency = 'adult-social-care' | 'childrens-social-care' | 'police' | 'gp' | 'other';
/** ADS-DestinationDepartment codes. */
export type DestinationDepartment =
  | 'emergency-department' | 'ppci-centre' | 'hyper-acute-stroke-unit' | 'major-trauma-centre' | 'maternity' | 'mental-health' | 'same-day-emergency-care'
  | 'urgent-treatment-centre' | 'other';

/** A code system the builder checks codes against: its URL and code → display. */
export interface CodeTable {
  readonly system: string;
  readonly displays: ReadonlyMap<string, string>;
}

function table(cs: Pick<CodeSystem, 'url'> & { concept?: { code: string; display?: string }[] }): CodeTable {
  return { system: cs.url!, displays: new Map((cs.concept ?? []).map((c) => [c.code, c.display ?? c.code])) };
}
function fixedTable(system: string, entries: [string, string][]): CodeTable {
  return { system, displays: new Map(entries) };
}

/** Every code table the builder uses, by name. */
export const CODES = {
  callOrigin: table(ambulanceCallOrigin),
  responseCategory: table(adsResponseCategory),
  responseCategoryType: table(adsResponseCategoryType),
  treatmentType: table(adsTreatmentType),
  stopCode: table(adsStopCode),
  bundleType: table(adsBundleType),
  triageCategory: table(adsTriageCategory),
  vehicleType: table(adsVehicleType),
  conveyanceOutcome: table(adsConveyanceOutcome),
  safeguardingConcern: table(adsSafeguardingConcern),
  publicHealthIndicator: table(adsPublicHealthIndicator),
  encounterType: table(adsEncounterType),
  injuryComponent: table(adsInjuryComponent),
  aqiIncidentFlag: table(adsAqiIncidentFlag),
  flag111: table(ads111Flag),
  responseDateTimeType: table(adsResponseDateTimeType),
  cat1EarlyPrediction: table(ambulanceCat1),
  clinicalReviewOutcome: table(adsClinicalReviewOutcome),
  crewSkill: table(adsCrewSkill),
  prehospitalProcedure: table(adsPrehospitalProcedure),
  cardiacArrestComponent: table(adsCardiacArrestComponent),
  cardiacArrestWitness: table(adsCardiacArrestWitness),
  initialRhythm: table(adsInitialRhythm),
  careBundle: table(adsCareBundle),
  careBundleItem: table(adsCareBundleItem),
  safeguardingAgency: table(adsSafeguardingAgency),
  destinationDepartment: table(adsDestinationDepartment),
  ukCoreDateTimeType: fixedTable(SYSTEMS.ukCoreDateTimeType, [
    ['time-dispatch-code-established', 'Time Dispatch Code Established'], ['time-resource-mobilised', 'Time Resource Mobilised'],
    ['time-resource-arrived-on-scene', 'Time Resource Arrived On Scene'], ['time-resource-left-scene', 'Time Resource Left Scene'],
    ['time-arrived-receiving-location', 'Time Arrived at Receiving Location'], ['time-patient-handover', 'Time Patient Handover'],
    ['time-clear', 'Time Clear'], ['time-stood-down', 'Time Stood Down'],
  ]),
  nhsNumberVerificationStatus: fixedTable(SYSTEMS.ukCoreNhsNumberVerification, [
    ['01', 'Number present and verified'], ['02', 'Number present but not traced'], ['03', 'Trace required'],
    ['04', 'Trace attempted - No match or multiple match found'], ['05', 'Trace needs to be resolved - (NHS number or patient detail conflict)'],
    ['06', 'Trace in progress'], ['07', 'Number not present and trace not required'], ['08', 'Trace postponed (baby under six weeks old)'],
  ]),
  nhsNumberUnavailableReason: fixedTable(SYSTEMS.ukCoreNhsNumberUnavailable, [
    ['nhs-number-not-known', 'NHS number not known'], ['overseas-patient', 'Overseas patient'], ['devolved-nation', 'Devolved nation'],
  ]),
  ethnicCategory: fixedTable(SYSTEMS.ukCoreEthnicCategory, [
    ['A', 'White - British'], ['B', 'White - Irish'], ['C', 'White - Any other White background'], ['D', 'Mixed - White and Black Caribbean'],
    ['E', 'Mixed - White and Black African'], ['F', 'Mixed - White and Asian'], ['G', 'Mixed - Any other mixed background'],
    ['H', 'Asian or Asian British - Indian'], ['J', 'Asian or Asian British - Pakistani'], ['K', 'Asian or Asian British - Bangladeshi'],
    ['L', 'Asian or Asian British - Any other Asian background'], ['M', 'Black or Black British - Caribbean'],
    ['N', 'Black or Black British - African'], ['P', 'Black or Black British - Any other Black background'],
    ['R', 'Other Ethnic Groups - Chinese'], ['S', 'Other Ethnic Groups - Any other ethnic group'], ['Z', 'Not stated'], ['99', 'Not known'],
  ]),
} as const satisfies Record<string, CodeTable>;

/**
 * The HL7 v3 RoleCode each ADS vehicle type sits under. Core R4 binds `Location.type` (extensible) to
 * ServiceDeliveryLocationRoleType, which has AMB (an ambulance) and its parent MOBL (any mobile unit), so the
 * vehicle's type carries that code beside the ADS code: both bindings are met (profiles/ads/README.md).
 */
export const VEHICLE_ROLE: Readonly<Record<VehicleType, 'AMB' | 'MOBL'>> = {
  'emergency-ambulance': 'AMB', 'non-emergency-vehicle': 'AMB', 'air-ambulance': 'AMB',
  'rapid-response-vehicle': 'MOBL', 'specialist-vehicle': 'MOBL', other: 'MOBL',
};
const ROLE_DISPLAY = { AMB: 'Ambulance', MOBL: 'Mobile Unit' } as const;

/** The v3 RoleCode Coding for a vehicle type (see {@link VEHICLE_ROLE}). */
export function vehicleRoleCoding(type: VehicleType): Coding {
  const code = VEHICLE_ROLE[type];
  return { system: SYSTEMS.roleCode, code, display: ROLE_DISPLAY[code] };
}

/**
 * Code systems for triage codes when the caller names none. The AMPDS and NHS Pathways code lists
 * are licensed and their canonical URIs are not public, so these are the toolkit's own URNs (the
 * same ones the UEC CQI encoder uses); a trust that has the official URIs passes `system`.
 */
export const TRIAGE_CODE_SYSTEM: Readonly<Record<TriageKind, string>> = {
  ampds: 'urn:ads-fhir:ampds:determinant',
  pathways: 'urn:ads-fhir:pathways:disposition',
  sg: 'urn:ads-fhir:pathways:symptom-group',
  sd: 'urn:ads-fhir:pathways:symptom-discriminator',
};

/** Triage kinds to ADS-TriageCategory codes. */
export const TRIAGE_CATEGORY: Readonly<Record<TriageKind, string>> = { ampds: '01', pathways: '02', sg: '03', sd: '04' };

/**
 * The Coding for `code` in `codes`, or an AdsBuilderError naming `field` when the code is not in the
 * table (the required bindings of the ADS value sets). The message lists the allowed codes, never the bad value.
 */
export function codingFrom(codes: CodeTable, code: string, field: string): Coding {
  const display = codes.displays.get(code);
  if (display === undefined) {
    throw new AdsBuilderError(field, `not a code of ${codes.system} (allowed: ${[...codes.displays.keys()].join(', ')})`);
  }
  return { system: codes.system, code, display };
}
