/**
 * The Questionnaire family (src/validation/questionnaire/), from the reference validator's QuestionnaireValidator
 * and EnableWhenEvaluator: payloads of our own through the Validator (core R4, local terminology, FHIRPath),
 * asserting rule ids, severities and locations.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { FhirPathInvariantEvaluator } from '../../fhirpath/index.js';
import { readCoreR4 } from '../../packages/core-r4.js';
import type { CanonicalResource } from '../../packages/types.js';
import { LocalTerminology, TerminologyBindingChecker } from '../../terminology/index.js';
import { MemoryResolver } from '../core-resolver.js';
import { Validator } from '../validator.js';

const ext = (url: string, value: Record<string, unknown>) => ({ url: `http://hl7.org/fhir/StructureDefinition/${url}`, ...value });
const sdc = (url: string, value: Record<string, unknown>) => ({ url: `http://hl7.org/fhir/uv/sdc/StructureDefinition/${url}`, ...value });
const coding = (code: string) => ({ system: 'http://q.test/cs', code });
const kg = (value: number) => ({ value, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' });

/** The questionnaire most responses answer: one item per answer type the rules check. */
const main = {
  resourceType: 'Questionnaire', url: 'http://q.test/Questionnaire/main', status: 'active', effectivePeriod: { start: '2020-01-01', end: '2025-12-31' },
  contained: [{ resourceType: 'ValueSet', id: 'colours', status: 'active', compose: { include: [{ system: 'http://q.test/cs', concept: [{ code: 'a' }, { code: 'b' }] }] } }],
  item: [
    { linkId: 'name', text: 'Name', type: 'string', required: true, maxLength: 5, extension: [ext('minLength', { valueInteger: 2 }), ext('regex', { valueString: '[A-Z][a-z]*' })] },
    { linkId: 'age', type: 'integer', extension: [ext('minValue', { valueInteger: 0 }), ext('maxValue', { valueInteger: 120 })] },
    { linkId: 'smoker', type: 'boolean' },
    { linkId: 'per-day', type: 'integer', required: true, enableWhen: [{ question: 'smoker', operator: '=', answerBoolean: true }] },
    { linkId: 'colour', type: 'choice', repeats: true, answerOption: [{ valueCoding: coding('red'), extension: [ext('questionnaire-optionExclusive', { valueBoolean: true })] }, { valueCoding: coding('blue') }] },
    { linkId: 'size', type: 'open-choice', answerOption: [{ valueCoding: { ...coding('s'), display: 'Small' } }] },
    { linkId: 'when', type: 'time', extension: [ext('minValue', { valueTime: '08:00:00' }), ext('maxValue', { valueTime: '18:00:00' })] },
    { linkId: 'note', type: 'display', text: 'Thank you' },
    { linkId: 'count', type: 'integer', answerOption: [{ valueInteger: 1 }, { valueInteger: 2 }] },
    { linkId: 'qty', type: 'quantity', extension: [sdc('sdc-questionnaire-minQuantity', { valueQuantity: kg(1) }), sdc('sdc-questionnaire-maxQuantity', { valueQuantity: kg(100) }), ext('questionnaire-unitOption', { valueCoding: { system: 'http://unitsofmeasure.org', code: 'kg' } }), ext('maxDecimalPlaces', { valueInteger: 0 })] },
    { linkId: 'photo', type: 'attachment', extension: [ext('mimeType', { valueCode: 'image/' }), ext('maxSize', { valueDecimal: 4 })] },
    { linkId: 'who', type: 'reference', extension: [ext('questionnaire-referenceResource', { valueCode: 'Patient' })] },
    { linkId: 'pick', type: 'choice', answerValueSet: '#colours' },
    { linkId: 'tags', type: 'string', repeats: true, extension: [ext('questionnaire-maxOccurs', { valueInteger: 2 }), ext('questionnaire-minOccurs', { valueInteger: 2 })] },
    { linkId: 'family', type: 'group', repeats: true, item: [
      { linkId: 'alive', type: 'boolean' },
      { linkId: 'age-at-death', type: 'integer', enableWhen: [{ question: 'alive', operator: '=', answerBoolean: false }] },
    ] },
    { linkId: 'when-date', type: 'dateTime', answerOption: [{ valueDate: '2020-01-01' }] },
    { linkId: 'unit', type: 'quantity', extension: [ext('questionnaire-unitValueSet', { valueCanonical: 'http://q.test/ValueSet/nowhere' })] },
    { linkId: 'kind', type: 'choice', answerOption: [{ valueString: 'x' }] },
    { linkId: 'dec', type: 'decimal', answerOption: [{ valueInteger: 1 }] },
    { linkId: 'dec-coded', type: 'decimal', answerOption: [{ valueCoding: coding('one') }] },
    { linkId: 'code', type: 'string', extension: [ext('regex', { valueString: '[0-9]{3}' }), ext('entryFormat', { valueString: 'nnn' })] },
    { linkId: 'unit-in', type: 'quantity', extension: [ext('questionnaire-unitValueSet', { valueCanonical: '#colours' })] },
    { linkId: 'untyped', text: 'no type' },
    { linkId: 'grp', type: 'group', required: true, item: [
      { linkId: 'weight', type: 'decimal', extension: [ext('minValue', { valueDecimal: 1 }), ext('maxValue', { valueDecimal: 300 }), ext('maxDecimalPlaces', { valueInteger: 1 })] },
      { linkId: 'dob', type: 'date', extension: [ext('minValue', { valueDate: '1900-01-01' }), ext('maxValue', { valueDate: '2030-12-31' })] },
    ] },
  ],
};

