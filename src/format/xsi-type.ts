import type { StructureDefinition } from 'fhir/r4';
import { readCoreBundle } from '../packages/core-r4.js';

const CORE_SD = 'http://hl7.org/fhir/StructureDefinition/';

/** Type name -> the type it specialises (code -> string, Patient -> DomainResource), from core R4; read on first need. */
let bases: Map<string, string> | undefined;

function specialisationBases(): Map<string, string> {
  if (bases) return bases;
  bases = new Map();
  for (const file of ['profiles-types.json', 'profiles-resources.json'] as const) {
    for (const r of readCoreBundle(file)) {
      const sd = r as unknown as StructureDefinition;
      // Constraints (Age, SimpleQuantity, profiles) are not type definitions: the reference looks types up among
      // specialisations only.
      if (sd.resourceType !== 'StructureDefinition' || sd.derivation === 'constraint' || !sd.type) continue;
      if (sd.baseDefinition?.startsWith(CORE_SD)) bases.set(sd.type, sd.baseDefinition.slice(CORE_SD.length));
      else if (!bases.has(sd.type)) bases.set(sd.type, '');
    }
  }
  return bases;
}

/**
 * What the reference's XML reader says of an `xsi:type` on an element whose defined type is `actualType`:
 * `unnecessary` when it names that type, nothing when it names a type specialised from it (`code` on a `string`,
 * `Patient` on a `Resource`), `wrong` otherwise.
 */
export function xsiTypeFinding(xsiType: string, actualType: string): 'unnecessary' | 'wrong' | undefined {
  if (xsiType === actualType) return 'unnecessary';
  const known = specialisationBases();
  let name: string | undefined = xsiType.startsWith(CORE_SD) ? xsiType.slice(CORE_SD.length) : xsiType;
  if (!known.has(name)) return 'wrong';
  for (let hops = 0; name && hops < 20; hops++) {
    if (name === actualType) return undefined;
    name = known.get(name);
  }
  return 'wrong';
}
