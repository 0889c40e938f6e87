import type { FhirResource } from 'fhir/r4';
import { INV_ELE_1 } from '../plugin-types/index.js';
import { FhirDecimal } from './decimal.js';
import { FormatError, type FormatIssue } from './errors.js';
import { coreFormatModel, findChild, resourceType, type FormatModel, type ModelElement, type ModelType } from './model.js';
import { serialiseXhtml } from './xhtml.js';
import { xsiTypeFinding } from './xsi-type.js';
import { decodeAttribute, decodeTextContent, decodeXmlBytes, FHIR_NS, readXml, type XmlElement } from './xml-read.js';

/** The JSON form of an XML resource, plus what could not be placed. */
export interface XmlToJsonResult {
  resource: FhirResource;
  issues: FormatIssue[];
  /** With `locations: true`: where each element starts in the XML, by FHIRPath-like path (`Patient.name[0].given[1]`). */
  locations?: Map<string, SourcePosition>;
}

/** 1-based line and column in the source text. */
export interface SourcePosition {
  line: number;
  column: number;
}

export interface ParseFhirXmlOptions {
  /**
   * `number` (default): decimals become JS numbers (`1.50` -> 1.5).
   * `exact`: decimals become {@link FhirDecimal} objects that keep the written text; serialise with
   * `stringifyFhirJson` to write them as exact JSON numbers.
   */
  decimals?: 'number' | 'exact';
  model?: FormatModel;
  /** Also return the source position of every element (for reporting validation results against the XML). */
  locations?: boolean;
}

type Json = Record<string, unknown>;

// Only the forms a JSON number can take become numbers: any other text (`05`, `01.5`, `+5.0`) is kept as written, so
// the engine judges the text the XML holds, as the reference does, rather than the number it might be read as.
const INTEGER = /^-?(0|[1-9][0-9]*)$/;
const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/**
 * Converts a FHIR XML resource (text, or bytes in UTF-8/UTF-16/the declared encoding) to its FHIR JSON object, using the R4 model for arrays, primitive types,
 * `_element` extensions, XHTML narrative, contained and nested resources. XML comments are dropped.
 * Throws {@link FormatError} when the XML is malformed, declares a DOCTYPE/ENTITY, nests too deeply or
 * is not a FHIR resource; elements that exist but cannot be placed are returned as `issues`.
 */
export function parseFhirXml(text: string | Uint8Array, options: ParseFhirXmlOptions = {}): XmlToJsonResult {
  const decoded = typeof text === 'string' ? { text } : decodeXmlBytes(text);
  const { root, position, outerInstructions } = readXml(decoded.text, { fhirDocument: true });
  const converter = new XmlToJson(options.model ?? coreFormatModel(), options.decimals === 'exact', position, options.locations === true);
  const header = headerEncodingProblem(text);
  if (header) converter.issues.push({ rule: 'xml_encoding_invalid', severity: 'error', code: 'structure', path: 'XML', message: `The XML encoding is invalid (must be UTF-8, not '${header}')` });
  if (decoded.invalid) converter.issues.push({ rule: 'ADSFHIR_XML_ENCODING', severity: 'error', code: 'invalid-value', path: root.local, message: decoded.invalid });
  // The reference refuses processing instructions before or after the root of a FHIR resource; its findings are all
  // alike (same place, same text) and it keeps one of identical findings, so there is one however many there are.
  if (root.ns === FHIR_NS && outerInstructions > 0) {
    converter.issues.push({ rule: 'No_processing_instructions_allowed_in_resources', severity: 'error', code: 'structure', path: '(document)', message: 'No processing instructions allowed in resources' });
  }
  if (!root.ns) throw new FormatError('not-fhir', `This '${root.local}' cannot be parsed (no namespace on the XML Root element)`, undefined, undefined, 'This__cannot_be_parsed_as_a_FHIR_object_no_namespace');
  const unknown = `This content cannot be parsed (unknown or unrecognized XML Root element namespace/name '${root.ns}::${root.local}')`;
  if (root.ns !== FHIR_NS) throw new FormatError('not-fhir', unknown, undefined, undefined, 'This_does_not_appear_to_be_a_FHIR_resource_unknown_namespacename_');
  const type = resourceType(converter.model, root.local);
  if (!type) throw new FormatError('unknown-resource-type', unknown, undefined, undefined, 'This_does_not_appear_to_be_a_FHIR_resource_unknown_namespacename_');
  const resource = converter.resource(root, type);
  const result: XmlToJsonResult = { resource: resource as unknown as FhirResource, issues: converter.issues };
  if (converter.locations) result.locations = converter.locations;
  return result;
}

