/**
 * FHIR packages: core R4 built in, UK Core and cross-version extras bundled in `profiles/`, any
 * other package from a folder or `.tgz`; conformance lookups by canonical URL; StructureDefinition
 * snapshots generated from differentials; a compiled index cache and a cache of derived data (generated
 * snapshots, compiled profiles) for fast starts.
 *
 * Start with {@link PackageStore.create}.
 * @module
 */
export * from './types.js';
export * from './core-r4.js';
export * from './errors.js';
export * from './version.js';
export { PackageStore, type PackageStoreOptions, type PackageInfo } from './store.js';
export type { ResourceEntry } from './loaded-package.js';
export { readPackage, classifyPackageFile, type RawPackage, type PackageFile } from './source.js';
export { bundledPackage, defaultCacheDir, fhirPackageCache } from './locations.js';
export { cachedVersions, resolvePackageSpec } from './package-spec.js';
export { generateSnapshot, traceSnapshot, SnapshotError, type SnapshotResolver, type SnapshotTrace } from './snapshot/generate.js';
export { checkDifferential, type DifferentialProblem } from './snapshot/check.js';
export { checkAgainstPublished, comparableElement, type OracleResult } from './snapshot/oracle.js';
