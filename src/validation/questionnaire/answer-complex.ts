/**
 * Attachment, Reference and Quantity answers against the questionnaire item's extensions (the reference's
 * validateQuestionnaireResponseItemAttachment/Reference/Quantity): mimeType and maxSize; referenceResource
 * (only under assume-valid-rest-references, where a reference names its target's type); the SDC min/max
 * quantities, maxDecimalPlaces, unitOption and unitValueSet.
 */
import { convertUcum, UCUM_SYSTEM } from '../../terminology/ucum.js';
import { checkUnitValueSet } from './answer-valueset.js';
import { decimalPlaces, MAX_DECIMALS } from './answer-values.js';
import { extensionsOf, extensionValue, integerExtension, primitiveText, type Choice, type Json, type ResponseRun } from './model.js';

const MIME_TYPE = 'http://hl7.org/fhir/StructureDefinition/mimeType';
const MAX_SIZE = 'http://hl7.org/fhir/StructureDefinition/maxSize';
const REFERENCE_RESOURCE = 'http://hl7.org/fhir/StructureDefinition/questionnaire-referenceResource';
const MIN_QUANTITY = 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-minQuantity';
const MAX_QUANTITY = 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-maxQuantity';
const UNIT_OPTION = 'http://hl7.org/fhir/StructureDefinition/questionnaire-unitOption';
const UNIT_VALUE_SET = 'http://hl7.org/fhir/StructureDefinition/questionnaire-unitValueSet';

/** Findings about an attachment are at the answer, as the reference gives them. */
export function checkAttachment(run: ResponseRun, def: Json, value: Choice, answerPath: string): void {
  if (!value.value || typeof value.value !== 'object') return;
  const attachment = value.value as Json;
  const allowed = extensionsOf(def, MIME_TYPE).flatMap((e) => (typeof e.valueCode === 'string' ? [e.valueCode] : []));
  if (extensionsOf(def, MIME_TYPE).length > 0) {
    const type = attachment.contentType;
    if (typeof type !== 'string') run.report('QUESTIONNAIRE_QR_ITEM_NOT_ATTACHMENT_MIMETYPE', 'error', 'required', answerPath, 'A mime type is required for this answer');
    else if (!allowed.some((p) => type.startsWith(p))) run.report('QUESTIONNAIRE_QR_ITEM_BAD_ATTACHMENT_MIMETYPE', 'error', 'required', answerPath, `The mime type ${type} is not valid for this answer (allowed = ${allowed.join(', ')})`);
  }
  const max = integerExtension(def, MAX_SIZE);
  if (max !== undefined && max > 0 && typeof attachment.data === 'string') {
    // maxSize is the largest size allowed (the reference rejects exactly maxSize bytes too).
    const size = Buffer.from(attachment.data.replace(/\s+/g, ''), 'base64').length;
    if (size > max) run.report('QUESTIONNAIRE_QR_ITEM_BAD_ATTACHMENT_LENGTH', 'error', 'required', answerPath, `The attachment is too large (allowed = ${max}, found = ${size})`);
  }
}

export function checkReference(run: ResponseRun, def: Json, value: Choice, at: string): void {
  const ref = (value.value as Json | undefined)?.reference;
  if (!run.assumeValidRestReferences || typeof ref !== 'string' || ref.startsWith('#')) return;
  const parts = ref.split('/');
  const type = parts.length >= 2 ? parts[parts.length - 2] : undefined;
  const allowed = extensionsOf(def, REFERENCE_RESOURCE).flatMap((e) => (typeof e.valueCode === 'string' ? [e.valueCode] : []));
  if (extensionsOf(def, REFERENCE_RESOURCE).length > 0) {
    if (type === undefined) run.report('QUESTIONNAIRE_QR_ITEM_REF_CANT', 'error', 'invariant', at, 'Unable to determine the resource type, so the resource type can\'t be checked');
    else if (!allowed.includes(type)) run.report('QUESTIONNAIRE_QR_ITEM_REF_INVALID', 'error', 'invariant', at, `The resource type '${type}' in the reference ${ref} is not allowed (allowed = ${allowed.join(',')})`);
  } else if (type !== undefined && run.lookup(`http://hl7.org/fhir/StructureDefinition/${type}`)?.kind !== 'resource') {
    run.report('QUESTIONNAIRE_QR_ITEM_REF_INVALID_GENERAL', 'error', 'invariant', at, `The resource type ${type} in the reference ${ref} is not valid`);
  }
}

function systemName(system: unknown): string {
  if (system === UCUM_SYSTEM) return 'UCUM';
  if (system === 'http://snomed.info/sct') return 'SNOMED';
  return typeof system === 'string' ? system : '';
}

