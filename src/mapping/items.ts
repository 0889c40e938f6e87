import { AdsBuilderError, adsUrl, CARE_BUNDLE_ITEMS, lsoaCode, nhsNumber, odsOrganisationCode, odsSiteCode, postcode, snomedId } from '../builder/index.js';
import { CODES, fixedCodes, tableCodes, valueSetCodes, type ItemCodeSet } from './codesets.js';

/** Which part of the data set an item belongs to; it decides which records the value is read from. */
export type MappingItemLevel = 'call' | 'response' | 'patient';

/**
 * How a source value becomes an input of the builder: free `text`, a `code` of a value set, a `flag` (a
 * yes/no code of a value set, turned into a boolean), a `dateTime` or `date` read with a format, or a `number`.
 */
export type MappingItemKind = 'text' | 'code' | 'flag' | 'dateTime' | 'date' | 'number';

/** One ADS item a mapping can fill. The names follow the builder's inputs (`call.origin`, `response.times.clear`). */
export interface MappingItemSpec {
  readonly level: MappingItemLevel;
  readonly kind: MappingItemKind;
  /** What the builder calls it: the ADS data item id where there is one. */
  readonly label: string;
  /** For `code` and `flag`: the allowed codes. */
  readonly codes?: () => ItemCodeSet;
  /** For `flag`: the code that means true. */
  readonly trueCode?: string;
  /** Every mapping must give it a source. */
  readonly required?: boolean;
  /** When this item is mapped, these must be mapped too. */
  readonly requires?: readonly string[];
  /** For `text`: the builder's own check, run on each value so a bad one is reported with its row (throws AdsBuilderError). */
  readonly check?: (value: string, field: string) => string;
}

const vs = (id: string) => () => valueSetCodes(adsUrl('ValueSet', id));
const call = (kind: MappingItemKind, label: string, extra: Partial<MappingItemSpec> = {}): MappingItemSpec => ({ level: 'call', kind, label, ...extra });
const resp = (kind: MappingItemKind, label: string, extra: Partial<MappingItemSpec> = {}): MappingItemSpec => ({ level: 'response', kind, label, ...extra });
const pat = (kind: MappingItemKind, label: string, extra: Partial<MappingItemSpec> = {}): MappingItemSpec => ({ level: 'patient', kind, label, ...extra });

const TRIAGE_KINDS = ['ampds', 'pathways', 'sg', 'sd'] as const;
const TIMES = ['allocated', 'mobilised', 'arrivedAtScene', 'leftScene', 'arrivedAtDestination', 'handover', 'clear', 'stoodDown'] as const;
/** Single-quantity observations, by builder method. */
export const MEASUREMENTS = ['respirationRate', 'oxygenSaturation', 'pulseRate', 'temperature', 'bloodGlucose', 'news2', 'painScore'] as const;
export type MeasurementName = (typeof MEASUREMENTS)[number];

const PATIENT_NEEDS = ['response.callSign', 'conveyance.outcome'];
/** Procedures with a time item each (recognition of life extinct is `lifeExtinct.*`). */
export const PROCEDURES = ['cpr', 'defibrillation', 'airway-management', 'twelve-lead-ecg', 'immobilisation'] as const;

