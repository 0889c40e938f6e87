/** Duplicate identities: two Bundle entries with one fullUrl or one type/id, two contained resources with one id. */
import type { Family } from './types.js';
import { clone, isObject } from './util.js';

export const duplicates: Family = {
  name: 'duplicate-ids',
  summary: 'two Bundle entries with the same fullUrl, or the same resource type and id; two contained resources with the same id',
  apply({ rng, walk }) {
    const bundles = walk.objects.filter((o) => o.resourceType === 'Bundle' && Array.isArray(o.obj.entry) && o.obj.entry.length >= 2);
    const withContained = walk.objects.filter((o) => o.resourceType && Array.isArray(o.obj.contained) && o.obj.contained.length >= 1);
    if (!bundles.length && !withContained.length) return undefined;
    if (bundles.length && (!withContained.length || rng.chance(0.7))) {
      const b = rng.pick(bundles);
      const entries = (b.obj.entry as unknown[]).filter(isObject);
      const i = rng.int(entries.length);
      let j = rng.int(entries.length - 1);
      if (j >= i) j++;
      const [first, second] = [entries[i], entries[j]];
      if (!first || !second) return undefined;
      const r1 = first.resource;
      const r2 = second.resource;
      if (rng.chance(0.5) && typeof first.fullUrl === 'string') {
        second.fullUrl = first.fullUrl;
        return `${b.instancePath}.entry[${j}].fullUrl set to entry[${i}]'s (${first.fullUrl})`;
      }
      if (isObject(r1) && isObject(r2) && typeof r1.id === 'string') {
        second.resource = { ...clone(r1) };
        return `${b.instancePath}.entry[${j}].resource replaced by a copy of entry[${i}]'s (${String(r1.resourceType)}/${r1.id})`;
      }
      return undefined;
    }
    const holder = rng.pick(withContained);
    const contained = holder.obj.contained as unknown[];
    const c = rng.pick(contained.filter(isObject));
    if (!c) return undefined;
    contained.push(clone(c));
    return `${holder.instancePath}.contained: ${String(c.resourceType)}/${String(c.id)} twice`;
  },
};