const base = {
  resourceType: 'Questionnaire', url: 'http://q.test/Questionnaire/base', status: 'active',
  item: [
    { linkId: 'a', type: 'string', required: true, maxLength: 10, definition: 'http://q.test/def#a' },
    { linkId: 'b', type: 'choice', answerOption: [{ valueCoding: coding('x') }] },
    { linkId: 'c', type: 'choice', answerValueSet: 'http://q.test/ValueSet/c' },
  ],
};

let validator: Validator;
beforeAll(() => {
  const resolver = new MemoryResolver([...readCoreR4(), main, base] as CanonicalResource[]);
  validator = new Validator(resolver, { terminology: new TerminologyBindingChecker(new LocalTerminology(resolver)), invariants: new FhirPathInvariantEvaluator() });
}, 120_000);

const FAMILY = /^(Questionnaire_|QUESTIONNAIRE_|ADSFHIR_QUESTIONNAIRE_|Terminology_TX_ValueSet_NotFound|Coding_has_no_system__cannot_validate)/;

/** `[severity, rule id, location]` of each issue of the family. */
function issues(resource: unknown, assumeValidRestReferences = false): string[][] {
  return validator.validateToIssues(resource, { assumeValidRestReferences }).filter((i) => FAMILY.test(i.rule)).map((i) => [i.severity, i.rule, i.expression]);
}

const qr = (item: unknown[], extra: Record<string, unknown> = {}) => ({ resourceType: 'QuestionnaireResponse', questionnaire: main.url, status: 'completed', item: [{ linkId: 'name', answer: [{ valueString: 'Ann' }] }, ...item, { linkId: 'grp', item: [{ linkId: 'weight', answer: [{ valueDecimal: 70 }] }] }], ...extra });
const only = (linkId: string, answer: unknown[], more: Record<string, unknown> = {}) => issues(qr([{ linkId, answer, ...more }]));

describe('which questionnaire a response answers', () => {
  it('notes a response without a questionnaire, warns about one that cannot be found (only notes an example.org one)', () => {
    expect(issues({ resourceType: 'QuestionnaireResponse', status: 'completed' })).toEqual([['information', 'Questionnaire_QR_Q_None', 'QuestionnaireResponse']]);
    expect(issues({ resourceType: 'QuestionnaireResponse', status: 'completed', questionnaire: 'http://q.test/Questionnaire/none' })).toEqual([['warning', 'Questionnaire_QR_Q_NotFound', 'QuestionnaireResponse']]);
    expect(issues({ resourceType: 'QuestionnaireResponse', status: 'completed', questionnaire: 'http://example.org/Questionnaire/x' })).toEqual([['information', 'Questionnaire_QR_Q_NotFound', 'QuestionnaireResponse']]);
  });

  it('checks against a contained questionnaire, and a complete valid response has no findings', () => {
    const contained = { ...main, id: 'q', url: undefined };
    expect(issues({ ...qr([]), questionnaire: '#q', contained: [contained] })).toEqual([]);
    expect(issues({ ...qr([{ linkId: 'ghost' }]), questionnaire: '#q', contained: [contained] })).toEqual([['error', 'Questionnaire_QR_Item_NotFound', 'QuestionnaireResponse']]);
  });

  it('warns when authored falls outside the effective period', () => {
    expect(issues(qr([], { authored: '2019-06-01T10:00:00Z' }))).toEqual([['warning', 'QUESTIONNAIRE_QR_AUTHOR_START', 'QuestionnaireResponse.authored']]);
    expect(issues(qr([], { authored: '2026-06-01' }))).toEqual([['warning', 'QUESTIONNAIRE_QR_AUTHOR_END', 'QuestionnaireResponse.authored']]);
    expect(issues(qr([], { authored: '2024-06-01' }))).toEqual([]);
  });
});

