/**
 * Narrative.txt-1 (`htmlChecks()`), checked natively as the reference validator's FHIRPath engine evaluates it
 * (FHIRPathEngine.funcHtmlChecks1 / checkHtmlNames, R4): every element of the div is one of the basic HTML formatting
 * elements, every attribute one of the allowed ones, and no comment is a DOCTYPE. It is an invariant of its own, so
 * the reference reports it beside the XhtmlValidator's finding on the same element (XHTML_XHTML_Element_Illegal).
 */
import { invariantRuleId } from '../../../plugin-types/index.js';
import { tableByTag, taggedNames } from '../../xhtml-names.js';
import { hasAttributes, type XElement } from '../../xhtml-tree.js';
import { CORE_SD } from '../options.js';
import { attributesByElement } from './xhtml-content.js';

export const INV_TXT_1 = invariantRuleId(`${CORE_SD}Narrative`, 'txt-1');

const ELEMENTS = taggedNames([
  'p', 'br', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'a', 'span', 'b', 'em', 'i', 'strong', 'small', 'big', 'tt', 'dfn', 'q', 'var',
  'abbr', 'acronym', 'cite', 'blockquote', 'hr', 'address', 'bdo', 'kbd', 'sub', 'sup', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'pre',
  'table', 'caption', 'colgroup', 'col', 'thead', 'tr', 'tfoot', 'tbody', 'th', 'td', 'code', 'samp', 'img', 'map', 'area',
]);

/** By tag (see xhtml-names.ts). */
export const ALLOWED = tableByTag((name) => ELEMENTS.has(name), false);

const ATTRIBUTES = new Set([
  'title', 'style', 'class', 'id', 'lang', 'xml:lang', 'xml:space', 'dir', 'accesskey', 'tabindex',
  'span', 'width', 'align', 'valign', 'char', 'charoff', 'abbr', 'axis', 'headers', 'scope', 'rowspan', 'colspan',
]);

/** The attributes particular elements may have, by element (looked up without building an `element.attribute` string). */
const ELEMENT_ATTRIBUTES = attributesByElement([
  'a.href', 'a.name', 'img.src', 'img.border', 'div.xmlns', 'blockquote.cite', 'q.cite', 'a.charset', 'a.type', 'a.hreflang', 'a.rel',
  'a.rev', 'a.shape', 'a.coords', 'img.alt', 'img.longdesc', 'img.height', 'img.width', 'img.usemap', 'img.ismap', 'map.name',
  'area.shape', 'area.coords', 'area.href', 'area.nohref', 'area.alt', 'table.summary', 'table.width', 'table.border', 'table.frame',
  'table.rules', 'table.cellspacing', 'table.cellpadding', 'pre.space', 'td.nowrap',
]);

export const TXT_1_MESSAGE =
  "Constraint failed: txt-1: 'The narrative SHALL contain only the basic html formatting elements and attributes described in chapters 7-11 (except section 4 of chapter 9) and 5.4.2 of the HTML 4.0 standard, <a> elements (either name or href), images and internally contained style attributes'";

/**
 * Whether htmlChecks() allows this element of the div (`tag`: its name's, see xhtml-names.ts), `depth` below it (the walk in xhtml-walk.ts asks for
 * each element, the div included, and {@link txt1AllowsComment} for each comment).
 */
export function txt1AllowsElement(node: XElement, tag: number, depth: number): boolean {
  if (!ALLOWED[tag] || depth > 200) return false;
  if (!hasAttributes(node)) return true;
  for (const an in node.attrs) if (!txt1AllowsAttribute(node.name, an)) return false;
  return true;
}

/** Whether htmlChecks() allows the attribute on the element. */
export function txt1AllowsAttribute(element: string, an: string): boolean {
  return an.startsWith('xmlns') || ATTRIBUTES.has(an) || ELEMENT_ATTRIBUTES.get(element)?.has(an) === true;
}

export function txt1AllowsComment(text: string): boolean {
  return !text.startsWith('DOCTYPE');
}
