/** Bad extensions: an unknown URL (also as a modifier), a known extension in a context it does not allow, a known extension with a value type it does not allow. */
import type { Family } from './types.js';

const UNKNOWN = 'http://acme.invalid/fhir/StructureDefinition/not-defined';
const BIRTH_PLACE = 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace';
const BODY_POSITION = 'http://hl7.org/fhir/StructureDefinition/observation-bodyPosition';
const DATA_ABSENT = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';

export const extensions: Family = {
  name: 'bad-extension',
  summary: 'an extension with an unknown URL (plain or modifier), a core extension used where its context does not allow it, or with a value type it does not allow',
  apply({ rng, walk }) {
    const holders = walk.objects.filter((o) => o.children.some((c) => c.path.endsWith('.extension')));
    if (!holders.length) return undefined;
    const o = rng.pick(holders);
    const kind = rng.int(4);
    let ext: Record<string, unknown>;
    let key = 'extension';
    let what: string;
    if (kind === 0) {
      ext = { url: UNKNOWN, valueString: 'x' };
      what = 'unknown URL';
    } else if (kind === 1 && o.children.some((c) => c.path.endsWith('.modifierExtension'))) {
      ext = { url: UNKNOWN, valueBoolean: true };
      key = 'modifierExtension';
      what = 'unknown modifier URL';
    } else if (kind === 2) {
      const onPatient = o.resourceType === 'Patient';
      ext = onPatient ? { url: BODY_POSITION, valueCodeableConcept: { text: 'sitting' } } : { url: BIRTH_PLACE, valueAddress: { city: 'Leeds' } };
      what = `context not allowed (${onPatient ? 'observation-bodyPosition on Patient' : `patient-birthPlace on ${o.elementPath}`})`;
    } else {
      ext = o.resourceType === 'Patient' ? { url: BIRTH_PLACE, valueString: 'Leeds' } : { url: DATA_ABSENT, valueString: 'unknown' };
      what = 'value type not allowed';
    }
    const list = Array.isArray(o.obj[key]) ? (o.obj[key] as unknown[]) : [];
    list.push(ext);
    o.obj[key] = list;
    return `${o.instancePath}.${key}: ${what} (${String(ext.url)})`;
  },
};
