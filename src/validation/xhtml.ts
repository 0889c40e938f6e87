/**
 * Helpers for narrative XHTML (Narrative.div) that work on the text: content (txt-2), entities, language
 * sections, language and source control. The content model is checked on the tree (xhtml-tree.ts).
 */
import { type Finding, INV_TXT_2 } from '../plugin-types/index.js';

/** txt-2 as the narrative's own check reports it: no text other than whitespace, and no image. */
export function lacksContent(div: string): Finding | undefined {
  if (!/>\s*[^<\s]/.test(div) && !/<img\b/i.test(div)) return { rule: INV_TXT_2, message: 'Constraint failed: txt-2: The narrative SHALL have some non-whitespace content' };
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

/** Languages of the `lang`-tagged sections inside the narrative div, in document order. */
export function languageSections(div: string): string[] {
  const out: string[] = [];
  const inner = div.replace(/^\s*<div\b[^>]*>/, '');
  for (const m of inner.matchAll(/<div\b[^>]*?\s(?:xml:)?lang\s*=\s*["']([^"']+)["']/g)) out.push(m[1]!);
  return out;
}

/**
 * When a narrative is split into language sections (`<div lang>` children of the outer div), text or
 * elements beside those sections belong to no language. Returns the section languages when that
 * happens, else undefined.
 */
export function contentOutsideLanguageSections(div: string): string[] | undefined {
  if (!div.includes('lang')) return undefined;
  const inner = div.replace(/^\s*<div\b[^>]*>/, '').replace(/<\/div>\s*$/, '');
  const sections: string[] = [];
  let outside = false;
  let depth = 0;
  let last = 0;
  for (const m of inner.matchAll(/<!--[\s\S]*?-->|<(\/?)([a-zA-Z][\w:-]*)([^>]*?)(\/?)>/g)) {
    if (depth === 0 && inner.slice(last, m.index).replace(/&nbsp;|&#160;/g, ' ').trim() !== '') outside = true;
    last = m.index + m[0].length;
    if (m[0].startsWith('<!--')) continue;
    const [, closing, , attrs, selfClosing] = m;
    if (closing) {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (depth === 0) {
      const lang = /\s(?:xml:)?lang\s*=\s*["']([^"']+)["']/.exec(attrs ?? '');
      if (lang && m[2] === 'div') sections.push(lang[1]!);
      else outside = true;
    }
    if (!selfClosing) depth++;
  }
  if (inner.slice(last).trim() !== '') outside = true;
  return sections.length > 0 && outside ? [...new Set(sections)].sort() : undefined;
}

/** Checks narrative-language-control: `_yes` sections required, `_no` prohibited, codes each required. */
export function checkLanguageControl(div: string, control: string[], resourceLanguage: unknown): Finding | undefined {
  const langs = languageSections(div);
  if (control.includes('_no')) {
    return langs.length ? { rule: 'XHTML_CONTROL_NO_LANGS', message: `The xhtml has some language sections (${[...new Set(langs)].sort().join(', ')}), but language sections are prohibited in this context by the profile` } : undefined;
  }
  if (control.includes('_yes') && langs.length === 0) return { rule: 'XHTML_CONTROL_LANGS_REQUIRED', message: 'The xhtml has no language sections, but language sections are required in this context by the profile' };
  const required = control.filter((c) => !c.startsWith('_'));
  if (control.includes('_resource') && typeof resourceLanguage === 'string') required.push(resourceLanguage);
  const missing = required.filter((c) => !langs.includes(c));
  return missing.length ? { rule: 'XHTML_CONTROL_LANGS_REQUIRED_LANG', message: `The xhtml is missing language sections for ${missing.join(', ')}, required in this context by the profile` } : undefined;
}

const SOURCE_CLASSES = new Set(['boilerplate', 'generated', 'original']);

/**
 * narrative-source-control: each piece of text must sit inside an element whose class says where it
 * came from (boilerplate, generated or original). Returns the texts that do not.
 */
export function unsourcedText(div: string): string[] {
  const out: string[] = [];
  const stack: boolean[] = [];
  const re = /<(\/?)([A-Za-z][\w:-]*)([^>]*?)(\/?)>|([^<]+)/g;
  for (const m of div.matchAll(re)) {
    if (m[5] !== undefined) {
      const text = m[5].trim();
      // The root div does not count as a container.
      if (text && !stack.slice(1).some(Boolean)) out.push(text);
      continue;
    }
    if (m[1]) stack.pop();
    else if (!m[4]) {
      const cls = /\bclass\s*=\s*["']([^"']*)["']/.exec(m[3] ?? '')?.[1] ?? '';
      stack.push(cls.split(/\s+/).some((c) => SOURCE_CLASSES.has(c)));
    }
  }
  return out;
}
