import type { FhirResource, StructureDefinition, ValueSet, CodeSystem } from 'fhir/r4';

/** A FHIR NPM package's manifest (`package/package.json`), the fields the store uses. */
export interface PackageManifest {
  name: string;
  version: string;
  fhirVersions?: string[];
  dependencies?: Record<string, string>;
}

/** Any resource with a canonical URL: StructureDefinition, ValueSet, CodeSystem, ... */
export type CanonicalResource = FhirResource & { url?: string; version?: string };

/**
 * Where conformance resources come from at validation and build time.
 *
 * Lookups take a canonical URL, optionally `url|version`; without a version the latest loaded wins.
 * `structureDefinition` always returns a definition with a snapshot (generated from the
 * differential when the package shipped none), or undefined when the URL is unknown.
 */
export interface ConformanceResolver {
  resolve(canonical: string): CanonicalResource | undefined;
  structureDefinition(canonicalOrType: string): StructureDefinition | undefined;
  valueSet(canonical: string): ValueSet | undefined;
  codeSystem(canonical: string): CodeSystem | undefined;
  /** Every loaded resource of a type, in load order. */
  all<T extends CanonicalResource = CanonicalResource>(resourceType: T['resourceType']): Iterable<T>;
}
