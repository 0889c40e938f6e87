/** Breaks a reference: a target absent from the Bundle, a target of a type the element does not allow, a missing contained resource, a malformed reference. */
import type { Family } from './types.js';
import { isObject } from './util.js';

const TYPES = ['Patient', 'Device', 'Organization', 'Location', 'Medication', 'Group', 'Practitioner', 'Substance'];

export const references: Family = {
  name: 'broken-reference',
  summary: 'a reference to a Bundle entry that is not there, to a resource type the element does not allow, to a contained resource that is not there, or not a reference at all',
  apply({ rng, walk }) {
    const sites = walk.sites.filter((s) => s.type === 'Reference' && isObject(s.value) && typeof s.value.reference === 'string');
    if (!sites.length) return undefined;
    const site = rng.pick(sites);
    const ref = site.value as Record<string, unknown>;
    const was = ref.reference as string;
    const targets = (site.def.type?.find((t) => t.code === 'Reference')?.targetProfile ?? []).map((p) => p.slice(p.lastIndexOf('/') + 1));
    const kinds = ['contained', 'malformed'];
    if (site.nested || was.startsWith('urn:uuid:')) kinds.push('absent', 'absent');
    const wrongTypes = TYPES.filter((t) => targets.length && !targets.includes(t) && !targets.includes('Resource'));
    if (wrongTypes.length) kinds.push('type', 'type');
    const kind = rng.pick(kinds);
    let next: string;
    if (kind === 'absent') next = `urn:uuid:${'0000000d-0000-4000-8000-'}${String(rng.int(1e12)).padStart(12, '0')}`;
    else if (kind === 'type') next = `${rng.pick(wrongTypes)}/${was.includes('/') ? was.slice(was.lastIndexOf('/') + 1) || 'x1' : 'x1'}`;
    else if (kind === 'contained') next = '#not-contained';
    else next = rng.pick(['Patient/has space', 'Patient/', '/Patient/1', 'Patient//1']);
    ref.reference = next;
    return `${site.instancePath}.reference (${kind}) ${was} -> ${next}`;
  },
};
