/**
 * Strings as the reference validator's JSON reader takes them: a control character written as itself (a tab or a
 * line break inside the quotes, which strict JSON refuses) and the escape `\'` are read with no finding, and the
 * value is then judged as usual (a tab in a code breaks its whitespace rules). Through the service's text entry point.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { found, service } from './helpers.js';

let svc: ValidationService;
beforeAll(async () => {
  svc = await service();
});

const patient = (more: string) => `{"resourceType":"Patient","active":true${more}}`;
const text = (t: string) => found(svc.validateText(t).outcome).filter((f) => f.rule !== 'ALL_OK');

describe('strings the reference reads though strict JSON does not', () => {
  it('a tab, carriage return or line break written as itself in a string is read, with no finding', () => {
    for (const c of ['\t', '\r', '\n']) expect(text(patient(`,"name":[{"family":"A${c}B"}]`))).toEqual([]);
  });

  it('the value is then judged as usual: a tab at the end of a code (Type_Specific_Checks_DT_Code_WS)', () => {
    expect(text(patient(',"gender":"male\t"')).filter((f) => f.rule === 'Type_Specific_Checks_DT_Code_WS')).toEqual([
      { severity: 'error', rule: 'Type_Specific_Checks_DT_Code_WS', at: 'Patient.gender' },
    ]);
  });

  it('a NUL written as itself is the character XML cannot hold (UNICODE_XML_BAD_CHARS), as when escaped', () => {
    const expected = [{ severity: 'warning', rule: 'UNICODE_XML_BAD_CHARS', at: 'Patient.name[0].family' }];
    expect(text(patient(',"name":[{"family":"A\u0000B"}]'))).toEqual(expected);
    expect(text(patient(',"name":[{"family":"A\\u0000B"}]'))).toEqual(expected);
  });

  it("the escape \\' stands for an apostrophe", () => {
    expect(text(patient(`,"name":[{"family":"O\\'Brien"}]`))).toEqual([]);
  });

  it('a control character in a name is read into the name (an unknown property)', () => {
    expect(text(patient(',"act\tive":true'))).toEqual([{ severity: 'error', rule: 'Unrecognised_property_', at: 'Patient' }]);
  });

  it('the JSON escapes \\b and \\f are read (the reference refuses them; JSON defines them), the character then judged', () => {
    expect(text(patient(',"name":[{"family":"A\\bB"}]'))).toEqual([{ severity: 'warning', rule: 'UNICODE_XML_BAD_CHARS', at: 'Patient.name[0].family' }]);
  });

  it('an unknown escape is still not JSON', () => {
    expect(text(patient(',"name":[{"family":"A\\xB"}]'))).toEqual([{ severity: 'fatal', rule: 'Error_parsing_JSON_', at: undefined }]);
  });
});
