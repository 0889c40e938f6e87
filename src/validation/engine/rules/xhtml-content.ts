/**
 * The content model of narrative XHTML, as the reference validator's XhtmlValidator checks it: namespaces
 * of inner elements, the elements and attributes FHIR allows (checkInnerNames), URLs of links and images
 * (checkUrls), where elements may appear (checkXhtmlStructure), language sections beside other content
 * (checkMixedLangs) and ids used twice (checkForDuplicateIds). Every finding is at the div.
 */
import { clip } from '../../primitives.js';
import { hasContent, isBlank, type XElement, type XNode } from '../../xhtml-tree.js';
import type { RuleContext } from '../context.js';

export const XHTML_NS = 'http://www.w3.org/1999/xhtml';

const HTML_ELEMENTS = new Set('p br div h1 h2 h3 h4 h5 h6 a span b em i strong small big tt dfn q var abbr acronym cite blockquote hr address bdo kbd sub sup ul ol li dl dt dd pre table caption colgroup col thead tr tfoot tbody th td code samp img map area'.split(' '));
const HTML_ATTRIBUTES = new Set('title style class id lang xml:lang dir accesskey tabindex span width align valign char charoff abbr axis headers scope rowspan colspan'.split(' '));
/** The reference's element.attribute combo list, as the attributes each element may have (no string built per check). */
const HTML_COMBO_LIST = attributesByElement(
  'a.href a.name img.src img.border div.xmlns blockquote.cite q.cite a.charset a.type a.hreflang a.rel a.rev a.shape a.coords img.alt img.longdesc img.height img.width img.usemap img.ismap map.name area.shape area.coords area.href area.nohref area.alt table.summary table.width table.border table.frame table.rules table.cellspacing table.cellpadding pre.space td.nowrap'.split(' '),
);

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
const HTML_BLOCK_LIST = new Set(['div', 'blockquote', 'table', 'ol', 'ul', 'p']);

/** Runs XhtmlValidator's checks below the root div (the root's name and namespace are checked by the caller). */
export function checkXhtmlContent(root: XElement, at: string, ctx: RuleContext): void {
  checkInnerNs(root.children, at, ctx);
  checkInnerNames(root.children, at, false, ctx);
  checkUrls(root.children, at, ctx);
  checkStructure(['div'], root, at, ctx);
  checkMixedLangs(root.children, at, ctx);
  checkDuplicateIds(root.children, at, ctx);
}

function checkInnerNs(list: XNode[], at: string, ctx: RuleContext): void {
  for (const node of list) {
    if (node.kind !== 'element') continue;
    const ns = node.attrs['xmlns'];
    if (ns !== undefined && ns !== XHTML_NS) ctx.report('XHTML_XHTML_NS_InValid', 'error', 'invalid', at, `Wrong namespace on the XHTML ('${clip(ns)}', should be '${XHTML_NS}')`);
    checkInnerNs(node.children, at, ctx);
  }
}

function checkInnerNames(list: XNode[], at: string, inPara: boolean, ctx: RuleContext): void {
  for (const node of list) {
    if (node.kind === 'comment' && node.text.startsWith('DOCTYPE')) {
      ctx.report('XHTML_XHTML_DOCTYPE_ILLEGAL', 'error', 'invalid', at, 'Malformed XHTML: Found a DocType declaration, and these are not allowed (XXE security vulnerability protection)');
    }
    if (node.kind !== 'element') continue;
    if (!HTML_ELEMENTS.has(node.name)) ctx.report('XHTML_XHTML_Element_Illegal', 'error', 'invalid', at, `Invalid element name in the XHTML ('${clip(node.name)}')`);
    for (const an in node.attrs) {
      if (an.startsWith('xmlns') || HTML_ATTRIBUTES.has(an) || HTML_COMBO_LIST.get(node.name)?.has(an)) continue;
      if (an === 'xml:space') ctx.report('XHTML_XHTML_ATTRIBUTE_XML_SPACE', 'information', 'invalid', at, "The attribute 'xml:space' is legal but has a fixed value of 'preserve'. Its use is discouraged");
      else ctx.report('XHTML_XHTML_Attribute_Illegal', 'error', 'invalid', at, `Invalid attribute name in the XHTML ('${clip(an)}' on '${clip(node.name)}')`);
    }
    if (inPara && HTML_BLOCK_LIST.has(node.name)) ctx.report('XHTML_XHTML_ELEMENT_ILLEGAL_IN_PARA', 'error', 'invalid', at, `Invalid element name inside a paragraph in the XHTML ('${node.name}')`);
    checkInnerNames(node.children, at, inPara || node.name === 'p', ctx);
  }
}

