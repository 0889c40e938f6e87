/**
 * What the conformance-resource rules (SearchParameter, OperationDefinition, StructureMap, ...) need from
 * the validator: a way to report, and lookups of the definitions they check against. The engine builds
 * it from its rule context (engine/rules/conformance.ts); tests of a single module may build their own.
 */
import type { Report } from '../../plugin-types/index.js';

export interface ConformanceContext {
  readonly report: Report;
  /** A canonical resource loaded in the validator (any type), by URL (`|version` allowed). */
  lookup(url: string): Record<string, unknown> | undefined;
  /** A SearchParameter by URL: loaded ones first, then those of core R4. */
  searchParameter(url: string): Record<string, unknown> | undefined;
  /** True for the name of an R4 resource type. */
  isResourceType(name: string): boolean;
}
