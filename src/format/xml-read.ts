import { createRequire } from 'node:module';
import { TextDecoder } from 'node:util';
import type { XMLParser, XMLValidator } from 'fast-xml-parser';
import { FormatError } from './errors.js';
import { LineIndex } from './line-index.js';

/** Deepest element nesting accepted; real FHIR documents stay far below it. */
export const MAX_XML_DEPTH = 500;

export const FHIR_NS = 'http://hl7.org/fhir';
export const XHTML_NS = 'http://www.w3.org/1999/xhtml';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
/** Bound to the `xml` prefix without a declaration (`xml:lang`, `xml:space`). */
export const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** A node of fast-xml-parser's `preserveOrder` tree. */
export type RawNode = Record<string, unknown>;

/** An element with its namespace resolved. */
export interface XmlElement {
  kind: 'element';
  /** Name without prefix. */
  local: string;
  /** Name as written (with prefix), for re-serialising XHTML. */
  qname: string;
  ns: string | undefined;
  /** Attribute values as written (entities still encoded). */
  rawAttributes: Record<string, string>;
  children: XmlNode[];
  /** Offset of the element's `<` in the parsed text. */
  offset: number | undefined;
  /** The `xsi:type` attribute (whatever its prefix): its name as written and its value. */
  xsiType?: { attr: string; value: string };
  /** Namespace of each prefixed attribute (`xsi:nil`, `xml:lang`, `f:url`), namespace declarations aside; absent when there are none. */
  attributeNs?: Record<string, string | undefined>;
}

/** A parsed document: its root element and a way to turn offsets into 1-based line and column. */
export interface XmlDocument {
  root: XmlElement;
  /** Processing instructions outside the root element (before or after it), the XML declaration aside. */
  outerInstructions: number;
  position(offset: number): { line: number; column: number };
}
/** `other` is a comment or, with `instruction`, a processing instruction. */
export type XmlNode = XmlElement | { kind: 'text'; raw: string } | { kind: 'cdata'; text: string } | { kind: 'other'; instruction?: true };

export interface FastXmlParser {
  XMLParser: typeof XMLParser;
  XMLValidator: typeof XMLValidator;
}

/**
 * fast-xml-parser itself, required on first use (its CommonJS build is one file), for the few rules that read XML
 * held inside a JSON payload (signatures, compiled logic): runs that read only JSON never load it.
 */
export function fastXmlParser(): FastXmlParser {
  return createRequire(import.meta.url)('fast-xml-parser') as FastXmlParser;
}

let loaded: { parser: XMLParser; validator: typeof XMLValidator; meta: string } | undefined;

/**
 * fast-xml-parser, required with the first XML document read (its CommonJS build is one file): runs that
 * read only JSON never load it.
 */
function xmlParser(): NonNullable<typeof loaded> {
  if (loaded) return loaded;
  const fxp = fastXmlParser();
  const parser = new fxp.XMLParser(PARSER_OPTIONS);
  loaded = { parser, validator: fxp.XMLValidator, meta: fxp.XMLParser.getMetaDataSymbol() as unknown as string };
  return loaded;
}

const PARSER_OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Entities are decoded by decodeXmlText below: only the five predefined ones and character references.
  processEntities: false,
  htmlEntities: false,
  commentPropName: '#comment',
  cdataPropName: '#cdata',
  maxNestedTags: MAX_XML_DEPTH,
  captureMetaData: true,
};

/**
 * Parses XML text safely: any DOCTYPE or ENTITY declaration is refused before parsing (no entity is ever
 * expanded, so entity bombs and external entities cannot work), malformed XML gives line and column. With `fhirDocument`,
 * characters XML does not allow are refused too.
 */
export function readXml(text: string, options: { fhirDocument?: boolean } = {}): XmlDocument {
  // A BOM, and whitespace before the declaration (strictly an error, but common in the wild), are skipped.
  const unmarked = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const source = unmarked.replace(/^\s+(?=<\?xml\s)/, '');
  // Positions are reported against the text as given, skipped whitespace included.
  const skipped = unmarked.length - source.length;
  const lines = new LineIndex(unmarked);
  const position = (offset: number) => lines.locate(offset + skipped);
  const declaration = /<!\s*(DOCTYPE|ENTITY)/i.exec(source);
  if (declaration) {
    const { line, column } = position(declaration.index);
    throw new FormatError(
      'doctype-forbidden',
      `XML ${declaration[1]!.toUpperCase()} declarations are not allowed in FHIR documents (entities are never expanded)`,
      line,
      column,
    );
  }
  // A FHIR XML document is read as the reference reads it, with a conforming XML parser; narrative carried in JSON is not.
  if (options.fhirDocument) {
    checkCharacters(source, position);
    checkReservedInstructions(source, position);
  }
  const xml = xmlParser();
  const valid = xml.validator.validate(source);
  if (valid !== true) {
    const shift = unmarked.slice(0, skipped).split('\n').length - 1;
    throw new FormatError('malformed-xml', `Malformed XML: ${valid.err.msg}`, valid.err.line + shift, valid.err.col);
  }
  let tree: RawNode[];
  try {
    tree = xml.parser.parse(source) as RawNode[];
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/nested/i.test(message)) throw new FormatError('too-deep', `XML nesting deeper than ${MAX_XML_DEPTH} elements`);
    throw new FormatError('malformed-xml', `Malformed XML: ${message}`);
  }
  const roots = tree.map((n) => toNode(n, new Map())).filter((n): n is XmlElement => n.kind === 'element');
  if (roots.length !== 1) throw new FormatError('malformed-xml', `Expected one root element, found ${roots.length}`);
  const outerInstructions = tree.filter((n) => Object.keys(n).some((k) => k.startsWith('?') && k.toLowerCase() !== '?xml')).length;
  return { root: roots[0]!, position, outerInstructions };
}

