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
export function illegalEntities(div: string): readonly string[] {
  let amp = div.indexOf('&');
  if (amp < 0) return NONE;
  let out: string[] | undefined;
  // `&name;` (a letter, then letters and digits) from each '&' on, as /&([A-Za-z][A-Za-z0-9]*);/g finds them: a
  // scan from one '&' to the next, with no match object per reference (most are &amp; and &lt;).
  while (amp >= 0) {
    let end = amp + 1;
    if (isLetter(div.charCodeAt(end))) {
      end++;
      while (isLetterOrDigit(div.charCodeAt(end))) end++;
      if (div.charCodeAt(end) === 0x3b /* ; */) {
        if (!isXmlEntity(div, amp + 1, end)) (out ??= []).push(div.slice(amp, end + 1));
        amp = div.indexOf('&', end + 1);
        continue;
      }
    }
    amp = div.indexOf('&', amp + 1);
  }
  return out ?? NONE;
}

const NONE: readonly string[] = [];

/** Whether `div[start, end)` is one of XML_ENTITIES, compared in place. */
function isXmlEntity(div: string, start: number, end: number): boolean {
  const length = end - start;
  if (length < 2 || length > 4) return false;
  for (const name of XML_ENTITIES) if (name.length === length && div.startsWith(name, start)) return true;
  return false;
}

function isLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

function isLetterOrDigit(c: number): boolean {
  return isLetter(c) || (c >= 0x30 && c <= 0x39);
}
