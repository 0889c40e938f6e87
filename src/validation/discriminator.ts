/**
 * The FHIRPath subset slice discriminators use (`a.b`, `$this`, `extension('url')`, `ofType(T)`,
 * `resolve()`), evaluated directly on JSON.
 */
import type { ElementNode } from './model.js';

/** Resolves a reference string to the resource it points at, within the current Bundle/contained scope. */
export type Resolve = (ref: string) => Record<string, unknown> | undefined;

/**
 * A FHIRPath location with its choice steps spelt as JSON properties: `Observation.value.ofType(Quantity)` ->
 * `Observation.valueQuantity` (a step on `$this` is left alone: the item's type is not in its JSON).
 */
export function choiceAsProperty(path: string): string {
  return path.replace(/(?<!\$this)\.ofType\(([A-Za-z]+)\)/g, (_m, t: string) => t.charAt(0).toUpperCase() + t.slice(1));
}

/** One step of a discriminator path, read once per path. */
type Step = { kind: 'resolve' } | { kind: 'ofType' } | { kind: 'extension'; url: string } | { kind: 'property'; name: string };

/** Steps per discriminator path: the paths come from the profiles (a bounded set), and are met for every sliced item. */
const compiledPaths = new Map<string, readonly Step[]>();
const MAX_COMPILED_PATHS = 10_000;

function stepsOf(dpath: string): readonly Step[] {
  const hit = compiledPaths.get(dpath);
  if (hit) return hit;
  const steps: Step[] = [];
  // `value.ofType(Quantity)` reads valueQuantity only (not valueString).
  for (const seg of splitPath(choiceAsProperty(dpath))) {
    if (seg === '$this') continue;
    const ext = /^extension\('([^']*)'\)$/.exec(seg);
    if (seg === 'resolve()') steps.push({ kind: 'resolve' });
    else if (/^ofType\((\w+)\)$/.test(seg)) steps.push({ kind: 'ofType' });
    else if (ext) steps.push({ kind: 'extension', url: ext[1]! });
    else steps.push({ kind: 'property', name: seg });
  }
  if (compiledPaths.size < MAX_COMPILED_PATHS) compiledPaths.set(dpath, steps);
  return steps;
}

/** Evaluates the simple FHIRPath subset allowed in discriminator paths. */
export function evaluatePath(item: unknown, dpath: string, resolve: Resolve): unknown[] {
  let current: unknown[] = [item];
  for (const step of stepsOf(dpath)) {
    if (step.kind === 'ofType') continue;
    const next: unknown[] = [];
    for (const c of current) {
      if (step.kind === 'resolve') {
        const ref = c && typeof c === 'object' ? (c as { reference?: unknown }).reference : undefined;
        const r = typeof ref === 'string' ? resolve(ref) : undefined;
        if (r) next.push(r);
        continue;
      }
      if (!c || typeof c !== 'object') continue;
      const o = c as Record<string, unknown>;
      if (step.kind === 'extension') {
        const list = o.extension;
        if (Array.isArray(list)) for (const e of list) if (e && (e as { url?: unknown }).url === step.url) next.push(e);
        continue;
      }
      const seg = step.name;
      let v = o[seg];
      if (v === undefined) {
        for (const k in o) if (k.startsWith(seg) && k.length > seg.length && k.charCodeAt(seg.length) < 97) v = o[k];
      }
      if (Array.isArray(v)) for (const x of v) next.push(x);
      else if (v !== undefined) next.push(v);
    }
    current = next;
  }
  return current;
}

/**
 * Types of the values a discriminator path reaches: a choice element's type comes from its JSON
 * property suffix (`contentAttachment` -> Attachment), a resource's from resourceType.
 */
export function typesAtPath(item: unknown, dpath: string, resolve: Resolve): string[] {
  const segs = splitPath(dpath).filter((x) => x !== '$this');
  const last = segs.pop();
  if (last === undefined) return [];
  const parents = segs.length ? evaluatePath(item, segs.join('.'), resolve) : [item];
  const out: string[] = [];
  for (const p of parents) {
    if (!p || typeof p !== 'object') continue;
    for (const k in p as object) {
      if (k === last) {
        const v = (p as Record<string, unknown>)[k];
        if (v && typeof v === 'object' && typeof (v as { resourceType?: unknown }).resourceType === 'string') out.push((v as { resourceType: string }).resourceType);
        else out.push('');
      } else if (k.startsWith(last) && k.length > last.length && k.charCodeAt(last.length) < 97) out.push(k.slice(last.length));
    }
  }
  return out;
}

export function allSlices(node: ElementNode): ElementNode[] {
  const out: ElementNode[] = [];
  for (const s of node.slices) out.push(s, ...allSlices(s));
  return out;
}

export function splitPath(p: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of p) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === '.' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

