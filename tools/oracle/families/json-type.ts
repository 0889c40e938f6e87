/** Gives a property a value of the wrong JSON type: number for string, string for boolean, object for primitive... */
import type { Family } from './types.js';
import { isPrimitiveType, replaceSite } from '../sites.js';
import { propertyPath, short } from './util.js';

export const jsonType: Family = {
  name: 'json-type',
  summary: 'a value of the wrong JSON type: number for string, string for number or boolean, object for primitive, primitive for object, object for array',
  apply({ rng, walk }) {
    const site = rng.pick(walk.sites.length ? walk.sites : [undefined]);
    if (!site || site.key === 'resourceType') return undefined;
    const v = site.value;
    const arrayNow = site.index !== undefined;
    if (arrayNow && rng.chance(0.25)) {
      site.parent[site.key] = v;
      return `${propertyPath(site)} (repeating) given as a single value, not an array`;
    }
    let bad: unknown;
    if (isPrimitiveType(site.type)) {
      if (typeof v === 'string') bad = rng.pick([42, true, { value: v }]);
      else if (typeof v === 'number') bad = rng.pick([String(v), { value: v }]);
      else if (typeof v === 'boolean') bad = rng.pick([String(v), v ? 1 : 0]);
      else return undefined;
    } else bad = rng.pick(['text', 7, [v]]);
    replaceSite(site, bad);
    return `${site.instancePath} (${site.type}) ${short(v)} -> ${short(bad)}`;
  },
};
