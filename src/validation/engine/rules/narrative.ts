/**
 * Narrative rules: the XHTML of Narrative.div (read once into a light tree, then the reference's
 * XhtmlValidator content checks and its hyperlink checks), the narrative-language-control and
 * narrative-source-control a profile may set, the resource's language against the narrative's lang and
 * xml:lang, and '#id' links inside the narrative (they count as references to contained resources, for dom-3).
 */
import { INV_TXT_2 } from '../../../plugin-types/index.js';
import { clip, readPrimitiveText } from '../../primitives.js';
import { illegalEntities, lacksContent, TXT_2_MESSAGE } from '../../xhtml.js';
import { readXhtml, hasContent, type XElement } from '../../xhtml-tree.js';
import { checkLanguageControl, checkSourceControl } from './narrative-control.js';
import type { ElementNode } from '../../model.js';
import type { RuleContext } from '../context.js';
import { XHTML_NS } from './xhtml-content.js';
import { CHECK } from './xhtml-findings.js';
import { walkNarrative } from './xhtml-walk.js';
import { INV_TXT_1, TXT_1_MESSAGE } from './narrative-txt1.js';
import { isCleanNarrative } from './narrative-clean.js';

export function checkNarrative(obj: Record<string, unknown>, path: string, def: ElementNode, ctx: RuleContext): void {
  // As the JSON reader reads it: a div written as a number or boolean is that text (the wrong kind is its own finding).
  const div = readPrimitiveText(obj.div);
  if (div === undefined) return;
  const at = `${path}.div`;
  const resource = ctx.scope?.resource;
  const language = resource && resource.text === obj && typeof resource.language === 'string' && resource.language !== '' ? resource.language : undefined;
  const clean = def.sourceControl === undefined && !def.languageControl ? isCleanNarrative(div) : undefined;
  if (clean && (language === undefined || clean.lang !== undefined || clean.xmlLang !== undefined)) {
    // Nothing the tree's checks look at is wrong (narrative-clean.ts): the checks of the text alone remain.
    const { lang, xmlLang } = clean;
    checkText(div, at, ctx);
    const empty = lacksContent(div);
    if (empty) ctx.report(empty.rule, 'error', 'invalid', at, empty.message);
    if (language !== undefined) compareLanguages(language, lang, xmlLang, path.slice(0, path.lastIndexOf('.')), ctx);
    return;
  }
  const tree = readXhtml(div);
  if (!tree) {
    ctx.report('Error_parsing_XHTML_', 'error', 'invalid', at, 'Error parsing XHTML: the markup is not well formed');
    // The div the reader could not parse holds no XHTML, so both narrative invariants fail on it (htmlChecks() and
    // htmlChecks2() are false without XHTML).
    ctx.report(INV_TXT_1, 'error', 'invariant', at, TXT_1_MESSAGE);
    ctx.report(INV_TXT_2, 'error', 'invariant', at, TXT_2_MESSAGE);
  }
  checkText(div, at, ctx);
  // As the reference does, nothing inside is checked when the XHTML could not be read.
  if (!tree) return;
  const ns = tree.attrs['xmlns'];
  if (ns !== XHTML_NS) ctx.report('XHTML_XHTML_NS_InValid', 'error', 'invalid', at, `Wrong namespace on the XHTML ('${clip(String(ns))}', should be '${XHTML_NS}')`);
  if (tree.name !== 'div') ctx.report('XHTML_XHTML_Name_Invalid', 'error', 'invalid', at, `Wrong name on the XHTML ('${clip(tree.name)}') - must start with div`);
  // One walk over the tree for the content checks, txt-1 and the links; their issues in the reference's order.
  const { found, txt1 } = walkNarrative(div, tree, at, ctx);
  found.report(CHECK.ns, CHECK.ids, at, ctx);
  if (!txt1) ctx.report(INV_TXT_1, 'error', 'invariant', at, TXT_1_MESSAGE);
  if (ns === XHTML_NS && tree.name === 'div') {
    const empty = lacksContent(div);
    if (empty) ctx.report(empty.rule, 'error', 'invalid', at, empty.message);
  }
  found.report(CHECK.links, CHECK.images, at, ctx);
  if (def.sourceControl !== undefined) checkSourceControl(tree, def.sourceControl, path, ctx);
  if (def.languageControl) checkLanguageControl(tree, def.languageControl, resource?.language, path, ctx);
  if (language !== undefined) checkResourceLanguage(language, tree, path.slice(0, path.lastIndexOf('.')), ctx);
}

