/**
 * Questionnaires that derive from others (Questionnaire.derivedFrom with the questionnaire-derivationType
 * extension), as the reference validator checks them: `extends` and `compliesWith` derivations are checked
 * item by item (type, repeats, required, definition, maxLength, answer options); `inspiredBy` and unknown
 * types are noted and not checked. Warnings about the derivation itself are at `derivedFrom[i]`.
 */
import type { Report } from '../../plugin-types/index.js';
import { choiceOf, count, findItem, objects, primitiveText, type Json } from './model.js';

const DERIVATION_TYPE = 'http://hl7.org/fhir/StructureDefinition/questionnaire-derivationType';
const DERIVATION_SYSTEM = 'http://hl7.org/fhir/questionnaire-derivationType';

export interface Derivation {
  base: Json;
  url: string;
  /** extends: items may be added; compliesWith: every item must be in the base. */
  mode: 'extends' | 'compliesWith';
}

export function derivationsOf(q: Json, path: string, report: Report, lookup: (url: string) => Json | undefined): Derivation[] {
  const out: Derivation[] = [];
  const urls = Array.isArray(q.derivedFrom) ? (q.derivedFrom as unknown[]) : [];
  const elements = Array.isArray(q._derivedFrom) ? (q._derivedFrom as unknown[]) : [];
  urls.forEach((url, i) => {
    if (typeof url !== 'string') return;
    const at = `${path}.derivedFrom[${i}]`;
    const base = lookup(url);
    if (!base || base.resourceType !== 'Questionnaire') {
      report('QUESTIONNAIRE_Q_UNKNOWN_DERIVATION', 'warning', 'business-rule', at, `The questionnaire '${url}' referred to in the derivation could not be found`);
      return;
    }
    const element = elements[i] && typeof elements[i] === 'object' ? (elements[i] as Json) : {};
    const ext = objects(element.extension).find((e) => e.url === DERIVATION_TYPE);
    if (!ext) {
      report('QUESTIONNAIRE_Q_NO_DERIVATION_TYPE', 'warning', 'business-rule', at, `The questionnaire '${url}' has no derivation type specified using the '${DERIVATION_TYPE}' extension, so derivation has not been checked`);
      return;
    }
    // The reference's node stack names the extension without its index.
    const extAt = `${at}.extension[0]`;
    const value = choiceOf(ext, 'value');
    if (!value) {
      report('QUESTIONNAIRE_Q_NO_DERIVATION_TYPE_VALUE', 'warning', 'business-rule', extAt, 'The derivation extension has no value');
      return;
    }
    const coding = (value.value && typeof value.value === 'object' ? value.value : {}) as Json;
    const code = `${String(coding.system ?? null)}#${String(coding.code ?? null)}`;
    const valueAt = `${extAt}.value.ofType(${value.type})`;
    if (coding.system === DERIVATION_SYSTEM && (coding.code === 'extends' || coding.code === 'compliesWith')) out.push({ base, url, mode: coding.code });
    else if (coding.system === DERIVATION_SYSTEM && coding.code === 'inspiredBy') {
      report('QUESTIONNAIRE_Q_DERIVATION_TYPE_IGNORED', 'information', 'business-rule', valueAt, `The derivation type '${code}' means that no derivation checking has been performed against this questionnaire`);
    } else {
      report('QUESTIONNAIRE_Q_DERIVATION_TYPE_UNKNOWN', 'warning', 'business-rule', valueAt, `The derivation type '${code}' is unknown, which means that no derivation checking has been performed against this questionnaire`);
    }
  });
  return out;
}

