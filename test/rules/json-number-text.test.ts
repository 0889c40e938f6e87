/**
 * A JSON number is judged by its text, as the reference validator judges it, not by the value JSON.parse makes of
 * it: `1.0` written for an integer is no integer, `-0` fails the unsignedInt regex, a decimal with more digits than
 * a double holds is outside the supported range, and `1E400` is a decimal, not Infinity. Numbers written as
 * JavaScript writes them are unaffected. Through the service's text entry point; the same value given as parsed
 * JSON has no text and is judged by its value.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { found, service } from './helpers.js';

let svc: ValidationService;
beforeAll(async () => {
  svc = await service();
});

const obs = (value: string) => `{"resourceType":"Observation","status":"final","code":{"text":"x"},${value}}`;
const patient = (more: string) => `{"resourceType":"Patient","active":true${more}}`;
const text = (t: string) => found(svc.validateText(t).outcome).filter((f) => f.rule !== 'ALL_OK');

describe('integers written with a fraction or an exponent', () => {
  it.each(['1.0', '1.00', '1E2', '1e+2', '10E-1', '-0.0'])('%s for an integer is Type_Specific_Checks_DT_Integer_Valid', (n) => {
    expect(text(obs(`"valueInteger":${n}`))).toEqual([{ severity: 'error', rule: 'Type_Specific_Checks_DT_Integer_Valid', at: 'Observation.value.ofType(integer)' }]);
  });

  it('a positiveInt and an unsignedInt as well; an Attachment size of 1.0 is no size', () => {
    expect(text(obs('"valueSampledData":{"origin":{"value":1},"period":1.0,"dimensions":1.0}'))).toEqual([
      { severity: 'error', rule: 'Type_Specific_Checks_DT_Integer_Valid', at: 'Observation.value.ofType(SampledData).dimensions' },
    ]);
    expect(text(patient(',"photo":[{"contentType":"image/png","size":1.0}]'))).toEqual([
      { severity: 'error', rule: 'Type_Specific_Checks_DT_Integer_Valid', at: 'Patient.photo[0].size' },
      { severity: 'error', rule: 'TYPE_SPECIFIC_CHECKS_DT_ATT_SIZE_INVALID', at: 'Patient.photo[0]' },
    ]);
  });

  it('-0 for an unsignedInt fails its regex; for an integer it is 0', () => {
    expect(text(patient(',"photo":[{"contentType":"image/png","size":-0}]'))).toEqual([
      { severity: 'error', rule: 'Type_Specific_Checks_DT_Primitive_Regex_Type', at: 'Patient.photo[0].size' },
    ]);
    expect(text(obs('"valueInteger":-0'))).toEqual([]);
  });

  it('an item of a repeating integer, and the same value elsewhere in the object written plainly', () => {
    // Questionnaire.item.maxLength is an integer; the second item's 1 is written plainly and stays valid.
    const q = '{"resourceType":"Questionnaire","status":"draft","item":[{"linkId":"a","type":"string","maxLength":1.0},{"linkId":"b","type":"string","maxLength":1}]}';
    expect(text(q)).toEqual([{ severity: 'error', rule: 'Type_Specific_Checks_DT_Integer_Valid', at: 'Questionnaire.item[0].maxLength' }]);
  });

  it('under a property name written with escapes as well', () => {
    expect(text(obs('"value\\u0049nteger":1.0'))).toEqual([{ severity: 'error', rule: 'Type_Specific_Checks_DT_Integer_Valid', at: 'Observation.value.ofType(integer)' }]);
  });

  it('in an extension and in a contained resource', () => {
    expect(text(patient(',"extension":[{"url":"http://example.org/x","valueInteger":1.0}]'))).toEqual([
      { severity: 'error', rule: 'Type_Specific_Checks_DT_Integer_Valid', at: 'Patient.extension[0].value.ofType(integer)' },
    ]);
    expect(text('{"resourceType":"Bundle","type":"searchset","total":2.0}')).toEqual([{ severity: 'error', rule: 'Type_Specific_Checks_DT_Integer_Valid', at: 'Bundle.total' }]);
  });

  it('an integer written plainly beside decimals written with zeros is valid', () => {
    expect(text(obs('"valueSampledData":{"origin":{"value":1.00},"period":1.0,"dimensions":1}'))).toEqual([]);
  });

  it('parsed JSON has no text: 1.0 is the number 1', () => {
    const o = svc.validate(JSON.parse(obs('"valueInteger":1.0')));
    expect(found(o).filter((f) => f.rule !== 'ALL_OK')).toEqual([]);
  });
});

describe('decimals', () => {
  it('more digits than a double holds: Type_Specific_Checks_DT_Decimal_Range (a warning)', () => {
    for (const n of ['0.123456789012345678', '123456789012345678901234567890']) {
      expect(text(obs(`"valueQuantity":{"value":${n}}`))).toEqual([{ severity: 'warning', rule: 'Type_Specific_Checks_DT_Decimal_Range', at: 'Observation.value.ofType(Quantity).value' }]);
    }
  });

  it('an exponent beyond a double (1E400, -1E400) is a valid decimal, not Infinity', () => {
    expect(text(obs('"valueQuantity":{"value":1E400}'))).toEqual([]);
    expect(text(obs('"valueQuantity":{"value":-1E400}'))).toEqual([]);
  });

  it('trailing zeros and exponents within range are valid', () => {
    for (const n of ['0.10', '1E2', '1e-3', '-0', '1.000']) expect(text(obs(`"valueQuantity":{"value":${n}}`))).toEqual([]);
  });
});

describe('numbers in text that is not strict JSON (the lenient reading)', () => {
  it('a leading zero is read as the reference reads it and judged by its text', () => {
    expect(text(obs('"valueInteger":01'))).toEqual([{ severity: 'error', rule: 'Type_Specific_Checks_DT_Primitive_Regex_Type', at: 'Observation.value.ofType(integer)' }]);
    expect(text(obs('"valueQuantity":{"value":01}'))).toEqual([{ severity: 'error', rule: 'Type_Specific_Checks_DT_Decimal_Valid', at: 'Observation.value.ofType(Quantity).value' }]);
  });

  it('a number cut short or run on is Type_Specific_Checks_DT_Decimal_Valid / Integer_Valid, not a fatal parse error', () => {
    expect(text(obs('"valueQuantity":{"value":1.2.3}'))).toEqual([{ severity: 'error', rule: 'Type_Specific_Checks_DT_Decimal_Valid', at: 'Observation.value.ofType(Quantity).value' }]);
    expect(text(obs('"valueInteger":1.'))).toEqual([{ severity: 'error', rule: 'Type_Specific_Checks_DT_Integer_Valid', at: 'Observation.value.ofType(integer)' }]);
  });

  it('a number that does not start with a digit or - is still not JSON', () => {
    for (const n of ['.5', '+1']) expect(text(obs(`"valueQuantity":{"value":${n}}`))).toEqual([{ severity: 'fatal', rule: 'Error_parsing_JSON_', at: undefined }]);
  });
});
