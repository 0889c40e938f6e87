/**
 * A QuestionnaireResponse against its Questionnaire, as the reference validator's QuestionnaireValidator
 * checks it: which questionnaire (contained `#id`, else a loaded canonical), the authored date against the
 * questionnaire's effective period, then the items at every depth (by linkId, in order, repeats, enableWhen,
 * required answers, groups and display items) and each answer (answers.ts).
 *
 * Locations are the reference's: findings about the items of a container are reported on the container, and
 * items nested in an answer are addressed from their item (`item[0].item[1]`), as its node stack names them.
 */
import { checkAnswer } from './answers.js';
import { instant, isEnabled, type Frame } from './enable-when.js';
import { count, findItem, integerExtension, itemKind, objects, text, type Json, type QuestionnaireEnv, type ResponseRun } from './model.js';

const MAX_OCCURS = 'http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs';
const MIN_OCCURS = 'http://hl7.org/fhir/StructureDefinition/questionnaire-minOccurs';

export function checkQuestionnaireResponse(qr: Json, path: string, env: QuestionnaireEnv): void {
  const canonical = text(qr.questionnaire);
  if (!canonical) {
    env.report('Questionnaire_QR_Q_None', 'information', 'required', path, 'No questionnaire is identified, so no validation can be performed against the base questionnaire');
    return;
  }
  const contained = canonical.startsWith('#');
  const q = contained ? objects(qr.contained).find((r) => r.id === canonical.slice(1)) : env.lookup(canonical);
  if (!q || q.resourceType !== 'Questionnaire') {
    // An example.org questionnaire is not expected to be found: the reference only notes it.
    const example = /^https?:\/\/example\.org/.test(canonical);
    env.report('Questionnaire_QR_Q_NotFound', example ? 'information' : 'warning', 'required', path, `The questionnaire '${canonical}' could not be resolved, so no validation can be performed against the base questionnaire`);
    return;
  }
  const status = qr.status;
  const run: ResponseRun = { ...env, q, container: contained ? qr : undefined, root: qr, notCompleted: status !== 'completed' && status !== 'amended' };
  checkAuthored(qr, q, path, env);
  checkItems(run, objects(q.item), qr, path, []);
}

/** authored within the questionnaire's effectivePeriod (warnings). */
function checkAuthored(qr: Json, q: Json, path: string, env: QuestionnaireEnv): void {
  const period = q.effectivePeriod as Json | undefined;
  const authored = instant(qr.authored);
  if (!period || authored === undefined) return;
  const end = instant(period.end);
  const start = instant(period.start);
  if (end !== undefined && authored > end) {
    env.report('QUESTIONNAIRE_QR_AUTHOR_END', 'warning', 'business-rule', `${path}.authored`, `The authored date '${String(qr.authored)}' is after the end of the permitted period defined in the Questionnaire ('${String(period.end)}')`);
  }
  if (start !== undefined && authored < start) {
    env.report('QUESTIONNAIRE_QR_AUTHOR_START', 'warning', 'business-rule', `${path}.authored`, `The authored date '${String(qr.authored)}' is before the start of the permitted period defined in the Questionnaire ('${String(period.start)}')`);
  }
}

/** The items of a response container (the response, an item or an answer) against the questionnaire items they answer. */
export function checkItems(run: ResponseRun, defs: Json[], container: Json, path: string, stack: readonly Frame[]): void {
  const found = new Map<string, { item: Json; index: number }[]>();
  let lastIndex = -1;
  const given = Array.isArray(container.item) ? (container.item as unknown[]) : [];
  given.forEach((raw, index) => {
    if (!raw || typeof raw !== 'object') return;
    const item = raw as Json;
    const linkId = text(item.linkId);
    if (!linkId) {
      run.report('Questionnaire_QR_Item_NoLinkId', 'error', 'required', path, 'No LinkId, so can\'t be validated');
      return;
    }
    const at = defs.findIndex((d) => d.linkId === linkId);
    if (at < 0) {
      const elsewhere = findItem(run.q.item, linkId);
      if (elsewhere) {
        run.report('ADSFHIR_QUESTIONNAIRE_QR_ITEM_MISPLACED', 'error', 'structure', path, `Structural Error: item with linkid ${linkId} is in the wrong place`);
        checkItem(run, elsewhere, item, `${path}.item[${index}]`, [...stack, { q: elsewhere, a: item }]);
      } else {
        run.report('Questionnaire_QR_Item_NotFound', 'error', 'not-found', path, `LinkId '${linkId.slice(0, 60)}' not found in questionnaire`);
      }
      return;
    }
    if (at < lastIndex) run.report('Questionnaire_QR_Item_Order', 'error', 'structure', path, 'Structural Error: items are out of order');
    lastIndex = at;
    const list = found.get(linkId);
    if (list) list.push({ item, index });
    else found.set(linkId, [{ item, index }]);
  });
  for (const def of defs) {
    const enabled = isEnabled(run.q, run.root, def, stack, run.expression);
    const items = typeof def.linkId === 'string' ? found.get(def.linkId) : undefined;
    if (!items) {
      if (enabled && def.required === true) {
        run.report('Questionnaire_QR_Item_Missing', run.notCompleted ? 'warning' : 'error', 'required', path, `No response answer found for required item '${String(def.linkId)}'`);
      }
      continue;
    }
    if (!enabled) {
      for (const { item, index } of items) {
        // An item with neither answers nor items counts as absent for enableWhen.
        if (count(item.answer) > 0 || count(item.item) > 0) {
          run.report('Questionnaire_QR_Item_NotEnabled2', 'error', 'invalid', `${path}.item[${index}]`, `Item has answer, even though it is not enabled (item id = '${String(def.linkId).slice(0, 60)}')`);
        }
      }
    }
    if (items.length > 1 && def.repeats !== true) {
      run.report('Questionnaire_QR_Item_OnlyOneI', 'error', 'invalid', path, `Only one response item with the linkId ${String(def.linkId)} allowed - found ${items.length} items`);
    }
    for (const { item, index } of items) checkItem(run, def, item, `${path}.item[${index}]`, [...stack, { q: def, a: item }]);
  }
}

