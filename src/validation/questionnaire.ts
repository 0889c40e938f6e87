/**
 * Rules the reference validator applies to Questionnaire and QuestionnaireResponse beyond their
 * StructureDefinitions: enableWhen must not point into the item's own children, response items
 * must exist in the questionnaire they answer, and a disabled item must not carry an answer.
 */

type Item = { linkId?: unknown; item?: unknown; answer?: unknown; enableWhen?: unknown; enableBehavior?: unknown; extension?: unknown };
import type { Report } from '../plugin-types/index.js';

function items(v: unknown): Item[] {
  return Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Item[]) : [];
}

function descendantLinkIds(item: Item, out = new Set<string>()): Set<string> {
  for (const child of items(item.item)) {
    if (typeof child.linkId === 'string') out.add(child.linkId);
    descendantLinkIds(child, out);
  }
  return out;
}

/** enableWhen.question naming a descendant of the same item can never be answered before it. */
export function checkQuestionnaire(q: Record<string, unknown>, path: string, report: Report): void {
  const walk = (list: Item[], base: string): void => {
    list.forEach((item, i) => {
      const p = `${base}.item[${i}]`;
      const inner = descendantLinkIds(item);
      const conditions = Array.isArray(item.enableWhen) ? (item.enableWhen as { question?: unknown }[]) : [];
      if (conditions.some((c) => typeof c?.question === 'string' && inner.has(c.question))) {
        report('Questionnaire_Q_EnableWhen_IsInner', 'error', 'business-rule', p, 'Questions with an enableWhen cannot refer to an inner question for its enableWhen condition');
      }
      walk(items(item.item), p);
    });
  };
  walk(items(q.item), path);
}

/**
 * Evaluates an enable-when FHIRPath expression against the response: true when enabled, false when
 * not, undefined when it cannot be evaluated (then the item is given the benefit of the doubt).
 */
export type EnableWhenExpression = (expression: string) => boolean | undefined;

/** Extensions that gate an item on a FHIRPath expression: the SDC one, its core R4 twin, and the Finnish PHR one the reference validator also honours. */
const ENABLE_WHEN_EXPRESSION_URLS = new Set([
  'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression',
  'http://hl7.org/fhir/StructureDefinition/questionnaire-enableWhenExpression',
  'http://phr.kanta.fi/StructureDefinition/fiphr-ext-questionnaire-enablewhen',
]);

function enableWhenExpressionOf(def: Item): string | undefined {
  const exts = Array.isArray(def.extension) ? (def.extension as { url?: unknown; valueString?: unknown; valueExpression?: { language?: unknown; expression?: unknown } }[]) : [];
  for (const e of exts) {
    if (typeof e?.url !== 'string' || !ENABLE_WHEN_EXPRESSION_URLS.has(e.url)) continue;
    if (typeof e.valueString === 'string') return e.valueString;
    const x = e.valueExpression;
    if (x && typeof x.expression === 'string' && (x.language === undefined || x.language === 'text/fhirpath')) return x.expression;
  }
  return undefined;
}

type Answer = Record<string, unknown>;
type Condition = { question?: unknown; operator?: unknown } & Record<string, unknown>;

/** Every answer given anywhere in the response to the question with this linkId. */
function answersTo(linkId: string, list: Item[], out: Answer[] = []): Answer[] {
  for (const item of list) {
    const answers = items(item.answer) as Answer[];
    if (item.linkId === linkId) out.push(...answers);
    answersTo(linkId, items(item.item), out);
    for (const a of answers) answersTo(linkId, items(a.item), out);
  }
  return out;
}

/** The `answer[x]`/`value[x]` of an enableWhen or a response answer, as [type suffix, value]. */
function choiceValue(o: Record<string, unknown>, prefix: 'answer' | 'value'): [string, unknown] | undefined {
  for (const [k, v] of Object.entries(o)) if (k.startsWith(prefix) && k.length > prefix.length && /^[A-Z]/.test(k.charAt(prefix.length))) return [k.slice(prefix.length), v];
  return undefined;
}

