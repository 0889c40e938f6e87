/**
 * ads-fhir: build, validate, document and submit NHS Ambulance Data Set (ADS) FHIR bundles.
 *
 * Everything public is exported from here; the CLI is a thin layer over it.
 * @packageDocumentation
 */
export * from './packages/index.js';
export * from './format/index.js';
export * from './validation/index.js';
export * from './terminology/index.js';
export * from './fhirpath/index.js';
export * from './builder/index.js';
export * from './mapping/index.js';
export * from './docs/index.js';
export * from './cqi/index.js';
export * from './audit/index.js';
export * from './net/index.js';
export * from './sqlite/index.js';
export * from './submission/index.js';
export * from './mesh/index.js';
export * from './reporting/index.js';
export * from './server/index.js';
