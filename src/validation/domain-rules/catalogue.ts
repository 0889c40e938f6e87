/**
 * Every rule id the UK, UCUM and ADS rule modules report, with its severity and where it runs. `validator` means
 * every validation (`ads-fhir validate`, `createValidationService().validate`, the QA page, `submit`); `builder`
 * means `AdsBundleBuilder.build()` and `buildIncident` (the same function, `checkAdsBundle`). The ADS rules run on
 * bundles that claim UKCore-ADS-Bundle. docs/uk-rules.md and docs/builder.md list them; tests check the lists agree.
 */
export interface DomainRule {
  readonly id: string;
  readonly severity: 'error' | 'warning';
  readonly runs: readonly ('validator' | 'builder')[];
  readonly summary: string;
}

const both = ['validator', 'builder'] as const;

export const DOMAIN_RULES: readonly DomainRule[] = [
  { id: 'UK_NHS_NUMBER_INVALID', severity: 'error', runs: ['validator'], summary: 'NHS number: ten digits, Modulus 11 check digit (uk-nhs-1)' },
  { id: 'UK_ODS_ORGANISATION_CODE_INVALID', severity: 'error', runs: ['validator'], summary: 'ODS organisation code: 3 to 9 upper-case letters or digits (uk-ods-1)' },
  { id: 'UK_ODS_ORGANISATION_CODE_UNUSUAL', severity: 'warning', runs: ['validator'], summary: 'ODS organisation code of an unusual length (uk-ods-2)' },
  { id: 'UK_ODS_SITE_CODE_INVALID', severity: 'error', runs: ['validator'], summary: 'ODS site code: 3 to 9 upper-case letters or digits (uk-ods-3)' },
  { id: 'UK_ODS_SITE_CODE_UNUSUAL', severity: 'warning', runs: ['validator'], summary: 'ODS site code that is not 5 characters (uk-ods-4)' },
  { id: 'ADSFHIR_UCUM_CODE_INVALID', severity: 'error', runs: ['validator'], summary: 'A Quantity claiming UCUM has a code that is not valid UCUM' },
  { id: 'ADS_ONE_CALL', severity: 'error', runs: ['builder'], summary: 'Exactly one call (the Bundle profile checks it under a validator)' },
  { id: 'ADS_REFERENCE_IN_BUNDLE', severity: 'error', runs: ['builder'], summary: 'urn:uuid references resolve in the bundle (the validator checks it itself)' },
  { id: 'ADS_CALL_TIME_ORDER', severity: 'error', runs: both, summary: 'Dispatch code established and clinical review not before the call connected' },
  { id: 'ADS_TRIAGE_ONE_PER_KIND', severity: 'error', runs: both, summary: 'At most one triage result per category' },
  { id: 'ADS_CALL_ORIGIN_111_FLAG', severity: 'warning', runs: both, summary: 'Call origin NHS 111 and the 111 flag agree' },
  { id: 'ADS_TREATMENT_TYPE_CONVEYANCE', severity: 'error', runs: both, summary: 'Treatment type agrees with responses and conveyance' },
  { id: 'ADS_STOP_CODE_WITH_CONVEYANCE', severity: 'error', runs: both, summary: 'No stop code on a call whose patient was conveyed' },
  { id: 'ADS_STOP_CODE_WITH_PATIENT_CONTACT', severity: 'warning', runs: both, summary: 'A stop code on a call with patient contacts' },
  { id: 'ADS_CONVEYANCE_DESTINATION', severity: 'error', runs: both, summary: 'A conveyed patient has a destination; a patient not conveyed has none' },
  { id: 'ADS_HANDOVER_WITHOUT_NEXT_CONTACT', severity: 'warning', runs: both, summary: 'A patient handed over to another crew is seen by another contact' },
  { id: 'ADS_RESPONSE_BEFORE_CALL', severity: 'error', runs: both, summary: 'No response time before the call connected' },
  { id: 'ADS_RESPONSE_TIME_ORDER', severity: 'error', runs: both, summary: 'Response times in sequence' },
  { id: 'ADS_RESPONSE_CLEAR_AND_STOOD_DOWN', severity: 'error', runs: both, summary: 'A response is either clear or stood down' },
  { id: 'ADS_TIME_AT_PATIENT_ORDER', severity: 'error', runs: both, summary: 'Time at patient between arrival on scene and clear' },
  { id: 'ADS_CLINICAL_BEFORE_CALL', severity: 'error', runs: both, summary: 'Observations, medications, procedures not before the call connected' },
  { id: 'ADS_CLINICAL_AFTER_CLEAR', severity: 'error', runs: both, summary: 'Clinical entries not after the response that saw the patient cleared' },
  { id: 'ADS_INJURY_AFTER_CALL', severity: 'error', runs: both, summary: 'An injury not timed after the call connected' },
  { id: 'ADS_BIRTH_DATE_AFTER_CALL', severity: 'error', runs: both, summary: 'Birth date not after the call' },
  { id: 'ADS_DUPLICATE_NHS_NUMBER', severity: 'warning', runs: both, summary: 'Two Patients with the same NHS number' },
  { id: 'ADS_MEDICATION_DOSE_UCUM', severity: 'error', runs: both, summary: 'A medication dose has a UCUM unit' },
  { id: 'ADS_GCS_TOTAL', severity: 'error', runs: both, summary: 'GCS total is the sum of eye, verbal and motor' },
  { id: 'ADS_CARDIAC_ARREST_ROSC', severity: 'error', runs: both, summary: 'A ROSC time only with ROSC, not before the arrest' },
  { id: 'ADS_LIFE_EXTINCT_OUTCOME', severity: 'error', runs: both, summary: 'Recognition of life extinct means outcome deceased' },
  { id: 'ADS_TIME_OF_DEATH_AFTER_RECOGNITION', severity: 'error', runs: both, summary: 'Time of death not after the recognition of life extinct' },
  { id: 'ADS_ESTIMATED_AGE_WITH_BIRTH_DATE', severity: 'warning', runs: both, summary: 'An estimated age only when the birth date is unknown' },
];
