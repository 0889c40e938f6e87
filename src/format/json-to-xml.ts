import { FhirDecimal } from './decimal.js';
import { FormatError, type FormatIssue } from './errors.js';
import { coreFormatModel, resourceType, type FormatModel, type ModelElement, type ModelType } from './model.js';
import { canonicalXhtml } from './xhtml.js';
import { escapeXmlAttribute, FHIR_NS, MAX_XML_DEPTH } from './xml-read.js';

/** The XML form of a JSON resource, plus the JSON properties that have no place in the model. */
export interface JsonToXmlResult {
  xml: string;
  issues: FormatIssue[];
}

export interface ToFhirXmlOptions {
  /** Indent with two spaces, one element per line (default true). XHTML narrative is never re-indented. */
  pretty?: boolean;
  /** Start with `<?xml version="1.0" encoding="UTF-8"?>` (default true). */
  declaration?: boolean;
  model?: FormatModel;
}

type Json = Record<string, unknown>;

// Outside the XML 1.0 Char production: C0 controls other than tab/LF/CR, U+FFFE/U+FFFF, unpaired surrogates.
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof FhirDecimal);
}

/**
 * Converts a FHIR JSON resource (an object, as from `JSON.parse`) to FHIR XML: elements in
 * StructureDefinition order, primitives as `value` attributes with `_element` ids and extensions merged
 * in, XHTML narrative inline, nested resources wrapped. Decimals given as {@link FhirDecimal} keep their
 * exact text. Throws {@link FormatError} when the input is not a resource of a known type.
 */
export function toFhirXml(resource: unknown, options: ToFhirXmlOptions = {}): JsonToXmlResult {
  const model = options.model ?? coreFormatModel();
  if (!isObject(resource) || typeof resource['resourceType'] !== 'string') {
    throw new FormatError('invalid-input', 'Expected a FHIR resource: a JSON object with a resourceType');
  }
  const type = resourceType(model, resource['resourceType']);
  if (!type) throw new FormatError('unknown-resource-type', `Unknown resource type '${resource['resourceType']}'`);
  const writer = new JsonToXml(model, options.pretty ?? true);
  writer.resource(resource, type, 0, true, type.name);
  const head = options.declaration === false ? '' : `<?xml version="1.0" encoding="UTF-8"?>${writer.newline}`;
  return { xml: head + writer.out.join(''), issues: writer.issues };
}

class JsonToXml {
  readonly out: string[] = [];
  readonly issues: FormatIssue[] = [];
  readonly newline: string;
  constructor(
    private readonly model: FormatModel,
    private readonly pretty: boolean,
  ) {
    this.newline = pretty ? '\n' : '';
  }

  private line(depth: number, text: string): void {
    this.out.push(this.pretty ? '  '.repeat(depth) + text + '\n' : text);
  }

  private issue(rule: string, code: FormatIssue['code'], path: string, message: string): void {
    this.issues.push({ rule, severity: 'error', code, path, message });
  }

  /** Escapes an attribute value; characters XML 1.0 cannot carry at all become U+FFFD, with an issue. */
  private attribute(value: string, path: string): string {
    const clean = value.replace(NOT_XML_CHAR, '\ufffd');
    if (clean !== value) this.issue('ADSFHIR_XML_UNREPRESENTABLE_CHARACTERS', 'invalid-value', path, 'Contains characters XML cannot carry (control characters or unpaired surrogates); replaced by U+FFFD');
    return escapeXmlAttribute(clean);
  }

  resource(obj: Json, type: ModelType, depth: number, root: boolean, path: string): void {
    const open = root ? `<${type.name} xmlns="${FHIR_NS}"` : `<${type.name}`;
    this.element(open, type.name, obj, type, depth, path, new Set(['resourceType']));
  }

