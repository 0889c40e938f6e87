import { describe, expect, it } from 'vitest';
import {
  CODES, type BundleType, type CallOrigin, type CardiacArrestWitness, type CareBundle, type CareBundleItem, type ClinicalReviewOutcome, type ConveyanceOutcome,
  type CrewSkill, type DestinationDepartment, type InitialRhythm, type ProcedureKind, type PublicHealthIndicator, type ResponseCategory, type SafeguardingAgency,
  type SafeguardingConcern, type StopCode, type TreatmentType, type VehicleType,
} from './codes.js';

/** Compile-time: every member of U is listed, and nothing else. */
const all = <U extends string>() => <const L extends readonly U[]>(list: L & ([U] extends [L[number]] ? unknown : never)) => list;

describe('code unions and the package code systems', () => {
  it.each([
    ['callOrigin', all<CallOrigin>()(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14', '15', '98'])],
    ['responseCategory', all<ResponseCategory>()(['C1', 'C2', 'C3', 'C4'])],
    ['treatmentType', all<TreatmentType>()(['hear-and-treat', 'see-and-treat', 'see-and-convey-ed', 'see-and-convey-other'])],
    ['stopCode', all<StopCode>()(['01', '02', '03', '04', '05', '98'])],
    ['bundleType', all<BundleType>()(['mvp', 'bundle-1', 'bundle-2', 'epr'])],
    ['vehicleType', all<VehicleType>()(['emergency-ambulance', 'rapid-response-vehicle', 'non-emergency-vehicle', 'air-ambulance', 'specialist-vehicle', 'other'])],
    ['conveyanceOutcome', all<ConveyanceOutcome>()(['conveyed-ed', 'conveyed-other', 'not-conveyed-discharged', 'not-conveyed-referred', 'not-conveyed-declined', 'handed-over-to-another-crew', 'deceased'])],
    ['safeguardingConcern', all<SafeguardingConcern>()(['child', 'adult', 'domestic-abuse', 'self-neglect', 'modern-slavery', 'other'])],
    ['publicHealthIndicator', all<PublicHealthIndicator>()(['alcohol', 'drugs', 'mental-health', 'self-harm', 'fall', 'homeless', 'violence'])],
    ['clinicalReviewOutcome', all<ClinicalReviewOutcome>()(['response-upgraded', 'response-downgraded', 'response-unchanged', 'closed-hear-and-treat', 'referred-other-service'])],
    ['crewSkill', all<CrewSkill>()(['advanced-paramedic', 'paramedic', 'associate-ambulance-practitioner', 'emergency-medical-technician', 'emergency-care-assistant', 'nurse', 'doctor', 'student', 'other'])],
    ['prehospitalProcedure', all<ProcedureKind | 'recognition-of-life-extinct'>()(['cpr', 'defibrillation', 'airway-management', 'twelve-lead-ecg', 'immobilisation', 'recognition-of-life-extinct'])],
    ['cardiacArrestWitness', all<CardiacArrestWitness>()(['bystander', 'ambulance-crew', 'unwitnessed'])],
    ['initialRhythm', all<InitialRhythm>()(['vf', 'pulseless-vt', 'pea', 'asystole', 'unknown'])],
    ['careBundle', all<CareBundle>()(['stemi', 'stroke'])],
    ['careBundleItem', all<CareBundleItem>()(['aspirin', 'gtn', 'pain-score-before', 'pain-score-after', 'analgesia', 'fast', 'blood-glucose', 'blood-pressure'])],
    ['safeguardingAgency', all<SafeguardingAgency>()(['adult-social-care', 'childrens-social-care', 'police', 'gp', 'other'])],
    ['destinationDepartment', all<DestinationDepartment>()(['emergency-department', 'ppci-centre', 'hyper-acute-stroke-unit', 'major-trauma-centre', 'maternity', 'mental-health', 'same-day-emergency-care', 'urgent-treatment-centre', 'other'])],
  ] as const)('%s matches its CodeSystem', (name, codes) => {
    expect([...CODES[name].displays.keys()].sort()).toEqual([...codes].sort());
  });
});
