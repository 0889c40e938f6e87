/**
 * FHIR and NHS system URLs named in more than one folder, defined once. A leaf module: it imports nothing,
 * so any folder (core, transports, the CLI) may use it without adding an arrow between capabilities.
 */

/** Identifier system of NHS numbers (Patient.identifier). */
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
/** Identifier system of ODS organisation codes. */
export const ODS_ORGANISATION_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
/** Identifier system of ODS site codes. */
export const ODS_SITE_SYSTEM = 'https://fhir.nhs.uk/Id/ods-site-code';

/** SNOMED CT. */
export const SNOMED_SYSTEM = 'http://snomed.info/sct';
/** The NHS Dictionary of medicines and devices (dm+d): its codes are SCTIDs too. */
export const DMD_SYSTEM = 'https://dmd.nhs.uk';
/** LOINC. */
export const LOINC_SYSTEM = 'http://loinc.org';
/** UCUM, the units of measure system (also FHIRPath's `%ucum`). */
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';
/** HL7 v3 ActCode (Encounter.class). */
export const V3_ACT_CODE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';

/** Base of the canonical URLs of the core FHIR StructureDefinitions (resources, data types, core extensions). */
export const CORE_SD_BASE = 'http://hl7.org/fhir/StructureDefinition/';
/** Base of the FHIRPath System types (`System.String`...), the type codes of primitive values in a StructureDefinition. */
export const FHIRPATH_SYSTEM_TYPE_BASE = 'http://hl7.org/fhirpath/System.';
/** The extension that names the FHIR type of an element whose code is a FHIRPath System type (e.g. `id`, `uri`). */
export const FHIR_TYPE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';
