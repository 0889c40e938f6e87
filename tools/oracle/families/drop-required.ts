/** Drops an element whose minimum cardinality is 1 or more (core definitions). */
import type { Family } from './types.js';
import { pickWhere, propertyPath } from './util.js';

export const dropRequired: Family = {
  name: 'drop-required',
  summary: 'removes an element the definition requires (min >= 1): Observation.status, Extension.url, Bundle.type...',
  apply({ rng, walk }) {
    const site = pickWhere(rng, walk.sites, (s) => (s.def.min ?? 0) >= 1 && s.key !== 'resourceType');
    if (!site) return undefined;
    delete site.parent[site.key];
    return `removed required ${propertyPath(site)} (min ${site.def.min})`;
  },
};