function compare(a: unknown, b: unknown, type: string): number | undefined {
  if (type === 'Coding') {
    const x = a as { system?: unknown; code?: unknown };
    const y = b as { system?: unknown; code?: unknown };
    return x?.code === y?.code && (x?.system === undefined || y?.system === undefined || x.system === y.system) ? 0 : undefined;
  }
  if (type === 'Quantity') {
    const x = a as { value?: unknown; code?: unknown; unit?: unknown };
    const y = b as { value?: unknown; code?: unknown; unit?: unknown };
    if ((x?.code ?? x?.unit) !== (y?.code ?? y?.unit) || typeof x?.value !== 'number' || typeof y?.value !== 'number') return undefined;
    return x.value - y.value;
  }
  if (type === 'Reference') return (a as { reference?: unknown })?.reference === (b as { reference?: unknown })?.reference ? 0 : undefined;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a === b ? 0 : a < b ? -1 : 1;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : undefined;
  return undefined;
}

function conditionHolds(c: Condition, answers: Answer[]): boolean {
  const expected = choiceValue(c, 'answer');
  if (c.operator === 'exists') return (answers.length > 0) === (expected?.[1] === true);
  if (!expected) return false;
  const [type, want] = expected;
  const results = answers.map((a) => {
    const given = choiceValue(a, 'value');
    return given && given[0] === type ? compare(given[1], want, type) : undefined;
  });
  switch (c.operator) {
    case '=': return results.some((r) => r === 0);
    case '!=': return answers.length > 0 && results.every((r) => r !== 0);
    case '>': return results.some((r) => r !== undefined && r > 0);
    case '<': return results.some((r) => r !== undefined && r < 0);
    case '>=': return results.some((r) => r !== undefined && r >= 0);
    case '<=': return results.some((r) => r !== undefined && r <= 0);
    default: return true;
  }
}

/** False when the questionnaire item's enableWhen conditions or enable-when expression say it is disabled. */
function isEnabled(def: Item, response: Item[], expression: EnableWhenExpression | undefined): boolean {
  const text = enableWhenExpressionOf(def);
  if (text !== undefined && expression) return expression(text) !== false;
  const conditions = Array.isArray(def.enableWhen) ? (def.enableWhen as Condition[]).filter((c) => c && typeof c === 'object' && typeof c.question === 'string') : [];
  if (conditions.length === 0) return true;
  const holds = conditions.map((c) => conditionHolds(c, answersTo(c.question as string, response)));
  return def.enableBehavior === 'any' ? holds.some(Boolean) : holds.every(Boolean);
}

/**
 * Every response item's linkId must be defined at the matching place in the questionnaire, and an
 * item the questionnaire disables (enableWhen, enable-when expression) must not be answered.
 */
export function checkQuestionnaireResponse(qr: Record<string, unknown>, q: Record<string, unknown>, path: string, report: Report, expression?: EnableWhenExpression): void {
  const response = items(qr.item);
  const walk = (answers: Item[], defs: Item[], base: string): void => {
    answers.forEach((item, i) => {
      const p = `${base}.item[${i}]`;
      const def = defs.find((d) => d.linkId === item.linkId);
      if (!def) {
        report('Questionnaire_QR_Item_NotFound', 'error', 'structure', base, `LinkId '${String(item.linkId).slice(0, 60)}' not found in questionnaire`);
        return;
      }
      if (items(item.answer).length > 0 && !isEnabled(def, response, expression)) {
        report('Questionnaire_QR_Item_NotEnabled2', 'error', 'structure', p, `Item has answer, even though it is not enabled (item id = '${String(item.linkId).slice(0, 60)}')`);
      }
      walk(items(item.item), items(def.item), p);
      items(item.answer).forEach((a, j) => walk(items(a.item), items(def.item), `${p}.answer[${j}]`));
    });
  };
  walk(response, items(q.item), path);
}
