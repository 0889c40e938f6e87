import type { ElementNode } from '../model.js';
import { clip, MAX_STRING_LENGTH, primitiveKind, writtenAsNumberOrBoolean } from '../primitives.js';
import { PRIMITIVE_RULES } from './rule-table.js';
import { checkBinding, reportBindingNoSource } from './rules/bindings.js';
import { checkMissingValue, describe } from './rules/cardinality.js';
import { checkPrimitiveText, companionOf } from './rules/primitives.js';
import { readerPath } from './reader-findings.js';
import type { ResourceWalk } from './walk.js';

/** The JSON reader's rule for a primitive written as the wrong JSON kind, by the kind its type needs. */
const JSON_KIND_RULES = {
  string: 'Error_parsing_JSON_the_primitive_value_must_be_a_string',
  number: 'Error_parsing_JSON_the_primitive_value_must_be_a_number',
  boolean: 'Error_parsing_JSON_the_primitive_value_must_be_a_boolean',
} as const;

/**
 * A primitive value (a JSON string, number or boolean) with its `_x` companion. A value of the wrong JSON kind is
 * reported and then checked as the text it holds, as the reference reads it; a blank one counts as no value.
 */
export function validatePrimitiveValue(walk: ResourceWalk, node: ElementNode, code: string, v: unknown, path: string, companion?: unknown): void {
  if (v === null || v === undefined || typeof v === 'object') return;
  // Most values are strings of a string type: told by comparing the code, without looking its kind up.
  const rightKind = typeof v === 'string' ? !writtenAsNumberOrBoolean(code) : typeof v === primitiveKind(code);
  if (!rightKind) {
    const kind = primitiveKind(code);
    // Where the JSON reader reports it: a choice element as `value[x]` (reader-findings.ts), an item of a repeating
    // primitive at the property (its JsonParser reads every item with the property's path, no index).
    const at = readerPath(node.isArray && path.endsWith(']') ? path.slice(0, path.lastIndexOf('[')) : path);
    walk.report(JSON_KIND_RULES[kind], 'error', 'invalid', at, `Error parsing JSON: the primitive value must be a ${kind}`);
  }
  const text = typeof v === 'string' ? v : typeof v === 'number' ? numberText(walk, node, code, v, path) : String(v);
  if (!rightKind) noteReadAsText(walk, node, code, v, path, text);
  if (!checkPrimitiveText(node, code, text, path, walk, companion === undefined ? undefined : companionOf(companion))) return;
  const value = rightKind ? (v as string | number | boolean) : text;
  for (let i = 0; i < PRIMITIVE_RULES.length; i++) PRIMITIVE_RULES[i]!(value, code, path, node, walk);
  if (node.binding && walk.options.terminology && (code === 'code' || code === 'string' || code === 'uri') && !namesLogicalModelType(walk, node)) {
    checkBinding(node, text, path, walk);
  } else if (node.bindingNoSource !== undefined && walk.options.terminology && code === 'code' && text !== '') {
    reportBindingNoSource(node, path, walk);
  }
  if (node.constraints.length) walk.evaluateConstraints(node, value, path, code);
}

/**
 * A number's text as written in the JSON text validated, where it can change a finding (format/json-number-texts.ts): the
 * reference judges `1.0` in an integer by its text. The number is looked up in the object being walked.
 */
function numberText(walk: ResourceWalk, node: ElementNode, code: string, v: number, path: string): string {
  const shown = String(v);
  const texts = walk.numberTexts;
  const host = walk.hostObject;
  if (texts === undefined || host === null || typeof host !== 'object' || (!texts.atHand && !numberTextMatters(code, v, shown))) return shown;
  const place = placeOf(walk, node, code, v, path);
  return (place && texts.textOf(place.container, place.key, place.name)) ?? shown;
}

/**
 * Where the walk's current value is held in the JSON: the object being walked and the property name, or the array under
 * it and the item's index (`name` the property name either way); undefined when it is not found there.
 */
function placeOf(walk: ResourceWalk, node: ElementNode, code: string, v: unknown, path: string): { container: object; key: string | number; name: string } | undefined {
  const host = walk.hostObject;
  if (host === null || typeof host !== 'object') return undefined;
  const name = jsonNameOf(node.name, node.isChoice, code);
  const held = (host as Record<string, unknown>)[name];
  if (Array.isArray(held)) {
    const index = trailingIndex(path);
    return index !== undefined && Object.is(held[index], v) ? { container: held, key: index, name } : undefined;
  }
  return Object.is(held, v) ? { container: host, key: name, name } : undefined;
}