class XmlToJson {
  readonly issues: FormatIssue[] = [];
  readonly locations: Map<string, SourcePosition> | undefined;
  constructor(
    readonly model: FormatModel,
    private readonly exactDecimals: boolean,
    private readonly position: (offset: number) => SourcePosition,
    trackLocations: boolean,
  ) {
    this.locations = trackLocations ? new Map() : undefined;
  }

  /** `path` of a nested resource is where it sits (`Bundle.entry[0].resource`), as FHIRPath names it. */
  resource(el: XmlElement, type: ModelType, path = type.name): Json {
    const out: Json = { resourceType: type.name };
    this.locate(path, el);
    if (path === type.name) this.checkContent(el, path);
    this.complex(el, type, path, out);
    return out;
  }

  private issue(rule: string, code: FormatIssue['code'], path: string, message: string, at?: XmlElement): void {
    const issue: FormatIssue = { rule, severity: 'error', code, path, message };
    if (at?.offset !== undefined) Object.assign(issue, this.position(at.offset));
    this.issues.push(issue);
  }

  /**
   * The reference's XML reader refuses a FHIR element with nothing in it: no attribute other than a namespace
   * declaration, no text, no child element (`<name/>`, `<active/>`). Its JSON reader has its own rule for `{}`.
   */
  private checkContent(el: XmlElement, path: string): void {
    if (el.ns !== FHIR_NS) return;
    if (Object.keys(el.rawAttributes).some((a) => a !== 'xmlns' && !a.startsWith('xmlns:'))) return;
    for (const child of el.children) {
      if (child.kind === 'element' || child.kind === 'cdata' && child.text.trim() !== '') return;
      if (child.kind === 'text' && decodeTextContent(child.raw).trim() !== '') return;
    }
    this.issue('Element_must_have_some_content', 'structure', path, 'Element must have some content', el);
  }

  /**
   * An `xsi:type` on a FHIR element: R4 defines no element that takes one, so the reference's reader calls the
   * attribute undefined, and also says whether it was needed (it names the element's own type, information) or
   * names another type (an error, unless that type is specialised from the element's type).
   */
  private checkXsiType(el: XmlElement, actualType: string, path: string): void {
    // An inline backbone has no type of its own in the model; its defined type (BackboneElement or Element) is not kept.
    if (!el.xsiType || actualType.includes('.')) return;
    const finding = xsiTypeFinding(el.xsiType.value, actualType);
    if (finding === 'unnecessary') this.issues.push({ ...this.at(el), rule: 'XSI_TYPE_UNNECESSARY', severity: 'information', code: 'structure', path, message: 'xsi:type is unnecessary at this point' });
    if (finding === 'wrong') this.issue('XSI_TYPE_WRONG', 'structure', path, `The xsi:type value '${el.xsiType.value.slice(0, 80)}' is wrong (should be '${actualType}'). Note that xsi:type is unnecessary at this point`, el);
  }

  /**
   * Text in FHIR content: one finding for each run of text that is not white space. The reference builds its document
   * from the parser's events, which joins a CDATA section to the text around it (so CDATA is text to it, and its
   * CDATA rule never applies); a comment, processing instruction or element ends a run.
   */
  private checkText(el: XmlElement, path: string): void {
    let run = '';
    for (const child of [...el.children, undefined]) {
      if (child?.kind === 'text') run += decodeTextContent(child.raw);
      else if (child?.kind === 'cdata') run += child.text;
      else {
        if (run.trim() !== '') this.issue('Text_should_not_be_present', 'unexpected-text', path, 'Text content is not allowed here (FHIR values go in value attributes)', el);
        run = '';
      }
    }
  }

  /** Inside FHIR content the reference's reader allows elements, text and comments; a processing instruction is DOM node type 7. */
  private nodeTypeNotAllowed(path: string, at: XmlElement): void {
    this.issue('Node_type__is_not_allowed', 'structure', path, 'Node type 7 is not allowed', at);
  }

  private undefinedXsiType(el: XmlElement, path: string): void {
    if (el.ns === FHIR_NS) this.issue('Undefined_attribute__on__for_type__properties__', 'unknown-element', `${path}.@${el.xsiType!.attr}`, `Unexpected attribute '${el.xsiType!.attr}'`, el);
  }

