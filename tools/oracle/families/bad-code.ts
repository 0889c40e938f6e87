/** A code that is not in the value set of a required or extensible binding. */
import type { Family } from './types.js';
import { replaceSite } from '../sites.js';
import { isObject } from './util.js';

export const badCode: Family = {
  name: 'bad-code',
  summary: 'a code outside the value set of a required or extensible binding (code, Coding, CodeableConcept, Quantity units left alone)',
  apply({ rng, walk }) {
    const sites = walk.sites.filter((s) => {
      const strength = s.def.binding?.strength;
      if (strength !== 'required' && strength !== 'extensible') return false;
      if (s.type === 'code') return typeof s.value === 'string';
      if (s.type === 'Coding') return isObject(s.value) && typeof s.value.code === 'string';
      if (s.type === 'CodeableConcept') return isObject(s.value) && Array.isArray(s.value.coding) && isObject(s.value.coding[0]);
      return false;
    });
    if (!sites.length) return undefined;
    const site = rng.pick(sites);
    const bad = rng.pick(['zz-not-a-code', 'UNKNOWN-42']);
    const strength = site.def.binding?.strength;
    if (site.type === 'code') {
      replaceSite(site, bad);
      return `${site.instancePath} (${strength} binding) ${String(site.value)} -> ${bad}`;
    }
    const coding = (site.type === 'Coding' ? site.value : (site.value as { coding: unknown[] }).coding[0]) as Record<string, unknown>;
    const was = coding.code;
    coding.code = bad;
    delete coding.display;
    return `${site.instancePath} (${site.type}, ${strength} binding) code ${String(was)} -> ${bad}`;
  },
};
