/**
 * What the HL7 validator's JSON reader keeps of a Coding: a property of the wrong shape (an array or object for a
 * primitive) is dropped, so a Coding whose every property is dropped is an empty element, which the terminology
 * checks pass over as absent (a CodeableConcept with nothing else has no code).
 */

const PRIMITIVES = ['system', 'version', 'code', 'display', 'userSelected', 'id'] as const;

/** Whether the reader keeps anything of `coding`: one of its primitives (a string, number or boolean), or an extension. */
export function codingKeptByReader(coding: Record<string, unknown>): boolean {
  for (const key of PRIMITIVES) {
    const v = coding[key];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return true;
  }
  return Array.isArray(coding.extension) && coding.extension.length > 0;
}
