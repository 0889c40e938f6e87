/**
 * What the HL7 validator's JSON reader keeps of a Coding: a property of the wrong shape (an array or object for a
 * primitive) is dropped, so a Coding whose every property is dropped is an empty element. A CodeableConcept whose
 * codings are all empty has no coding (hasCoding() is false: no code provided, nothing to judge); beside a coding with
 * content, an empty one is judged as the others are (it has no system).
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

/**
 * A CodeableConcept's codings as the reader reads its `coding` value: the array, or an object where the array is due as
 * the one coding (its shape is reported apart); undefined for anything else.
 */
export function codingsAsRead(raw: unknown): unknown[] | undefined {
  if (Array.isArray(raw)) return raw;
  return raw !== null && typeof raw === 'object' ? [raw] : undefined;
}

/** Whether any of a CodeableConcept's codings (its `coding` value as written) keeps something for the reader. */
export function anyCodingKept(raw: unknown): boolean {
  const codings = codingsAsRead(raw);
  return !!codings && codings.some((c) => c !== null && typeof c === 'object' && !Array.isArray(c) && codingKeptByReader(c as Record<string, unknown>));
}