/** One item of the derived questionnaire against the item with its linkId in the base. */
export function checkDerivedItem(d: Derivation, item: Json, at: string, report: Report): void {
  const linkId = typeof item.linkId === 'string' ? item.linkId : undefined;
  if (linkId === undefined) return;
  const base = findItem(d.base.item, linkId);
  const says = `The item with linkId '${linkId}' found in questionnaire '${d.url}'`;
  if (!base) {
    if (d.mode === 'compliesWith') report('QUESTIONNAIRE_Q_ITEM_NOT_DERIVED', 'error', 'not-found', at, `No item with linkId '${linkId}' found in questionnaire '${d.url}'`);
    return;
  }
  if (typeof base.type === 'string' && typeof item.type === 'string' && base.type !== item.type) {
    report('QUESTIONNAIRE_Q_ITEM_DERIVED_NC_TYPE', 'error', 'business-rule', `${at}.type`, `${says} has the type '${base.type}', and this cannot change to '${item.type}'`);
  }
  if (base.repeats !== true && item.repeats === true) {
    report('QUESTIONNAIRE_Q_ITEM_DERIVED_NC_REPEATS', 'error', 'business-rule', `${at}.repeats`, `${says} does not repeat, so it cannot repeat here`);
  }
  if (base.required === true && item.required !== undefined && item.required !== true) {
    report('QUESTIONNAIRE_Q_ITEM_DERIVED_NC_REQUIRED', 'error', 'business-rule', `${at}.required`, `${says} is required, so it must be required here`);
  }
  if (typeof base.definition === 'string') {
    if (item.definition === undefined) report('QUESTIONNAIRE_Q_ITEM_DERIVED_DEFINITION', 'information', 'business-rule', at, `${says} has the definition '${base.definition}', so this should be repeated here`);
    else if (item.definition !== base.definition) report('QUESTIONNAIRE_Q_ITEM_DERIVED_NC_DEFINITION', 'information', 'business-rule', `${at}.definition`, `${says} has the definition '${base.definition}'. Is it intended to change this?`);
  }
  if (typeof base.maxLength === 'number') {
    if (item.maxLength === undefined) report('QUESTIONNAIRE_Q_ITEM_DERIVED_MAXLENGTH', 'error', 'business-rule', at, `${says} has the maxLength '${base.maxLength}', so this item must also have a max length`);
    else if (typeof item.maxLength === 'number' && item.maxLength > base.maxLength) {
      report('QUESTIONNAIRE_Q_ITEM_DERIVED_NC_MAXLENGTH', 'error', 'business-rule', `${at}.maxLength`, `${says} has the maxLength of '${base.maxLength}', so the max length cannot be greater than that`);
    }
  }
  checkDerivedAnswers(base, item, at, says, report);
}

function checkDerivedAnswers(base: Json, item: Json, at: string, says: string, report: Report): void {
  const baseOptions = objects(base.answerOption);
  if (baseOptions.length > 0) {
    if (item.answerValueSet !== undefined) {
      report('QUESTIONNAIRE_Q_ITEM_DERIVED_NC_ANSWER_TYPE', 'error', 'business-rule', at, `${says} has answerOption, while this has answerValueSet. This might be valid, but the validator can't check that (yet?)`);
      return;
    }
    const options = Array.isArray(item.answerOption) ? (item.answerOption as unknown[]) : [];
    if (options.length === 0) {
      report('QUESTIONNAIRE_Q_ITEM_DERIVED_ANSWER_OPTIONS', 'error', 'business-rule', at, `${says} has answerOptions, so this item must have some too`);
      return;
    }
    const known = baseOptions.flatMap((o) => {
      const c = choiceOf(o, 'value');
      return c ? [c] : [];
    });
    options.forEach((o, i) => {
      const v = o && typeof o === 'object' ? choiceOf(o as Json, 'value') : undefined;
      if (!v) return;
      if (!known.some((k) => sameOption(k.type, k.value, v.type, v.value))) {
        report('QUESTIONNAIRE_Q_ITEM_DERIVED_ANSWER_OPTIONS_NEW', 'error', 'business-rule', `${at}.answerOption[${i}]`, `${says} does not have this answerOption, so it is not valid`);
      }
    });
  }
  if (typeof base.answerValueSet === 'string' && count(item.answerOption) > 0) {
    report('QUESTIONNAIRE_Q_ITEM_DERIVED_NC_ANSWER_TYPE', 'error', 'business-rule', at, `${says} has answerValueSet, while this has answerOption. This might be valid, but the validator can't check that (yet?)`);
  }
}

/** The reference's option match: same primitive type and text; a Coding with the same system and code (both present); a Reference with the same reference. */
function sameOption(ta: string, a: unknown, tb: string, b: unknown): boolean {
  if (ta !== tb) return false;
  if (ta === 'Coding') {
    const x = (a ?? {}) as Json;
    const y = (b ?? {}) as Json;
    return typeof x.code === 'string' && typeof x.system === 'string' && x.code === y.code && x.system === y.system;
  }
  if (ta === 'Reference') return typeof (a as Json | undefined)?.reference === 'string' && (a as Json).reference === (b as Json | undefined)?.reference;
  const pa = primitiveText(a);
  return pa !== undefined && pa === primitiveText(b);
}
