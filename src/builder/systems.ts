// The ADS canonicals live beside the ADS rules of the validator, which the builder runs too (one definition).
export { ADS_BASE, adsUrl, EXTENSIONS, PROFILES } from '../validation/domain-rules/ads/canonicals.js';

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
  /** ONS statistical geography namespace for LSOA codes (chosen by ads-fhir; see profiles/ads/README.md). */
  lsoa: 'http://statistics.data.gov.uk/id/statistical-geography',
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

