/**
 * Contained resources are told apart by id: each must have one (the reference validates a contained resource
 * with its id required: Resource_RES_ID_Missing, at the contained resource), and two with the same id in one
 * resource make `#id` ambiguous (InstanceValidator.validateContains, RESOURCE_DUPLICATE_CONTAINED_ID, reported
 * at the later one).
 */
import { clip } from '../../primitives.js';
import type { RuleContext } from '../context.js';

export function checkContainedIds(resource: Record<string, unknown>, path: string, ctx: RuleContext): void {
  const contained = resource.contained;
  if (!Array.isArray(contained)) return;
  const seen = new Set<string>();
  contained.forEach((c, i) => {
    if (!c || typeof c !== 'object' || Array.isArray(c)) return;
    const r = c as Record<string, unknown>;
    if (typeof r.resourceType === 'string' && r.id === undefined && r._id === undefined) {
      ctx.report('Resource_RES_ID_Missing', 'error', 'invalid', `${path}.contained[${i}]`, 'Resource requires an id, but none is present');
    }
    const id = r.id;
    if (typeof id !== 'string') return;
    if (seen.has(id)) ctx.report('RESOURCE_DUPLICATE_CONTAINED_ID', 'error', 'duplicate', `${path}.contained[${i}]`, `Duplicate ID for contained resource: ${clip(id)}`);
    seen.add(id);
  });
}