function toNode(raw: RawNode, scope: Map<string, string>): XmlNode {
  const name = Object.keys(raw).find((k) => k !== ':@');
  if (name === undefined) return { kind: 'other' };
  const body = raw[name];
  if (name === '#text') return { kind: 'text', raw: String(body) };
  if (name === '#cdata') return { kind: 'cdata', text: ((body as RawNode[])[0]?.['#text'] as string | undefined) ?? '' };
  if (name.startsWith('?')) return { kind: 'other', instruction: true };
  if (name.startsWith('#')) return { kind: 'other' };
  const rawAttributes = (raw[':@'] ?? {}) as Record<string, string>;
  let inner = scope;
  for (const [attr, value] of Object.entries(rawAttributes)) {
    if (attr === 'xmlns' || attr.startsWith('xmlns:')) {
      if (inner === scope) inner = new Map(scope);
      inner.set(attr === 'xmlns' ? '' : attr.slice(6), decodeXmlText(value));
    }
  }
  const colon = name.indexOf(':');
  const prefix = colon < 0 ? '' : name.slice(0, colon);
  let xsiType: XmlElement['xsiType'];
  let attributeNs: XmlElement['attributeNs'];
  for (const [attr, value] of Object.entries(rawAttributes)) {
    const at = attr.indexOf(':');
    if (at <= 0 || attr.slice(0, at) === 'xmlns') continue;
    const ns = attr.slice(0, at) === 'xml' ? XML_NS : inner.get(attr.slice(0, at));
    (attributeNs ??= {})[attr] = ns;
    if (attr.slice(at + 1) === 'type' && ns === XSI_NS) xsiType = { attr, value: decodeXmlText(value) };
  }
  return {
    ...(xsiType ? { xsiType } : {}),
    ...(attributeNs ? { attributeNs } : {}),
    kind: 'element',
    local: colon < 0 ? name : name.slice(colon + 1),
    qname: name,
    ns: inner.get(prefix),
    rawAttributes,
    children: ((body ?? []) as RawNode[]).map((c) => toNode(c, inner)),
    offset: (raw[xmlParser().meta] as { startIndex?: number } | undefined)?.startIndex,
  };
}

/**
 * Decodes XML bytes: a byte-order mark or the UTF-16 byte pattern of '<' decides, otherwise the
 * declared encoding (UTF-8 when none). Bytes that are invalid in that encoding become U+FFFD and are
 * reported through `invalid`, so the rest of the document can still be checked.
 */
export function decodeXmlBytes(bytes: Uint8Array): { text: string; invalid?: string } {
  const [a, b] = [bytes[0], bytes[1]];
  let label = 'utf-8';
  if (a === 0xff && b === 0xfe) label = 'utf-16le';
  else if (a === 0xfe && b === 0xff) label = 'utf-16be';
  else if (a === 0x3c && b === 0x00) label = 'utf-16le';
  else if (a === 0x00 && b === 0x3c) label = 'utf-16be';
  else if (!(a === 0xef && b === 0xbb)) {
    const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
    const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase();
    // A declared 16-bit encoding on 8-bit bytes is a wrong header: read the bytes as UTF-8.
    if (declared && !declared.startsWith('utf-16') && !declared.startsWith('ucs')) label = declared;
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    throw new FormatError('malformed-xml', `Unsupported XML encoding '${label.slice(0, 40)}'`);
  }
  try {
    return { text: decoder.decode(bytes) };
  } catch {
    return { text: new TextDecoder(label).decode(bytes), invalid: `XML bytes are not valid ${label.toUpperCase()}; invalid sequences were replaced by U+FFFD` };
  }
}

/**
 * Characters XML does not allow, written as they are: the C0 controls other than tab, line feed and carriage return,
 * U+FFFE and U+FFFF, and surrogates that are not part of a pair (XML 1.0 and 1.1, production Char).
 */