/** What is checked on the div's text whatever its tree: entities XML does not define, and '#id' links. */
function checkText(div: string, at: string, ctx: RuleContext): void {
  for (const entity of illegalEntities(div)) ctx.report('XHTML_XHTML_Entity_Illegal', 'error', 'invalid', at, `Invalid entity in the XHTML ('${clip(entity)}')`);
  // Narrative links to '#id' count as references to contained resources (dom-3). Every such link has a quote
  // before its '#': without one the scan of the whole div is skipped.
  if (ctx.hasContained() && (div.includes('"#') || div.includes("'#"))) {
    for (const m of div.matchAll(/(?:href|src)\s*=\s*["']#([^"']+)["']/g)) ctx.addLocalRef(m[1]!);
  }
}

/**
 * The resource's language against the narrative's `lang` and `xml:lang` (both are needed, see
 * https://www.w3.org/TR/i18n-html-tech-lang/#langvalues); when the div has neither and holds only language
 * sections, the first section's. Warnings on the resource (InstanceValidator.validateResourceRules).
 */
function checkResourceLanguage(lang: string, div: XElement, rpath: string, ctx: RuleContext): void {
  let l = div.attrs['lang'];
  let xl = div.attrs['xml:lang'];
  if (l === undefined && xl === undefined && div.children.length > 0 && div.children.every((c) => isLangDiv(c) || !hasContent(c))) {
    const first = div.children.find(isLangDiv) as XElement | undefined;
    l = first?.attrs['lang'];
    xl = first?.attrs['xml:lang'];
  }
  compareLanguages(lang, l, xl, rpath, ctx);
}

/** The resource's language against the narrative's `lang` and `xml:lang` (`l`, `xl`). */
function compareLanguages(lang: string, l: string | undefined, xl: string | undefined, rpath: string, ctx: RuleContext): void {
  const warn = (rule: string, message: string) => ctx.report(rule, 'warning', 'business-rule', rpath, message);
  const NEEDS = '(needs both lang and xml:lang - see https://www.w3.org/TR/i18n-html-tech-lang/#langvalues)';
  if (l === undefined && xl === undefined) {
    warn('Language_XHTML_Lang_Missing1', 'Resource has a language, but the XHTML does not have an lang or an xml:lang tag (needs both - see https://www.w3.org/TR/i18n-html-tech-lang/#langvalues)');
    return;
  }
  if (l === undefined) warn('Language_XHTML_Lang_Missing2', `Resource has a language, but the XHTML does not have a lang tag ${NEEDS}`);
  else if (l !== lang) warn('Language_XHTML_Lang_Different1', `Resource has a language (${clip(lang)}), and the XHTML has a lang (${clip(l)}), but they differ`);
  if (xl === undefined) warn('Language_XHTML_Lang_Missing3', `Resource has a language, but the XHTML does not have an xml:lang tag ${NEEDS}`);
  else if (xl !== lang && xl !== l) warn('Language_XHTML_Lang_Different2', `Resource has a language (${clip(lang)}), and the XHTML has an xml:lang (${clip(xl)}), but they differ`);
}

function isLangDiv(node: XElement['children'][number]): boolean {
  return node.kind === 'element' && node.attrs['xml:lang'] !== undefined;
}
