/**
 * What a profile may demand of a narrative (InstanceValidator.checkNarrative): narrative-source-control (each
 * piece of content directly in the div says where it came from with a class of generated, boilerplate or
 * original) and narrative-language-control (language sections, `<div xml:lang>` children of the div: `_no`
 * forbids them, `_yes` requires some, `_resource` one for the resource's language, a code one for that language).
 */
import { clip } from '../../primitives.js';
import { allText, hasContent, type XElement } from '../../xhtml-tree.js';
import type { RuleContext } from '../context.js';

const SOURCE_CLASSES = ['generated', 'boilerplate', 'original'];

export function checkSourceControl(div: XElement, level: string, path: string, ctx: RuleContext): void {
  for (const x of div.children) {
    if (!hasContent(x)) continue;
    const cls = x.kind === 'element' ? x.attrs['class'] : undefined;
    if (cls !== undefined && cls.split(/\s+/).some((c) => SOURCE_CLASSES.includes(c))) continue;
    const message = `The xhtml node at '${clip(allText(x).slice(0, 30))}' does not have a class attribute to indicate its source (boilerplate, generated, or original) and this is required by the profile`;
    // The reference's switch has no breaks: a hint level also gives the warning and the error, a warning level the error.
    if (level === 'hint' || level === 'information') ctx.report('XHTML_CONTROL_NO_SOURCE', 'information', 'business-rule', path, message);
    if (level === 'hint' || level === 'information' || level === 'warning') ctx.report('XHTML_CONTROL_NO_SOURCE', 'warning', 'business-rule', path, message);
    if (level === 'hint' || level === 'information' || level === 'warning' || level === 'error') ctx.report('XHTML_CONTROL_NO_SOURCE', 'error', 'business-rule', path, message);
  }
}

export function checkLanguageControl(div: XElement, codes: readonly string[], resourceLanguage: unknown, path: string, ctx: RuleContext): void {
  const langs = new Set<string>();
  for (const node of div.children) if (node.kind === 'element' && node.name === 'div' && node.attrs['xml:lang'] !== undefined) langs.add(node.attrs['xml:lang']);
  const found = [...langs].join(', ');
  const rl = typeof resourceLanguage === 'string' ? resourceLanguage : undefined;
  const report = (rule: string, severity: 'error' | 'warning', message: string) => ctx.report(rule, severity, 'business-rule', path, message);
  for (const code of codes) {
    if (code === '_no') {
      if (langs.size > 0) report('XHTML_CONTROL_NO_LANGS', 'error', `The xhtml has some language sections (${found}), but language sections are prohibited in this context by the profile`);
    } else if (code === '_yes') {
      if (langs.size === 0) report('XHTML_CONTROL_LANGS_REQUIRED', 'error', 'The xhtml has no language sections, but language sections are required in this context by the profile');
    } else if (code === '_resource') {
      if (langs.size === 0) {
        if (rl === undefined) report('XHTML_CONTROL_LANGS_NONE_NO_DEFAULT', 'warning', 'The profile requires a section in the narrative for the resource language, but there is no sections and no resource language');
        else report('XHTML_CONTROL_LANGS_NONE', 'warning', `The profile requires a section in the narrative for the resource language ${clip(rl)}, but there is no sections`);
      } else if (rl === undefined) {
        report('XHTML_CONTROL_LANGS_NO_DEFAULT', 'warning', 'The profile requires a section in the narrative for the resource language, but there is no language');
      } else if (!langs.has(rl)) {
        report('XHTML_CONTROL_LANGS_REQUIRED_DEF', 'error', `The profile requires a section in the narrative for the resource language (${clip(rl)}), but it was not found (found ${found})`);
      }
    } else if (langs.size === 0) {
      report('XHTML_CONTROL_LANGS_NONE2', 'warning', `The profile requires a section in the narrative for the language ${clip(code)}, but there is no sections`);
    } else if (!langs.has(code)) {
      report('XHTML_CONTROL_LANGS_REQUIRED_LANG', 'error', `The profile requires a section in the narrative for the language '${clip(code)}', but it was not found (found ${found})`);
    }
  }
}