const BAD_LITERAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Character references, found outside comments, CDATA sections and processing instructions (where `&#..;` is just text). */
const CHAR_REFERENCE = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|&#(x[0-9a-fA-F]+|[0-9]+);/g;

/**
 * A conforming XML parser stops at a character XML does not allow, written as it is or as a character reference
 * (`&#0;`, `&#xD800;`, `&#xFFFE;`), so the reference validator reads nothing of such a document (a fatal error);
 * so do we. XML 1.1 allows the C0 controls as references (not written as they are).
 */
function checkCharacters(source: string, position: (offset: number) => { line: number; column: number }): void {
  const literal = BAD_LITERAL.exec(source);
  if (literal) {
    const { line, column } = position(literal.index);
    const code = literal[0].charCodeAt(0).toString(16);
    throw new FormatError('malformed-xml', `An invalid XML character (Unicode: 0x${code}) was found in the document`, line, column);
  }
  if (!source.includes('&#')) return;
  const xml11 = /^<\?xml\s[^>]*version\s*=\s*["']1\.1["']/.test(source);
  CHAR_REFERENCE.lastIndex = 0;
  for (let m = CHAR_REFERENCE.exec(source); m; m = CHAR_REFERENCE.exec(source)) {
    const ref = m[1];
    if (ref === undefined) continue;
    const point = ref.startsWith('x') ? parseInt(ref.slice(1), 16) : parseInt(ref, 10);
    if (isXmlChar(point) || (xml11 && point >= 1 && point <= 0x1f)) continue;
    const { line, column } = position(m.index);
    throw new FormatError('malformed-xml', `Character reference "&#${ref.slice(0, 12)}" is an invalid XML character`, line, column);
  }
}

/** Processing instructions whose target is `xml` in any case, outside comments and CDATA sections. */
const RESERVED_INSTRUCTION = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?([xX][mM][lL])(?=[\s?])/g;

/**
 * The target `xml` (any case) is reserved: only the declaration, lower case at the very start, may use it. A conforming
 * parser stops at `<?XML ...?>` or a second declaration, so the reference reads nothing of the document; so do we.
 */
function checkReservedInstructions(source: string, position: (offset: number) => { line: number; column: number }): void {
  if (!/<\?[xX][mM][lL]/.test(source.startsWith('<?xml') ? source.slice(5) : source)) return;
  RESERVED_INSTRUCTION.lastIndex = 0;
  for (let m = RESERVED_INSTRUCTION.exec(source); m; m = RESERVED_INSTRUCTION.exec(source)) {
    if (m[1] === undefined || (m.index === 0 && m[1] === 'xml')) continue;
    const { line, column } = position(m.index);
    throw new FormatError('malformed-xml', 'The processing instruction target matching "[xX][mM][lL]" is not allowed (only the XML declaration, in lower case at the start of the document)', line, column);
  }
}

/** XML's Char production: tab, line feed, carriage return, and the rest of Unicode bar the C0 controls, surrogates, U+FFFE and U+FFFF. */
function isXmlChar(point: number): boolean {
  if (point < 0x20) return point === 0x9 || point === 0xa || point === 0xd;
  return (point <= 0xd7ff || (point >= 0xe000 && point <= 0xfffd) || (point >= 0x10000 && point <= 0x10ffff));
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the predefined entities and character references; any other entity is an error. */
export function decodeXmlText(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&\s]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new FormatError('malformed-xml', "Malformed XML: '&' not starting an entity reference");
    const named = PREDEFINED[ref];
    if (named !== undefined) return named;
    const code = /^#x([0-9a-fA-F]+)$/.exec(ref)?.[1] ?? undefined;
    const dec = /^#([0-9]+)$/.exec(ref)?.[1] ?? undefined;
    const point = code !== undefined ? parseInt(code, 16) : dec !== undefined ? parseInt(dec, 10) : NaN;
    // HTML entities (`&reg;`, `&nbsp;`) are not XML: without a DTD an XML parser cannot read the document
    // past them, which is how the reference validator reports XML input that uses them (a fatal error).
    if (Number.isNaN(point)) throw new FormatError('malformed-xml', `The entity "${ref.slice(0, 40)}" was referenced, but not declared (only XML's predefined entities and character references are allowed; write '&${ref.slice(0, 40)};' as a character reference or the character itself)`);
    if (point > 0x10ffff || point === 0) throw new FormatError('malformed-xml', `Invalid character reference '&${ref};'`);
    return String.fromCodePoint(point);
  });
}

/** Attribute value normalisation (XML 1.0 section 3.3.3), then entity decoding. */
export function decodeAttribute(raw: string): string {
  return decodeXmlText(raw.replace(/\r\n|[\r\n\t]/g, ' '));
}

/** Text content: line-end normalisation, then entity decoding. */
export function decodeTextContent(raw: string): string {
  return decodeXmlText(raw.replace(/\r\n?/g, '\n'));
}

export function escapeXmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeXmlAttribute(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}