describe('response items', () => {
  it('reports items without linkId, unknown or misplaced, out of order, and repeated when the item does not repeat', () => {
    expect(issues(qr([{ text: 'x' }]))).toEqual([['error', 'Questionnaire_QR_Item_NoLinkId', 'QuestionnaireResponse']]);
    expect(issues(qr([{ linkId: 'dob', answer: [{ valueDate: '2000-01-01' }] }]))).toEqual([['error', 'ADSFHIR_QUESTIONNAIRE_QR_ITEM_MISPLACED', 'QuestionnaireResponse']]);
    expect(issues({ ...qr([]), item: [{ linkId: 'grp', item: [{ linkId: 'weight', answer: [{ valueDecimal: 70 }] }] }, { linkId: 'name', answer: [{ valueString: 'Ann' }] }] })).toEqual([['error', 'Questionnaire_QR_Item_Order', 'QuestionnaireResponse']]);
    expect(issues(qr([{ linkId: 'age', answer: [{ valueInteger: 1 }] }, { linkId: 'age', answer: [{ valueInteger: 2 }] }]))).toEqual([['error', 'Questionnaire_QR_Item_OnlyOneI', 'QuestionnaireResponse']]);
    expect(only('age', [{ valueInteger: 1 }, { valueInteger: 2 }])).toEqual([['error', 'Questionnaire_QR_Item_OnlyOneA', 'QuestionnaireResponse.item[1]']]);
  });

  it('requires answers to required items: errors when completed, warnings while in progress; a required group needs items', () => {
    expect(issues({ ...qr([]), item: [] })).toEqual([['error', 'Questionnaire_QR_Item_Missing', 'QuestionnaireResponse'], ['error', 'Questionnaire_QR_Item_Missing', 'QuestionnaireResponse']]);
    expect(issues({ ...qr([]), status: 'in-progress', item: [{ linkId: 'name' }] })).toEqual([['warning', 'Questionnaire_QR_Item_Missing', 'QuestionnaireResponse.item[0]'], ['warning', 'Questionnaire_QR_Item_Missing', 'QuestionnaireResponse']]);
    expect(issues({ ...qr([]), item: [{ linkId: 'name', answer: [{ valueString: 'Ann' }] }, { linkId: 'grp' }] })).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_GROUP_REQUIRED', 'QuestionnaireResponse.item[1]']]);
  });

  it('checks that text matches, and that groups, display items and items without a type are used as defined', () => {
    expect(only('age', [{ valueInteger: 3 }], { text: 'Years' })).toEqual([['error', 'Questionnaire_QR_Item_Text', 'QuestionnaireResponse.item[1]']]);
    expect(only('note', [{ valueString: 'x' }])).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_DISPLAY_NO_VALUE', 'QuestionnaireResponse.item[1]']]);
    expect(only('note', [], { item: [{ linkId: 'x' }] })).toEqual([['error', 'Questionnaire_QR_Item_Display', 'QuestionnaireResponse.item[1]']]);
    expect(only('age', [], { item: [{ linkId: 'x' }] })).toEqual([['error', 'Questionnaire_QR_Item_GroupAnswer', 'QuestionnaireResponse.item[1]']]);
    expect(only('family', [{ valueBoolean: true }])).toEqual([['error', 'Questionnaire_QR_Item_Group', 'QuestionnaireResponse.item[1]']]);
    expect(validator.validateToIssues(qr([{ linkId: 'untyped' }])).filter((i) => i.rule === 'Questionnaire_QR_Item_NoType').map((i) => i.severity)).toEqual(['fatal']);
  });

  it('reports answers to disabled items, judging enableWhen within the same repeat of a group', () => {
    expect(issues(qr([{ linkId: 'smoker', answer: [{ valueBoolean: false }] }, { linkId: 'per-day', answer: [{ valueInteger: 5 }] }]))).toEqual([['error', 'Questionnaire_QR_Item_NotEnabled2', 'QuestionnaireResponse.item[2]']]);
    expect(issues(qr([{ linkId: 'smoker', answer: [{ valueBoolean: true }] }]))).toEqual([['error', 'Questionnaire_QR_Item_Missing', 'QuestionnaireResponse']]);
    const family = (alive: boolean) => ({ linkId: 'family', item: [{ linkId: 'alive', answer: [{ valueBoolean: alive }] }, { linkId: 'age-at-death', answer: [{ valueInteger: 80 }] }] });
    expect(issues(qr([family(false), family(true)]))).toEqual([['error', 'Questionnaire_QR_Item_NotEnabled2', 'QuestionnaireResponse.item[2].item[1]']]);
  });

  it('follows an SDC enable-when expression evaluated on the response', () => {
    const scripted = { linkId: 'scripted', type: 'string', extension: [sdc('sdc-questionnaire-enableWhenExpression', { valueExpression: { language: 'text/fhirpath', expression: "item.where(linkId = 'smoker').answer.value = true" } })] };
    const q = { ...main, id: 'q', url: undefined, item: [{ linkId: 'smoker', type: 'boolean' }, scripted] };
    const response = (smoker: boolean) => issues({ resourceType: 'QuestionnaireResponse', status: 'completed', questionnaire: '#q', contained: [q], item: [{ linkId: 'smoker', answer: [{ valueBoolean: smoker }] }, { linkId: 'scripted', answer: [{ valueString: 'x' }] }] });
    expect(response(true)).toEqual([]);
    expect(response(false)).toEqual([['error', 'Questionnaire_QR_Item_NotEnabled2', 'QuestionnaireResponse.item[1]']]);
  });

  it('combines several conditions by enableBehavior, comparing numbers, codings and presence', () => {
    const conditions = [{ question: 'age', operator: '>=', answerInteger: 18 }, { question: 'colour', operator: '=', answerCoding: coding('red') }, { question: 'note', operator: 'exists', answerBoolean: false }];
    const q = (enableBehavior: string) => ({ ...main, id: 'q', url: undefined, item: [{ linkId: 'age', type: 'integer' }, { linkId: 'colour', type: 'choice' }, { linkId: 'note', type: 'string' }, { linkId: 'x', type: 'string', enableBehavior, enableWhen: conditions }] });
    const response = (behaviour: string, age: number) => issues({ resourceType: 'QuestionnaireResponse', status: 'completed', questionnaire: '#q', contained: [q(behaviour)],
      item: [{ linkId: 'age', answer: [{ valueInteger: age }] }, { linkId: 'colour', answer: [{ valueCoding: coding('red') }] }, { linkId: 'x', answer: [{ valueString: 'y' }] }] }).filter((i) => i[1] !== 'Questionnaire_QR_Item_NoOptions');
    expect(response('all', 18)).toEqual([]);
    expect(response('all', 17)).toEqual([['error', 'Questionnaire_QR_Item_NotEnabled2', 'QuestionnaireResponse.item[2]']]);
    expect(response('any', 17)).toEqual([]);
  });

  it('counts answers against questionnaire-minOccurs and maxOccurs (inclusive)', () => {
    expect(only('tags', [{ valueString: 'a' }, { valueString: 'b' }])).toEqual([]);
    expect(only('tags', [{ valueString: 'a' }])).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_MIN_OCCURS', 'QuestionnaireResponse.item[1]']]);
    expect(only('tags', [{ valueString: 'a' }, { valueString: 'b' }, { valueString: 'c' }])).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_MAX_OCCURS', 'QuestionnaireResponse.item[1]']]);
  });
});