/**
 * A primitive of the wrong JSON kind is kept by the reference's reader as its text: the invariants of the objects
 * around it see that text (`fullUrl: 42` is '42' to bdl-8), not the JSON number or boolean.
 */
function noteReadAsText(walk: ResourceWalk, node: ElementNode, code: string, v: unknown, path: string, text: string): void {
  const place = placeOf(walk, node, code, v, path);
  if (place) walk.readAsText(place.container, place.key, text);
}

/** A logical model's type is a name of its own, outside the FHIR types its binding lists by design. */
function namesLogicalModelType(walk: ResourceWalk, node: ElementNode): boolean {
  return node.path === 'StructureDefinition.type' && walk.scope?.resource.resourceType === 'StructureDefinition' && walk.scope.resource.kind === 'logical';
}

const ELEMENT_ONLY = new Set(['id', 'extension']);

/** A primitive item with its `_x` companion: one of them must be there, and the companion is an Element. */
export function checkPrimitiveItem(walk: ResourceWalk, child: ElementNode, code: string, v: unknown, x: unknown, itemPath: string): void {
  // The JSON reader (json-shape.ts) keeps an item only when it has a value or a companion.
  if (v === null || v === undefined) checkMissingValue(child, x, itemPath, walk);
  if (x !== undefined && x !== null) {
    const savedHost = walk.hostType;
    const savedObject = walk.hostObject;
    // The `_x` companion stands for the primitive element: an extension in it has the primitive as host.
    walk.hostType = code;
    walk.hostObject = x;
    try {
      validatePrimitiveElement(walk, x, itemPath);
    } finally {
      walk.hostType = savedHost;
      walk.hostObject = savedObject;
    }
  }
}

/** The `_x` companion of a primitive: an Element (id and extensions only). */
function validatePrimitiveElement(walk: ResourceWalk, x: unknown, path: string): void {
  if (typeof x !== 'object' || Array.isArray(x)) {
    walk.report('This_property_must_be_an_object_not_', 'error', 'structure', path, `The primitive extension property must be a JSON object, not ${describe(x)}`);
    return;
  }
  const obj = x as Record<string, unknown>;
  let n = 0;
  for (const k in obj) {
    n++;
    if (!ELEMENT_ONLY.has(k)) walk.report('Unrecognised_property_', 'error', 'structure', path, `Unrecognized property '${clip(k)}'`);
  }
  if (n === 0) walk.report('Object_must_have_some_content', 'error', 'structure', path, 'Object must have some content');
  if (typeof obj.id === 'string' && obj.id.length > MAX_STRING_LENGTH) walk.report('Type_Specific_Checks_DT_String_Length', 'error', 'invalid', `${path}.id`, 'value is longer than permitted maximum length of 1 MB (1048576 bytes)');
  const element = walk.registry.get('Element');
  if (element && Array.isArray(obj.extension)) {
    const extNode = element.root.childByKey.get('extension');
    if (extNode) walk.validateChild(extNode.node, extNode.type, 'extension', '_extension', obj, path);
  }
}

const INTEGER_TYPES = new Set(['integer', 'unsignedInt', 'positiveInt', 'integer64']);

/**
 * Whether a number's text can change what is found on a value of this type (its JavaScript text is `shown`):
 * always for the integer types (`1.0` is no integer); for a decimal only when it is not finite or has as many
 * digits as a double holds (more may have been written: the supported range is 18). A decimal padded with
 * zeros past 18 digits (`1.0000000000000000000`) is not looked for: every decimal would then cost a look-up.
 */
function numberTextMatters(code: string, v: number, shown: string): boolean {
  if (INTEGER_TYPES.has(code)) return true;
  return code === 'decimal' && (shown.length > 15 || !Number.isFinite(v) || shown.includes('e'));
}

/** The JSON name a primitive of type `code` has for an element named `name` (`value` + `Integer` for a choice). */
function jsonNameOf(name: string, isChoice: boolean, code: string): string {
  return isChoice ? name + code.charAt(0).toUpperCase() + code.slice(1) : name;
}

/** The index at the end of an element path (`...given[2]`), or undefined. */
function trailingIndex(path: string): number | undefined {
  if (path.charCodeAt(path.length - 1) !== 0x5d) return undefined;
  const open = path.lastIndexOf('[');
  const index = Number(path.slice(open + 1, -1));
  return Number.isInteger(index) ? index : undefined;
}
