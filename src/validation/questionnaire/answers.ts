/**
 * One answer of a response item against the questionnaire item: its value type for the item type, then the
 * checks of that type (answer-values.ts, answer-complex.ts) and, for choice items, the answer options or
 * value set (answer-options.ts, answer-valueset.ts). Severities and locations are the reference's.
 */
import { checkAttachment, checkQuantity, checkReference } from './answer-complex.js';
import { checkCodingAnswer, checkTypedOption } from './answer-options.js';
import { checkDate, checkDecimal, checkInteger, checkString, checkTime } from './answer-values.js';
import { choiceOf, choicePath, type Choice, type Json, type ResponseRun } from './model.js';

export function checkAnswer(run: ResponseRun, def: Json, kind: string | undefined, answer: Json, path: string, itemPath: string, answers: number): void {
  switch (kind) {
    case 'group':
      run.report('Questionnaire_QR_Item_Group', 'error', 'structure', itemPath, 'Items of type question should not have answers');
      return;
    case 'display':
      run.report('QUESTIONNAIRE_QR_ITEM_DISPLAY_NO_VALUE', 'error', 'structure', itemPath, 'Items of type \'display\' cannot have answers');
      return;
    case 'boolean':
      valueOfType(run, answer, path, ['boolean']);
      return;
    case 'text':
      valueOfType(run, answer, path, ['string']);
      return;
    case 'url':
      valueOfType(run, answer, path, ['uri']);
      return;
    case 'decimal':
      valueOfType(run, answer, path, ['decimal']);
      withValue(answer, path, 'decimal', (v, at) => checkDecimal(run, def, v, at));
      return;
    case 'integer':
      valueOfType(run, answer, path, ['integer']);
      withValue(answer, path, 'integer', (v, at) => checkInteger(run, def, v, at));
      return;
    case 'date':
    case 'dateTime':
      valueOfType(run, answer, path, [kind]);
      withValue(answer, path, undefined, (v, at) => checkDate(run, def, v, at, kind));
      return;
    case 'time':
      valueOfType(run, answer, path, ['time']);
      withValue(answer, path, undefined, (v, at) => checkTime(run, def, v, at));
      return;
    case 'string':
      valueOfType(run, answer, path, ['string']);
      withValue(answer, path, undefined, (v, at) => checkString(run, def, v, at));
      return;
    case 'attachment':
      valueOfType(run, answer, path, ['Attachment']);
      withValue(answer, path, undefined, (v) => checkAttachment(run, def, v, path));
      return;
    case 'reference':
      valueOfType(run, answer, path, ['Reference']);
      withValue(answer, path, 'Reference', (v, at) => checkReference(run, def, v, at));
      return;
    case 'quantity':
      valueOfType(run, answer, path, ['Quantity']);
      withValue(answer, path, 'Quantity', (v, at) => checkQuantity(run, def, v, at));
      return;
    case 'coding': {
      const value = valueOfType(run, answer, path, ['Coding', 'date', 'time', 'integer', 'string']);
      if (value?.type === 'Coding') checkCodingAnswer(run, def, value, path, answers);
      else if (value) checkTypedOption(run, def, value, path, def.type === 'open-choice');
      return;
    }
    default:
      // No type, or a type the reference does not know: no answer checks.
      return;
  }
}

/**
 * The answer's value when its type is one of `types`; otherwise Questionnaire_QR_Item_WrongType at the value
 * (nothing when the answer has no value).
 */
function valueOfType(run: ResponseRun, answer: Json, path: string, types: string[]): Choice | undefined {
  const value = choiceOf(answer, 'value');
  if (!value) return undefined;
  if (types.includes(value.type)) return value;
  const message = types.length === 1
    ? `Answer value must be of the type ${types[0]!} not ${value.type}`
    : `Answer value must be one of the ${types.length} types ${types.join(', ')} not ${value.type}`;
  run.report('Questionnaire_QR_Item_WrongType', 'error', 'invariant', choicePath(path, value), message);
  return undefined;
}

/** Calls `check` with the answer's value and its location, when it has one (of the type, when one is given). */
function withValue(answer: Json, path: string, type: string | undefined, check: (value: Choice, at: string) => void): void {
  const value = choiceOf(answer, 'value');
  if (value && (type === undefined || value.type === type)) check(value, choicePath(path, value));
}