describe('answer values', () => {
  const at = 'QuestionnaireResponse.item[1].answer[0]';
  it('reports a value of the wrong type for the item', () => {
    expect(only('age', [{ valueString: '3' }])).toEqual([['error', 'Questionnaire_QR_Item_WrongType', `${at}.value.ofType(string)`]]);
    expect(only('colour', [{ valueBoolean: true }])).toEqual([['error', 'Questionnaire_QR_Item_WrongType', `${at}.value.ofType(boolean)`]]);
  });

  it('checks strings: lengths, regex (with entry format), new lines', () => {
    expect(issues({ ...qr([]), item: [{ linkId: 'name', answer: [{ valueString: 'A' }] }, qr([]).item[1]] })).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_STRING_MIN_LENGTH', 'QuestionnaireResponse.item[0].answer[0].value.ofType(string)']]);
    expect(issues({ ...qr([]), item: [{ linkId: 'name', answer: [{ valueString: 'Annabel' }] }, qr([]).item[1]] })).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_STRING_MAX_LENGTH', 'QuestionnaireResponse.item[0].answer[0].value.ofType(string)']]);
    expect(issues({ ...qr([]), item: [{ linkId: 'name', answer: [{ valueString: 'ann' }] }, qr([]).item[1]] })).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_STRING_REGEX', 'QuestionnaireResponse.item[0].answer[0].value.ofType(string)']]);
    expect(only('tags', [{ valueString: 'a\nb' }, { valueString: 'c' }])).toEqual([['warning', 'QUESTIONNAIRE_QR_ITEM_STRING_ILLEGAL_CHARS', `${at}.value.ofType(string)`]]);
  });

  it('checks numbers and dates against minValue, maxValue and maxDecimalPlaces', () => {
    expect(only('age', [{ valueInteger: 130 }])).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_INTEGER_MAX', `${at}.value.ofType(integer)`]]);
    expect(only('age', [{ valueInteger: -1 }])).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_INTEGER_MIN', `${at}.value.ofType(integer)`]]);
    const grp = (answer: unknown) => issues({ ...qr([]), item: [qr([]).item[0], { linkId: 'grp', item: [answer] }] });
    const inGrp = 'QuestionnaireResponse.item[1].item[0].answer[0].value.ofType';
    expect(grp({ linkId: 'weight', answer: [{ valueDecimal: 0.5 }] })).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_DECIMAL_MIN', `${inGrp}(decimal)`]]);
    expect(grp({ linkId: 'weight', answer: [{ valueDecimal: 301 }] })).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_DECIMAL_MAX', `${inGrp}(decimal)`]]);
    expect(grp({ linkId: 'weight', answer: [{ valueDecimal: 70.25 }] })).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_DECIMAL_MAX_DECIMALS', `${inGrp}(decimal)`]]);
    expect(grp({ linkId: 'dob', answer: [{ valueDate: '1899-12-31' }] })).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_DATE_MIN', `${inGrp}(date)`]]);
    expect(grp({ linkId: 'dob', answer: [{ valueDate: '2031-01' }] })).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_DATE_MAX', `${inGrp}(date)`]]);
    expect(only('when', [{ valueTime: '07:59:00' }])).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_TIME_MIN', `${at}.value.ofType(time)`]]);
    expect(only('when', [{ valueTime: '18:30:00' }])).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_TIME_MAX', `${at}.value.ofType(time)`]]);
  });

  it('checks a string against the regex and its entry format', () => {
    expect(only('code', [{ valueString: '123' }])).toEqual([]);
    expect(only('code', [{ valueString: '12a' }])).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_STRING_REGEX_EF', `${at}.value.ofType(string)`]]);
  });

  it('checks typed answer options', () => {
    expect(only('count', [{ valueInteger: 3 }])).toEqual([['error', 'Questionnaire_QR_Item_NoInteger', `${at}.value.ofType(integer)`]]);
    expect(only('dec', [{ valueDecimal: 1 }])).toEqual([]);
    expect(only('dec', [{ valueDecimal: 2 }])).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_NODECIMAL', `${at}.value.ofType(decimal)`]]);
    expect(only('dec-coded', [{ valueDecimal: 2 }])).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_NOOPTIONSDECIMAL', `${at}.value.ofType(decimal)`]]);
    expect(only('when-date', [{ valueDateTime: '2021-01-01' }])).toEqual([['error', 'Questionnaire_QR_Item_NoDate', `${at}.value.ofType(dateTime)`]]);
  });

  it('checks quantities: min and max (UCUM units converted), decimals, unit options, unit value set', () => {
    const q = `${at}.value.ofType(Quantity)`;
    expect(only('qty', [{ valueQuantity: kg(50) }])).toEqual([]);
    expect(only('qty', [{ valueQuantity: kg(101) }])).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_QUANTITY_MAX', `${q}`]]);
    expect(only('qty', [{ valueQuantity: { value: 500, unit: 'g', system: 'http://unitsofmeasure.org', code: 'g' } }])).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_QUANTITY_MIN', `${q}`], ['error', 'QUESTIONNAIRE_QR_ITEM_DECIMAL_INVALID_UNITS', `${q}`]]);
    expect(only('qty', [{ valueQuantity: { value: 5, unit: 'stone' } }])).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_DECIMAL_CANNOT_COMPARE_MIN_UNITS', `${q}`], ['error', 'QUESTIONNAIRE_QR_ITEM_DECIMAL_CANNOT_COMPARE_MAX_UNITS', `${q}`], ['error', 'QUESTIONNAIRE_QR_ITEM_DECIMAL_INVALID_UNITS', `${q}`]]);
    expect(only('qty', [{ valueQuantity: { value: 5, system: 'http://q.test/units', code: 'kg' } }])).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_DECIMAL_CANNOT_COMPARE_MIN', `${q}`], ['error', 'QUESTIONNAIRE_QR_ITEM_DECIMAL_CANNOT_COMPARE_MAX', `${q}`], ['error', 'QUESTIONNAIRE_QR_ITEM_DECIMAL_INVALID_UNITS', `${q}`]]);
    expect(only('qty', [{ valueQuantity: kg(5.5) }])).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_DECIMAL_MAX_DECIMALS', `${q}`]]);
    expect(only('unit-in', [{ valueQuantity: { value: 5, system: 'http://q.test/cs', code: 'a' } }])).toEqual([]);
    expect(only('unit-in', [{ valueQuantity: kg(5) }])).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_DECIMAL_UNIT_FAIL_VS', q]]);
    expect(only('unit', [{ valueQuantity: kg(5) }])).toEqual([['warning', 'QUESTIONNAIRE_QR_ITEM_DECIMAL_INVALID_UNIT_VS', `${q}`]]);
  });

  it('checks attachments against mimeType and maxSize', () => {
    expect(only('photo', [{ valueAttachment: { contentType: 'image/png', data: 'AAAA' } }])).toEqual([]);
    expect(only('photo', [{ valueAttachment: { data: 'AAAA' } }])).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_NOT_ATTACHMENT_MIMETYPE', `${at}`]]);
    expect(only('photo', [{ valueAttachment: { contentType: 'text/plain', data: 'AAAAAAAA' } }])).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_BAD_ATTACHMENT_MIMETYPE', `${at}`], ['error', 'QUESTIONNAIRE_QR_ITEM_BAD_ATTACHMENT_LENGTH', `${at}`]]);
  });

  it('checks reference target types only when references are assumed to name them', () => {
    const ref = (reference: string) => issues(qr([{ linkId: 'who', answer: [{ valueReference: { reference } }] }]), true);
    expect(issues(qr([{ linkId: 'who', answer: [{ valueReference: { reference: 'Practitioner/1' } }] }]))).toEqual([]);
    expect(ref('Patient/1')).toEqual([]);
    expect(ref('Practitioner/1')).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_REF_INVALID', `${at}.value.ofType(Reference)`]]);
    const general = { ...main, id: 'q', url: undefined, item: [{ linkId: 'any', type: 'reference' }] };
    expect(issues({ resourceType: 'QuestionnaireResponse', status: 'completed', questionnaire: '#q', contained: [general], item: [{ linkId: 'any', answer: [{ valueReference: { reference: 'Unicorn/1' } }] }] }, true))
      .toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_REF_INVALID_GENERAL', 'QuestionnaireResponse.item[0].answer[0].value.ofType(Reference)']]);
    expect(ref('nothing')).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_REF_CANT', `${at}.value.ofType(Reference)`]]);
  });
});

