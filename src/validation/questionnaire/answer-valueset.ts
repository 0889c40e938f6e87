/**
 * Answers against a value set the questionnaire names (answerValueSet, questionnaire-unitValueSet), through the
 * terminology plug-in. The value set is found as the reference finds it: `#id` among the contained resources of
 * the response (when the questionnaire is contained in it) or of the questionnaire, else by canonical URL,
 * else a ValueSet the questionnaire contains with that URL. Without a terminology plug-in nothing is judged.
 */
import type { ValidationIssue } from '../../plugin-types/index.js';
import { EXTERNAL_SYSTEMS } from '../../terminology/external-systems.js';
import { objects, type Json, type ResponseRun } from './model.js';

export function resolveValueSet(run: ResponseRun, ref: string): Json | undefined {
  if (ref.startsWith('#')) {
    const holder = run.container ?? run.q;
    return objects(holder.contained).find((r) => r.resourceType === 'ValueSet' && r.id === ref.slice(1));
  }
  const found = run.lookup(ref);
  if (found?.resourceType === 'ValueSet') return found;
  const url = ref.split('|')[0];
  return objects(run.q.contained).find((r) => r.resourceType === 'ValueSet' && r.url === url);
}

const isError = (i: ValidationIssue): boolean => i.severity === 'error' || i.severity === 'fatal';

/** A Coding answer to an item with an answerValueSet (and no options). */
export function checkCodingValueSet(run: ResponseRun, ref: string, coding: Json, path: string): void {
  const vs = resolveValueSet(run, ref);
  if (!vs) {
    run.report('Terminology_TX_ValueSet_NotFound', 'warning', 'code-invalid', path, `ValueSet '${ref}' not found`);
    return;
  }
  if (!run.terminology) return;
  if (typeof coding.system !== 'string') {
    // The reference's terminology check accepts such a coding with a warning, which it reports at the answer.
    run.report('Coding_has_no_system__cannot_validate', 'warning', 'code-invalid', path, 'Coding has no system. A code with no system has no defined meaning, and it cannot be validated. A system should be provided');
    return;
  }
  const found = run.terminology.check({ valueSet: ref, strength: 'required', value: coding, path, valueSetResource: vs });
  const system = typeof coding.system === 'string' ? coding.system : '';
  const code = typeof coding.code === 'string' ? coding.code : '';
  const errors = found.filter(isError);
  if (errors.length > 0) {
    const why = errors.map((e) => e.message).join('; ');
    run.report('Questionnaire_QR_Item_BadOption', 'error', 'code-invalid', path, `The code '${code}' in the system '${system}' is not in the options value set (${label(vs, ref)}) specified by the questionnaire. Terminology Error: ${why}`);
    return;
  }
  if (found.some((i) => i.rule === 'Terminology_TX_Binding_NoServer') && !(system in EXTERNAL_SYSTEMS) && run.lookup(system)?.resourceType !== 'CodeSystem') {
    // A code system nobody knows: the reference's terminology check reports it unsupported, a warning.
    run.report('QUESTIONNAIRE_QR_ITEM_BADOPTION_CS', 'warning', 'code-invalid', path, `The code provided ${code} cannot be validated in the options value set (${label(vs, ref)}) in the questionnaire because the system ${system} could not be found`);
    return;
  }
  // Warnings and notes of the terminology check (a display, a code that cannot be checked offline) are the answer's.
  run.addIssues(found.map((i) => ({ ...i, expression: path })));
}

/** A string answer to an item with an answerValueSet: the string is a code of the value set. */
export function checkStringValueSet(run: ResponseRun, ref: string, text: string, at: string): void {
  const vs = resolveValueSet(run, ref);
  if (!vs) {
    run.report('QUESTIONNAIRE_QR_ITEM_VS_BAD', 'warning', 'invariant', at, `The value set '${ref}' could not be found`);
    return;
  }
  if (!run.terminology) return;
  const found = run.terminology.check({ valueSet: ref, strength: 'required', value: text, path: at, valueSetResource: vs });
  if (found.some(isError)) run.report('QUESTIONNAIRE_QR_ITEM_VS_FAIL', 'error', 'invariant', at, `The value '${text}' is not in the list of allowed values (value set '${ref}')`);
}

/** The unit of a Quantity answer against questionnaire-unitValueSet. */
export function checkUnitValueSet(run: ResponseRun, ref: string, quantity: Json, shown: string, at: string): void {
  const vs = resolveValueSet(run, ref);
  if (!vs) {
    run.report('QUESTIONNAIRE_QR_ITEM_DECIMAL_INVALID_UNIT_VS', 'warning', 'invariant', at, `The unit value set '${ref}' could not be found`);
    return;
  }
  if (!run.terminology) return;
  const coding: Json = {};
  if (typeof quantity.system === 'string') coding.system = quantity.system;
  if (typeof quantity.code === 'string') coding.code = quantity.code;
  const found = run.terminology.check({ valueSet: ref, strength: 'required', value: coding, path: at, valueSetResource: vs });
  if (found.some(isError)) run.report('QUESTIONNAIRE_QR_ITEM_DECIMAL_UNIT_FAIL_VS', 'error', 'invariant', at, `The value ${shown} has a unit that is not in the unit value set '${ref}'`);
}

function label(vs: Json, ref: string): string {
  return typeof vs.url === 'string' ? vs.url : ref;
}
