/**
 * The content model of narrative XHTML, as the reference validator's XhtmlValidator checks it: namespaces
 * of inner elements, the elements and attributes FHIR allows (checkInnerNames), URLs of links and images
 * (checkUrls), where elements may appear (checkXhtmlStructure), language sections beside other content
 * (checkMixedLangs) and ids used twice (checkForDuplicateIds). Every finding is at the div. The walk over the
 * tree (xhtml-walk.ts) calls these for each node below the root; their issues are held until it ends.
 */
import { clip } from '../../primitives.js';
import { tableByTag, taggedNames } from '../../xhtml-names.js';
import { hasAttributes, hasContent, isBlank, type XElement, type XNode } from '../../xhtml-tree.js';
import { CHECK, type HeldFindings } from './xhtml-findings.js';

export const XHTML_NS = 'http://www.w3.org/1999/xhtml';

const HTML_ELEMENTS = taggedNames('p br div h1 h2 h3 h4 h5 h6 a span b em i strong small big tt dfn q var abbr acronym cite blockquote hr address bdo kbd sub sup ul ol li dl dt dd pre table caption colgroup col thead tr tfoot tbody th td code samp img map area'.split(' '));
const HTML_ATTRIBUTES = new Set('title style class id lang xml:lang dir accesskey tabindex span width align valign char charoff abbr axis headers scope rowspan colspan'.split(' '));
/** The reference's element.attribute combo list, as the attributes each element may have (no string built per check). */
const HTML_COMBO_LIST = attributesByElement(
  'a.href a.name img.src img.border div.xmlns blockquote.cite q.cite a.charset a.type a.hreflang a.rel a.rev a.shape a.coords img.alt img.longdesc img.height img.width img.usemap img.ismap map.name area.shape area.coords area.href area.nohref area.alt table.summary table.width table.border table.frame table.rules table.cellspacing table.cellpadding pre.space td.nowrap'.split(' '),
);
const HTML_BLOCK_LIST = taggedNames(['div', 'blockquote', 'table', 'ol', 'ul', 'p']);

/** What the checks of one element need to know of its name, by tag (see xhtml-names.ts). */
export const IS_HTML = tableByTag((name) => HTML_ELEMENTS.has(name), false);
export const IS_BLOCK_IN_PARA = tableByTag((name) => HTML_BLOCK_LIST.has(name), false);

/** `element.attribute` pairs as a map from each element to its attributes. */
export function attributesByElement(pairs: readonly string[]): ReadonlyMap<string, ReadonlySet<string>> {
  const map = new Map<string, Set<string>>();
  for (const pair of pairs) {
    const [element, attribute] = pair.split('.') as [string, string];
    let set = map.get(element);
    if (!set) map.set(element, (set = new Set()));
    set.add(attribute);
  }
  return map;
}

/**
 * The content checks of one element below the root (`tag`: its name's, see xhtml-names.ts): its namespace, its
 * name and attributes (`inPara`: below a `p`), its link or image URL, and its place (`names` is the path to it
 * from 'div', `parent` its parent).
 */
export function checkContentElement(node: XElement, tag: number, parent: XElement, names: string[], inPara: boolean, found: HeldFindings): void {
  if (!IS_HTML[tag]) found.add(CHECK.names, 'XHTML_XHTML_Element_Illegal', 'error', 'invalid', `Invalid element name in the XHTML ('${clip(node.name)}')`);
  if (hasAttributes(node)) checkAttributes(node, found);
  if (inPara && IS_BLOCK_IN_PARA[tag]) found.add(CHECK.names, 'XHTML_XHTML_ELEMENT_ILLEGAL_IN_PARA', 'error', 'invalid', `Invalid element name inside a paragraph in the XHTML ('${node.name}')`);
  checkPlace(names, node, tag, parent, found);
}

