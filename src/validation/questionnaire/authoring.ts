/**
 * Questionnaire authoring rules of the reference validator (QuestionnaireValidator.validateQuestionannaire):
 * each enableWhen names a question (a linkId that exists, is not the item itself or one of its own children,
 * and comes before it), and items are checked against the questionnaires it derives from (derivation.ts).
 * Findings are at the item.
 */
import { checkDerivedItem, derivationsOf } from './derivation.js';
import { findItem, objects, text, type Json } from './model.js';
import type { Report } from '../../plugin-types/index.js';

export function checkQuestionnaire(q: Json, path: string, report: Report, lookup: (url: string) => Json | undefined): void {
  const derivations = derivationsOf(q, path, report, lookup);
  // Position of every item in document order: an enableWhen target must come before the item.
  const order = new Map<Json, number>();
  const number = (list: Json[]): void => {
    for (const item of list) {
      order.set(item, order.size);
      number(objects(item.item));
    }
  };
  number(objects(q.item));
  const walk = (list: Json[], base: string): void => {
    list.forEach((item, i) => {
      const at = `${base}.item[${i}]`;
      checkEnableWhen(q, item, at, order, report);
      for (const d of derivations) checkDerivedItem(d, item, at, report);
      walk(objects(item.item), at);
    });
  };
  walk(objects(q.item), path);
}

function checkEnableWhen(q: Json, item: Json, at: string, order: Map<Json, number>, report: Report): void {
  for (const condition of objects(item.enableWhen)) {
    const question = text(condition.question);
    if (question === undefined) {
      report('Questionnaire_Q_EnableWhen_NoLink', 'error', 'business-rule', at, 'Questions with an enableWhen must have a value for the question link');
      continue;
    }
    if (findItem(item.item, question)) {
      report('Questionnaire_Q_EnableWhen_IsInner', 'error', 'business-rule', at, 'Questions with an enableWhen cannot refer to an inner question for its enableWhen condition');
      continue;
    }
    const target = findItem(q.item, question);
    if (!target) {
      report('Questionnaire_Q_EnableWhen_NoTarget', 'error', 'business-rule', at, `Unable to find an item with the linkId '${question}' which is referenced in the enableWhen for '${String(item.linkId)}'`);
    } else if (target === item) {
      report('Questionnaire_Q_EnableWhen_Self', 'error', 'business-rule', at, 'Target for this question enableWhen can\'t reference itself');
    } else if ((order.get(target) ?? 0) > (order.get(item) ?? 0)) {
      report('Questionnaire_Q_EnableWhen_After', 'warning', 'business-rule', at, `The target of this enableWhen rule (${question}) comes after the question itself`);
    }
  }
}