  private undefinedAttribute(el: XmlElement, attr: string, path: string): void {
    this.issue('Undefined_attribute__on__for_type__properties__', 'unknown-element', `${path}.@${attr}`, `Unexpected attribute '${attr}'`, el);
  }

  private at(el: XmlElement): Partial<SourcePosition> {
    return el.offset !== undefined ? this.position(el.offset) : {};
  }

  private locate(path: string, el: XmlElement): void {
    if (this.locations && el.offset !== undefined) this.locations.set(path, this.position(el.offset));
  }

  private complex(el: XmlElement, type: ModelType, path: string, out: Json): void {
    for (const [attr, raw] of Object.entries(el.rawAttributes)) {
      if (attr === 'xmlns' || attr.startsWith('xmlns:')) continue;
      if (attr === el.xsiType?.attr) {
        this.undefinedXsiType(el, path);
        continue;
      }
      const name = propertyName(el, attr);
      const match = name === undefined ? undefined : findChild(type, name);
      if (match?.element.attribute) out[name!] = decodeAttribute(raw);
      else if (!tolerated(el, attr)) this.undefinedAttribute(el, attr, path);
    }
    const groups = new Map<ModelElement, { type: string; node: XmlElement }[]>();
    let previous: { index: number; name: string } | undefined;
    this.checkText(el, path);
    for (const child of el.children) {
      if (child.kind === 'other' && child.instruction) this.nodeTypeNotAllowed(path, el);
      if (child.kind !== 'element') continue;
      const found = findChild(type, child.local);
      // Only the narrative div lives outside the FHIR namespace. An element of FHIR's in another namespace is read
      // as the reference reads it (it matches by name too), with a finding. So is a div in another namespace: the
      // narrative's own rules judge its namespace (see value()).
      const wrongNs = found && found.type !== 'xhtml' && !found.element.attribute && child.ns !== FHIR_NS;
      if (wrongNs) this.issue('Wrong_namespace__expected_', 'structure', `${path}.${child.local}`, `Wrong namespace - expected '${FHIR_NS}'`, child);
      const match = found && (wrongNs || found.type === 'xhtml' || child.ns === FHIR_NS) ? found : undefined;
      if (!match || match.element.attribute) {
        this.issue('Undefined_element_', 'unknown-element', `${path}.${child.local}`, `Unknown element '${child.local}'${child.ns === FHIR_NS ? '' : ` in namespace '${child.ns ?? ''}'`}`, child);
        continue;
      }
      if (match.type !== 'xhtml') {
        this.checkContent(child, `${path}.${child.local}`);
        this.checkXsiType(child, match.type, `${path}.${child.local}`);
      }
      // XML order is part of the format; JSON has none, so report it here or it is lost.
      const index = type.elements.indexOf(match.element);
      if (previous && index < previous.index) {
        this.issue('Validation_VAL_Profile_OutOfOrder', 'order', `${path}.${child.local}`, `Element '${child.local}' is out of order (found after '${previous.name}')`, child);
      } else previous = { index, name: child.local };
      const list = groups.get(match.element) ?? [];
      list.push({ type: match.type, node: child });
      groups.set(match.element, list);
    }
    // Keys follow the definition order, whatever order the XML used.
    for (const element of type.elements) {
      const entries = groups.get(element);
      if (!entries) continue;
      const byType = new Map<string, typeof entries>();
      for (const e of entries) byType.set(e.type, [...(byType.get(e.type) ?? []), e]);
      const stem = `${path}.${element.name}`;
      // Two types for one choice element cannot be valid, but both are kept so no data is lost.
      if (byType.size > 1) this.issue('ADSFHIR_XML_CHOICE_TYPES', 'cardinality', `${stem}[x]`, `More than one type given for choice element '${element.name}[x]' (${[...byType.keys()].join(', ')})`, entries[0]!.node);
      for (const [typeName, sameType] of byType) {
        const name = element.choice ? element.name + typeName.charAt(0).toUpperCase() + typeName.slice(1) : element.name;
        let kept = sameType;
        if (!element.array && sameType.length > 1) {
          this.issue('Validation_VAL_Profile_Maximum', 'cardinality', `${path}.${name}`, `Element '${name}' repeats ${sameType.length} times but allows only one`, sameType[1]!.node);
          kept = sameType.slice(0, 1);
        }
        this.place(kept, element.array, name, path, out);
      }
    }
  }

