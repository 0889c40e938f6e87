/** Changes a value the resource's profile fixes or patterns (UK Core and ADS profiles; core has few). */
import { fixedOrPattern, nodesAt, profiledResources } from '../profile-sites.js';
import type { Family } from './types.js';
import { clone, isObject, short } from './util.js';

/** A value unlike `v`: strings and numbers altered, booleans flipped, the first leaf of an object changed. */
function unlike(v: unknown): unknown {
  if (typeof v === 'string') return v === 'zz-changed' ? 'zz-changed-2' : 'zz-changed';
  if (typeof v === 'number') return v + 1;
  if (typeof v === 'boolean') return !v;
  if (Array.isArray(v)) return v.length ? [unlike(v[0]), ...v.slice(1)] : v;
  if (isObject(v)) {
    const out = clone(v);
    const key = ['code', 'system', 'value', 'url'].find((k) => k in out) ?? Object.keys(out)[0];
    if (key) out[key] = unlike(out[key]);
    return out;
  }
  return v;
}

export const fixedPattern: Family = {
  name: 'fixed-pattern',
  summary: "changes an instance value that its profile fixes (fixed[x]) or patterns (pattern[x]): needs a seed that claims a UK Core or ADS profile",
  apply({ rng, walk, defs }) {
    const choices: { at: string; kind: string; node: ReturnType<typeof nodesAt>[number]; expected: unknown }[] = [];
    for (const res of profiledResources(walk, defs)) {
      for (const e of res.sd.snapshot?.element ?? []) {
        const fp = fixedOrPattern(e);
        if (!fp || !e.id || e.path.endsWith('.url')) continue;
        for (const node of nodesAt(res, e.id)) choices.push({ at: e.id, kind: fp.kind, node, expected: fp.value });
      }
    }
    if (!choices.length) return undefined;
    const c = rng.pick(choices);
    const { node } = c;
    // Change what the profile constrains: the pattern's own properties inside a larger value.
    const next = isObject(c.expected) && isObject(node.value) ? { ...node.value, ...(unlike(c.expected) as object) } : unlike(c.expected);
    if (node.index !== undefined) (node.parent[node.key] as unknown[])[node.index] = next;
    else node.parent[node.key] = next;
    return `${node.instancePath} (${c.kind} at ${c.at}) ${short(node.value)} -> ${short(next)}`;
  },
};
