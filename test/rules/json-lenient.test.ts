/**
 * JSON that is not strict JSON, as the reference validator's lenient reader takes it: comments, a comma too many
 * or too few, names and values without quotes, a name given twice. Each departure is an error with the
 * reference's key, at its line, and the content is still validated. Through the service's text entry point.
 */
import type { OperationOutcome } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { found, service } from './helpers.js';

let svc: ValidationService;
beforeAll(async () => {
  svc = await service();
});

const SYNTAX = ['JSON_COMMENTS_NOT_ALLOWED', 'JSON_COMMA_EXTRA', 'JSON_COMMA_MISSING', 'JSON_PROPERTY_NO_QUOTES', 'JSON_PROPERTY_VALUE_NO_QUOTES', 'DUPLICATE_JSON_PROPERTY_KEY', 'Error_parsing_JSON_'];
const outcome = (text: string) => svc.validateText(text).outcome;
const lineOf = (o: OperationOutcome, rule: string) =>
  o.issue.find((i) => i.details?.coding?.[0]?.code === rule)?.extension?.find((e) => e.url.endsWith('operationoutcome-issue-line'))?.valueInteger;

describe('lenient JSON', () => {
  it('a comment before an object or array is an error (JSON_COMMENTS_NOT_ALLOWED), at its line', () => {
    const o = outcome('{"resourceType": "Patient",\n  // the names\n  "name": [{"family": "x"}]}');
    expect(found(o, SYNTAX)).toEqual([{ severity: 'error', rule: 'JSON_COMMENTS_NOT_ALLOWED', at: 'Patient.name' }]);
    expect(lineOf(o, 'JSON_COMMENTS_NOT_ALLOWED')).toBe(2);
  });

  it('a comma after the last member or item (JSON_COMMA_EXTRA)', () => {
    expect(found(outcome('{"resourceType": "Patient", "name": [{"family": "x"},],}'), SYNTAX)).toEqual([
      { severity: 'error', rule: 'JSON_COMMA_EXTRA', at: 'Patient.name' },
      { severity: 'error', rule: 'JSON_COMMA_EXTRA', at: 'Patient' },
    ]);
  });

  it('a missing comma between members (JSON_COMMA_MISSING)', () => {
    expect(found(outcome('{"resourceType": "Patient" "active": true}'), SYNTAX)).toEqual([{ severity: 'error', rule: 'JSON_COMMA_MISSING', at: 'Patient' }]);
  });

  it('a name and a value without quotes (JSON_PROPERTY_NO_QUOTES, JSON_PROPERTY_VALUE_NO_QUOTES)', () => {
    expect(found(outcome('{"resourceType": "Patient", gender: "male", "birthDate": "2000-01-01", "language": en}'), SYNTAX)).toEqual([
      { severity: 'error', rule: 'JSON_PROPERTY_NO_QUOTES', at: 'Patient' },
      { severity: 'error', rule: 'JSON_PROPERTY_VALUE_NO_QUOTES', at: 'Patient' },
    ]);
  });

  it('a name given twice in text that is otherwise lenient JSON (DUPLICATE_JSON_PROPERTY_KEY); the first value is the one validated', () => {
    const o = outcome('{"resourceType": "Patient", "gender": "male", "gender": "nonsense",}');
    expect(found(o, [...SYNTAX, 'Terminology_TX_NoValid_16'])).toEqual([
      { severity: 'error', rule: 'DUPLICATE_JSON_PROPERTY_KEY', at: 'Patient' },
      { severity: 'error', rule: 'JSON_COMMA_EXTRA', at: 'Patient' },
    ]);
  });

  it('a name given twice in strict JSON is found too (JSON.parse keeps the last value without a word); the first value is validated, issues placed at it', () => {
    const text = '{\n  "resourceType": "Patient",\n  "birthDate": "2000-13-01",\n  "gender": "nonsense",\n  "birthDate": "2001-01-01"\n}';
    const o = outcome(text);
    expect(found(o, [...SYNTAX, 'Type_Specific_Checks_DT_Date_Valid', 'Terminology_TX_NoValid_16'])).toEqual([
      { severity: 'error', rule: 'DUPLICATE_JSON_PROPERTY_KEY', at: 'Patient' },
      { severity: 'error', rule: 'Type_Specific_Checks_DT_Date_Valid', at: 'Patient.birthDate' },
      { severity: 'error', rule: 'Terminology_TX_NoValid_16', at: 'Patient.gender' },
    ]);
    expect(lineOf(o, 'DUPLICATE_JSON_PROPERTY_KEY')).toBe(5);
    expect(lineOf(o, 'Type_Specific_Checks_DT_Date_Valid')).toBe(3);
    expect(lineOf(o, 'Terminology_TX_NoValid_16')).toBe(4);
    // The second value is the one dropped: an error only it has is not reported.
    expect(found(outcome('{"resourceType": "Patient", "name": [{"family": "a"}], "name": [{"family": 5}]}'))).toEqual([
      { severity: 'error', rule: 'DUPLICATE_JSON_PROPERTY_KEY', at: 'Patient' },
    ]);
  });

  it('a repeated name deep inside, or written with escapes, is found; distinct names are not', () => {
    expect(found(outcome('{"resourceType": "Patient", "contact": [{"name": {"family": "a", "family": "b"}}]}'), SYNTAX)).toEqual([
      { severity: 'error', rule: 'DUPLICATE_JSON_PROPERTY_KEY', at: 'Patient.contact[0].name' },
    ]);
    expect(found(outcome('{"resourceType": "Patient", "a\\u0063tive": true, "active": false}'), SYNTAX)).toEqual([
      { severity: 'error', rule: 'DUPLICATE_JSON_PROPERTY_KEY', at: 'Patient' },
    ]);
    expect(found(outcome('{"resourceType": "Patient", "active": true, "_active": {"id": "x"}, "name": [{"given": ["a"], "_given": [null]}]}'), SYNTAX)).toEqual([]);
  });

  it('a name given twice in a payload with no other finding is found, with quotes and backslashes escaped in its strings', () => {
    const div = '"<div xmlns=\\"http://www.w3.org/1999/xhtml\\">A \\"quoted\\" note \\\\</div>"';
    const clean = `{"resourceType": "Basic", "text": {"status": "generated", "div": ${div}}, "code": {"text": "a \\"b\\" \\\\"}}`;
    expect(found(outcome(clean))).toEqual([{ severity: 'information', rule: 'ALL_OK', at: undefined }]);
    // The same value twice: JSON.parse drops nothing a later check could see, only the count of strings tells.
    const twice = clean.replace('"code": {', '"code": {"text": "x"}, "code": {');
    expect(found(outcome(twice))).toEqual([{ severity: 'error', rule: 'DUPLICATE_JSON_PROPERTY_KEY', at: 'Basic' }]);
    const twiceInside = clean.replace('"status": "generated",', '"status": "generated", "status": "generated",');
    expect(found(outcome(twiceInside))).toEqual([{ severity: 'error', rule: 'DUPLICATE_JSON_PROPERTY_KEY', at: 'Basic.text' }]);
  });

  it('`__proto__` read leniently is a property like any other (unknown here), not the object\'s prototype', () => {
    // A comment makes the text lenient JSON; the second text is strict JSON with `__proto__` given twice.
    for (const text of ['{"resourceType": "Patient", // c\n "__proto__": {"active": "yes"}}', '{"resourceType": "Patient", "__proto__": {"active": "yes"}, "__proto__": 1}']) {
      const rules = found(outcome(text)).map((f) => f.rule);
      expect(rules).toContain('Unrecognised_property_');
      expect(rules).not.toContain('Type_Specific_Checks_DT_Boolean_Value');
    }
    expect(found(outcome('{"resourceType": "Patient", "__proto__": {}, "__proto__": 1}'), SYNTAX)).toEqual([{ severity: 'error', rule: 'DUPLICATE_JSON_PROPERTY_KEY', at: 'Patient' }]);
  });

  it('an enumerable property added to Object.prototype is not taken for a repeated name', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = 'yes';
    try {
      expect(found(outcome('{"resourceType": "Patient", "active": true}'), SYNTAX)).toEqual([]);
    } finally {
      delete proto.polluted;
    }
  });

  it('issues in text read leniently are placed at their line, as in strict JSON', () => {
    const text = [
      '{"resourceType": "Patient",',
      '  "birthDate": "2000-13-01",',
      '  // the names',
      '  "name": [',
      '    {"family": "a"},',
      '    {"given": ["b", 7]},',
      '  ],',
      '  "_gender": {"id": "x"}',
      '}',
    ].join('\n');
    const o = outcome(text);
    expect(lineOf(o, 'JSON_COMMENTS_NOT_ALLOWED')).toBe(3);
    expect(lineOf(o, 'JSON_COMMA_EXTRA')).toBe(7);
    expect(lineOf(o, 'Type_Specific_Checks_DT_Date_Valid')).toBe(2);
    expect(lineOf(o, 'Error_parsing_JSON_the_primitive_value_must_be_a_string')).toBe(6);
    const placed = o.issue.filter((i) => i.extension?.some((e) => e.url.endsWith('operationoutcome-issue-line')));
    expect(placed.length).toBe(o.issue.length);
  });

  it('the content is still validated', () => {
    const o = outcome('{"resourceType": "Patient", "active": "yes",}');
    expect(found(o).map((f) => f.rule)).toEqual(['JSON_COMMA_EXTRA', 'Error_parsing_JSON_the_primitive_value_must_be_a_boolean', 'Type_Specific_Checks_DT_Boolean_Value']);
  });

  it('text that is not JSON even leniently is one fatal Error_parsing_JSON_', () => {
    expect(found(outcome('{"resourceType": "Patient", "active": }'))).toEqual([{ severity: 'fatal', rule: 'Error_parsing_JSON_', at: undefined }]);
  });
});

describe('resourceType', () => {
  it('a resourceType that is not a string (RESOURCETYPE_PROPERTY_WRONG_TYPE)', () => {
    expect(found(outcome('{"resourceType": 5}'))).toEqual([{ severity: 'error', rule: 'RESOURCETYPE_PROPERTY_WRONG_TYPE', at: 'Resource' }]);
    expect(found(outcome('{"resourceType": "Patient", "contained": [{"resourceType": ["Patient"]}]}'), ['RESOURCETYPE_PROPERTY_WRONG_TYPE'])).toEqual([
      { severity: 'error', rule: 'RESOURCETYPE_PROPERTY_WRONG_TYPE', at: 'Patient.contained[0]' },
    ]);
  });
});
