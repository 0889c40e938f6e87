/**
 * Ids: a resource id's length and characters, element ids unique within a resource, and the rules on
 * contained resources (dom-2, dom-4, dom-5, and dom-3: each must be referenced from its container).
 */
import { INV_DOM_2, INV_DOM_4, INV_DOM_5 } from '../../../plugin-types/index.js';
import { clip } from '../../primitives.js';
import { refersToContainer } from '../../resource-rules.js';
import type { ResourceScope, RuleContext } from '../context.js';

export function checkResourceId(obj: Record<string, unknown>, path: string, ctx: RuleContext): void {
  const id = obj.id;
  if (typeof id !== 'string') return;
  if (id.length > 64) ctx.report('Resource_RES_ID_Malformed_Length', 'error', 'invalid', `${path}.id`, `Invalid Resource id: Too long (${id.length} chars)`);
  else if (!/^[A-Za-z0-9\-.]+$/.test(id)) ctx.report('Resource_RES_ID_Malformed_Chars', 'error', 'invalid', `${path}.id`, `Invalid Resource id: Invalid Characters ('${clip(id)}')`);
}

/** An element id must be unique within its resource (ElementDefinition ids repeat by design between snapshot and differential). */
export function checkElementId(obj: Record<string, unknown>, path: string, type: string, ctx: RuleContext): void {
  const scope = ctx.scope;
  if (typeof obj.id !== 'string' || !scope || type === 'ElementDefinition') return;
  const ids = (scope.elementIds ??= new Set());
  if (ids.has(obj.id)) ctx.report('DUPLICATE_ID', 'error', 'value', path, `Duplicate id value '${clip(obj.id)}'`);
  else ids.add(obj.id);
}

/** Run once the resource has been walked, when every '#id' reference inside it has been seen. */
export function checkContained(obj: Record<string, unknown>, path: string, scope: ResourceScope, ctx: RuleContext): void {
  const contained = obj.contained;
  if (!Array.isArray(contained)) return;
  // The reference validator checks a reference's target against the target profiles without this last step
  // (InstanceValidator.validateResource, forReference): an orphan there is the target's own finding, no mismatch.
  const orphansLeftAside = ctx.probeForReference && obj === ctx.probeSubject;
  contained.forEach((c, i) => {
    if (!c || typeof c !== 'object') return;
    const r = c as Record<string, unknown>;
    const cpath = `${path}.contained[${i}]`;
    if (r.contained !== undefined) ctx.report(INV_DOM_2, 'error', 'invariant', cpath, 'Constraint failed: dom-2: If the resource is contained in another resource, it SHALL NOT contain nested Resources');
    const meta = r.meta as Record<string, unknown> | undefined;
    if (meta && (meta.versionId !== undefined || meta.lastUpdated !== undefined)) {
      ctx.report(INV_DOM_4, 'error', 'invariant', cpath, 'Constraint failed: dom-4: If a resource is contained in another resource, it SHALL NOT have a meta.versionId or a meta.lastUpdated');
    }
    if (meta && meta.security !== undefined) ctx.report(INV_DOM_5, 'error', 'invariant', cpath, 'Constraint failed: dom-5: If a resource is contained in another resource, it SHALL NOT have a security label');
    const id = r.id;
    if (typeof id === 'string' && !orphansLeftAside && !scope.localRefs?.has(id) && !refersToContainer(r)) {
      ctx.report('CONTAINED_ORPHAN_DOM3', 'error', 'invalid', cpath, `The contained resource '${clip(id)}' is not referenced to from elsewhere in the containing resource nor does it refer to the containing resource (dom-3)`);
    }
  });
}
