import { describe, expect, it } from 'vitest';
import { FhirDecimal, parseJsonWithExactDecimals, stringifyFhirJson } from './decimal.js';
import { toFhirXml } from './json-to-xml.js';
import { parseFhirXml } from './xml-to-json.js';

describe('exact decimals', () => {
  it('keeps the written text of non-integer numbers, not of digits in strings', () => {
    const value = parseJsonWithExactDecimals('{"a": 1.50, "b": [1, -2.0e3, "x 1.5 \\" 2.50"], "c": 10, "d": 0.0}');
    expect(value).toEqual({ a: new FhirDecimal('1.50'), b: [1, new FhirDecimal('-2.0e3'), 'x 1.5 " 2.50'], c: 10, d: new FhirDecimal('0.0') });
    expect(stringifyFhirJson(value)).toBe('{"a":1.50,"b":[1,-2.0e3,"x 1.5 \\" 2.50"],"c":10,"d":0.0}');
  });

  it('throws the ordinary JSON error for malformed text, leading zeros included', () => {
    expect(() => parseJsonWithExactDecimals('{"a": 01.5}')).toThrow(SyntaxError);
    expect(() => parseJsonWithExactDecimals('{"a": 1.5')).toThrow(SyntaxError);
  });

  it('carries JSON text -> XML -> JSON text without losing precision', () => {
    const text = '{"resourceType":"Observation","status":"final","code":{"text":"t"},"valueQuantity":{"value":37.50}}';
    const { xml } = toFhirXml(parseJsonWithExactDecimals(text));
    expect(xml).toContain('<value value="37.50"/>');
    expect(stringifyFhirJson(parseFhirXml(xml, { decimals: 'exact' }).resource)).toBe(text);
  });

  it('flags a decimal given where an integer is expected', () => {
    const { issues } = toFhirXml(parseJsonWithExactDecimals('{"resourceType":"Patient","multipleBirthInteger":2.0}'));
    expect(issues.map((i) => i.path)).toEqual(['Patient.multipleBirthInteger']);
  });
});
