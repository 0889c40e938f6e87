/**
 * The findings of the lenient JSON reading (format/json-lenient.ts) as validation issues, with the reference's
 * message keys, severity (error) and wording, located at the line and column of the departure.
 */
import { readLenientJson, type LenientFinding } from '../format/json-lenient.js';
import type { LineIndex } from '../format/line-index.js';
import type { ValidationIssue } from '../plugin-types/index.js';
import { clip } from './primitives.js';

export { readLenientJson };

/** `lines` indexes the text read, once for all its findings. */
export function lenientIssue(f: LenientFinding, lines: LineIndex): ValidationIssue {
  const { line, column } = lines.locate(f.offset);
  return { rule: f.rule, severity: 'error', code: 'invalid', expression: f.path, message: message(f), line, column };
}

function message(f: LenientFinding): string {
  switch (f.rule) {
    case 'DUPLICATE_JSON_PROPERTY_KEY':
      return `The JSON property '${clip(f.detail)}' is a duplicate and will be ignored`;
    case 'JSON_COMMENTS_NOT_ALLOWED':
      return 'Comments are not allowed in JSON';
    case 'JSON_COMMA_EXTRA':
      return `There is an extra comma at the end of the ${f.detail} in the JSON`;
    case 'JSON_COMMA_MISSING':
      return 'A Comma is missing in the JSON';
    case 'JSON_PROPERTY_NO_QUOTES':
      return `The JSON property '${clip(f.detail)}' has no quotes around the name of the property`;
    case 'JSON_PROPERTY_VALUE_NO_QUOTES':
      return `The JSON property '${clip(f.name ?? 'item')}' has no quotes around the value of the property '${clip(f.detail)}'`;
  }
}
