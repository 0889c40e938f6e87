/**
 * Rules the reference validator applies to Questionnaire and QuestionnaireResponse beyond their
 * StructureDefinitions: enableWhen must not point into the item's own children, and response items
 * must exist in the questionnaire they answer.
 */

type Item = { linkId?: unknown; item?: unknown; answer?: unknown; enableWhen?: unknown };
type Report = (path: string, message: string) => void;

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
        report(p, 'Questions with an enableWhen cannot refer to an inner question for its enableWhen condition');
      }
      walk(items(item.item), p);
    });
  };
  walk(items(q.item), path);
}

/** Every response item's linkId must be defined at the matching place in the questionnaire. */
export function checkQuestionnaireResponse(qr: Record<string, unknown>, q: Record<string, unknown>, path: string, report: Report): void {
  const walk = (answers: Item[], defs: Item[], base: string): void => {
    answers.forEach((item, i) => {
      const p = `${base}.item[${i}]`;
      const def = defs.find((d) => d.linkId === item.linkId);
      if (!def) {
        report(base, `LinkId '${String(item.linkId).slice(0, 60)}' not found in questionnaire`);
        return;
      }
      walk(items(item.item), items(def.item), p);
      items(item.answer).forEach((a, j) => walk(items(a.item), items(def.item), `${p}.answer[${j}]`));
    });
  };
  walk(items(qr.item), items(q.item), path);
}
