/**
 * The version of a canonical resource must not contain '#': URLs of the form `url|version#fragment` are
 * then read wrongly by most systems. A warning on the resource, as the reference's
 * InstanceValidator.validateResource gives it.
 */
import { clip } from '../../primitives.js';
import type { ResourceRule } from '../context.js';
import { CANONICAL_RESOURCES } from './primitives.js';

export const checkCanonicalVersion: ResourceRule = (resource, path, ctx) => {
  const version = resource.version;
  if (typeof version !== 'string' || !version.includes('#') || !CANONICAL_RESOURCES.has(String(resource.resourceType))) return;
  ctx.report('VALIDATION_VAL_VERSION_NOHASH', 'warning', 'business-rule', path, `Version '${clip(version)}' contains a '#', which is problematic, as this character is used in some URLs to separate the version and the fragment id. Systems will generally wrongly parse these URLs`);
};
