/** Canonical base of the ADS package in `profiles/ads` (see docs/decisions/003-canonical-base.md). */
export const ADS_BASE = 'https://fhir.nhs.uk/R4';
const UK_SD = 'https://fhir.hl7.org.uk/StructureDefinition/';

/** Canonical URL of an ADS StructureDefinition, CodeSystem or ValueSet. */
export const adsUrl = (type: 'StructureDefinition' | 'CodeSystem' | 'ValueSet', id: string): string => `${ADS_BASE}/${type}/${id}`;

/** Identifier systems and terminology URIs the builder writes. */
export const SYSTEMS = {
  /** Designed here: docs/decisions/002-identifier-systems.md. */
  cadCallIdentifier: 'https://fhir.nhs.uk/Id/ads-cad-call-identifier',
  /** Designed here: docs/decisions/002-identifier-systems.md. */
  callSign: 'https://fhir.nhs.uk/Id/ads-call-sign',
  nhsNumber: 'https://fhir.nhs.uk/Id/nhs-number',
  odsOrganisation: 'https://fhir.nhs.uk/Id/ods-organization-code',
  odsSite: 'https://fhir.nhs.uk/Id/ods-site-code',
  submission: 'https://fhir.nhs.uk/Id/ads-submission-identifier',
  snomed: 'http://snomed.info/sct',
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  flagCategory: 'http://terminology.hl7.org/CodeSystem/flag-category',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  roleCode: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
  locationPhysicalType: 'http://terminology.hl7.org/CodeSystem/location-physical-type',
  ukCoreDateTimeType: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-DateTimeType',
  ukCoreEthnicCategory: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland',
  ukCoreNhsNumberVerification: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland',
  ukCoreNhsNumberUnavailable: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberUnavailableReason',
} as const;

/** Extension URLs the builder writes. */
export const EXTENSIONS = {
  callOrigin: adsUrl('StructureDefinition', 'Extension-ADS-CallOrigin'),
  aqiIncidentFlag: adsUrl('StructureDefinition', 'Extension-ADS-AQIIncidentFlag'),
  aqiResponseTime: adsUrl('StructureDefinition', 'Extension-ADS-AQIResponseTime'),
  flag111: adsUrl('StructureDefinition', 'Extension-ADS-111Flag'),
  cat1EarlyPrediction: adsUrl('StructureDefinition', 'Extension-ADS-Cat1EarlyPrediction'),
  responseCategory: adsUrl('StructureDefinition', 'Extension-ADS-ResponseCategory'),
  typedDateTime: `${UK_SD}Extension-UKCore-TypedDateTime`,
  ethnicCategory: `${UK_SD}Extension-UKCore-EthnicCategory`,
  nhsNumberVerificationStatus: `${UK_SD}Extension-UKCore-NHSNumberVerificationStatus`,
  nhsNumberUnavailableReason: `${UK_SD}Extension-UKCore-NHSNumberUnavailableReason`,
} as const;

/** The ADS profiles the builder claims in `meta.profile`. */
export const PROFILES = {
  bundle: adsUrl('StructureDefinition', 'UKCore-ADS-Bundle'),
  communication: adsUrl('StructureDefinition', 'UKCore-ADS-Communication'),
  organization: adsUrl('StructureDefinition', 'UKCore-ADS-Organization'),
  vehicle: adsUrl('StructureDefinition', 'UKCore-ADS-AmbulanceResponseVehicle-Location'),
  receivingLocation: adsUrl('StructureDefinition', 'UKCore-ADS-Receiving-Location'),
  response: adsUrl('StructureDefinition', 'UKCore-ADS-Response-Encounter'),
  patientContact: adsUrl('StructureDefinition', 'UKCore-ADS-PatientContact-Encounter'),
  patient: adsUrl('StructureDefinition', 'UKCore-ADS-Patient'),
  triage: adsUrl('StructureDefinition', 'UKCore-ADS-Triage-Observation'),
  respirationRate: adsUrl('StructureDefinition', 'UKCore-ADS-Observation-RespirationRate'),
  oxygenSaturation: adsUrl('StructureDefinition', 'UKCore-ADS-Observation-OxygenSaturation'),
  bloodPressure: adsUrl('StructureDefinition', 'UKCore-ADS-Observation-BloodPressure'),
  heartRate: adsUrl('StructureDefinition', 'UKCore-ADS-Observation-HeartRate'),
  acvpu: adsUrl('StructureDefinition', 'UKCore-ADS-Observation-ACVPU'),
  bodyTemperature: adsUrl('StructureDefinition', 'UKCore-ADS-Observation-BodyTemperature'),
  bloodGlucose: adsUrl('StructureDefinition', 'UKCore-ADS-Observation-BloodGlucose'),
  news2: adsUrl('StructureDefinition', 'UKCore-ADS-Observation-NEWS2'),
  painScore: adsUrl('StructureDefinition', 'UKCore-ADS-Observation-PainScore'),
  injury: adsUrl('StructureDefinition', 'UKCore-ADS-Injury-Observation'),
  publicHealth: adsUrl('StructureDefinition', 'UKCore-ADS-PublicHealth-Observation'),
  medicationAdministration: adsUrl('StructureDefinition', 'UKCore-ADS-MedicationAdministration'),
  condition: adsUrl('StructureDefinition', 'UKCore-ADS-Condition'),
  safeguarding: adsUrl('StructureDefinition', 'UKCore-ADS-Safeguarding-Flag'),
} as const;
