/**
 * Coding.display judged against the concept's display and designations (and any display the value set gives the
 * code), in the display languages when given, as the reference's ValueSetValidator.validateCode does.
 */
import type { ValidationIssue } from '../plugin-types/index.js';
import type { IndexedConcept, LanguageText } from './code-system-index.js';

/** The coding whose display is judged, and where it is. */
export interface DisplayedCoding {
  system?: string;
  code?: string;
  display?: string;
  path: string;
}

function issue(rule: string, severity: ValidationIssue['severity'], code: string, message: string, expression: string): ValidationIssue {
  return { rule, severity, code, message, expression };
}

/**
 * Judges Coding.display against the concept's display and designations (and any display the value set
 * gives the code). With display languages, only texts in those languages are valid choices; a display
 * that is valid only in another language is a warning, one that matches nothing is an error when a complete
 * local code system defines the code (it knows every designation), else a warning.
 */
export function displayIssues(
  item: DisplayedCoding,
  concept: IndexedConcept | undefined,
  valueSetDisplays: string[] | undefined,
  languages: string[] | undefined,
  authoritative: boolean,
): ValidationIssue[] {
  if (item.display === undefined) return [];
  const own = concept?.designations ?? [];
  const ownTexts = new Set(own.map((d) => normaliseDisplay(d.value)));
  // Texts a value set adds of its own (concept lists, expansions) hold whatever the language.
  const added = (valueSetDisplays ?? []).filter((d) => !ownTexts.has(normaliseDisplay(d))).map((value): LanguageText => ({ value }));
  const all = uniqueTexts([...own, ...added]);
  if (all.length === 0) return [];
  const given = normaliseDisplay(item.display);
  const matches = (d: LanguageText): boolean => normaliseDisplay(d.value) === given;
  // As the reference does, a display matches ignoring case only; one that differs in whitespace alone is wrong too.
  const exact = item.display.toLowerCase();
  const wanted = languages && languages.length > 0 ? languages : undefined;
  const choices = wanted ? all.filter((d) => inLanguages(d.language, wanted)) : all;
  const where = `${item.path}.display`;
  const hit = choices.find((d) => d.value.toLowerCase() === exact);
  if (hit) return hit.status && concept ? [inactiveDisplay(item, concept, hit.status, where)] : [];
  const coded = `${item.system ?? ''}#${item.code ?? ''}`;
  const forLanguages = wanted ? ` (for the language(s) '${wanted.join(', ')}')` : '';
  const wrong = authoritative ? 'error' : 'warning';
  if (choices.length === 0) {
    if (all.some(matches)) return [issue('NO_VALID_DISPLAY_FOUND_NONE_FOR_LANG_OK', 'information', 'invalid', `There are no displays for ${coded} in the language(s) '${wanted?.join(', ') ?? ''}'; the display '${item.display}' is valid in the code system's own language`, where)];
    return [issue('NO_VALID_DISPLAY_FOUND_NONE_FOR_LANG_ERR', wrong, 'invalid', `Wrong display '${item.display}' for ${coded}: ${validDisplays(all)}${forLanguages}`, where)];
  }
  if (choices.some(matches)) {
    return [issue('Display_Name_WS_for__should_be_one_of__instead_of', wrong, 'invalid', `Wrong whitespace in display '${item.display}' for ${coded}: ${validDisplays(choices)}${forLanguages}`, where)];
  }
  if (all.some(matches)) {
    return [issue('NO_VALID_DISPLAY_FOUND', 'warning', 'invalid', `The display '${item.display}' for ${coded} is valid only in another language: ${validDisplays(choices)}${forLanguages}`, where)];
  }
  return [issue('Display_Name_for__should_be_one_of__instead_of', wrong, 'invalid', `Wrong display '${item.display}' for ${coded}: ${validDisplays(choices)}${forLanguages}`, where)];
}

/**
 * A display that matches a designation marked with a standards status (the reference's ValueSetValidator: the text is
 * no longer a correct display): a warning, the coding still valid. The reference names the concept's display as the
 * correct one.
 */
function inactiveDisplay(item: DisplayedCoding, concept: IndexedConcept, status: string, where: string): ValidationIssue {
  const correct = concept.display === undefined ? '' : ` The correct display is '${concept.display}'`;
  return issue('INACTIVE_DISPLAY_FOUND', 'warning', 'invalid', `'${item.display ?? ''}' is no longer considered a correct display for code '${item.code ?? ''}' (status = ${status}).${correct}`, where);
}

function validDisplays(texts: LanguageText[]): string {
  const shown = texts.map((d) => `'${d.value}'${d.language ? ` (${d.language})` : ''}`);
  if (shown.length === 1) return `the valid display is ${shown[0] ?? ''}`;
  return `the valid display is one of ${shown.length} choices: ${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1] ?? ''}`;
}

function uniqueTexts(texts: LanguageText[]): LanguageText[] {
  const seen = new Set<string>();
  return texts.filter((d) => {
    const key = `${d.language ?? ''}|${d.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A text without a language tag, or with the primary language of a requested one (`de-CH` for `de`). */
function inLanguages(language: string | undefined, wanted: string[]): boolean {
  if (!language) return true;
  const primary = primaryLanguage(language);
  return wanted.some((w) => primaryLanguage(w) === primary);
}

function primaryLanguage(tag: string): string {
  return (tag.split('-')[0] ?? tag).trim().toLowerCase();
}

/** A display compared ignoring case and runs of whitespace. */
export function normaliseDisplay(d: string): string {
  return d.trim().replace(/\s+/g, ' ').toLowerCase();
}