describe('choice answers', () => {
  const at = 'QuestionnaireResponse.item[1].answer[0]';
  it('checks codings against the options, and exclusive options', () => {
    expect(only('colour', [{ valueCoding: coding('blue') }])).toEqual([]);
    expect(only('colour', [{ valueCoding: coding('pink') }])).toEqual([['error', 'Questionnaire_QR_Item_NoCoding', `${at}`]]);
    expect(only('colour', [{ valueCoding: coding('red') }, { valueCoding: coding('blue') }])).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_EXCLUSIVE', `${at}`]]);
    expect(only('kind', [{ valueCoding: coding('x') }])).toEqual([['error', 'Questionnaire_QR_Item_NoOptionsCoding', `${at}`]]);
  });

  it('checks other answer types against the options of their type; open-choice takes free text unless it names an option', () => {
    expect(only('kind', [{ valueString: 'x' }])).toEqual([]);
    expect(only('kind', [{ valueString: 'y' }])).toEqual([['error', 'Questionnaire_QR_Item_NoString', `${at}`]]);
    expect(only('colour', [{ valueString: 'blue' }])).toEqual([['error', 'Questionnaire_QR_Item_NoOptionsString', `${at}`]]);
    expect(only('colour', [{ valueInteger: 1 }])).toEqual([['error', 'Questionnaire_QR_Item_NoOptionsInteger', `${at}`]]);
    expect(only('colour', [{ valueDate: '2020-01-01' }])).toEqual([['error', 'Questionnaire_QR_Item_NoOptionsDate', `${at}`]]);
    expect(only('colour', [{ valueTime: '10:00:00' }])).toEqual([['error', 'Questionnaire_QR_Item_NoOptionsTime', `${at}`]]);
    expect(only('size', [{ valueString: 'medium' }])).toEqual([]);
    expect(only('size', [{ valueString: 'small' }])).toEqual([['warning', 'QUESTIONNAIRE_QR_ITEM_STRING_IN_CODING', `${at}`]]);
    expect(only('size', [{ valueTime: '10:00:00' }])).toEqual([['error', 'Questionnaire_QR_Item_NoTime', `${at}`]]);
  });

  it('notes answers it cannot check for want of options', () => {
    const none = { linkId: 'free', type: 'choice' };
    const q = { ...main, id: 'q', url: undefined, item: [none] };
    const answer = (value: Record<string, unknown>) => issues({ resourceType: 'QuestionnaireResponse', status: 'completed', questionnaire: '#q', contained: [q], item: [{ linkId: 'free', answer: [value] }] });
    const here = 'QuestionnaireResponse.item[0].answer[0]';
    expect(answer({ valueCoding: coding('a') })).toEqual([['information', 'Questionnaire_QR_Item_NoOptions', `${here}`]]);
    expect(answer({ valueString: 'a' })).toEqual([['information', 'Questionnaire_QR_Item_StringNoOptions', `${here}`]]);
    expect(answer({ valueInteger: 1 })).toEqual([['information', 'Questionnaire_QR_Item_IntNoOptions', `${here}`]]);
    expect(answer({ valueDate: '2020-01-01' })).toEqual([['information', 'Questionnaire_QR_Item_DateNoOptions', `${here}`]]);
    expect(answer({ valueTime: '10:00:00' })).toEqual([['information', 'Questionnaire_QR_Item_TimeNoOptions', `${here}`]]);
  });

  it('checks codings against a value set the questionnaire contains, and warns about one it cannot find', () => {
    expect(only('pick', [{ valueCoding: coding('a') }])).toEqual([]);
    expect(only('pick', [{ valueCoding: coding('z') }])).toEqual([['error', 'Questionnaire_QR_Item_BadOption', `${at}`]]);
    // A coding without a system cannot be judged against the value set: a warning, as the reference's terminology check gives.
    expect(only('pick', [{ valueCoding: { code: 'a' } }])).toEqual([['warning', 'Coding_has_no_system__cannot_validate', `${at}`]]);
    const wide = { resourceType: 'ValueSet', id: 'wide', status: 'active', compose: { include: [{ system: 'http://q.test/unknown-cs' }] } };
    const withWide = { ...main, id: 'q', url: undefined, contained: [wide], item: [{ linkId: 'pick', type: 'choice', answerValueSet: '#wide' }] };
    expect(issues({ resourceType: 'QuestionnaireResponse', status: 'completed', questionnaire: '#q', contained: [withWide, wide], item: [{ linkId: 'pick', answer: [{ valueCoding: { system: 'http://q.test/unknown-cs', code: 'a' } }] }] }))
      .toEqual([['warning', 'QUESTIONNAIRE_QR_ITEM_BADOPTION_CS', 'QuestionnaireResponse.item[0].answer[0]']]);
    const q = { ...main, id: 'q', url: undefined, contained: [], item: [{ linkId: 'pick', type: 'choice', answerValueSet: '#colours' }, { linkId: 's', type: 'string', answerValueSet: '#colours' }] };
    const response = (item: unknown) => issues({ resourceType: 'QuestionnaireResponse', status: 'completed', questionnaire: '#q', contained: [q], item: [item] });
    expect(response({ linkId: 'pick', answer: [{ valueCoding: coding('a') }] })).toEqual([['warning', 'Terminology_TX_ValueSet_NotFound', 'QuestionnaireResponse.item[0].answer[0]']]);
    expect(response({ linkId: 's', answer: [{ valueString: 'a' }] })).toEqual([['warning', 'QUESTIONNAIRE_QR_ITEM_VS_BAD', 'QuestionnaireResponse.item[0].answer[0].value.ofType(string)']]);
    // With the value set contained in the response beside the questionnaire, a string answer is a code of it.
    const both = (value: string) => issues({ resourceType: 'QuestionnaireResponse', status: 'completed', questionnaire: '#q', contained: [q, main.contained[0]], item: [{ linkId: 's', answer: [{ valueString: value }] }] });
    expect(both('a')).toEqual([]);
    expect(both('z')).toEqual([['error', 'QUESTIONNAIRE_QR_ITEM_VS_FAIL', 'QuestionnaireResponse.item[0].answer[0].value.ofType(string)']]);
  });
});