/** The namespace, attribute names and link or image URL of an element that has attributes. */
function checkAttributes(node: XElement, found: HeldFindings): void {
  const ns = node.attrs['xmlns'];
  if (ns !== undefined && ns !== XHTML_NS) found.add(CHECK.ns, 'XHTML_XHTML_NS_InValid', 'error', 'invalid', `Wrong namespace on the XHTML ('${clip(ns)}', should be '${XHTML_NS}')`);
  for (const an in node.attrs) {
    if (contentAllowsAttribute(node.name, an)) continue;
    if (an === 'xml:space') found.add(CHECK.names, 'XHTML_XHTML_ATTRIBUTE_XML_SPACE', 'information', 'invalid', "The attribute 'xml:space' is legal but has a fixed value of 'preserve'. Its use is discouraged");
    else found.add(CHECK.names, 'XHTML_XHTML_Attribute_Illegal', 'error', 'invalid', `Invalid attribute name in the XHTML ('${clip(an)}' on '${clip(node.name)}')`);
  }
  const url = node.name === 'a' ? node.attrs['href'] : node.name === 'img' ? node.attrs['src'] : undefined;
  const problem = url === undefined ? undefined : urlProblem(url);
  if (problem) found.add(CHECK.urls, 'XHTML_URL_INVALID', 'error', 'invalid', `The URL is not valid because '(${problem})': ${clip(url!)}`);
}

/** Whether checkInnerNames allows the attribute on the element. */
export function contentAllowsAttribute(element: string, an: string): boolean {
  return an.startsWith('xmlns') || HTML_ATTRIBUTES.has(an) || HTML_COMBO_LIST.get(element)?.has(an) === true;
}

/** A comment below the root that is a DOCTYPE (checkInnerNames). */
export function checkContentComment(text: string, found: HeldFindings): void {
  if (text.startsWith('DOCTYPE')) found.add(CHECK.names, 'XHTML_XHTML_DOCTYPE_ILLEGAL', 'error', 'invalid', 'Malformed XHTML: Found a DocType declaration, and these are not allowed (XXE security vulnerability protection)');
}

