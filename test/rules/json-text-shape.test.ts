/**
 * How the JSON text around the resource is written, as the reference validator's reader takes it: a byte order
 * mark and whitespace around the value are nothing; a second value after the first, or text that holds no object,
 * is a fatal parse error (Error_parsing_JSON_) and nothing is validated. Through the service's text entry point.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { found, service } from './helpers.js';

let svc: ValidationService;
beforeAll(async () => {
  svc = await service();
});

const PATIENT = '{"resourceType":"Patient","active":true}';
const text = (t: string) => found(svc.validateText(t, { format: 'json' }).outcome).filter((f) => f.rule !== 'ALL_OK');
const FATAL = [{ severity: 'fatal', rule: 'Error_parsing_JSON_', at: undefined }];

describe('around the value', () => {
  it('a byte order mark, leading whitespace and trailing line breaks are nothing', () => {
    for (const t of [`\ufeff${PATIENT}`, `\ufeff\n  ${PATIENT}\n`, `\n\t ${PATIENT}`, `${PATIENT}\r\n\r\n`]) expect(text(t)).toEqual([]);
  });

  it('a second value after the first is a fatal parse error', () => {
    for (const t of [`${PATIENT} {}`, `${PATIENT}\n1`, `${PATIENT}}`, `${PATIENT}\n,`]) expect(text(t)).toEqual(FATAL);
  });

  it('text holding an array, null, a number or a string, not an object, is a fatal parse error at its first character', () => {
    for (const t of [`[${PATIENT}]`, '[]', 'null', '123', '"Patient"']) expect(text(t)).toEqual(FATAL);
    const issue = svc.validateText('\n  [1]', { format: 'json' }).outcome.issue[0]!;
    expect(issue.diagnostics).toBe('[2,3]');
  });

  it('empty text or whitespace alone is a fatal parse error', () => {
    for (const t of ['', '  \n']) expect(text(t)).toEqual(FATAL);
  });
});
