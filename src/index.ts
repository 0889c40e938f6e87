/**
 * ads-fhir: build, validate and report on NHS Ambulance Data Set (ADS) FHIR R4 bundles.
 *
 * The root holds what most users need: the bundle builder, the validation service, the report formats and
 * the package store. Everything else has a subpath of its own (`ads-fhir/submission`, `ads-fhir/mesh`,
 * `ads-fhir/cqi`, `ads-fhir/audit`, `ads-fhir/mapping`, `ads-fhir/validation`, `ads-fhir/terminology`,
 * `ads-fhir/fhirpath`, `ads-fhir/format`, `ads-fhir/docs`, `ads-fhir/conformance`, `ads-fhir/testing`); see
 * the README's "Public API".
 *
 * Each name is listed on purpose: a name added to a folder's index does not become public by itself, and
 * `api/ads-fhir.api.md` records the surface (`npm run api:report`).
 * @module ads-fhir
 */

// Build: the typed, fluent ADS bundle builder and the JSON incident format on top of it.
export {
  AdsBundleBuilder, AdsBuilderError, sequentialUuids, buildIncident, checkIncident,
  type AdsBuilderOptions, type BuildResult, type BuildValidation, type BundleValidator, type ValidateFn,
  type CallInput, type TriageInput, type PatientInput, type OrganisationInput, type ConveyanceInput, type DestinationInput,
  type ResponseTimes, type MeasurementInput, type BloodPressureInput, type MedicationInput, type ImpressionInput,
  type InjuryInput, type SnomedInput, type DateTimeInput,
  type Handle, type Ref, type ResponseHandle, type PatientContactHandle,
  type Acvpu, type BundleType, type CallOrigin, type ConveyanceOutcome, type EthnicCategory, type NhsNumberUnavailableReason,
  type NhsNumberVerificationStatus, type PublicHealthIndicator, type ResponseCategory, type SafeguardingConcern, type StopCode,
  type TreatmentType, type TriageKind, type VehicleType,
  type BuildIncidentOptions, type IncidentDescription, type IncidentObservation, type IncidentPatientContact,
  type IncidentProblem, type IncidentResult, type MeasurementName, type IncidentIssue,
  // Keyed chaining: keys typed by kind.
  type BuilderKeys, type NoKeys, type AddKey, type KeyKind, type ContactRef, type PatientContactInput, type ResponseInput,
  // The clinical content of a patient contact.
  type ClinicalContext, type IncidentLocationInput, type SafeguardingInput, type GcsInput, type ProcedureInput, type CardiacArrestInput,
  type CareBundleInput, CARE_BUNDLE_ITEMS,
  type CardiacArrestWitness, type CareBundle, type CareBundleItem, type ClinicalReviewOutcome, type CrewSkill, type DestinationDepartment,
  type InitialRhythm, type ProcedureKind, type SafeguardingAgency,
} from './builder/index.js';

// Validate: one service with core R4, UK Core, ADS, terminology and invariants wired, and the outcome helpers.
export {
  createValidationService, ValidationService,
  type ValidationServiceOptions, type BestPracticeLevel, type TextValidation, type ProfileChoice,
  isValid, ruleOf,
  // The UK, UCUM and ADS rules every validation runs, by rule id (docs/uk-rules.md, docs/builder.md).
  DOMAIN_RULES, type DomainRule,
} from './validation/index.js';

// Report: validation results as text, JSON, JUnit XML or HTML, whole or streamed.
export {
  formatText, formatJson, formatJunit, formatHtml, streamReport, summarise, summaryLine, isBlocking, realIssues, positionOf,
  type FileOutcome, type RunSummary, type ReportStream,
} from './reporting/index.js';

// Packages: load FHIR packages and look up their conformance resources.
export {
  PackageStore, PackageError, isPackageError, bundledPackage,
  type PackageStoreOptions, type PackageInfo, type PackageManifest, type PackageErrorCode, type ResourceEntry,
  type CanonicalResource, type ConformanceResolver,
} from './packages/index.js';