const URL_CHAR = /[\p{L}\p{N};?:@&=+$.,/%\-_~#[\]!'()*|]/u;

/** UrlUtil.checkValidUrl: why a link or image URL is not valid, or undefined. */
export function urlProblem(value: string): string | undefined {
  if (value === '') return 'URL is empty';
  if (value.startsWith('data:')) {
    const p = value.slice(5).split(',');
    while (p.length > 1 && p[p.length - 1] === '') p.pop(); // Java's split drops trailing empty strings
    if (p.length < 2) return 'No data found in data: URL';
    if (p.length > 2) return `Comma found in data portion of data URL: ${clip(value)}`;
    if (p[0]!.endsWith(';base64') && !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(p[1]!)) return `The data should be valid base64 content for a data: URL: ${clip(value)}`;
    return undefined;
  }
  const invalid = new Set<string>();
  let count = 0;
  for (const ch of value) {
    if (!URL_CHAR.test(ch)) {
      count++;
      invalid.add(`'${ch}'`);
    }
  }
  return count === 0 ? undefined : `URL contains ${count} Invalid Character${count === 1 ? '' : 's'}: ${[...invalid].sort().join(',')}`;
}

/**
 * What checkXhtmlStructure checks of an element, by the element's name (other elements have nothing checked), in
 * the order the findings come: `text`, no block below (pRules); `empty`, no children; `inline`, neither a block nor
 * itself below; `parents`, the names its parent may have; `children`, the names its element children may have (and
 * no text). One table for the tree's checks (checkPlace) and the narrative scan (narrative-clean.ts).
 */
export interface PlaceRule {
  text?: boolean;
  empty?: boolean;
  inline?: boolean;
  parents?: readonly string[];
  children?: readonly string[];
}

const TEXT_LIKE: PlaceRule = { text: true };
const EMPTY: PlaceRule = { empty: true };
const INLINE: PlaceRule = { inline: true };
const TABLE_SECTION: PlaceRule = { parents: ['table'], children: ['tr'] };
const LIST: PlaceRule = { children: ['li'] };
const CELL: PlaceRule = { parents: ['tr', 'thead', 'tfoot'] };
const DL_ITEM: PlaceRule = { text: true, parents: ['dl'] };

const PLACE_NAMES = new Map<string, PlaceRule>([
  ...'p h1 h2 h3 h4 h5 h6 pre address span'.split(' ').map((n) => [n, TEXT_LIKE] as const),
  ...'br img hr area'.split(' ').map((n) => [n, EMPTY] as const),
  ...'a b em i strong small big sub sup code tt dfn q var abbr acronym cite bdo kbd samp'.split(' ').map((n) => [n, INLINE] as const),
  ['table', { children: ['tbody', 'tr', 'caption', 'thead', 'tfoot', 'col', 'colgroup'] }],
  ['tr', { parents: ['table', 'thead', 'tfoot', 'tbody'], children: ['td', 'th'] }],
  ['tbody', TABLE_SECTION], ['thead', TABLE_SECTION], ['tfoot', TABLE_SECTION],
  ['ul', LIST], ['ol', LIST],
  ['caption', { text: true, parents: ['table'] }],
  ['colgroup', { parents: ['table'] }],
  ['col', { parents: ['colgroup', 'table'] }],
  ['th', CELL], ['td', CELL],
  ['li', { parents: ['ul', 'ol'] }],
  ['dl', { children: ['dd', 'dt'] }],
  ['dd', DL_ITEM], ['dt', DL_ITEM],
  ['map', { children: ['area'] }],
]);

/** By tag (see xhtml-names.ts); every name a rule lists is a narrative element. */
export const PLACES = tableByTag((name) => PLACE_NAMES.get(name), undefined);
for (const rule of PLACE_NAMES.values()) taggedNames([...(rule.parents ?? []), ...(rule.children ?? [])]);

/** checkXhtmlStructure for one element: `names` is its path from 'div' (joined only for a finding). */
function checkPlace(names: string[], x: XElement, tag: number, parent: XElement, found: HeldFindings): void {
  const rule = PLACES[tag];
  if (!rule) return;
  if (rule.text) pRules(names, x, found);
  if (rule.empty && x.children.length > 0) found.add(CHECK.structure, 'XHTML_XHTML_NO_CHILDREN', 'error', 'structure', `Elements of type ${x.name} cannot have children`);
  // One look below for both findings; most inline elements hold neither a block nor themselves.
  if (rule.inline && hasDescendant(x, BLOCKS, x.name)) {
    pRules(names, x, found);
    if (hasDescendant(x, NONE, x.name)) {
      const nested = descendants(x.name, x, new Set([x.name]));
      found.add(CHECK.structure, 'XHTML_XHTML_NO_RECURSION', 'error', 'structure', `Elements of type ${x.name} at ${names.join('/')} cannot contain nested ${x.name} at ${nested.join(',')}`);
    }
  }
  if (rule.parents) placedIn(names, x, parent, rule.parents, found);
  if (rule.children) onlyChildren(names, x, rule.children, found);
}

/** What no text-like or inline element may hold (pRules). */
export const BLOCKS: ReadonlySet<string> = taggedNames(['div', 'pre', 'table', 'ul', 'ol']);

function pRules(names: string[], x: XElement, found: HeldFindings): void {
  if (!hasDescendant(x, BLOCKS)) return;
  const list = descendants(x.name, x, BLOCKS);
  found.add(CHECK.structure, 'XHTML_XHTML_BLOCK_IN_PARA', 'error', 'structure', `Found block structures inside a paragraph/text element ${x.name} at ${names.join('/')}: ${list.join(',')}`);
}

function placedIn(names: string[], x: XElement, p: XElement, allowed: readonly string[], found: HeldFindings): void {
  if (!allowed.includes(p.name)) found.add(CHECK.structure, 'XHTML_XHTML_OUT_OF_PLACE', 'error', 'structure', `Elements of type ${x.name} must be in a ${allowed.join('|')}, not a ${p.name} at ${names.join('/')}`);
}

function onlyChildren(names: string[], x: XElement, allowed: readonly string[], found: HeldFindings): void {
  let list: string[] | undefined;
  for (const c of x.children) {
    if (c.kind === 'text' && !isBlank(c.text)) (list ??= []).push('@text');
    else if (c.kind === 'element' && !allowed.includes(c.name)) (list ??= []).push(c.name);
  }
  if (list) found.add(CHECK.structure, 'XHTML_XHTML_ILLEGAL_CHILDREN', 'error', 'structure', `Elements of type ${x.name} at ${names.join('/')} cannot have the following children: ${list.join(',')}`);
}

/** Whether `x` has a descendant element named in the set or `name` (so the paths are made only for a finding). */
function hasDescendant(x: XElement, names: ReadonlySet<string>, name?: string): boolean {
  for (const c of x.children) {
    if (c.kind !== 'element') continue;
    if (c.name === name || names.has(c.name)) return true;
    if (c.children.length > 0 && hasDescendant(c, names, name)) return true;
  }
  return false;
}

const NONE: ReadonlySet<string> = new Set();

/** Paths (from `path`) of the descendants of `x` named in `names` (findDescendents). */
function descendants(path: string, x: XElement, names: ReadonlySet<string>, list: string[] = []): string[] {
  for (const c of x.children) {
    if (c.kind !== 'element') continue;
    const cpath = `${path}/${c.name}`;
    if (names.has(c.name)) list.push(cpath);
    descendants(cpath, c, names, list);
  }
  return list;
}

/** Language sections (divs with xml:lang) among the root's children beside content in no section: a warning. */
export function checkMixedLangs(list: XNode[], found: HeldFindings): void {
  let langs: Set<string> | undefined;
  for (const node of list) if (isLangSection(node)) (langs ??= new Set()).add(node.attrs['xml:lang']!);
  // Other content matters only beside a language section.
  if (!langs) return;
  let other = false;
  for (const node of list) if (!isLangSection(node) && hasContent(node)) other = true;
  if (other) {
    found.add(CHECK.langs, 'XHTML_XHTML_MIXED_LANG', 'warning', 'business-rule', `The xhtml has some language sections (${[...langs].join(', ')}), and also has content that is not in a language section`);
  }
}

function isLangSection(node: XNode): node is XElement {
  return node.kind === 'element' && node.name === 'div' && node.attrs['xml:lang'] !== undefined;
}

/** Ids and anchor names of the elements below the root, for one warning listing those used more than once. */
export class IdTally {
  private readonly ids = new Set<string>();
  private duplicates: Map<string, number> | undefined;

  note(node: XElement): void {
    if (!hasAttributes(node)) return;
    const id = node.attrs['id'];
    if (id !== undefined) this.noteId(id);
    const name = node.name === 'a' ? node.attrs['name'] : undefined;
    if (name !== undefined && name !== id) this.noteId(name);
  }

  report(found: HeldFindings): void {
    const duplicates = this.duplicates;
    if (!duplicates) return;
    const summary = [...duplicates.keys()].sort().map((k) => `${clip(k)} (${duplicates.get(k)}x)`);
    found.add(CHECK.ids, 'XHTML_XHTML_DUPLICATE_IDS', 'warning', 'business-rule', `The XHTML the resource contains more than one node for each of the following node ids and anchor names: ${summary.join(', ')}`);
  }

  private noteId(id: string): void {
    if (!this.ids.has(id)) this.ids.add(id);
    else (this.duplicates ??= new Map()).set(id, (this.duplicates.get(id) ?? 1) + 1);
  }
}
