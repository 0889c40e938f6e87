import { FormatError } from './errors.js';
import { decodeAttribute, decodeTextContent, escapeXmlAttribute, escapeXmlText, readXml, XHTML_NS, type XmlElement } from './xml-read.js';

/**
 * Serialises a narrative `div` as the XHTML string FHIR JSON carries: XHTML elements unprefixed, the
 * XHTML namespace declared on the `div`, entities normalised (only `&amp;` `&lt;` `&gt;` in text), comments
 * dropped, empty elements self-closed.
 */
export function serialiseXhtml(div: XmlElement): string {
  // A div in a namespace other than XHTML's keeps it, so the narrative's rules can report it; one in no namespace is XHTML.
  return writeElement(div, true, div.ns ? div.ns : XHTML_NS);
}

/** `home` is the div's namespace, written as the default: elements in it are written unprefixed. */
function writeElement(el: XmlElement, root: boolean, home: string): string {
  const name = el.ns === XHTML_NS || el.ns === home ? el.local : el.qname;
  let out = `<${name}`;
  if (root) out += ` xmlns="${escapeXmlAttribute(home)}"`;
  for (const [attr, raw] of Object.entries(el.rawAttributes)) {
    const value = decodeAttribute(raw);
    // Declarations of the XHTML namespace are implied by the root's default namespace.
    if ((attr === 'xmlns' || attr.startsWith('xmlns:')) && value === XHTML_NS) continue;
    if (attr === 'xmlns' && root) continue;
    out += ` ${attr}="${escapeXmlAttribute(value)}"`;
  }
  let body = '';
  for (const child of el.children) {
    if (child.kind === 'element') body += writeElement(child, false, home);
    else if (child.kind === 'text') body += escapeXmlText(decodeTextContent(child.raw));
    else if (child.kind === 'cdata') body += escapeXmlText(child.text);
  }
  return body === '' ? `${out}/>` : `${out}>${body}</${name}>`;
}

/**
 * Parses an XHTML string (from FHIR JSON) and returns it in canonical form, or throws a FormatError
 * when it is not well-formed XML with a `div` root in the XHTML namespace. A missing namespace
 * declaration is supplied, as FHIR JSON producers often omit it.
 */
export function canonicalXhtml(text: string): string {
  const declared = /^\s*<div[\s>/]/.test(text) && !/^\s*<div[^>]*\sxmlns\s*=/.test(text) ? text.replace(/^\s*<div/, `<div xmlns="${XHTML_NS}"`) : text;
  const { root } = readXml(declared);
  if (root.local !== 'div' || root.ns !== XHTML_NS) throw new FormatError('invalid-input', 'Narrative must be an XHTML div element');
  return serialiseXhtml(root);
}
