/**
 * The conformance-resource rules (src/validation/conformance-resources/) in the rule table's signature:
 * SearchParameter, OperationDefinition, Parameters, ImplementationGuide, StructureMap, and the publication rules of
 * every canonical resource.
 */
import { isResourceTypeName } from '../../../fhirpath/index.js';
import { coreSearchParameter } from '../../../packages/core-search-parameters.js';
import type { ConformanceContext } from '../../conformance-resources/context.js';
import { checkImplementationGuide } from '../../conformance-resources/implementation-guide.js';
import { checkOperationDefinition } from '../../conformance-resources/operation-definition.js';
import { checkParameters } from '../../conformance-resources/parameters.js';
import { CANONICAL_RESOURCE_TYPES } from '../../canonical-resource-types.js';
import { checkPublication } from '../../conformance-resources/publication.js';
import { checkSearchParameter } from '../../conformance-resources/search-parameter.js';
import { checkStructureMap } from '../../conformance-resources/structure-map.js';
import type { ResourceRule, RuleContext } from '../context.js';

/** Loaded definitions first; then, for a search parameter, core R4's (the reference loads them with core). */
export function conformanceContext(ctx: RuleContext): ConformanceContext {
  const lookup = ctx.lookup;
  return {
    report: ctx.report,
    lookup,
    searchParameter: (url) => {
      const hit = lookup(url);
      return hit && hit.resourceType === 'SearchParameter' ? hit : coreSearchParameter(url);
    },
    isResourceType: isResourceTypeName,
  };
}

export const searchParameterRules: ResourceRule = (sp, path, ctx) => checkSearchParameter(sp, path, conformanceContext(ctx));
export const operationDefinitionRules: ResourceRule = (od, path, ctx) => checkOperationDefinition(od, path, conformanceContext(ctx));
export const parametersRules: ResourceRule = (p, path, ctx) => checkParameters(p, path, conformanceContext(ctx));
export const implementationGuideRules: ResourceRule = (ig, path, ctx) => checkImplementationGuide(ig, path, conformanceContext(ctx));
/** Runs on every resource: the type test comes first, so that most resources cost nothing more. */
export const publicationRules: ResourceRule = (r, path, ctx) => {
  if (typeof r.resourceType === 'string' && CANONICAL_RESOURCE_TYPES.has(r.resourceType)) checkPublication(r, path, conformanceContext(ctx));
};
export const structureMapRules: ResourceRule = (map, path, ctx) => {
  try {
    checkStructureMap(map, path, conformanceContext(ctx), (name) => ctx.registry.get(name)?.url);
  } catch {
    // A map too malformed to follow (the reference stops with an exception there too) keeps what was found.
  }
};