  private place(entries: { type: string; node: XmlElement }[], array: boolean, name: string, path: string, out: Json): void {
    const typeName = entries[0]!.type;
    const childPath = (i: number) => (array ? `${path}.${name}[${i}]` : `${path}.${name}`);
    const type = typeName === 'Resource' ? undefined : this.model.types.get(typeName);
    if (typeName !== 'Resource' && !type) {
      this.issue('Unknown_type__at_', 'structure', `${path}.${name}`, `No definition for type '${typeName}'`, entries[0]!.node);
      return;
    }
    if (type?.kind === 'primitive') {
      const values: unknown[] = [];
      const extras: (Json | null)[] = [];
      entries.forEach((e, i) => {
        this.locate(childPath(i), e.node);
        const [value, extra] = this.primitive(e.node, type, childPath(i));
        values.push(value);
        extras.push(extra);
      });
      if (values.some((v) => v !== null)) out[name] = array ? values : values[0];
      if (extras.some((x) => x !== null)) out[`_${name}`] = array ? extras : extras[0];
      return;
    }
    const results: unknown[] = [];
    entries.forEach((e, i) => {
      this.locate(childPath(i), e.node);
      const value = this.value(e.node, type, childPath(i));
      if (value !== undefined) results.push(value);
    });
    if (results.length > 0) out[name] = array ? results : results[0];
  }

  private value(node: XmlElement, type: ModelType | undefined, path: string): unknown {
    if (!type) {
      const inner = node.children.filter((c): c is XmlElement => c.kind === 'element');
      const nested = inner[0];
      if (inner.length !== 1) this.issue('ADSFHIR_XML_RESOURCE_COUNT', 'structure', path, `Expected exactly one resource inside, found ${inner.length}`, node);
      // The first is read, as the reference reads it, so references to it still resolve; the reference ignores the
      // others without a word, which loses data, so the finding above stays.
      if (!nested) return undefined;
      const nestedType = nested.ns === FHIR_NS ? resourceType(this.model, nested.local) : undefined;
      if (!nestedType) {
        // The reference's XML reader gives up on the document here; the rest is still read and checked.
        this.issue('Contained_resource_does_not_appear_to_be_a_FHIR_resource_unknown_name_', 'unknown-element', path, `Contained resource does not appear to be a FHIR resource (unknown name '${nested.local.slice(0, 80)}')`, nested);
        return undefined;
      }
      return this.resource(nested, nestedType, path);
    }
    if (type.kind === 'xhtml') {
      if (node.local !== 'div') {
        this.issue('Error_parsing_XHTML_', 'structure', path, 'Narrative must be an XHTML div element', node);
        return undefined;
      }
      // A div in no namespace is taken as XHTML, as the reference takes it; one in another namespace (FHIR's, when
      // the div inherits the default) keeps it, and the narrative rules report it (XHTML_XHTML_NS_InValid).
      return serialiseXhtml(node);
    }
    const obj: Json = {};
    this.complex(node, type, path, obj);
    return obj;
  }

  /** Returns the JSON value and the `_name` object (id, extensions), each null when absent. */
  private primitive(node: XmlElement, type: ModelType, path: string): [unknown, Json | null] {
    let value: unknown = null;
    const extra: Json = {};
    for (const [attr, raw] of Object.entries(node.rawAttributes)) {
      if (attr === 'xmlns' || attr.startsWith('xmlns:')) continue;
      if (attr === node.xsiType?.attr) {
        this.undefinedXsiType(node, path);
        continue;
      }
      const name = propertyName(node, attr);
      if (name === 'value') value = this.typed(decodeAttribute(raw), type, path, node);
      else if (name === 'id') extra['id'] = decodeAttribute(raw);
      else if (!tolerated(node, attr)) this.undefinedAttribute(node, attr, path);
    }
    const extension = this.model.types.get('Extension');
    const extensions: Json[] = [];
    for (const child of node.children) {
      if (child.kind === 'element' && child.ns === FHIR_NS && child.local === 'extension' && extension) {
        const ext: Json = {};
        this.checkContent(child, `${path}.extension`);
        this.complex(child, extension, `${path}.extension[${extensions.length}]`, ext);
        extensions.push(ext);
      } else if (child.kind === 'element') {
        this.issue('Undefined_element_', 'unknown-element', `${path}.${child.local}`, `Unknown element '${child.local}' inside a primitive`, child);
      } else if (child.kind === 'other' && child.instruction) {
        this.nodeTypeNotAllowed(path, node);
      }
    }
    this.checkText(node, path);
    if (extensions.length > 0) extra['extension'] = extensions;
    const hasExtra = Object.keys(extra).length > 0;
    if (value === null && !hasExtra) {
      // The element is dropped from the JSON, so the rules it breaks are reported here: ele-1 and the primitive rule.
      this.issue(INV_ELE_1, 'invalid-value', path, "Constraint failed: ele-1: 'All FHIR elements must have a @value or children'", node);
      this.issue('Type_Specific_Checks_DT_Primitive_ValueExt', 'invalid-value', path, 'Primitive types must have a value or must have child extensions', node);
    }
    return [value, hasExtra ? extra : null];
  }

