/** Canonical base of the ADS package in `profiles/ads` (see docs/decisions/003-canonical-base.md). */
export const ADS_BASE = 'https://fhir.nhs.uk/R4';
const UK_SD = 'https://fhir.hl7.org.uk/StructureDefinition/';

/** Canonical URL of an ADS StructureDefinition, CodeSystem or ValueSet. */
export const adsUrl = (type: 'StructureDefinition' | 'CodeSystem' | 'ValueSet', id: string): string => `${ADS_BASE}/${type}/${id}`;

/** Extension URLs of ADS bundles (written by the builder, read by the ADS rules). */
export const EXTENSIONS = {
  callOrigin: adsUrl('StructureDefinition', 'Extension-ADS-CallOrigin'),
  aqiIncidentFlag: adsUrl('StructureDefinition', 'Extension-ADS-AQIIncidentFlag'),
  aqiResponseTime: adsUrl('StructureDefinition', 'Extension-ADS-AQIResponseTime'),
  flag111: adsUrl('StructureDefinition', 'Extension-ADS-111Flag'),
  cat1EarlyPrediction: adsUrl('StructureDefinition', 'Extension-ADS-Cat1EarlyPrediction'),
  responseCategory: adsUrl('StructureDefinition', 'Extension-ADS-ResponseCategory'),
  incidentLocation: adsUrl('StructureDefinition', 'Extension-ADS-IncidentLocation'),
  clinicalReview: adsUrl('StructureDefinition', 'Extension-ADS-ClinicalReview'),
  crewSkill: adsUrl('StructureDefinition', 'Extension-ADS-CrewSkill'),
  safeguardingReferral: adsUrl('StructureDefinition', 'Extension-ADS-SafeguardingReferral'),
  destinationDepartment: adsUrl('StructureDefinition', 'Extension-ADS-DestinationDepartment'),
  /** Typed date-times UK Core's DateTimeType has no code for (allocated, at patient): see profiles/ads/README.md. */
  adsTypedDateTime: adsUrl('StructureDefinition', 'Extension-ADS-TypedDateTime'),
  typedDateTime: `${UK_SD}Extension-UKCore-TypedDateTime`,
  ethnicCategory: `${UK_SD}Extension-UKCore-EthnicCategory`,
  nhsNumberVerificationStatus: `${UK_SD}Extension-UKCore-NHSNumberVerificationStatus`,
  nhsNumberUnavailableReason: `${UK_SD}Extension-UKCore-NHSNumberUnavailableReason`,
} as const;

/** The ADS profiles (the builder claims them in `meta.profile`; the ADS rules find entries by them). */
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
  incidentLocation: adsUrl('StructureDefinition', 'UKCore-ADS-IncidentLocation'),
  gcs: adsUrl('StructureDefinition', 'UKCore-ADS-Observation-GCS'),
  estimatedAge: adsUrl('StructureDefinition', 'UKCore-ADS-Observation-EstimatedAge'),
  procedure: adsUrl('StructureDefinition', 'UKCore-ADS-Procedure'),
  cardiacArrest: adsUrl('StructureDefinition', 'UKCore-ADS-CardiacArrest-Observation'),
  careBundle: adsUrl('StructureDefinition', 'UKCore-ADS-CareBundle-Observation'),
} as const;