/** One response item against its questionnaire item. */
function checkItem(run: ResponseRun, def: Json, item: Json, path: string, stack: readonly Frame[]): void {
  const given = text(item.text);
  if (given && given !== def.text) {
    run.report('Questionnaire_QR_Item_Text', 'error', 'invalid', path, `If text exists, it must match the questionnaire definition for linkId ${String(def.linkId)}`);
  }
  const kind = itemKind(def);
  const answers = objects(item.answer);
  const fulfilled = answers.length > 0 || def.required !== true || kind === 'group';
  if (!fulfilled && (run.notCompleted || isEnabled(run.q, run.root, def, stack, run.expression))) {
    run.report('Questionnaire_QR_Item_Missing', run.notCompleted ? 'warning' : 'error', 'required', path, `No response answer found for required item '${String(def.linkId)}'`);
  }
  if (answers.length > 1 && def.repeats !== true) run.report('Questionnaire_QR_Item_OnlyOneA', 'error', 'invalid', path, 'Only one response answer item with this linkId allowed');
  checkOccurrences(run, def, answers.length, path);
  answers.forEach((answer, i) => {
    checkAnswer(run, def, kind, answer, `${path}.answer[${i}]`, path, answers.length);
    // A group's answers were reported already; the items under other answers are checked against the item's children.
    if (kind !== 'group') checkItems(run, objects(def.item), answer, path, stack);
  });
  if (kind === undefined) {
    run.addIssues([{ rule: 'Questionnaire_QR_Item_NoType', severity: 'fatal', code: 'required', expression: path, message: `Definition for item ${String(def.linkId)} does not contain a type` }]);
  } else if (kind === 'display') {
    if (count(item.item) > 0) run.report('Questionnaire_QR_Item_Display', 'error', 'structure', path, `Items not of type DISPLAY should not have items - linkId ${String(def.linkId)}`);
  } else if (kind !== 'group') {
    if (count(item.item) > 0) run.report('Questionnaire_QR_Item_GroupAnswer', 'error', 'structure', path, 'Items not of type group should not have items outside answers (use answer.item not .item)');
  } else {
    if (def.required === true && count(item.item) === 0) run.report('QUESTIONNAIRE_QR_ITEM_GROUP_REQUIRED', 'error', 'invariant', path, 'No sub-items found for required group');
    checkItems(run, objects(def.item), item, path, stack);
  }
}

/**
 * questionnaire-minOccurs / maxOccurs on the number of answers. The reference tests `answers < max` and
 * `answers > min`, which rejects exactly max (or min) answers; the extensions define max and min as allowed
 * counts, so they are inclusive here (docs/validation.md, "Where the suite and the rule disagree").
 */
function checkOccurrences(run: ResponseRun, def: Json, answers: number, path: string): void {
  const max = integerExtension(def, MAX_OCCURS);
  if (max !== undefined && max >= 0 && answers > max) run.report('QUESTIONNAIRE_QR_ITEM_MAX_OCCURS', 'error', 'invalid', path, `The maximum number of answers is ${max} but this has ${answers} answers`);
  const min = integerExtension(def, MIN_OCCURS);
  if (min !== undefined && min >= 0 && answers < min) run.report('QUESTIONNAIRE_QR_ITEM_MIN_OCCURS', 'error', 'invalid', path, `The minimum number of answers is ${min} but this has ${answers} answers`);
}