  private typed(text: string, type: ModelType, path: string, node: XmlElement): unknown {
    switch (type.primitive) {
      case 'boolean':
        if (text === 'true' || text === 'false') return text === 'true';
        break;
      case 'integer':
        if (INTEGER.test(text)) return Number(text);
        break;
      case 'decimal':
        if (DECIMAL.test(text)) return this.exactDecimals ? new FhirDecimal(text) : Number(text);
        break;
      default:
        if (text === '') this.issue('Type_Specific_Checks_DT_Primitive_NotEmpty', 'invalid-value', path, `Empty value for ${type.name}`, node);
        return text;
    }
    this.issue(type.primitive === 'boolean' ? 'Type_Specific_Checks_DT_Boolean_Value' : type.primitive === 'integer' ? 'Type_Specific_Checks_DT_Integer_Valid' : 'Type_Specific_Checks_DT_Decimal_Valid', 'invalid-value', path, `Value is not a valid ${type.name}; kept as a string`, node);
    return text;
  }
}

/**
 * The name an attribute is matched against the element's properties by, as the reference's reader matches: unprefixed,
 * or prefixed in FHIR's namespace (`f:url`). Any other prefixed attribute (`xsi:schemaLocation`, `xsi:nil`, `xml:lang`,
 * `xml:space`) names no property of FHIR content (FHIR XML defines no attributes outside its namespace): undefined.
 */
function propertyName(el: XmlElement, attr: string): string | undefined {
  const colon = attr.indexOf(':');
  if (colon < 0) return attr;
  return el.attributeNs?.[attr] === FHIR_NS ? attr.slice(colon + 1) : undefined;
}

/**
 * An attribute no property matches that the reference's reader still lets pass: `schemaLocation` on an element outside
 * FHIR's namespace. On FHIR content even `xsi:schemaLocation` is undefined (the reference allows it only when told to).
 */
function tolerated(el: XmlElement, attr: string): boolean {
  return el.ns !== FHIR_NS && attr.slice(attr.indexOf(':') + 1) === 'schemaLocation';
}

/**
 * The reference's XML reader reads the start of the document itself: a UTF-8 byte-order mark or `<?x` opens the
 * XML declaration, whose declared encoding (its first five characters) must be UTF-8; a document that starts with
 * `<` and no declaration is fine; anything else (another byte-order mark, leading white space) is an invalid
 * encoding. Returns what was found instead of UTF-8, or undefined.
 */
function headerEncodingProblem(input: string | Uint8Array): string | undefined {
  const head = typeof input === 'string' ? input.slice(0, 1024) : new TextDecoder('latin1').decode(input.subarray(0, 1024));
  let start: number;
  if (head.startsWith('\u00ef\u00bb\u00bf')) start = 3;
  else if (head.startsWith('\ufeff')) start = 1;
  else if (head.startsWith('<?x')) start = 0;
  else if (head.startsWith('<')) return undefined;
  else return head.length === 0 ? undefined : 'unknown';
  const end = head.indexOf('>', start);
  if (end < 0) return undefined;
  const declaration = head.slice(start, end);
  const at = declaration.search(/encoding=["']/);
  if (at < 0) return undefined;
  const encoding = declaration.slice(at + 10, at + 15);
  return encoding.length === 5 && encoding.toUpperCase() !== 'UTF-8' ? encoding.replace(/["'?\s].*$/, '') : undefined;
}
