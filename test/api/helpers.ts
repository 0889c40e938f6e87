import { resolve } from 'node:path';

/** One name each public entry point must export at run time, to check that an entry resolves to the right code. */
export const KNOWN_NAME: Record<string, string> = {
  'ads-fhir': 'createValidationService',
  'ads-fhir/validation': 'Validator',
  'ads-fhir/terminology': 'LocalTerminology',
  'ads-fhir/fhirpath': 'FhirPathInvariantEvaluator',
  'ads-fhir/format': 'parseFhirXml',
  'ads-fhir/mapping': 'mapExtract',
  'ads-fhir/docs': 'generateMappingDocs',
  'ads-fhir/submission': 'Outbox',
  'ads-fhir/mesh': 'MeshClient',
  'ads-fhir/cqi': 'CqiClient',
  'ads-fhir/audit': 'SqliteAuditStore',
  'ads-fhir/testing': 'startSandbox',
  'ads-fhir/conformance': 'runCase',
};

/** Loads an entry point's source file (path relative to the project root). */
export async function importSource(source: string): Promise<Record<string, unknown>> {
  return (await import(/* @vite-ignore */ resolve(source))) as Record<string, unknown>;
}
