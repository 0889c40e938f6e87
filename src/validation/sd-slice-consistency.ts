/**
 * Slices agree with the element that defines the slicing (the reference validator's
 * StructureDefinitionValidator.validateSDElement): when that element must be supported, a slice that is not
 * is reported, and so is each of such a slice's types that the sliced element does not have.
 */
import type { Report } from '../plugin-types/index.js';

type Obj = Record<string, unknown>;

/** When the sliced element must be supported, its slices are expected to be as well. */
export function checkSliceMustSupport(diff: Obj[], byId: Map<string, Obj>, path: string, report: Report): void {
  for (const e of diff) {
    if (e.mustSupport === true) continue;
    const entry = slicingEntry(e, byId);
    if (entry?.slicing === undefined || entry.mustSupport !== true) continue;
    report('SD_PATH_SLICE_INCONSISTENT_MS', 'warning', 'business-rule', `${path}.differential`, `The slice '${String(e.sliceName)}' on path '${String(e.path ?? '')}' is not marked as 'must-support' which is not consistent with the element that defines the slicing, where 'must-support' is true`);
    // Only where the differential states the sliced element's types: otherwise they are the base's, not known here.
    const entryTypes = codes(entry);
    if (entryTypes.length === 0) continue;
    for (const code of codes(e)) {
      if (entryTypes.includes(code)) continue;
      report('SD_PATH_SLICE_INCONSISTENT_TYPE', 'warning', 'business-rule', `${path}.differential`, `The slice '${String(e.sliceName)}' on path '${String(e.path ?? '')}' has type '${code} which is not consistent with the element that defines the slicing, which has the type(s) '${entryTypes.join(', ')}'`);
    }
  }
}

/** For a slice (`a.b:name`), the element that opened the slicing (`a.b`), when the differential has it. */
export function slicingEntry(e: Obj, byId: Map<string, Obj>): Obj | undefined {
  const { id, sliceName } = e;
  if (typeof id !== 'string' || typeof sliceName !== 'string' || !id.endsWith(`:${sliceName}`)) return undefined;
  return byId.get(id.slice(0, id.length - sliceName.length - 1));
}


function codes(e: Obj): string[] {
  const types = Array.isArray(e.type) ? (e.type as unknown[]) : [];
  return types.map((t) => (t && typeof t === 'object' ? (t as Obj).code : undefined)).filter((c): c is string => typeof c === 'string' && c !== '');
}
