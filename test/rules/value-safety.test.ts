/**
 * Security and resource-level rules on values, as the reference's InstanceValidator makes them, through
 * createValidationService with payloads of our own: bi-di control characters left open, text that looks like
 * HTML tags, repeated security labels, '#' in a canonical resource's version, OIDs and UUIDs without their URN
 * prefix, and a profile's decimal minValue/maxValue.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { CORE, found, profile, serviceWith } from './helpers.js';

const QTY = 'http://example.org/StructureDefinition/qty-range';
const DP = 'http://example.org/StructureDefinition/qty-decimals';
const BIN = 'http://example.org/StructureDefinition/small-binary';
let svc: ValidationService;
beforeAll(async () => {
  svc = await serviceWith({
    'qty.json': profile(QTY, 'Observation', `${CORE}Observation`, [
      { id: 'Observation.value[x]', path: 'Observation.value[x]', type: [{ code: 'Quantity' }] },
      { id: 'Observation.value[x].value', path: 'Observation.value[x].value', minValueDecimal: 0.5, maxValueDecimal: 9.5 },
    ]),
    'dp.json': profile(DP, 'Observation', `${CORE}Observation`, [
      { id: 'Observation.value[x]', path: 'Observation.value[x]', type: [{ code: 'Quantity' }] },
      { id: 'Observation.value[x].value', path: 'Observation.value[x].value', extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/maxDecimalPlaces', valueInteger: 2 }] },
    ]),
    'bin.json': profile(BIN, 'Binary', `${CORE}Binary`, [
      { id: 'Binary.data', path: 'Binary.data', extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/maxSize', valueDecimal: 4 }] },
    ]),
  });
});

const only = (input: unknown, rules: string[], profiles?: string[]) => found(svc.validate(input, profiles ? { profiles } : {}), rules);
const patient = (extra: Record<string, unknown>) => ({ resourceType: 'Patient', ...extra });

describe('text in primitive values', () => {
  const BIDI = ['UNICODE_BIDI_CONTROLS_CHARS_MATCH'];
  it('a right-to-left override with no pop is a warning (UNICODE_BIDI_CONTROLS_CHARS_MATCH)', () => {
    expect(only(patient({ name: [{ family: 'abc\u202edef' }] }), BIDI)).toEqual([{ severity: 'warning', rule: BIDI[0], at: 'Patient.name[0].family' }]);
  });
  it('an override closed by its pop, or an isolate closed by its pop, is fine', () => {
    expect(only(patient({ name: [{ family: 'abc\u202edef\u202c', given: ['a\u2067b\u2069'] }] }), BIDI)).toEqual([]);
  });

  const HTML = ['SECURITY_STRING_CONTENT_WARNING'];
  it('a string holding HTML tags is a hint (SECURITY_STRING_CONTENT_WARNING)', () => {
    expect(only(patient({ name: [{ family: '<b>Smith</b>' }] }), HTML)).toEqual([{ severity: 'information', rule: HTML[0], at: 'Patient.name[0].family' }]);
  });
  it('short values (looked at by character) and long ones (by regex) are checked alike, character by character', () => {
    const RULES = ['UNICODE_BIDI_CONTROLS_CHARS_MATCH', 'UNICODE_XML_BAD_CHARS', 'SECURITY_STRING_CONTENT_WARNING'];
    const rulesOf = (family: string) => found(svc.validate(patient({ name: [{ family }] })), RULES).map((f) => f.rule);
    const expected: Record<string, string[]> = {
      '\u202e': ['UNICODE_BIDI_CONTROLS_CHARS_MATCH'], '\u2066': ['UNICODE_BIDI_CONTROLS_CHARS_MATCH'], '\u200f': ['UNICODE_BIDI_CONTROLS_CHARS_MATCH'],
      '\u061c': ['UNICODE_BIDI_CONTROLS_CHARS_MATCH'], '\u0001': ['UNICODE_XML_BAD_CHARS'], '\u000b': ['UNICODE_XML_BAD_CHARS'], '\u001f': ['UNICODE_XML_BAD_CHARS'],
      '<b>x</b>': ['SECURITY_STRING_CONTENT_WARNING'], '<': [], '\u202f': [], '\u2065': [], '\u206a': [], '\u061b': [], '\t': [], '=': [], '>': [], '\u00e9': [],
    };
    for (const [ch, rules] of Object.entries(expected)) {
      // Either side of the length where the scan changes (64), and well past it.
      for (const before of [0, 1, 60, 61, 62, 63, 64, 200]) {
        const family = `${'a'.repeat(before)}${ch}z`;
        expect(rulesOf(family), `${JSON.stringify(ch)} after ${before} characters`).toEqual(rules);
      }
    }
  });
  it('comparisons and markdown are not HTML tags for this rule', () => {
    expect(only(patient({ name: [{ family: 'a < b > c' }] }), HTML)).toEqual([]);
    expect(only({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, note: [{ text: '<b>bold</b> text' }] }, HTML)).toEqual([]);
  });
});

describe('resource rules', () => {
  it('the same security label twice (Meta_RES_Security_Duplicate), located as the reference locates it', () => {
    const label = { system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' };
    const rules = ['Meta_RES_Security_Duplicate'];
    expect(only(patient({ meta: { security: [label, { ...label, code: 'N' }, label] } }), rules)).toEqual([{ severity: 'error', rule: rules[0], at: 'Patient.meta.profile[2]' }]);
    expect(only(patient({ meta: { security: [label, { ...label, code: 'N' }] } }), rules)).toEqual([]);
  });

  it("a '#' in a canonical resource's version is a warning (VALIDATION_VAL_VERSION_NOHASH)", () => {
    const rules = ['VALIDATION_VAL_VERSION_NOHASH'];
    const vs = (version: string) => ({ resourceType: 'ValueSet', url: 'http://example.org/vs', version, status: 'draft' });
    expect(only(vs('1.0#2'), rules)).toEqual([{ severity: 'warning', rule: rules[0], at: 'ValueSet' }]);
    expect(only(vs('1.0.2'), rules)).toEqual([]);
  });
});

describe('URN prefixes and ranges', () => {
  const ext = (value: Record<string, unknown>) => patient({ extension: [{ url: 'http://example.org/ext', ...value }] });
  it('an oid without urn:oid: (Type_Specific_Checks_DT_OID_Start)', () => {
    expect(only(ext({ valueOid: '1.2.3' }), ['Type_Specific_Checks_DT_OID_Start'])).toEqual([{ severity: 'error', rule: 'Type_Specific_Checks_DT_OID_Start', at: 'Patient.extension[0].value.ofType(oid)' }]);
  });
  it('a uuid without urn:uuid: (Type_Specific_Checks_DT_UUID_Strat)', () => {
    const rule = 'Type_Specific_Checks_DT_UUID_Strat';
    expect(only(ext({ valueUuid: '6b2e0d2c-5f8a-4d39-8f3e-2b1d6e0c9a11' }), [rule])).toEqual([{ severity: 'error', rule, at: 'Patient.extension[0].value.ofType(uuid)' }]);
  });
  it("a decimal outside the profile's minValue/maxValue (Type_Specific_Checks_DT_Decimal_LT / _GT)", () => {
    const rules = ['Type_Specific_Checks_DT_Decimal_LT', 'Type_Specific_Checks_DT_Decimal_GT'];
    const obs = (value: number) => ({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueQuantity: { value } });
    const at = 'Observation.value.ofType(Quantity).value';
    expect(only(obs(0.25), rules, [QTY])).toEqual([{ severity: 'error', rule: rules[0], at }]);
    expect(only(obs(10), rules, [QTY])).toEqual([{ severity: 'error', rule: rules[1], at }]);
    expect(only(obs(5), rules, [QTY])).toEqual([]);
  });
  it("more decimal places than the profile's maxDecimalPlaces (TYPE_SPECIFIC_CHECKS_DT_DECIMAL_CHARS)", () => {
    const rule = 'TYPE_SPECIFIC_CHECKS_DT_DECIMAL_CHARS';
    const obs = (value: number) => ({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueQuantity: { value } });
    expect(only(obs(1.125), [rule], [DP])).toEqual([{ severity: 'error', rule, at: 'Observation.value.ofType(Quantity).value' }]);
    expect(only(obs(1.25), [rule], [DP])).toEqual([]);
  });
  it("base64 data larger than the profile's maxSize (TYPE_SPECIFIC_CHECKS_DT_BASE64_TOO_LONG)", () => {
    const rule = 'TYPE_SPECIFIC_CHECKS_DT_BASE64_TOO_LONG';
    const bin = (data: string) => ({ resourceType: 'Binary', contentType: 'text/plain', data });
    expect(only(bin('aGVsbG8='), [rule], [BIN])).toEqual([{ severity: 'error', rule, at: 'Binary.data' }]);
    expect(only(bin('aGVsbA=='), [rule], [BIN])).toEqual([]);
  });
});
