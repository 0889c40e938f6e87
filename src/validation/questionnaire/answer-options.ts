/**
 * Answers to choice and open-choice items (R5 `coding` items): a Coding against the answerOption list or the
 * answerValueSet, and integer, date, time or string answers against the options of their type (the
 * reference's validateAnswerCode, checkCodingOption and checkInteger/Date/Time/StringOption). Findings are at
 * the answer. An open-choice item accepts a string that is no option, but not one that names a coded option.
 */
import { checkCodingValueSet } from './answer-valueset.js';
import { optionValues } from './answer-values.js';
import { choiceOf, count, objects, primitiveText, type Choice, type Json, type ResponseRun } from './model.js';

const OPTION_EXCLUSIVE = 'http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive';

export function checkCodingAnswer(run: ResponseRun, def: Json, value: Choice, path: string, answers: number): void {
  if (count(def.answerOption) > 0) checkCodingOption(run, def, (value.value ?? {}) as Json, path, answers);
  else if (typeof def.answerValueSet === 'string') checkCodingValueSet(run, def.answerValueSet, (value.value ?? {}) as Json, path);
  else run.report('Questionnaire_QR_Item_NoOptions', 'information', 'invariant', path, 'Cannot validate options because no option or options are provided');
}

function checkCodingOption(run: ResponseRun, def: Json, coding: Json, path: string, answers: number): void {
  const options = objects(def.answerOption).flatMap((o) => {
    const c = choiceOf(o, 'value');
    if (c?.type !== 'Coding' || !c.value || typeof c.value !== 'object') return [];
    const exclusive = objects(o.extension).some((e) => e.url === OPTION_EXCLUSIVE && e.valueBoolean === true);
    return [{ coding: c.value as Json, exclusive }];
  });
  if (options.length === 0) {
    run.report('Questionnaire_QR_Item_NoOptionsCoding', 'error', 'invariant', path, 'Option list has no option values of type coding');
    return;
  }
  const match = options.find((o) => o.coding.system === coding.system && o.coding.code === coding.code);
  if (!match) {
    run.report('Questionnaire_QR_Item_NoCoding', 'error', 'invariant', path, `The code ${String(coding.system ?? '')}::${String(coding.code ?? '')} is not in the set of permitted values`);
  } else if (match.exclusive && answers !== 1) {
    run.report('QUESTIONNAIRE_QR_ITEM_EXCLUSIVE', 'error', 'invariant', path, `Selected answer ${String(coding.system ?? '')}#${String(coding.code ?? '')} is an exclusive option - can't select anything else at the same time`);
  }
}

const TYPED: Record<string, { none: string; noneText: string; absent: string; noOptions: string; noOptionsText: string }> = {
  integer: { none: 'Questionnaire_QR_Item_NoOptionsInteger', noneText: 'Option list has no option values of type integer', absent: 'Questionnaire_QR_Item_NoInteger', noOptions: 'Questionnaire_QR_Item_IntNoOptions', noOptionsText: 'Cannot validate integer answer option because no option list is provided' },
  date: { none: 'Questionnaire_QR_Item_NoOptionsDate', noneText: 'Option list has no option values of type date', absent: 'Questionnaire_QR_Item_NoDate', noOptions: 'Questionnaire_QR_Item_DateNoOptions', noOptionsText: 'Cannot validate date answer option because no option list is provided' },
  time: { none: 'Questionnaire_QR_Item_NoOptionsTime', noneText: 'Option list has no option values of type time', absent: 'Questionnaire_QR_Item_NoTime', noOptions: 'Questionnaire_QR_Item_TimeNoOptions', noOptionsText: 'Cannot validate time answer option because no option list is provided' },
};

/** An integer, date, time or string answer to a choice item. */
export function checkTypedOption(run: ResponseRun, def: Json, value: Choice, path: string, openChoice: boolean): void {
  const text = primitiveText(value.value);
  if (text === undefined) return;
  const all = optionValues(def);
  if (value.type === 'string') {
    checkStringOption(run, all, text, path, openChoice);
    return;
  }
  const rule = TYPED[value.type];
  if (!rule) return;
  if (all.length === 0) {
    run.report(rule.noOptions, 'information', 'invariant', path, rule.noOptionsText);
    return;
  }
  const ofType = all.filter((o) => o.type === value.type);
  if (ofType.length === 0 && !openChoice) run.report(rule.none, 'error', 'invariant', path, rule.noneText);
  else if (!ofType.some((o) => primitiveText(o.value) === text)) {
    const what = value.type === 'integer' ? 'integer' : value.type;
    run.report(rule.absent, 'error', 'invariant', path, `The ${what} ${text} is not in the set of permitted values`);
  }
}

function checkStringOption(run: ResponseRun, all: Choice[], text: string, path: string, openChoice: boolean): void {
  if (all.length === 0) {
    run.report('Questionnaire_QR_Item_StringNoOptions', 'information', 'invariant', path, 'Cannot validate string answer option because no option list is provided');
    return;
  }
  if (!openChoice) {
    const strings = all.filter((o) => o.type === 'string');
    if (strings.length === 0) run.report('Questionnaire_QR_Item_NoOptionsString', 'error', 'invariant', path, 'Option list has no option values of type string');
    else if (!strings.some((o) => o.value === text)) run.report('Questionnaire_QR_Item_NoString', 'error', 'invariant', path, `The string ${text} is not in the set of permitted values`);
    return;
  }
  const lower = text.toLowerCase();
  const named = all.some((o) => {
    if (o.type !== 'Coding' || !o.value || typeof o.value !== 'object') return false;
    const c = o.value as Json;
    return (typeof c.display === 'string' && c.display.toLowerCase() === lower) || (typeof c.code === 'string' && c.code.toLowerCase() === lower);
  });
  if (named) run.report('QUESTIONNAIRE_QR_ITEM_STRING_IN_CODING', 'warning', 'invariant', path, `The string value '${text}' matches an entry in the list of valid Codings, so this is probably an error`);
}
