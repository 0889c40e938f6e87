/**
 * Contained resources are told apart by id: two with the same id in one resource make `#id`
 * ambiguous (InstanceValidator.validateContains, RESOURCE_DUPLICATE_CONTAINED_ID, reported at the later one).
 */
import { clip } from '../../primitives.js';
import type { RuleContext } from '../context.js';

export function checkContainedIds(resource: Record<string, unknown>, path: string, ctx: RuleContext): void {
  const contained = resource.contained;
  if (!Array.isArray(contained) || contained.length < 2) return;
  const seen = new Set<string>();
  contained.forEach((c, i) => {
    const id = c && typeof c === 'object' ? (c as { id?: unknown }).id : undefined;
    if (typeof id !== 'string') return;
    if (seen.has(id)) ctx.report('RESOURCE_DUPLICATE_CONTAINED_ID', 'error', 'duplicate', `${path}.contained[${i}]`, `Duplicate ID for contained resource: ${clip(id)}`);
    seen.add(id);
  });
}
