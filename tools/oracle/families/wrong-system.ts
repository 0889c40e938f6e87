/** A Coding, Quantity or Identifier whose system is changed: to another well-known one, an unknown one, or not a URI. */
import type { Family } from './types.js';
import { isObject } from './util.js';

const SYSTEMS = ['http://snomed.info/sct', 'http://loinc.org', 'http://unitsofmeasure.org', 'http://acme.invalid/CodeSystem/unknown', 'urn:oid:2.16.840.1.113883.6.96', 'not a system'];

export const wrongSystem: Family = {
  name: 'wrong-system',
  summary: 'the system of a Coding, Quantity or Identifier changed to another known system, an unknown one, or text that is not a URI',
  apply({ rng, walk }) {
    const holders: { obj: Record<string, unknown>; at: string; type: string }[] = [];
    for (const s of walk.sites) {
      if (!isObject(s.value)) continue;
      if ((s.type === 'Coding' || s.type === 'Quantity' || s.type === 'Identifier' || s.type.startsWith('SimpleQuantity') || s.type === 'Age' || s.type === 'Duration') && typeof s.value.system === 'string') holders.push({ obj: s.value, at: s.instancePath, type: s.type });
      if (s.type === 'CodeableConcept' && Array.isArray(s.value.coding)) {
        s.value.coding.forEach((c, i) => {
          if (isObject(c) && typeof c.system === 'string') holders.push({ obj: c, at: `${s.instancePath}.coding[${i}]`, type: 'Coding' });
        });
      }
    }
    if (!holders.length) return undefined;
    const h = rng.pick(holders);
    const was = h.obj.system as string;
    const next = rng.pick(SYSTEMS.filter((x) => x !== was));
    h.obj.system = next;
    return `${h.at}.system (${h.type}) ${was} -> ${next}`;
  },
};
