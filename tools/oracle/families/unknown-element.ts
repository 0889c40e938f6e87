/** Adds a property no definition knows: a made-up name, a wrongly cased known name, or a choice with a bad type. */
import { matchChild } from '../sites.js';
import type { Family } from './types.js';

export const unknownElement: Family = {
  name: 'unknown-element',
  summary: 'adds a property the definition does not have: a made-up name, a known name in the wrong case, a choice element with a type it does not allow',
  apply({ rng, walk }) {
    const site = rng.pick(walk.objects);
    const keys = Object.keys(site.obj).filter((k) => k !== 'resourceType' && !k.startsWith('_'));
    const choice = site.children.find((c) => c.path.endsWith('[x]'));
    const kind = rng.int(3);
    let key: string;
    if (kind === 1 && keys.length) {
      const known = rng.pick(keys);
      key = known.toLowerCase() !== known ? known.toLowerCase() : known.charAt(0).toUpperCase() + known.slice(1);
    } else if (kind === 2 && choice) {
      key = `${choice.path.slice(choice.path.lastIndexOf('.') + 1, -3)}Banana`;
    } else key = rng.pick(['unknownElement', 'comment', 'notes', 'foo']);
    if (key in site.obj || matchChild(site.children, key)) return undefined;
    site.obj[key] = 'surprise';
    return `${site.instancePath}.${key} added`;
  },
};