/** A quantity as the reference shows it: `<5 mg (UCUM#mg)`. */
function display(q: Json): string {
  const coded = q.system !== undefined || q.code !== undefined ? ` (${systemName(q.system)}#${String(q.code ?? '')})` : '';
  return `${typeof q.comparator === 'string' ? q.comparator : ''}${String(q.value ?? '')}${typeof q.unit === 'string' ? ` ${q.unit}` : ''}${coded}`;
}

/** The answer's value expressed in the limit's unit, when they can be compared. */
function comparable(v: Json, limit: Json): number | undefined {
  if (typeof v.value !== 'number') return undefined;
  if (limit.system === v.system && limit.code === v.code) return v.value;
  if (limit.system === UCUM_SYSTEM && v.system === UCUM_SYSTEM) return convertUcum(v.value, String(v.code), String(limit.code));
  return undefined;
}

/** The reference's rule ids for a minimum (or maximum) quantity. */
const MIN_RULES = { units: 'QUESTIONNAIRE_QR_ITEM_DECIMAL_CANNOT_COMPARE_MIN_UNITS', compare: 'QUESTIONNAIRE_QR_ITEM_DECIMAL_CANNOT_COMPARE_MIN', beyond: 'QUESTIONNAIRE_QR_ITEM_QUANTITY_MIN' };
const MAX_RULES = { units: 'QUESTIONNAIRE_QR_ITEM_DECIMAL_CANNOT_COMPARE_MAX_UNITS', compare: 'QUESTIONNAIRE_QR_ITEM_DECIMAL_CANNOT_COMPARE_MAX', beyond: 'QUESTIONNAIRE_QR_ITEM_QUANTITY_MAX' };

function checkLimit(run: ResponseRun, v: Json, limit: Json, at: string, isMin: boolean): void {
  const rules = isMin ? MIN_RULES : MAX_RULES;
  const word = isMin ? 'minimum' : 'maximum';
  if (typeof limit.value !== 'number') return;
  if (typeof limit.system !== 'string' || typeof limit.code !== 'string' || typeof v.system !== 'string' || typeof v.code !== 'string') {
    run.report(rules.units, 'error', 'invariant', at, `The quantity ${display(v)} cannot be compared to the allowed ${word} of ${display(limit)} because no formal units are specified`);
    return;
  }
  const value = comparable(v, limit);
  if (value === undefined) {
    run.report(rules.compare, 'error', 'invariant', at, `The quantity ${display(v)} cannot be compared to the allowed ${word} of ${display(limit)}`);
  } else if (isMin ? value < limit.value : value > limit.value) {
    run.report(rules.beyond, 'error', 'invariant', at, `The quantity ${display(v)} is ${isMin ? 'less' : 'greater'} than the allowed ${word} of ${display(limit)}`);
  }
}

export function checkQuantity(run: ResponseRun, def: Json, value: Choice, at: string): void {
  const q = value.value as Json | undefined;
  if (!q || typeof q !== 'object' || typeof q.value !== 'number') return;
  const min = extensionValue(def, MIN_QUANTITY);
  if (min?.type === 'Quantity' && min.value && typeof min.value === 'object') checkLimit(run, q, min.value as Json, at, true);
  const max = extensionValue(def, MAX_QUANTITY);
  if (max?.type === 'Quantity' && max.value && typeof max.value === 'object') checkLimit(run, q, max.value as Json, at, false);
  const places = integerExtension(def, MAX_DECIMALS);
  if (places !== undefined && decimalPlaces(String(q.value)) > places) run.report('QUESTIONNAIRE_QR_ITEM_DECIMAL_MAX_DECIMALS', 'error', 'invariant', at, `The value ${q.value} has too many decimal places (limit = ${places})`);
  const units = extensionsOf(def, UNIT_OPTION).flatMap((e) => (e.valueCoding && typeof e.valueCoding === 'object' ? [e.valueCoding as Json] : []));
  if (extensionsOf(def, UNIT_OPTION).length > 0) {
    const matches = (c: Json) => (c.system === undefined || c.system === q.system) && (c.code === undefined || c.code === q.code) && (c.display === undefined || c.display === q.unit);
    if (!units.some(matches)) {
      const shown = units.map((c) => `${typeof c.display === 'string' ? c.display : ''} (${systemName(c.system)}#${String(c.code ?? '')})`);
      run.report('QUESTIONNAIRE_QR_ITEM_DECIMAL_INVALID_UNITS', 'error', 'invariant', at, `The value ${display(q)} has a unit that is not valid (allowed = ${shown.join(',')})`);
    }
  }
  const unitValueSet = primitiveText(extensionValue(def, UNIT_VALUE_SET)?.value);
  if (unitValueSet !== undefined) checkUnitValueSet(run, unitValueSet, q, display(q), at);
}
