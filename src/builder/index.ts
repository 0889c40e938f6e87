/**
 * The ADS bundle builder: a typed, immutable, fluent API that turns CAD/ePCR data into an Ambulance Data Set
 * bundle on the profiles of `profiles/ads`.
 * @packageDocumentation
 */
export {
  AdsBundleBuilder, sequentialUuids, type AdsBuilderOptions, type BuildResult, type BuildValidation, type BundleValidator, type ValidateFn,
  type MedicationInput, type AddKey, type BuilderKeys, type ContactRef, type KeyKind, type NoKeys, type PatientContactInput, type ResponseInput,
} from './builder.js';
export { checkAdsBundle } from './checks.js';
export type { CallInput, IncidentLocationInput, TriageInput } from './call.js';
export type { BloodPressureInput, ClinicalContext, ImpressionInput, InjuryInput, MeasurementInput, SafeguardingInput, SnomedInput } from './clinical.js';
export { CARE_BUNDLE_ITEMS, type CardiacArrestInput, type CareBundleInput, type GcsInput, type ProcedureInput } from './clinical-care.js';
export type {
  Acvpu, BundleType, CallOrigin, CardiacArrestWitness, CareBundle, CareBundleItem, ClinicalReviewOutcome, ConveyanceOutcome, CrewSkill,
  DestinationDepartment, EthnicCategory, InitialRhythm, NhsNumberUnavailableReason, NhsNumberVerificationStatus, ProcedureKind, PublicHealthIndicator,
  ResponseCategory, SafeguardingAgency, SafeguardingConcern, StopCode, TreatmentType, TriageKind, VehicleType,
} from './codes.js';
export { CODES, codingFrom, type CodeTable } from './codes.js';
export {
  codeableConcept, coding, dateTime, identifier, period, snomedConcept, snomedId, ucumQuantity, type DateTimeInput,
} from './datatypes.js';
export { AdsBuilderError } from './errors.js';
export { lsoaCode, nhsNumber, odsOrganisationCode, odsSiteCode, postcode } from './identifiers.js';
export type { ConveyanceInput, DestinationInput, OrganisationInput, PatientInput, ResponseTimes } from './parties.js';
export type { Handle, PatientContactHandle, Ref, ResponseHandle } from './refs.js';
export { ADS_BASE, EXTENSIONS, PROFILES, SYSTEMS, adsUrl } from './systems.js';
export { ADS_PACKAGE_NAME, adsPackageDir, readAdsPackage } from './ads-package.js';
export {
  buildIncident, checkIncident, type BuildIncidentOptions, type IncidentDescription, type IncidentIssue, type IncidentObservation,
  type IncidentPatientContact, type IncidentProblem, type IncidentResult, type MeasurementName,
} from './incident.js';