function build(): Record<string, MappingItemSpec> {
  const items: Record<string, MappingItemSpec> = {
    'header.submitter.odsCode': call('text', 'ADS0 submitting organisation ODS code', { required: true, check: odsOrganisationCode }),
    'header.submitter.name': call('text', 'ADS0 submitting organisation name', { required: true }),
    'header.provider.odsCode': call('text', 'ADS1 provider organisation ODS code', { requires: ['header.provider.name'], check: odsOrganisationCode }),
    'header.provider.name': call('text', 'ADS1 provider organisation name', { requires: ['header.provider.odsCode'] }),
    'header.bundleType': call('code', 'bundle type', { codes: vs('ADS-BundleType') }),
    'call.cadId': call('text', 'ADS3 call identifier (CAD)', { required: true }),
    'call.connectedAt': call('dateTime', 'ADS10 time call connected', { required: true }),
    'call.callDate': call('dateTime', 'ADS2A call date'),
    'call.origin': call('code', 'ADS2B call origin', { required: true, codes: vs('ADS-CallOrigin') }),
    'call.initialCategory': call('code', 'ADS15 initial response category', { required: true, codes: vs('ADS-ResponseCategory') }),
    'call.reportingCategory': call('code', 'ADS20 reporting response category', { required: true, codes: vs('ADS-ResponseCategory') }),
    'call.treatmentType': call('code', 'ADS33 treatment type', { required: true, codes: vs('ADS-TreatmentType') }),
    'call.dispatchCodeEstablishedAt': call('dateTime', 'ADS21 time dispatch code established'),
    'call.stopCode': call('code', 'ADS4 stop code', { codes: vs('ADS-StopCode') }),
    'call.from111': call('flag', 'call received from NHS 111', { codes: vs('ADS-111Flag'), trueCode: 'Y' }),
    'call.aqiIncident': call('flag', 'ADS8 AQI incident flag', { codes: vs('ADS-AQIIncidentFlag'), trueCode: 'Y' }),
    'call.aqiResponseTimeSeconds': call('number', 'AQI response time (seconds)'),
    'call.cat1EarlyPrediction.predicted': call('flag', 'Cat 1 early prediction', { codes: vs('Ambulance-Cat1EarlyPredictionFlag'), trueCode: '01' }),
    'call.cat1EarlyPrediction.at': call('dateTime', 'Cat 1 early prediction time', { requires: ['call.cat1EarlyPrediction.predicted'] }),
    'call.incidentLocation.postcode': call('text', 'DH-C09 incident location postcode', { check: postcode }),
    'call.incidentLocation.lsoa': call('text', 'DH-C10 incident location LSOA code', { check: lsoaCode }),
    'call.incidentLocation.latitude': call('number', 'DH-C11 incident latitude (WGS84)', { requires: ['call.incidentLocation.longitude'] }),
    'call.incidentLocation.longitude': call('number', 'DH-C11 incident longitude (WGS84)', { requires: ['call.incidentLocation.latitude'] }),
    'call.clinicalReview.at': call('dateTime', 'DH-C12 control room clinical review time', { requires: ['call.clinicalReview.outcome'] }),
    'call.clinicalReview.outcome': call('code', 'DH-C13 control room clinical review outcome', { codes: vs('ADS-ClinicalReviewOutcome'), requires: ['call.clinicalReview.at'] }),
  };
  for (const k of TRIAGE_KINDS) {
    items[`triage.${k}.code`] = call('text', `${k} triage code`, { requires: [`triage.${k}.at`] });
    items[`triage.${k}.at`] = call('dateTime', `${k} triage time`, { requires: [`triage.${k}.code`] });
  }
  items['response.callSign'] = resp('text', 'call sign', { requires: ['response.times.allocated'] });
  items['response.vehicleType'] = resp('code', 'vehicle type', { codes: vs('ADS-VehicleType'), requires: ['response.callSign'] });
  for (const t of TIMES) items[`response.times.${t}`] = resp('dateTime', `response time ${t}`, { requires: ['response.callSign'] });
  items['response.crew'] = resp('text', 'DH-R11 crew skill mix: ADS-CrewSkill codes, one per crew member, separated by , or ;', { requires: ['response.callSign'], check: crewList });
  const patientItems: Record<string, MappingItemSpec> = {
    'patient.nhsNumber.value': pat('text', 'NHS number', { requires: ['patient.nhsNumber.verificationStatus'], check: nhsNumber }),
    'patient.nhsNumber.verificationStatus': pat('code', 'NHS number verification status', { codes: () => tableCodes(CODES.nhsNumberVerificationStatus), requires: ['patient.nhsNumber.value'] }),
    'patient.nhsNumberUnavailable': pat('code', 'NHS number unavailable reason', { codes: () => tableCodes(CODES.nhsNumberUnavailableReason) }),
    'patient.birthDate': pat('date', 'date of birth'),
    'patient.gender': pat('code', 'sex', { codes: () => fixedCodes('http://hl7.org/fhir/administrative-gender', [['male', 'Male'], ['female', 'Female'], ['other', 'Other'], ['unknown', 'Unknown']]) }),
    'patient.ethnicCategory': pat('code', 'ethnic category', { codes: () => tableCodes(CODES.ethnicCategory) }),
    'patient.postcode': pat('text', 'postcode', { check: postcode }),
    'conveyance.outcome': pat('code', 'conveyance outcome', { codes: vs('ADS-ConveyanceOutcome') }),
    'conveyance.destination.odsSiteCode': pat('text', 'receiving location ODS site code', { requires: ['conveyance.destination.name'], check: odsSiteCode }),
    'conveyance.destination.name': pat('text', 'receiving location name', { requires: ['conveyance.destination.odsSiteCode'] }),
    'conveyance.destination.department': pat('code', 'DH-P53 destination department', { codes: vs('ADS-DestinationDepartment'), requires: ['conveyance.destination.odsSiteCode'] }),
    'patient.gpPractice.odsCode': pat('text', 'DH-P08 GP practice ODS code', { check: odsOrganisationCode }),
    'patientContact.timeAtPatient': pat('dateTime', 'DH-P54 time at patient'),
  };
  for (const m of MEASUREMENTS) {
    patientItems[`observation.${m}.value`] = pat('number', `${m} value`, { requires: [`observation.${m}.at`] });
    patientItems[`observation.${m}.at`] = pat('dateTime', `${m} time`, { requires: [`observation.${m}.value`] });
  }
  const bp = ['observation.bloodPressure.systolic', 'observation.bloodPressure.diastolic', 'observation.bloodPressure.at'];
  for (const [i, name] of bp.entries()) patientItems[name] = pat(i === 2 ? 'dateTime' : 'number', `blood pressure ${name.split('.')[2]}`, { requires: bp.filter((n) => n !== name) });
  patientItems['observation.acvpu.level'] = pat('code', 'ACVPU level', { codes: () => fixedCodes('ACVPU', [['A', 'Mentally alert'], ['C', 'Acute confusion'], ['V', 'Responds to voice'], ['P', 'Responds to pain'], ['U', 'Unresponsive']]), requires: ['observation.acvpu.at'] });
  patientItems['observation.acvpu.at'] = pat('dateTime', 'ACVPU time', { requires: ['observation.acvpu.level'] });
  const gcs = ['observation.gcs.eyes', 'observation.gcs.verbal', 'observation.gcs.motor', 'observation.gcs.at'];
  for (const [i, name] of gcs.entries()) patientItems[name] = pat(i === 3 ? 'dateTime' : 'number', `GCS ${name.split('.')[2]}`, { requires: gcs.filter((n) => n !== name) });
  patientItems['observation.estimatedAge.years'] = pat('number', 'DH-P09 estimated age (years)', { requires: ['observation.estimatedAge.at'] });
  patientItems['observation.estimatedAge.at'] = pat('dateTime', 'estimated age time', { requires: ['observation.estimatedAge.years'] });
  for (const k of PROCEDURES) patientItems[`procedure.${k}.at`] = pat('dateTime', `DH-P81 time of ${k}`);
  const yesNo = () => fixedCodes('yes-no', [['Y', 'Yes'], ['N', 'No']]);
  patientItems['cardiacArrest.at'] = pat('dateTime', 'cardiac arrest time');
  const arrest = (name: string, spec: MappingItemSpec) => (patientItems[`cardiacArrest.${name}`] = { ...spec, requires: ['cardiacArrest.at'] });
  arrest('resuscitationAttempted', pat('flag', 'DH-P87 resuscitation attempted (Y/N)', { codes: yesNo, trueCode: 'Y' }));
  arrest('witnessed', pat('code', 'DH-P82 cardiac arrest witnessed by', { codes: vs('ADS-CardiacArrestWitness') }));
  arrest('bystanderCpr', pat('flag', 'DH-P83 bystander CPR (Y/N)', { codes: yesNo, trueCode: 'Y' }));
  arrest('initialRhythm', pat('code', 'DH-P84 initial rhythm', { codes: vs('ADS-InitialRhythm') }));
  arrest('rosc', pat('flag', 'DH-P85 ROSC (Y/N)', { codes: yesNo, trueCode: 'Y' }));
  arrest('roscAt', pat('dateTime', 'DH-P86 time of ROSC'));
  for (const [bundle, items] of Object.entries(CARE_BUNDLE_ITEMS)) {
    patientItems[`careBundle.${bundle}.at`] = pat('dateTime', `${bundle} care bundle time`);
    for (const item of items) patientItems[`careBundle.${bundle}.${item}`] = pat('flag', `${bundle} care bundle: ${item} (Y/N)`, { codes: yesNo, trueCode: 'Y', requires: [`careBundle.${bundle}.at`] });
  }
  patientItems['lifeExtinct.at'] = pat('dateTime', 'recognition of life extinct time', { requires: ['lifeExtinct.timeOfDeath'] });
  patientItems['lifeExtinct.timeOfDeath'] = pat('dateTime', 'DH-P91 time of death', { requires: ['lifeExtinct.at'] });
  patientItems['impression.code'] = pat('text', 'impression (SNOMED CT id)', { check: snomedId });
  patientItems['impression.at'] = pat('dateTime', 'impression time', { requires: ['impression.code'] });
  patientItems['safeguarding.concern'] = pat('code', 'safeguarding concern', { codes: vs('ADS-SafeguardingConcern'), requires: ['safeguarding.at'] });
  patientItems['safeguarding.at'] = pat('dateTime', 'safeguarding concern time', { requires: ['safeguarding.concern'] });
  patientItems['safeguarding.referral.at'] = pat('dateTime', 'DH-P61 safeguarding referral time', { requires: ['safeguarding.concern', 'safeguarding.referral.agency'] });
  patientItems['safeguarding.referral.agency'] = pat('code', 'DH-P62 safeguarding referral agency', { codes: vs('ADS-SafeguardingAgency'), requires: ['safeguarding.referral.at'] });
  patientItems['safeguarding.referral.reference'] = pat('text', 'DH-P63 safeguarding referral reference', { requires: ['safeguarding.referral.at'] });
  patientItems['publicHealth.indicator'] = pat('code', 'public health indicator', { codes: vs('ADS-PublicHealthIndicator'), requires: ['publicHealth.at'] });
  patientItems['publicHealth.at'] = pat('dateTime', 'public health indicator time', { requires: ['publicHealth.indicator'] });
  // A patient contact hangs off a response and always has a conveyance outcome.
  for (const [name, spec] of Object.entries(patientItems)) items[name] = { ...spec, requires: [...new Set([...(spec.requires ?? []), ...PATIENT_NEEDS])] };
  return items;
}

/** The crew skills of a `response.crew` value (`paramedic;emergency-medical-technician`); throws naming the field on an unknown code. */
export function crewSkills(value: string, field = 'response.crew'): string[] {
  const codes = value.split(/[;,]/).map((c) => c.trim()).filter(Boolean);
  const known = valueSetCodes(adsUrl('ValueSet', 'ADS-CrewSkill')).codes;
  if (!codes.length || codes.some((c) => !known.has(c))) throw new AdsBuilderError(field, `must list ADS-CrewSkill codes (${[...known].join(', ')})`);
  return codes;
}
const crewList = (value: string, field: string): string => (crewSkills(value, field), value);

/** Every ADS item a mapping can fill, by name (the mapping schema's `items` keys are exactly these). */
export const MAPPING_ITEMS: Readonly<Record<string, MappingItemSpec>> = Object.freeze(build());

/** Names of the items in catalogue order. */
export const MAPPING_ITEM_NAMES: readonly string[] = Object.freeze(Object.keys(MAPPING_ITEMS));

/** When a patient item is mapped, one of these must be too (the builder needs an NHS number or the reason it is missing). */
export const PATIENT_IDENTITY_ITEMS = ['patient.nhsNumber.value', 'patient.nhsNumberUnavailable'] as const;
