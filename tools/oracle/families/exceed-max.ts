/** Exceeds a maximum cardinality: a single-valued element given twice (as a JSON array). */
import type { Family } from './types.js';
import { clone, pickWhere, propertyPath, repeats } from './util.js';

export const exceedMax: Family = {
  name: 'exceed-max',
  summary: 'gives a single-valued element (max 1) two values, as an array',
  apply({ rng, walk }) {
    const site = pickWhere(rng, walk.sites, (s) => s.index === undefined && !repeats(s.def) && s.key !== 'resourceType' && s.key !== 'id' && s.value !== null && s.value !== undefined);
    if (!site) return undefined;
    site.parent[site.key] = [site.value, clone(site.value)];
    const companion = site.parent[`_${site.key}`];
    if (companion !== undefined) site.parent[`_${site.key}`] = [companion, clone(companion)];
    return `${propertyPath(site)} (max ${site.def.max}) given two values`;
  },
};
