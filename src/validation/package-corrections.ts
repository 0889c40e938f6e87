/**
 * Corrections the reference validator makes to published definitions as it loads them (its PackageHackerR5), so
 * that a profile means here what it means there. One today: the R4 core vital signs profiles bind
 * `Observation.component.value[x]` to the Vital Signs Units as required, and the reference loads that binding as
 * extensible (a known error of the 4.0.1 publication), for `vitalsigns` itself and each core profile derived from it.
 */
import type { ElementDefinitionBinding, StructureDefinition } from 'fhir/r4';

const CORE_SD = 'http://hl7.org/fhir/StructureDefinition/';
const VITAL_SIGNS = 'http://hl7.org/fhir/StructureDefinition/vitalsigns';
const VITAL_SIGNS_UNITS = 'http://hl7.org/fhir/ValueSet/ucum-vitals-common|4.0.1';

/** Whether the vital signs units binding of this definition is loaded as extensible. */
export function relaxesVitalSignsUnits(sd: StructureDefinition): boolean {
  return (
    typeof sd.url === 'string' &&
    sd.url.startsWith(CORE_SD) &&
    sd.version === '4.0.1' &&
    sd.type === 'Observation' &&
    (sd.url === VITAL_SIGNS || sd.baseDefinition === VITAL_SIGNS)
  );
}

/** The strength the reference loads a binding of a definition `relaxesVitalSignsUnits` holds with, at this path. */
export function correctedStrength(path: string, binding: ElementDefinitionBinding): ElementDefinitionBinding['strength'] {
  return path === 'Observation.component.value[x]' && binding.valueSet === VITAL_SIGNS_UNITS ? 'extensible' : binding.strength;
}
