/**
 * Helpers for narrative XHTML (Narrative.div) that work on the text: content (txt-2) and entities. The
 * content model, links, languages and source control are checked on the tree (xhtml-tree.ts).
 */
import { type Finding, INV_TXT_2 } from '../plugin-types/index.js';

export const TXT_2_MESSAGE = 'Constraint failed: txt-2: The narrative SHALL have some non-whitespace content';

/** txt-2 as the narrative's own check reports it: no text other than whitespace, and no image. */
export function lacksContent(div: string): Finding | undefined {
  if (!/>\s*[^<\s]/.test(div) && !/<img\b/i.test(div)) return { rule: INV_TXT_2, message: TXT_2_MESSAGE };
  return undefined;
}

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/**
 * Named entities other than XML's five predefined ones (`&reg;`, `&nbsp;`): XHTML in FHIR is XML without
 * a DTD, so HTML's entities are not defined there, and the reference validator reports each one it meets
 * in a narrative (it still reads the text as HTML would). Character references (`&#174;`) are fine.
 */
export function illegalEntities(div: string): string[] {
  if (!div.includes('&')) return [];
  const out: string[] = [];
  for (const m of div.matchAll(/&([A-Za-z][A-Za-z0-9]*);/g)) if (!XML_ENTITIES.has(m[1]!)) out.push(m[0]);
  return out;
}
