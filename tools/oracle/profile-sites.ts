/**
 * Profile-aware lookups for the families that need a profile (fixed/pattern values, slices): the resources of an
 * instance that claim a profile the store knows, and the instance values an element id of that profile selects
 * (`Patient.identifier:nhsNumber.system`), matching slices by their value, pattern and extension-URL discriminators.
 */
import type { ElementDefinition, StructureDefinition } from 'fhir/r4';
import type { Definitions, JsonObject, Walk } from './sites.js';

export interface ProfiledResource {
  obj: JsonObject;
  instancePath: string;
  sd: StructureDefinition;
}

export interface Node {
  parent: JsonObject;
  key: string;
  index?: number;
  value: unknown;
  instancePath: string;
}

export function profiledResources(walk: Walk, defs: Definitions): ProfiledResource[] {
  const out: ProfiledResource[] = [];
  for (const o of walk.objects) {
    if (!o.resourceType) continue;
    const profiles = (o.obj.meta as { profile?: unknown } | undefined)?.profile;
    if (!Array.isArray(profiles)) continue;
    for (const p of profiles) {
      const sd = typeof p === 'string' ? defs.structureDefinition(p) : undefined;
      if (sd?.snapshot?.element?.length && sd.type === o.resourceType) out.push({ obj: o.obj, instancePath: o.instancePath, sd });
    }
  }
  return out;
}

/** The `[x]`-free value of an element's fixed or pattern, with which of the two it is. */
export function fixedOrPattern(e: ElementDefinition): { kind: 'fixed' | 'pattern'; value: unknown } | undefined {
  for (const [k, v] of Object.entries(e)) {
    if (k.startsWith('fixed') && k.length > 5) return { kind: 'fixed', value: v };
    if (k.startsWith('pattern') && k.length > 7) return { kind: 'pattern', value: v };
  }
  return undefined;
}

/** True when `actual` holds everything `pattern` has (arrays: each pattern item matched by some actual item). */
export function containsPattern(actual: unknown, pattern: unknown): boolean {
  if (pattern === null || typeof pattern !== 'object') return actual === pattern;
  if (Array.isArray(pattern)) return Array.isArray(actual) && pattern.every((p) => actual.some((a) => containsPattern(a, p)));
  if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return false;
  return Object.entries(pattern).every(([k, v]) => containsPattern((actual as JsonObject)[k], v));
}

function byId(sd: StructureDefinition): Map<string, ElementDefinition> {
  return new Map((sd.snapshot?.element ?? []).map((e) => [e.id ?? e.path, e]));
}

/** Values at `path` below `item` (dot-separated names, arrays flattened). */
function valuesAt(item: unknown, path: string): unknown[] {
  let current: unknown[] = [item];
  for (const name of path.split('.')) {
    const next: unknown[] = [];
    for (const c of current) {
      if (!c || typeof c !== 'object') continue;
      const v = (c as JsonObject)[name];
      if (Array.isArray(v)) next.push(...v);
      else if (v !== undefined) next.push(v);
    }
    current = next;
  }
  return current;
}

/** Whether an array item belongs to a slice: true, false, or undefined when the discriminators cannot be judged here. */
export function sliceMatches(item: unknown, sliceId: string, sd: StructureDefinition): boolean | undefined {
  const elements = byId(sd);
  const slice = elements.get(sliceId);
  const baseId = sliceId.replace(/:[^.:]+$/, '');
  const slicing = elements.get(baseId)?.slicing;
  if (!slice || !slicing?.discriminator?.length) return undefined;
  for (const d of slicing.discriminator) {
    if (d.type !== 'value' && d.type !== 'pattern') return undefined;
    if (d.path === 'url' && slice.type?.[0]?.profile?.[0]) {
      if ((item as JsonObject | undefined)?.url !== slice.type[0].profile[0]) return false;
      continue;
    }
    const target = d.path === '$this' ? slice : elements.get(`${sliceId}.${d.path}`);
    const expected = target ? fixedOrPattern(target) : undefined;
    if (!expected) return undefined;
    const actual = d.path === '$this' ? [item] : valuesAt(item, d.path);
    if (!actual.some((a) => containsPattern(a, expected.value))) return false;
  }
  return true;
}

/** The instance values an element id of the profile selects, below one profiled resource. */
export function nodesAt(res: ProfiledResource, elementId: string): Node[] {
  const segments = elementId.split('.');
  let current: Node[] = [{ parent: {}, key: '', value: res.obj, instancePath: res.instancePath }];
  let idSoFar = segments[0] ?? '';
  for (const seg of segments.slice(1)) {
    const [name = '', sliceName] = seg.split(':');
    idSoFar = `${idSoFar}.${seg}`;
    const next: Node[] = [];
    for (const n of current) {
      if (!n.value || typeof n.value !== 'object' || Array.isArray(n.value)) continue;
      const obj = n.value as JsonObject;
      const keys = name.endsWith('[x]') ? Object.keys(obj).filter((k) => k.startsWith(name.slice(0, -3)) && /^[A-Z]/.test(k.slice(name.length - 3))) : [name];
      for (const key of keys) {
        const v = obj[key];
        if (v === undefined) continue;
        const items = Array.isArray(v) ? v : [v];
        items.forEach((item, i) => {
          if (sliceName && sliceMatches(item, idSoFar, res.sd) !== true) return;
          const index = Array.isArray(v) ? i : undefined;
          next.push({ parent: obj, key, ...(index === undefined ? {} : { index }), value: item, instancePath: `${n.instancePath}.${key}${index === undefined ? '' : `[${index}]`}` });
        });
      }
    }
    current = next;
  }
  return current;
}
