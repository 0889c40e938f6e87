/**
 * OperationDefinition rules (the reference validator's OperationDefinitionValidator): an operation whose
 * chain of `base` definitions leads back to itself, and the input and output profiles against the
 * parameters the operation lists (operation-profiles.ts).
 */
import { clip } from '../primitives.js';
import type { ConformanceContext } from './context.js';
import { checkOperationProfile } from './operation-profiles.js';

export function checkOperationDefinition(od: Record<string, unknown>, path: string, cx: ConformanceContext): void {
  if (typeof od.base === 'string' && typeof od.url === 'string') checkCircularBase(od.url, od.base, path, cx);
  if (typeof od.inputProfile === 'string') checkOperationProfile(od, od.inputProfile, 'in', `${path}.inputProfile`, cx);
  if (typeof od.outputProfile === 'string') checkOperationProfile(od, od.outputProfile, 'out', `${path}.outputProfile`, cx);
}

function checkCircularBase(url: string, first: string, path: string, cx: ConformanceContext): void {
  let base: unknown = first;
  let last = url;
  const seen = new Set<string>();
  let def = typeof base === 'string' ? cx.lookup(base) : undefined;
  // `seen` bounds a loop among other definitions that never comes back to this one.
  while (def && def.resourceType === 'OperationDefinition' && typeof base === 'string' && !seen.has(base)) {
    seen.add(base);
    if (def.url === url) {
      cx.report('OPDEF_CIRCULAR_DEFINITION', 'error', 'unknown', path, `The definition of the Operation is circular - it depends on itself (url = '${clip(url)}', from '${clip(last)}')`);
      return;
    }
    last = base;
    base = def.base;
    def = typeof base === 'string' ? cx.lookup(base) : undefined;
  }
}