function checkUrls(list: XNode[], at: string, ctx: RuleContext): void {
  for (const node of list) {
    if (node.kind !== 'element') continue;
    const url = node.name === 'a' ? node.attrs['href'] : node.name === 'img' ? node.attrs['src'] : undefined;
    const problem = url === undefined ? undefined : urlProblem(url);
    if (problem) ctx.report('XHTML_URL_INVALID', 'error', 'invalid', at, `The URL is not valid because '(${problem})': ${clip(url!)}`);
    checkUrls(node.children, at, ctx);
  }
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
 * checkXhtmlStructure: where each element may appear and what it may hold. `names` is the path to `x`
 * (from 'div'); a path is joined only for a finding, so a clean narrative makes no string here.
 */
function checkStructure(names: string[], x: XElement, at: string, ctx: RuleContext): void {
  for (const c of x.children) {
    if (c.kind !== 'element') continue;
    names.push(c.name);
    switch (c.name) {
      case 'p': case 'h1': case 'h2': case 'h3': case 'h4': case 'h5': case 'h6': case 'pre': case 'address': case 'span':
        pRules(names, c, at, ctx);
        break;
      case 'br': case 'img': case 'hr': case 'area':
        if (c.children.length > 0) ctx.report('XHTML_XHTML_NO_CHILDREN', 'error', 'structure', at, `Elements of type ${c.name} cannot have children`);
        break;
      case 'a': case 'b': case 'em': case 'i': case 'strong': case 'small': case 'big': case 'sub': case 'sup': case 'code': case 'tt':
      case 'dfn': case 'q': case 'var': case 'abbr': case 'acronym': case 'cite': case 'bdo': case 'kbd': case 'samp': {
        pRules(names, c, at, ctx);
        if (hasDescendant(c, c.name)) {
          const nested = descendants(c.name, c, new Set([c.name]));
          ctx.report('XHTML_XHTML_NO_RECURSION', 'error', 'structure', at, `Elements of type ${c.name} at ${names.join('/')} cannot contain nested ${c.name} at ${nested.join(',')}`);
        }
        break;
      }
      case 'table':
        onlyChildren(names, c, TABLE_CHILDREN, at, ctx);
        break;
      case 'tr':
        parent(names, c, x, ROW_PARENTS, at, ctx);
        onlyChildren(names, c, ROW_CHILDREN, at, ctx);
        break;
      case 'tbody': case 'thead': case 'tfoot':
        parent(names, c, x, TABLE, at, ctx);
        onlyChildren(names, c, ROW, at, ctx);
        break;
      case 'ul': case 'ol':
        onlyChildren(names, c, LIST_CHILDREN, at, ctx);
        break;
      case 'caption':
        pRules(names, c, at, ctx);
        parent(names, c, x, TABLE, at, ctx);
        break;
      case 'colgroup':
        parent(names, c, x, TABLE, at, ctx);
        break;
      case 'col':
        parent(names, c, x, COL_PARENTS, at, ctx);
        break;
      case 'th': case 'td':
        parent(names, c, x, CELL_PARENTS, at, ctx);
        break;
      case 'li':
        parent(names, c, x, LIST_PARENTS, at, ctx);
        break;
      case 'dl':
        onlyChildren(names, c, DL_CHILDREN, at, ctx);
        break;
      case 'dd': case 'dt':
        pRules(names, c, at, ctx);
        parent(names, c, x, DL, at, ctx);
        break;
      case 'map':
        onlyChildren(names, c, MAP_CHILDREN, at, ctx);
        break;
      default:
    }
    if (c.children.length > 0) checkStructure(names, c, at, ctx);
    names.pop();
  }
}

const TABLE_CHILDREN = ['tbody', 'tr', 'caption', 'thead', 'tfoot', 'col', 'colgroup'];
const ROW_PARENTS = ['table', 'thead', 'tfoot', 'tbody'];
const ROW_CHILDREN = ['td', 'th'];
const TABLE = ['table'];
const ROW = ['tr'];
const LIST_CHILDREN = ['li'];
const COL_PARENTS = ['colgroup', 'table'];
const CELL_PARENTS = ['tr', 'thead', 'tfoot'];
const LIST_PARENTS = ['ul', 'ol'];
const DL_CHILDREN = ['dd', 'dt'];
const DL = ['dl'];
const MAP_CHILDREN = ['area'];

const BLOCKS = new Set(['div', 'pre', 'table', 'ul', 'ol']);

function pRules(names: string[], x: XElement, at: string, ctx: RuleContext): void {
  if (!hasDescendant(x, BLOCKS)) return;
  const list = descendants(x.name, x, BLOCKS);
  ctx.report('XHTML_XHTML_BLOCK_IN_PARA', 'error', 'structure', at, `Found block structures inside a paragraph/text element ${x.name} at ${names.join('/')}: ${list.join(',')}`);
}

function parent(names: string[], x: XElement, p: XElement, allowed: readonly string[], at: string, ctx: RuleContext): void {
  if (!allowed.includes(p.name)) ctx.report('XHTML_XHTML_OUT_OF_PLACE', 'error', 'structure', at, `Elements of type ${x.name} must be in a ${allowed.join('|')}, not a ${p.name} at ${names.join('/')}`);
}

function onlyChildren(names: string[], x: XElement, allowed: readonly string[], at: string, ctx: RuleContext): void {
  let list: string[] | undefined;
  for (const c of x.children) {
    if (c.kind === 'text' && !isBlank(c.text)) (list ??= []).push('@text');
    else if (c.kind === 'element' && !allowed.includes(c.name)) (list ??= []).push(c.name);
  }
  if (list) ctx.report('XHTML_XHTML_ILLEGAL_CHILDREN', 'error', 'structure', at, `Elements of type ${x.name} at ${names.join('/')} cannot have the following children: ${list.join(',')}`);
}

/** Whether `x` has a descendant element named `name` or named in the set (so the paths are made only for a finding). */
function hasDescendant(x: XElement, names: string | ReadonlySet<string>): boolean {
  for (const c of x.children) {
    if (c.kind !== 'element') continue;
    if (typeof names === 'string' ? c.name === names : names.has(c.name)) return true;
    if (c.children.length > 0 && hasDescendant(c, names)) return true;
  }
  return false;
}

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

/** Language sections (divs with xml:lang) beside content in no section: a warning. */
function checkMixedLangs(list: XNode[], at: string, ctx: RuleContext): void {
  let langs: Set<string> | undefined;
  for (const node of list) if (isLangSection(node)) (langs ??= new Set()).add(node.attrs['xml:lang']!);
  // Other content matters only beside a language section.
  if (!langs) return;
  let other = false;
  for (const node of list) if (!isLangSection(node) && hasContent(node)) other = true;
  if (other) {
    ctx.report('XHTML_XHTML_MIXED_LANG', 'warning', 'business-rule', at, `The xhtml has some language sections (${[...langs].join(', ')}), and also has content that is not in a language section`);
  }
}

function isLangSection(node: XNode): node is XElement {
  return node.kind === 'element' && node.name === 'div' && node.attrs['xml:lang'] !== undefined;
}

/** Ids and anchor names used more than once below the root: one warning listing them. */
function checkDuplicateIds(list: XNode[], at: string, ctx: RuleContext): void {
  const duplicates = new Map<string, number>();
  scanIds(list, new Set(), duplicates);
  if (duplicates.size === 0) return;
  const summary = [...duplicates.keys()].sort().map((k) => `${clip(k)} (${duplicates.get(k)}x)`);
  ctx.report('XHTML_XHTML_DUPLICATE_IDS', 'warning', 'business-rule', at, `The XHTML the resource contains more than one node for each of the following node ids and anchor names: ${summary.join(', ')}`);
}

/** Notes each id and anchor name below `nodes` in `ids`, and how often those met before come again in `duplicates`. */
function scanIds(nodes: XNode[], ids: Set<string>, duplicates: Map<string, number>): void {
  for (const node of nodes) {
    if (node.kind !== 'element') continue;
    const id = node.attrs['id'];
    if (id !== undefined) noteId(id, ids, duplicates);
    const name = node.name === 'a' ? node.attrs['name'] : undefined;
    if (name !== undefined && name !== id) noteId(name, ids, duplicates);
    if (node.children.length > 0) scanIds(node.children, ids, duplicates);
  }
}

function noteId(id: string, ids: Set<string>, duplicates: Map<string, number>): void {
  if (ids.has(id)) duplicates.set(id, (duplicates.get(id) ?? 1) + 1);
  else ids.add(id);
}
