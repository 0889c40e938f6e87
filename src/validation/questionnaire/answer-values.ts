/**
 * Limits on primitive answers, from the questionnaire item's extensions and options (the reference's
 * validateQuestionnaireResponseItemDecimal/Integer/Date/DateTime/Time/String): minValue, maxValue,
 * maxDecimalPlaces, minLength, maxLength, regex and entryFormat, and the answerOption list of the item's type.
 * All are errors at the value, but new lines in a string (a warning).
 */
import { checkStringValueSet } from './answer-valueset.js';
import { instant } from './enable-when.js';
import { choiceOf, extensionValue, integerExtension, objects, primitiveText, type Choice, type Json, type ResponseRun } from './model.js';

const MIN_VALUE = 'http://hl7.org/fhir/StructureDefinition/minValue';
const MAX_VALUE = 'http://hl7.org/fhir/StructureDefinition/maxValue';
export const MAX_DECIMALS = 'http://hl7.org/fhir/StructureDefinition/maxDecimalPlaces';
const MIN_LENGTH = 'http://hl7.org/fhir/StructureDefinition/minLength';
const REGEX = 'http://hl7.org/fhir/StructureDefinition/regex';
const ENTRY_FORMAT = 'http://hl7.org/fhir/StructureDefinition/entryFormat';

/** The answerOption values of the item, as [type, value]. */
export function optionValues(def: Json): Choice[] {
  return objects(def.answerOption).flatMap((o) => {
    const c = choiceOf(o, 'value');
    return c ? [c] : [];
  });
}

/**
 * The answer against the item's options of `types` (compared as text): none of them -> `none`, not one of
 * them -> `absent`. Nothing when the item has no options.
 */
function checkOptions(run: ResponseRun, def: Json, text: string, at: string, types: (t: string) => boolean, none: [string, string], absent: [string, string]): void {
  const all = optionValues(def);
  if (all.length === 0) return;
  const usable = all.filter((o) => types(o.type));
  if (usable.length === 0) run.report(none[0], 'error', 'invariant', at, none[1]);
  else if (!usable.some((o) => primitiveText(o.value) === text)) run.report(absent[0], 'error', 'invariant', at, absent[1]);
}

export function decimalPlaces(text: string): number {
  const dot = text.lastIndexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

function numberExtension(def: Json, url: string): number | undefined {
  const v = extensionValue(def, url);
  return v && typeof v.value === 'number' ? v.value : undefined;
}

export function checkDecimal(run: ResponseRun, def: Json, value: Choice, at: string): void {
  if (typeof value.value !== 'number') return;
  const v = value.value;
  const min = numberExtension(def, MIN_VALUE);
  if (min !== undefined && min > v) run.report('QUESTIONNAIRE_QR_ITEM_DECIMAL_MIN', 'error', 'invariant', at, `The value ${v} is less than the allowed minimum of ${min}`);
  const max = numberExtension(def, MAX_VALUE);
  if (max !== undefined && max < v) run.report('QUESTIONNAIRE_QR_ITEM_DECIMAL_MAX', 'error', 'invariant', at, `The value ${v} is greater than the allowed maximum of ${max}`);
  const places = integerExtension(def, MAX_DECIMALS);
  if (places !== undefined && decimalPlaces(String(v)) > places) run.report('QUESTIONNAIRE_QR_ITEM_DECIMAL_MAX_DECIMALS', 'error', 'invariant', at, `The value ${v} has too many decimal places (limit = ${places})`);
  const isPrimitive = (t: string) => t !== 'Coding' && t !== 'Reference';
  checkOptions(run, def, String(v), at, isPrimitive,
    ['QUESTIONNAIRE_QR_ITEM_NOOPTIONSDECIMAL', 'Cannot validate decimal answer option because no option list is provided'],
    ['QUESTIONNAIRE_QR_ITEM_NODECIMAL', `The value ${v} is not in the set of permitted values`]);
}

export function checkInteger(run: ResponseRun, def: Json, value: Choice, at: string): void {
  if (typeof value.value !== 'number') return;
  const v = value.value;
  const min = numberExtension(def, MIN_VALUE);
  if (min !== undefined && Number.isInteger(min) && v < min) run.report('QUESTIONNAIRE_QR_ITEM_INTEGER_MIN', 'error', 'invariant', at, `The value ${v} is less than the allowed minimum of ${min}`);
  const max = numberExtension(def, MAX_VALUE);
  if (max !== undefined && Number.isInteger(max) && v > max) run.report('QUESTIONNAIRE_QR_ITEM_INTEGER_MAX', 'error', 'invariant', at, `The value ${v} is greater than the allowed maximum of ${max}`);
  const isPrimitive = (t: string) => t !== 'Coding' && t !== 'Reference';
  checkOptions(run, def, String(v), at, isPrimitive,
    ['Questionnaire_QR_Item_NoOptionsInteger', 'Option list has no option values of type integer'],
    ['Questionnaire_QR_Item_NoInteger', `The integer ${v} is not in the set of permitted values`]);
}

/** A date or dateTime answer: minValue/maxValue (compared as instants) and the item's date options. */
export function checkDate(run: ResponseRun, def: Json, value: Choice, at: string, _kind: 'date' | 'dateTime'): void {
  const text = primitiveText(value.value);
  if (text === undefined) return;
  const v = instant(text);
  const min = extensionValue(def, MIN_VALUE);
  const minAt = instant(min?.value);
  if (v !== undefined && minAt !== undefined && minAt > v) run.report('QUESTIONNAIRE_QR_ITEM_DATE_MIN', 'error', 'invariant', at, `The value ${text} is less than the allowed minimum of ${String(min?.value)}`);
  const max = extensionValue(def, MAX_VALUE);
  const maxAt = instant(max?.value);
  if (v !== undefined && maxAt !== undefined && maxAt < v) run.report('QUESTIONNAIRE_QR_ITEM_DATE_MAX', 'error', 'invariant', at, `The value ${text} is greater than the allowed maximum of ${String(max?.value)}`);
  // dateTime answers are matched against the date options too (R4 has no dateTime options).
  checkOptions(run, def, text, at, (t) => t === 'date',
    ['Questionnaire_QR_Item_NoOptionsDate', 'Option list has no option values of type date'],
    ['Questionnaire_QR_Item_NoDate', `The date ${text} is not in the set of permitted values`]);
}

export function checkTime(run: ResponseRun, def: Json, value: Choice, at: string): void {
  const text = primitiveText(value.value);
  if (text === undefined) return;
  const min = primitiveText(extensionValue(def, MIN_VALUE)?.value);
  if (min !== undefined && text < min) run.report('QUESTIONNAIRE_QR_ITEM_TIME_MIN', 'error', 'invariant', at, `The value ${text} is less than the allowed minimum of ${min}`);
  const max = primitiveText(extensionValue(def, MAX_VALUE)?.value);
  if (max !== undefined && text > max) run.report('QUESTIONNAIRE_QR_ITEM_TIME_MAX', 'error', 'invariant', at, `The value ${text} is greater than the allowed maximum of ${max}`);
  checkOptions(run, def, text, at, (t) => t === 'time',
    ['Questionnaire_QR_Item_NoOptionsTime', 'Option list has no option values of type time'],
    ['Questionnaire_QR_Item_NoTime', `The time ${text} is not in the set of permitted values`]);
}

/** Whole-string match of a regex (Java's String.matches); undefined when the pattern is not valid here. */
function fullMatch(text: string, pattern: string): boolean | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u').test(text);
  } catch {
    return undefined;
  }
}

