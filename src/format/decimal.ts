/**
 * A FHIR decimal as written, so `1.50` stays `1.50` (a JS number would give `1.5`).
 * `JSON.stringify` writes it as a number via `toJSON`; {@link stringifyFhirJson} writes its exact text.
 */
export class FhirDecimal {
  constructor(readonly raw: string) {}
  valueOf(): number {
    return Number(this.raw);
  }
  toJSON(): number {
    return Number(this.raw);
  }
  toString(): string {
    return this.raw;
  }
}

// A NUL can never occur in XML or a FHIR string, so this marker cannot collide with content.
const MARK = '\u0000fhir-decimal:';

/** `JSON.stringify` that writes {@link FhirDecimal} values with their exact lexical form. */
export function stringifyFhirJson(value: unknown, indent?: number | string): string {
  const text = JSON.stringify(
    value,
    function (this: Record<string, unknown>, key: string, v: unknown) {
      const original = this[key];
      return original instanceof FhirDecimal ? MARK + original.raw : v;
    },
    indent,
  );
  return text.replace(/"\\u0000fhir-decimal:([^"]*)"/g, '$1');
}
