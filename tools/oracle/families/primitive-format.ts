/** Puts a value of the right JSON type but the wrong lexical form or range into a primitive. */
import type { Family } from './types.js';
import { replaceSite } from '../sites.js';
import { short } from './util.js';

/** Bad values per primitive type: each breaks the type's regex or range, never its JSON type. */
const BAD: Record<string, readonly unknown[]> = {
  date: ['2020-13-45', '20-01-01', '2020/01/01', '2020-02-30'],
  dateTime: ['2020-01-01T25:00:00Z', '2020-01-01T10:00', 'yesterday', '2020-01-01T10:00:00'],
  instant: ['2020-01-01', '2020-01-01T10:00:00', '2020-01-01T10:00:00+25:00'],
  time: ['25:00:00', '10:00', '10h00'],
  integer: [1.5, 2147483648],
  positiveInt: [0, -1],
  unsignedInt: [-1],
  uri: ['has a space'],
  url: ['not a url'],
  canonical: ['bad canonical'],
  id: ['bad_id!', 'x'.repeat(65)],
  code: [' leading-space', 'two  spaces', ''],
  oid: ['urn:oid:1.2.abc', '1.2.3'],
  uuid: ['urn:uuid:not-a-uuid'],
  base64Binary: ['not base64!!'],
  string: ['', '   '],
  markdown: [''],
};

export const primitiveFormat: Family = {
  name: 'primitive-format',
  summary: 'a primitive with the right JSON type but a wrong lexical form or range (dates, ids, codes, integers, uris...)',
  apply({ rng, walk }) {
    const sites = walk.sites.filter((s) => BAD[s.type] && (typeof s.value === 'string' || typeof s.value === 'number') && s.key !== 'resourceType');
    if (!sites.length) return undefined;
    const site = rng.pick(sites);
    const bad = rng.pick(BAD[site.type] as readonly unknown[]);
    replaceSite(site, bad);
    return `${site.instancePath} (${site.type}) ${short(site.value)} -> ${short(bad)}`;
  },
};
