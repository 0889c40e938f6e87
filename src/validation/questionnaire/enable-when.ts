/**
 * Whether a questionnaire item is enabled for a response, as the reference validator's EnableWhenEvaluator
 * decides it: an enable-when expression extension when there is one, else the item's enableWhen conditions,
 * each judged on the answers to its question found under the nearest group that holds both questions.
 */
import { choiceOf, findItem, objects, type Json } from './model.js';

/**
 * Evaluates an enable-when FHIRPath expression against the response: true when enabled, false when
 * not, undefined when it cannot be evaluated (then the item is given the benefit of the doubt).
 */
export type EnableWhenExpression = (expression: string) => boolean | undefined;

/** A questionnaire item and the response item answering it, outermost first. */
export interface Frame {
  q: Json;
  a: Json;
}

const FINNISH_EXPRESSION = 'http://phr.kanta.fi/StructureDefinition/fiphr-ext-questionnaire-enablewhen';
const SDC_EXPRESSION = 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression';

/** The expression of an enable-when extension; null when the item has one the reference cannot read (it then gives up). */
function expressionOf(def: Json): string | null | undefined {
  for (const e of objects(def.extension)) {
    if (e.url === FINNISH_EXPRESSION) return typeof e.valueString === 'string' ? e.valueString : null;
    if (e.url === SDC_EXPRESSION) {
      const x = e.valueExpression as { language?: unknown; expression?: unknown } | undefined;
      return x && x.language === 'text/fhirpath' && typeof x.expression === 'string' ? x.expression : null;
    }
  }
  return undefined;
}

export function isEnabled(q: Json, root: Json, def: Json, stack: readonly Frame[], evaluate: EnableWhenExpression | undefined): boolean {
  const expression = expressionOf(def);
  if (expression !== undefined) return expression === null || !evaluate || evaluate(expression) !== false;
  const conditions = objects(def.enableWhen);
  if (conditions.length === 0) return true;
  const results = conditions.map((c) => conditionHolds(c, answersFor(q, root, def, c, stack)));
  // One condition, or enableBehavior any: any holds; all: every one; several without a behaviour: enabled.
  if (def.enableBehavior === 'any' || results.length === 1) return results.some(Boolean);
  if (def.enableBehavior === 'all') return results.every(Boolean);
  return true;
}

function conditionHolds(c: Json, answers: Json[]): boolean {
  const expected = choiceOf(c, 'answer');
  if (c.operator === 'exists') {
    // The reference requires answerBoolean here (anything else stops it); such an item is left enabled.
    if (expected?.type !== 'boolean') return true;
    return (expected.value === true) === answers.length > 0;
  }
  if (!expected) return false;
  return answers.some((a) => {
    const given = choiceOf(a, 'value');
    return !!given && given.type === expected.type && compareHolds(given.value, expected.value, expected.type, c.operator);
  });
}

function compareHolds(actual: unknown, expected: unknown, type: string, operator: unknown): boolean {
  if (type === 'Coding') {
    const a = (actual ?? {}) as Json;
    const e = (expected ?? {}) as Json;
    const same = (e.system === undefined || e.system === a.system) && (e.code === undefined ? a.code === undefined : e.code === a.code);
    return operator === '=' ? same : operator === '!=' ? !same : false;
  }
  let order: number | undefined;
  if (type === 'Quantity') order = compareValues((actual as Json | undefined)?.value, (expected as Json | undefined)?.value);
  else if (type === 'date' || type === 'dateTime') order = compareValues(instant(actual), instant(expected));
  else if (type === 'Reference' || type === 'Attachment') return false; // the reference cannot compare these
  else order = compareValues(actual, expected);
  if (order === undefined) return false;
  switch (operator) {
    case '=': return order === 0;
    case '!=': return order !== 0;
    case '>': return order > 0;
    case '<': return order < 0;
    case '>=': return order >= 0;
    case '<=': return order <= 0;
    default: return false;
  }
}

function compareValues(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a < b ? -1 : 1;
  if (typeof a === 'string' && typeof b === 'string') return a === b ? 0 : a < b ? -1 : 1;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  return undefined;
}

/** The earliest instant a date or dateTime stands for (UTC when it has no zone), in ms. */
export function instant(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/.exec(v);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  let t = Date.UTC(Number(y), Number(mo ?? 1) - 1, Number(d ?? 1), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), frac ? Math.floor(Number(frac) * 1000) : 0);
  if (zone && zone !== 'Z') t -= (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  return Number.isNaN(t) ? undefined : t;
}

/** The deepest item that holds both (an item holds itself), or undefined when only the questionnaire does. */
function commonGroup(items: Json[], a: Json, b: Json): Json | undefined {
  for (const item of items) {
    const inner = commonGroup(objects(item.item), a, b);
    if (inner) return inner;
    if (holds(item, a) && holds(item, b)) return item;
  }
  return undefined;
}

function holds(item: Json, x: Json): boolean {
  return item === x || objects(item.item).some((i) => holds(i, x));
}

/** The answer values to the condition's question, found under the response item of the common group (or the whole response). */
function answersFor(q: Json, root: Json, source: Json, c: Json, stack: readonly Frame[]): Json[] {
  const question = c.question;
  if (typeof question !== 'string') return [];
  const target = findItem(q.item, question);
  if (!target) return [];
  const group = commonGroup(objects(q.item), source, target);
  if (!group) return answersIn(root, question);
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!.q === group) return answersIn(stack[i]!.a, question);
  return [];
}

function answersIn(focus: Json, question: string, out: Json[] = []): Json[] {
  for (const item of objects(focus.item)) {
    if (item.linkId === question) out.push(...objects(item.answer));
    answersIn(item, question, out);
  }
  for (const answer of objects(focus.answer)) answersIn(answer, question, out);
  if (focus.linkId === question) out.push(...objects(focus.answer));
  return out;
}