  /** Writes `<name attrs>children</name>`, or a self-closed tag when there are no children. */
  private element(open: string, name: string, obj: Json, type: ModelType, depth: number, path: string, consumed = new Set<string>()): void {
    if (depth > MAX_XML_DEPTH) throw new FormatError('too-deep', `Resource nests deeper than ${MAX_XML_DEPTH} elements`);
    let tag = open;
    for (const element of type.elements) {
      if (!element.attribute) continue;
      consumed.add(element.name);
      const value = obj[element.name];
      if (typeof value === 'string') tag += ` ${element.name}="${this.attribute(value, `${path}.${element.name}`)}"`;
      else if (value !== undefined) this.issue('This_property_must_be__not_', 'invalid-value', `${path}.${element.name}`, `'${element.name}' must be a string`);
    }
    const start = this.out.length;
    this.out.push(''); // placeholder for the opening tag, decided once we know whether there are children
    for (const element of type.elements) if (!element.attribute) this.child(obj, element, depth + 1, path, consumed);
    for (const key of Object.keys(obj)) {
      if (!consumed.has(key) && key !== 'fhir_comments') this.issue('Unrecognised_property_', 'unknown-element', `${path}.${key}`, `Unknown property '${key}'`);
    }
    const pad = this.pretty ? '  '.repeat(depth) : '';
    if (this.out.length === start + 1) {
      this.out[start] = `${pad}${tag}/>${this.newline}`;
    } else {
      this.out[start] = `${pad}${tag}>${this.newline}`;
      this.line(depth, `</${name}>`);
    }
  }

  private child(obj: Json, element: ModelElement, depth: number, path: string, consumed: Set<string>): void {
    const candidates = element.choice
      ? element.types.map((t) => ({ key: element.name + t.charAt(0).toUpperCase() + t.slice(1), type: t }))
      : [{ key: element.name, type: element.types[0] ?? 'string' }];
    const present = candidates.filter(({ key }) => key in obj || `_${key}` in obj);
    // Two types for one choice element cannot be valid, but both are written so no data is lost.
    if (present.length > 1) this.issue('ADSFHIR_JSON_CHOICE_TYPES', 'cardinality', `${path}.${element.name}[x]`, `More than one type given for choice element '${element.name}[x]'`);
    for (const { key, type } of present) {
      consumed.add(key);
      consumed.add(`_${key}`);
      this.items(key, obj[key], obj[`_${key}`], element.array, type, depth, path);
    }
  }

  private items(key: string, value: unknown, extra: unknown, array: boolean, typeName: string, depth: number, path: string): void {
    const values = this.list(value, array, `${path}.${key}`);
    const extras = this.list(extra, array, `${path}._${key}`);
    if (array && value !== undefined && extra !== undefined && values.length !== extras.length) {
      this.issue('ADSFHIR_JSON_PRIMITIVE_ARRAYS_MISMATCH', 'structure', `${path}._${key}`, `'_${key}' has ${extras.length} items but '${key}' has ${values.length}`);
    }
    const type = typeName === 'Resource' ? undefined : this.model.types.get(typeName);
    const count = Math.max(values.length, extras.length);
    for (let i = 0; i < count; i++) {
      const itemPath = array ? `${path}.${key}[${i}]` : `${path}.${key}`;
      const v = values[i] ?? null;
      const x = extras[i] ?? null;
      if (v === null && x === null) this.issue('ELEMENT_CANNOT_BE_NULL', 'invalid-value', itemPath, 'null item with no value or extension');
      else if (type?.kind === 'primitive') this.primitive(key, v, x, type, depth, itemPath);
      else if (type?.kind === 'xhtml') this.xhtml(v, depth, itemPath);
      else if (!isObject(v)) this.issue('This_property_must_be_an_object_not_', 'invalid-value', itemPath, `'${key}' must be an object`);
      else if (type) this.element(`<${key}`, key, v, type, depth, itemPath);
      else this.nested(key, v, depth, itemPath);
    }
  }

  private list(value: unknown, array: boolean, path: string): unknown[] {
    if (value === undefined) return [];
    if (value === null) {
      this.issue('ELEMENT_CANNOT_BE_NULL', 'invalid-value', path, 'null is not allowed here');
      return [];
    }
    if (array) {
      if (Array.isArray(value)) {
        if (value.length === 0) this.issue('ARRAY_CANNOT_BE_EMPTY', 'invalid-value', path, 'Arrays must not be empty');
        return value;
      }
      this.issue('This_property_must_be_an_Array_not_', 'cardinality', path, 'Expected an array');
      return [value];
    }
    if (Array.isArray(value)) {
      this.issue('This_property_must_be_an_simple_value_not_', 'cardinality', path, 'Expected a single value, not an array; only the first item is written');
      return value.slice(0, 1);
    }
    return [value];
  }