describe('questionnaire authoring', () => {
  const questionnaire = (item: unknown[], extra: Record<string, unknown> = {}) => issues({ resourceType: 'Questionnaire', status: 'draft', item, ...extra });
  const when = (question?: string) => [{ ...(question === undefined ? {} : { question }), operator: 'exists', answerBoolean: true }];

  it('checks that each enableWhen names an earlier question that is not the item or inside it', () => {
    expect(questionnaire([{ linkId: 'a', type: 'boolean' }, { linkId: 'b', type: 'string', enableWhen: when('a') }])).toEqual([]);
    expect(questionnaire([{ linkId: 'a', type: 'boolean', enableWhen: when() }])).toEqual([['error', 'Questionnaire_Q_EnableWhen_NoLink', 'Questionnaire.item[0]']]);
    expect(questionnaire([{ linkId: 'g', type: 'group', enableWhen: when('c'), item: [{ linkId: 'c', type: 'boolean' }] }])).toEqual([['error', 'Questionnaire_Q_EnableWhen_IsInner', 'Questionnaire.item[0]']]);
    expect(questionnaire([{ linkId: 'a', type: 'boolean', enableWhen: when('zz') }])).toEqual([['error', 'Questionnaire_Q_EnableWhen_NoTarget', 'Questionnaire.item[0]']]);
    expect(questionnaire([{ linkId: 'a', type: 'boolean', enableWhen: when('a') }])).toEqual([['error', 'Questionnaire_Q_EnableWhen_Self', 'Questionnaire.item[0]']]);
    expect(questionnaire([{ linkId: 'g', type: 'group', item: [{ linkId: 'b', type: 'string', enableWhen: when('a') }] }, { linkId: 'a', type: 'boolean' }])).toEqual([['warning', 'Questionnaire_Q_EnableWhen_After', 'Questionnaire.item[0].item[0]']]);
    // A question in an enclosing group is answered before its items.
    expect(questionnaire([{ linkId: 'g', type: 'group', item: [{ linkId: 'b', type: 'string', enableWhen: when('g') }] }])).toEqual([]);
  });

  const derived = (code: string | undefined, item: unknown[], url = base.url) =>
    questionnaire(item, { derivedFrom: [url], _derivedFrom: [{ extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/questionnaire-derivationType', ...(code ? { valueCoding: { system: 'http://hl7.org/fhir/questionnaire-derivationType', code } } : {}) }] }] });

  it('checks the derivation of a questionnaire', () => {
    expect(questionnaire([], { derivedFrom: ['http://q.test/Questionnaire/unknown'] })).toEqual([['warning', 'QUESTIONNAIRE_Q_UNKNOWN_DERIVATION', 'Questionnaire.derivedFrom[0]']]);
    expect(questionnaire([], { derivedFrom: [base.url] })).toEqual([['warning', 'QUESTIONNAIRE_Q_NO_DERIVATION_TYPE', 'Questionnaire.derivedFrom[0]']]);
    expect(derived(undefined, [])).toEqual([['warning', 'QUESTIONNAIRE_Q_NO_DERIVATION_TYPE_VALUE', 'Questionnaire.derivedFrom[0].extension[0]']]);
    expect(derived('inspiredBy', [{ linkId: 'new', type: 'string' }])).toEqual([['information', 'QUESTIONNAIRE_Q_DERIVATION_TYPE_IGNORED', 'Questionnaire.derivedFrom[0].extension[0].value.ofType(Coding)']]);
    expect(derived('remixes', [])).toEqual([['warning', 'QUESTIONNAIRE_Q_DERIVATION_TYPE_UNKNOWN', 'Questionnaire.derivedFrom[0].extension[0].value.ofType(Coding)']]);
  });

  it('checks items against the questionnaire they extend or comply with', () => {
    const a = { linkId: 'a', type: 'string', required: true, maxLength: 10, definition: 'http://q.test/def#a' };
    expect(derived('extends', [a, { linkId: 'new', type: 'string' }])).toEqual([]);
    expect(derived('compliesWith', [{ linkId: 'new', type: 'string' }])).toEqual([['error', 'QUESTIONNAIRE_Q_ITEM_NOT_DERIVED', 'Questionnaire.item[0]']]);
    expect(derived('extends', [{ ...a, type: 'text', repeats: true, required: false, maxLength: 20, definition: 'http://q.test/def#other' }])).toEqual([
      ['error', 'QUESTIONNAIRE_Q_ITEM_DERIVED_NC_TYPE', 'Questionnaire.item[0].type'],
      ['error', 'QUESTIONNAIRE_Q_ITEM_DERIVED_NC_REPEATS', 'Questionnaire.item[0].repeats'],
      ['error', 'QUESTIONNAIRE_Q_ITEM_DERIVED_NC_REQUIRED', 'Questionnaire.item[0].required'],
      ['information', 'QUESTIONNAIRE_Q_ITEM_DERIVED_NC_DEFINITION', 'Questionnaire.item[0].definition'],
      ['error', 'QUESTIONNAIRE_Q_ITEM_DERIVED_NC_MAXLENGTH', 'Questionnaire.item[0].maxLength'],
    ]);
    expect(derived('extends', [{ linkId: 'a', type: 'string' }])).toEqual([['information', 'QUESTIONNAIRE_Q_ITEM_DERIVED_DEFINITION', 'Questionnaire.item[0]'], ['error', 'QUESTIONNAIRE_Q_ITEM_DERIVED_MAXLENGTH', 'Questionnaire.item[0]']]);
    expect(derived('extends', [{ linkId: 'b', type: 'choice', answerOption: [{ valueCoding: coding('x') }] }])).toEqual([]);
    expect(derived('extends', [{ linkId: 'b', type: 'choice', answerOption: [{ valueCoding: coding('y') }] }])).toEqual([['error', 'QUESTIONNAIRE_Q_ITEM_DERIVED_ANSWER_OPTIONS_NEW', 'Questionnaire.item[0].answerOption[0]']]);
    expect(derived('extends', [{ linkId: 'b', type: 'choice', answerValueSet: 'http://q.test/ValueSet/b' }])).toEqual([['error', 'QUESTIONNAIRE_Q_ITEM_DERIVED_NC_ANSWER_TYPE', 'Questionnaire.item[0]']]);
    expect(derived('extends', [{ linkId: 'b', type: 'choice' }])).toEqual([['error', 'QUESTIONNAIRE_Q_ITEM_DERIVED_ANSWER_OPTIONS', 'Questionnaire.item[0]']]);
    expect(derived('extends', [{ linkId: 'c', type: 'choice', answerOption: [{ valueCoding: coding('x') }] }])).toEqual([['error', 'QUESTIONNAIRE_Q_ITEM_DERIVED_NC_ANSWER_TYPE', 'Questionnaire.item[0]']]);
  });
});
