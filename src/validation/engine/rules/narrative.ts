/**
 * Narrative rules: the XHTML of Narrative.div, the narrative-language-control and
 * narrative-source-control a profile may set, language sections against the resource's language, and
 * '#id' links inside the narrative (they count as references to contained resources, for dom-3).
 */
import { clip } from '../../primitives.js';
import { checkLanguageControl, checkXhtml, contentOutsideLanguageSections, illegalEntities, languageSections, unsourcedText } from '../../xhtml.js';
import type { ElementNode } from '../../model.js';
import type { RuleContext } from '../context.js';

export function checkNarrative(obj: Record<string, unknown>, path: string, def: ElementNode, ctx: RuleContext): void {
  if (typeof obj.div !== 'string') return;
  const div = obj.div;
  const problem = checkXhtml(div);
  if (problem) ctx.report(problem.rule, 'error', 'invalid', `${path}.div`, problem.message);
  for (const entity of illegalEntities(div)) ctx.report('XHTML_XHTML_Entity_Illegal', 'error', 'invalid', `${path}.div`, `Invalid entity in the XHTML ('${clip(entity)}')`);
  const resource = ctx.scope?.resource;
  if (def.languageControl) {
    const lang = checkLanguageControl(div, def.languageControl, resource?.language);
    if (lang) ctx.report(lang.rule, 'error', 'business-rule', path, lang.message);
  }
  if (def.sourceControl) {
    for (const text of unsourcedText(div)) {
      ctx.report('XHTML_CONTROL_NO_SOURCE', 'error', 'business-rule', path, `The xhtml node at '${clip(text)}' does not have a class attribute to indicate its source (boilerplate, generated, or original) and this is required by the profile`);
    }
  }
  const mixed = contentOutsideLanguageSections(div);
  if (mixed) ctx.report('XHTML_XHTML_MIXED_LANG', 'warning', 'business-rule', `${path}.div`, `The xhtml has some language sections (${mixed.join(', ')}), and also has content that is not in a language section`);
  const first = resource && typeof resource.language === 'string' ? languageSections(`<div>${div}`)[0] : undefined;
  if (resource && typeof resource.language === 'string' && first && first !== resource.language) {
    const rpath = path.slice(0, path.lastIndexOf('.'));
    ctx.report('Language_XHTML_Lang_Different1', 'warning', 'business-rule', rpath, `Resource has a language (${clip(resource.language)}), and the XHTML has a lang (${clip(first)}), but they differ`);
  }
  // Narrative links to '#id' count as references to contained resources (dom-3).
  if (ctx.hasContained()) for (const m of div.matchAll(/(?:href|src)\s*=\s*["']#([^"']+)["']/g)) ctx.addLocalRef(m[1]!);
}