export function checkString(run: ResponseRun, def: Json, value: Choice, at: string): void {
  const text = primitiveText(value.value);
  if (text === undefined) return;
  const shown = text.length > 60 ? `${text.slice(0, 60)}...` : text;
  const minLength = integerExtension(def, MIN_LENGTH);
  if (minLength !== undefined && minLength >= 0 && text.length < minLength) {
    run.report('QUESTIONNAIRE_QR_ITEM_STRING_MIN_LENGTH', 'error', 'invariant', at, `The answer '${shown}' is shorter then the required minimum length of ${minLength}`);
  }
  const maxLength = typeof def.maxLength === 'number' ? def.maxLength : undefined;
  if (maxLength !== undefined && maxLength >= 0 && text.length > maxLength) {
    run.report('QUESTIONNAIRE_QR_ITEM_STRING_MAX_LENGTH', 'error', 'invariant', at, `The answer '${shown}' is longer then the allowed maximum length of ${maxLength}`);
  }
  const regex = primitiveText(extensionValue(def, REGEX)?.value);
  if (regex !== undefined && fullMatch(text, regex) === false) {
    const format = primitiveText(extensionValue(def, ENTRY_FORMAT)?.value);
    if (format === undefined) run.report('QUESTIONNAIRE_QR_ITEM_STRING_REGEX', 'error', 'invariant', at, `The answer '${shown}' does not conform to the required regex '${regex}'`);
    else run.report('QUESTIONNAIRE_QR_ITEM_STRING_REGEX_EF', 'error', 'invariant', at, `The answer '${shown}' does not conform to the expected format '${format}' (regex '${regex}')`);
  }
  if (/[\r\n]/.test(text)) run.report('QUESTIONNAIRE_QR_ITEM_STRING_ILLEGAL_CHARS', 'warning', 'invariant', at, 'The answer should not contain new line characters');
  if (typeof def.answerValueSet === 'string') checkStringValueSet(run, def.answerValueSet, text, at);
  checkOptions(run, def, text, at, (t) => t === 'string',
    ['Questionnaire_QR_Item_NoOptionsString', 'Option list has no option values of type string'],
    ['Questionnaire_QR_Item_NoString', `The string ${shown} is not in the set of permitted values`]);
}
