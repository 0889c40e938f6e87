import {
  LOINC_SYSTEM,
  NHS_NUMBER_SYSTEM,
  ODS_ORGANISATION_SYSTEM,
  ODS_SITE_SYSTEM,
  SNOMED_SYSTEM,
  UCUM_SYSTEM,
  V3_ACT_CODE_SYSTEM,
} from '../systems/index.js';

// The ADS canonicals live beside the ADS rules of the validator, which the builder runs too (one definition).
export { ADS_BASE, adsUrl, EXTENSIONS, PROFILES } from '../validation/domain-rules/ads/canonicals.js';

/** Identifier systems and terminology URIs the builder writes. */
export const SYSTEMS = {
  /** Designed here: docs/decisions/002-identifier-systems.md. */
  cadCallIdentifier: 'https://fhir.nhs.uk/Id/ads-cad-call-identifier',
  /** Designed here: docs/decisions/002-identifier-systems.md. */
  callSign: 'https://fhir.nhs.uk/Id/ads-call-sign',
  nhsNumber: NHS_NUMBER_SYSTEM,
  odsOrganisation: ODS_ORGANISATION_SYSTEM,
  odsSite: ODS_SITE_SYSTEM,
  submission: 'https://fhir.nhs.uk/Id/ads-submission-identifier',
  /** ONS statistical geography namespace for LSOA codes (chosen by ads-fhir; see profiles/ads/README.md). */
  lsoa: 'http://statistics.data.gov.uk/id/statistical-geography',
  snomed: SNOMED_SYSTEM,
  loinc: LOINC_SYSTEM,
  ucum: UCUM_SYSTEM,
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  flagCategory: 'http://terminology.hl7.org/CodeSystem/flag-category',
  actCode: V3_ACT_CODE_SYSTEM,
  roleCode: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
  locationPhysicalType: 'http://terminology.hl7.org/CodeSystem/location-physical-type',
  ukCoreDateTimeType: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-DateTimeType',
  ukCoreEthnicCategory: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland',
  ukCoreNhsNumberVerification: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland',
  ukCoreNhsNumberUnavailable: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberUnavailableReason',
} as const;

