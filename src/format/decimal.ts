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

// A JSON string token or a JSON number token; strings are matched first so digits inside them are skipped.
const JSON_TOKEN = /"(?:[^"\\]|\\.)*"|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/**
 * `JSON.parse` that keeps the written text of every number that is not an integer (`1.50`, `1e3`) as a
 * {@link FhirDecimal}, so JSON -> XML -> JSON keeps decimal precision. Integers stay numbers.
 * Throws the same SyntaxError as `JSON.parse` for malformed text.
 */
export function parseJsonWithExactDecimals(text: string): unknown {
  const marked = text.replace(JSON_TOKEN, (token) => (token.startsWith('"') || /^-?\d+$/.test(token) ? token : `"\\u0000fhir-decimal:${token}"`));
  try {
    return JSON.parse(marked, (_key, value: unknown) =>
      typeof value === 'string' && value.startsWith(MARK) ? new FhirDecimal(value.slice(MARK.length)) : value,
    );
  } catch {
    return JSON.parse(text); // malformed: throw the error, with the position, of the text as given
  }
}
