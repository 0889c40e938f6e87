/** Slice violations in profiled resources: a required slice left out, a slice given more items than it allows. */
import { nodesAt, profiledResources } from '../profile-sites.js';
import type { Family } from './types.js';
import { clone } from './util.js';

export const slices: Family = {
  name: 'slice',
  summary: "removes the items of a required slice (min >= 1) or repeats an item of a slice beyond its max: needs a seed that claims a UK Core or ADS profile",
  apply({ rng, walk, defs }) {
    const choices: { what: 'missing' | 'too-many'; id: string; nodes: ReturnType<typeof nodesAt> }[] = [];
    for (const res of profiledResources(walk, defs)) {
      for (const e of res.sd.snapshot?.element ?? []) {
        if (!e.sliceName || !e.id || !/:[^.]+$/.test(e.id)) continue;
        const nodes = nodesAt(res, e.id);
        if (!nodes.length) continue;
        if ((e.min ?? 0) >= 1) choices.push({ what: 'missing', id: e.id, nodes });
        if (e.max !== '*' && Number(e.max) >= 1 && nodes.length >= Number(e.max)) choices.push({ what: 'too-many', id: e.id, nodes });
      }
    }
    if (!choices.length) return undefined;
    const c = rng.pick(choices);
    const first = c.nodes[0];
    if (!first) return undefined;
    const list = first.parent[first.key];
    if (c.what === 'too-many') {
      if (Array.isArray(list)) list.push(clone(first.value));
      else first.parent[first.key] = [first.value, clone(first.value)];
      return `${first.instancePath}: slice ${c.id} given one item more than its max`;
    }
    if (Array.isArray(list)) {
      const drop = new Set(c.nodes.filter((n) => n.parent === first.parent && n.key === first.key).map((n) => n.index));
      const kept = list.filter((_, i) => !drop.has(i));
      if (kept.length) first.parent[first.key] = kept;
      else delete first.parent[first.key];
    } else delete first.parent[first.key];
    return `${first.instancePath.replace(/\[\d+\]$/, '')}: required slice ${c.id} removed`;
  },
};