  private nested(key: string, value: Json, depth: number, path: string): void {
    const rt = value['resourceType'];
    const type = typeof rt === 'string' ? resourceType(this.model, rt) : undefined;
    if (!type) {
      this.issue('Unable_to_find_resourceType_property', 'unknown-element', path, `Nested resource has no known resourceType`);
      return;
    }
    this.line(depth, `<${key}>`);
    this.resource(value, type, depth + 1, false, path);
    this.line(depth, `</${key}>`);
  }

  private primitive(key: string, value: unknown, extra: unknown, type: ModelType, depth: number, path: string): void {
    let tag = `<${key}`;
    if (extra !== null && !isObject(extra)) {
      this.issue('This_property_must_be_an_object_not_', 'invalid-value', path, `'_${key}' must be an object`);
      extra = null;
    }
    const ext = extra as Json | null;
    if (ext && typeof ext['id'] === 'string') tag += ` id="${this.attribute(ext['id'], `${path}.id`)}"`;
    if (value !== null) {
      const text = this.lexical(value, type, path);
      if (text !== undefined) tag += ` value="${this.attribute(text, path)}"`;
    }
    const extensions = ext?.['extension'];
    if (ext) {
      for (const k of Object.keys(ext)) if (k !== 'id' && k !== 'extension' && k !== 'fhir_comments') this.issue('Unrecognised_property_', 'unknown-element', `${path}.${k}`, `Unknown property '${k}'`);
    }
    const extensionType = this.model.types.get('Extension');
    if (!Array.isArray(extensions) || extensions.length === 0 || !extensionType) {
      this.line(depth, `${tag}/>`);
      return;
    }
    this.line(depth, `${tag}>`);
    extensions.forEach((x, i) => {
      if (isObject(x)) this.element('<extension', 'extension', x, extensionType, depth + 1, `${path}.extension[${i}]`);
      else this.issue('This_property_must_be_an_object_not_', 'invalid-value', `${path}.extension[${i}]`, 'Extension must be an object');
    });
    this.line(depth, `</${key}>`);
  }

  private lexical(value: unknown, type: ModelType, path: string): string | undefined {
    const expected = type.primitive === 'boolean' ? 'boolean' : type.primitive === 'string' ? 'string' : 'number';
    if (value instanceof FhirDecimal) {
      if (expected !== 'number' || (type.primitive === 'integer' && !/^-?\d+$/.test(value.raw))) this.issue(primitiveKindRule(expected), 'invalid-value', path, `Expected a JSON ${type.primitive === 'integer' ? 'integer' : expected} for ${type.name}`);
      return value.raw;
    }
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      if (typeof value !== expected) this.issue(primitiveKindRule(expected), 'invalid-value', path, `Expected a JSON ${expected} for ${type.name}`);
      return String(value);
    }
    this.issue(primitiveKindRule(expected), 'invalid-value', path, `Expected a JSON ${expected} for ${type.name}`);
    return undefined;
  }

  private xhtml(value: unknown, depth: number, path: string): void {
    if (typeof value !== 'string') {
      if (value !== null) this.issue('Error_parsing_XHTML_', 'invalid-value', path, 'Narrative div must be an XHTML string');
      return;
    }
    try {
      const div = canonicalXhtml(value);
      this.out.push(this.pretty ? '  '.repeat(depth) + div + '\n' : div);
    } catch (e) {
      const reason = e instanceof FormatError ? e.message : 'not well-formed';
      this.issue('Error_parsing_XHTML_', 'invalid-value', path, `Narrative div is not valid XHTML: ${reason}`);
    }
  }
}

/** The reference validator's rule for a primitive written with the wrong JSON kind. */
function primitiveKindRule(kind: 'boolean' | 'string' | 'number'): string {
  return `Error_parsing_JSON_the_primitive_value_must_be_a_${kind}`;
}
