import { adsUrl, nhsNumber, odsOrganisationCode, odsSiteCode, postcode, snomedId } from '../builder/index.js';
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
  };
  for (const k of TRIAGE_KINDS) {
    items[`triage.${k}.code`] = call('text', `${k} triage code`, { requires: [`triage.${k}.at`] });
    items[`triage.${k}.at`] = call('dateTime', `${k} triage time`, { requires: [`triage.${k}.code`] });
  }
  items['response.callSign'] = resp('text', 'call sign', { requires: ['response.times.allocated'] });
  items['response.vehicleType'] = resp('code', 'vehicle type', { codes: vs('ADS-VehicleType'), requires: ['response.callSign'] });
  for (const t of TIMES) items[`response.times.${t}`] = resp('dateTime', `response time ${t}`, { requires: ['response.callSign'] });
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
  };
  for (const m of MEASUREMENTS) {
    patientItems[`observation.${m}.value`] = pat('number', `${m} value`, { requires: [`observation.${m}.at`] });
    patientItems[`observation.${m}.at`] = pat('dateTime', `${m} time`, { requires: [`observation.${m}.value`] });
  }
  const bp = ['observation.bloodPressure.systolic', 'observation.bloodPressure.diastolic', 'observation.bloodPressure.at'];
  for (const [i, name] of bp.entries()) patientItems[name] = pat(i === 2 ? 'dateTime' : 'number', `blood pressure ${name.split('.')[2]}`, { requires: bp.filter((n) => n !== name) });
  patientItems['observation.acvpu.level'] = pat('code', 'ACVPU level', { codes: () => fixedCodes('ACVPU', [['A', 'Mentally alert'], ['C', 'Acute confusion'], ['V', 'Responds to voice'], ['P', 'Responds to pain'], ['U', 'Unresponsive']]), requires: ['observation.acvpu.at'] });
  patientItems['observation.acvpu.at'] = pat('dateTime', 'ACVPU time', { requires: ['observation.acvpu.level'] });
  patientItems['impression.code'] = pat('text', 'impression (SNOMED CT id)', { check: snomedId });
  patientItems['impression.at'] = pat('dateTime', 'impression time', { requires: ['impression.code'] });
  patientItems['safeguarding.concern'] = pat('code', 'safeguarding concern', { codes: vs('ADS-SafeguardingConcern'), requires: ['safeguarding.at'] });
  patientItems['safeguarding.at'] = pat('dateTime', 'safeguarding concern time', { requires: ['safeguarding.concern'] });
  patientItems['publicHealth.indicator'] = pat('code', 'public health indicator', { codes: vs('ADS-PublicHealthIndicator'), requires: ['publicHealth.at'] });
  patientItems['publicHealth.at'] = pat('dateTime', 'public health indicator time', { requires: ['publicHealth.indicator'] });
  // A patient contact hangs off a response and always has a conveyance outcome.
  for (const [name, spec] of Object.entries(patientItems)) items[name] = { ...spec, requires: [...new Set([...(spec.requires ?? []), ...PATIENT_NEEDS])] };
  return items;
}

/** Every ADS item a mapping can fill, by name (the mapping schema's `items` keys are exactly these). */
export const MAPPING_ITEMS: Readonly<Record<string, MappingItemSpec>> = Object.freeze(build());

/** Names of the items in catalogue order. */
export const MAPPING_ITEM_NAMES: readonly string[] = Object.freeze(Object.keys(MAPPING_ITEMS));

/** When a patient item is mapped, one of these must be too (the builder needs an NHS number or the reason it is missing). */
export const PATIENT_IDENTITY_ITEMS = ['patient.nhsNumber.value', 'patient.nhsNumberUnavailable'] as const;
