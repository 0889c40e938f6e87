/**
 * A narrative judged in one scan of its text, without a tree. Nearly every narrative is well formed, holds only
 * the elements and attributes FHIR allows, in their places, with no comment, no id used twice and no link that
 * needs a target looked up: then the tree's checks (xhtml-walk.ts: XhtmlValidator's content checks, txt-1, the
 * links and images) find nothing, and reading the tree is the most of a narrative's cost. The scan reads the
 * markup as the tree reader does (xhtml-tree.ts, same character classes) and answers true only when it can tell
 * that all of those checks would find nothing; on anything it does not follow (a comment, a declaration, a name
 * outside the lists, an element out of place, a link to '#id', markup that is not well formed) it answers false,
 * and the caller reads the tree and runs every check, so the findings are the same either way.
 */
import { NARRATIVE_ELEMENTS, NameTable, OTHER_ELEMENT, tableByTag, tagAt } from '../../xhtml-names.js';
import { attributeSpan, decodeEntities, isNameChar, isNameStart, isSpace, readAttribute } from '../../xhtml-tree.js';
import { ALLOWED, txt1AllowsAttribute } from './narrative-txt1.js';
import { BLOCKS, contentAllowsAttribute, IS_BLOCK_IN_PARA, IS_HTML, PLACES, urlProblem, XHTML_NS } from './xhtml-content.js';
import { hrefIsQuiet } from './xhtml-links.js';

/** What the scan gives of a clean narrative's root: its lang and xml:lang (the resource's language is checked against them). */
export interface CleanRoot {
  lang: string | undefined;
  xmlLang: string | undefined;
}

const tag = (name: string): number => NARRATIVE_ELEMENTS.indexOf(name as (typeof NARRATIVE_ELEMENTS)[number]);
const DIV = tag('div');
const A = tag('a');
const IMG = tag('img');

/** Every attribute either check allows on some element (any other name but an xmlns one is not followed). */
const ATTRIBUTES = [
  'title', 'style', 'class', 'id', 'lang', 'xml:lang', 'dir', 'accesskey', 'tabindex', 'span', 'width', 'align', 'valign', 'char',
  'charoff', 'abbr', 'axis', 'headers', 'scope', 'rowspan', 'colspan', 'href', 'name', 'src', 'border', 'xmlns', 'cite', 'charset',
  'type', 'hreflang', 'rel', 'rev', 'shape', 'coords', 'alt', 'longdesc', 'height', 'usemap', 'ismap', 'nohref', 'summary', 'frame',
  'rules', 'cellspacing', 'cellpadding', 'space', 'nowrap',
];
const ATTRIBUTE_TABLE = new NameTable(ATTRIBUTES);
const attribute = (name: string): number => ATTRIBUTES.indexOf(name);
const ID = attribute('id');
const LANG = attribute('lang');
const XML_LANG = attribute('xml:lang');
const HREF = attribute('href');
const NAME = attribute('name');
const SRC = attribute('src');
const XMLNS = attribute('xmlns');

/** By tag, then attribute: allowed on the element by both checks (xml:space, allowed by txt-1 alone, is a hint of the other). */
const ATTRIBUTE_OK = tableByTag((name) => ATTRIBUTES.map((an) => contentAllowsAttribute(name, an) && txt1AllowsAttribute(name, an)), []);

/** What an element's tag says, as bits (one load per element for all of them). */
const EMPTY = 1; // no children (checkPlace)
const NO_BLOCK = 2; // no block below: text-like and inline elements (pRules)
const INLINE = 4; // not below itself
const BLOCK = 8; // one of pRules' blocks
const BLOCK_IN_PARA = 16; // not below a paragraph
const PARA = 32;
const FLAGS = Uint8Array.from(
  tableByTag((name) => {
    const place = PLACES[tag(name)];
    return (
      (place?.empty ? EMPTY : 0) | (place?.text || place?.inline ? NO_BLOCK : 0) | (place?.inline ? INLINE : 0) |
      (BLOCKS.has(name) ? BLOCK : 0) | (IS_BLOCK_IN_PARA[tag(name)] ? BLOCK_IN_PARA : 0) | (name === 'p' ? PARA : 0)
    );
  }, 0),
);

/**
 * By parent tag * TAGS + tag: the element is allowed by both checks and may stand in that parent (the parent is not
 * empty, lists it among its children if it lists any, and is one of its parents if it lists any).
 */
const TAGS = OTHER_ELEMENT + 1;
const FITS = new Uint8Array(TAGS * TAGS);
for (let parent = 0; parent < OTHER_ELEMENT; parent++) {
  const children = PLACES[parent]?.children;
  for (let el = 0; el < OTHER_ELEMENT; el++) {
    const parents = PLACES[el]?.parents;
    const fits = IS_HTML[el] && ALLOWED[el] && !PLACES[parent]?.empty && (!children || children.includes(NARRATIVE_ELEMENTS[el]!)) && (!parents || parents.includes(NARRATIVE_ELEMENTS[parent]!));
    FITS[parent * TAGS + el] = fits ? 1 : 0;
  }
}
/** Where only some elements may stand, text must be whitespace; in an empty element there is none. */
const TEXT_RULE = tableByTag((name) => PLACES[tag(name)]?.empty === true || PLACES[tag(name)]?.children !== undefined, false);

const MAX_DEPTH = 200;

/** The scan's state, kept between calls (one scan at a time; every call starts by resetting what it uses). */
const openTags: number[] = [];
const inlineOpen = new Int32Array(TAGS);
let ids: Set<string> | undefined;
let elementId: string | undefined;
let anchorName: string | undefined;
let rootNamespace = false;
let rootLang: string | undefined;
let rootXmlLang: string | undefined;

/**
 * The root's lang and xml:lang when the narrative `source` is well formed and the tree's checks would find nothing in
 * it (see the file's comment). Undefined says nothing: read the tree.
 */
export function isCleanNarrative(source: string): CleanRoot | undefined {
  const open = openTags;
  open.length = 0;
  ids = undefined;
  rootLang = undefined;
  rootXmlLang = undefined;
  rootNamespace = false;
  // Open elements below the root that hold no block, paragraphs and inline ones: what the elements below them may not be.
  let noBlockOpen = 0;
  let paraOpen = 0;
  let inlines = 0;
  let rootSeen = false;
  let clean = false;
  let i = 0;
  for (;;) {
    if (i >= source.length) {
      clean = rootSeen && open.length === 0;
      break;
    }
    const lt = source.charCodeAt(i) === LT ? i : source.indexOf('<', i);
    if (lt < 0) {
      // Text after the last tag: outside the root it is no content, inside an open element the markup fails.
      clean = rootSeen && open.length === 0;
      break;
    }
    const depth = open.length;
    // Text directly in an element (outside the root it is no content): none in an empty element, none but whitespace where only some elements may be.
    if (lt > i && depth > 0 && TEXT_RULE[open[depth - 1]!] && (FLAGS[open[depth - 1]!]! & EMPTY || !isBlankRange(source, i, lt))) break;
    const next = source.charCodeAt(lt + 1);
    if (next === SLASH) {
      // An end tag names the open element: its name, then whitespace and '>'.
      if (depth === 0) break;
      const el = open[depth - 1]!;
      const name = NARRATIVE_ELEMENTS[el]!;
      const start = lt + 2;
      let k = 0;
      while (k < name.length && source.charCodeAt(start + k) === name.charCodeAt(k)) k++;
      let j = start + k;
      // A longer name fails at the '>' below.
      if (k < name.length) break;
      while (isSpace(source.charCodeAt(j))) j++;
      if (source.charCodeAt(j) !== GT) break;
      open.pop();
      if (depth > 1) {
        const flags = FLAGS[el]!;
        if (flags & NO_BLOCK) noBlockOpen--;
        if (flags & INLINE) inlineOpen[el]!--;
        if (flags & PARA) paraOpen--;
      }
      i = j + 1;
      continue;
    }
    if (!isNameStart(next)) break; // a comment, a declaration, or a stray '<'
    let j = lt + 2;
    while (isNameChar(source.charCodeAt(j))) j++;
    const el = tagAt(source, lt + 1, j);
    const flags = FLAGS[el]!;
    if (depth === 0) {
      if (rootSeen || el !== DIV) break;
      rootSeen = true;
    } else {
      if (!FITS[open[depth - 1]! * TAGS + el] || depth > MAX_DEPTH) break;
      if ((noBlockOpen > 0 && flags & BLOCK) || (paraOpen > 0 && flags & BLOCK_IN_PARA) || (flags & INLINE && inlineOpen[el]! > 0)) break;
    }
    elementId = undefined;
    anchorName = undefined;
    j = scanAttributes(source, j, el, depth);
    if (j < 0) break;
    while (isSpace(source.charCodeAt(j))) j++;
    const empty = source.charCodeAt(j) === SLASH;
    if (empty) j++;
    if (source.charCodeAt(j) !== GT) break;
    if (depth === 0 ? !rootNamespace : !noteIds()) break;
    if (!empty) {
      open.push(el);
      if (depth > 0) {
        if (flags & NO_BLOCK) noBlockOpen++;
        if (flags & INLINE) {
          inlineOpen[el]!++;
          inlines++;
        }
        if (flags & PARA) paraOpen++;
      }
    }
    i = j + 1;
  }
  if (inlines > 0) inlineOpen.fill(0);
  return clean ? { lang: rootLang, xmlLang: rootXmlLang } : undefined;
}

/** IdTally.note for the element just read: false when an id or anchor name was used before. */
function noteIds(): boolean {
  if (elementId === undefined && anchorName === undefined) return true;
  if (elementId !== undefined && !noteId(elementId)) return false;
  return anchorName === undefined || anchorName === elementId || noteId(anchorName);
}

function noteId(id: string): boolean {
  if (ids?.has(id)) return false;
  (ids ??= new Set()).add(id);
  return true;
}

/**
 * The attributes of a start tag from `at` (just after its name of tag `el`), read as the tree reader reads them:
 * the index after the last one, or -1 when one is not followed or would be a finding.
 */
function scanAttributes(source: string, at: number, el: number, depth: number): number {
  const span = attributeSpan;
  while (readAttribute(source, at)) {
    at = span.next;
    const an = ATTRIBUTE_TABLE.at(source, span.nameStart, span.nameEnd);
    if (an < 0) {
      // Any xmlns-prefixed name is allowed, and only `xmlns` itself is checked.
      if (!source.startsWith('xmlns', span.nameStart)) return -1;
      continue;
    }
    if (!ATTRIBUTE_OK[el]![an]) return -1;
    if (!quietAttribute(an, decodedValue(source, an, span.valueStart, span.valueEnd), el, depth)) return -1;
  }
  return at;
}

/** The attributes whose values matter: read (decoded) only for those. */
function decodedValue(source: string, an: number, start: number, end: number): string | undefined {
  if (an !== XMLNS && an !== HREF && an !== SRC && an !== ID && an !== NAME && an !== LANG && an !== XML_LANG) return undefined;
  return decodeEntities(source.slice(start, end));
}

/** Whether the value of attribute `an` on `el` at `depth` is no finding (and notes what the scan keeps of it). */
function quietAttribute(an: number, value: string | undefined, el: number, depth: number): boolean {
  if (an === XMLNS) {
    if (value !== XHTML_NS) return false;
    if (depth === 0) rootNamespace = true;
  } else if (an === HREF) {
    if (el === A) return urlProblem(value!) === undefined && hrefIsQuiet(value!);
  } else if (an === SRC) {
    if (el === IMG) return urlProblem(value!) === undefined && value!.charCodeAt(0) !== 0x23; /* # */
  } else if (depth === 0) {
    if (an === LANG) rootLang = value;
    else if (an === XML_LANG) rootXmlLang = value;
  } else if (an === ID) elementId = value;
  else if (an === NAME) {
    if (el === A) anchorName = value;
  } else if (an === XML_LANG) {
    // A language section: the checks of mixed and required languages read the tree.
    if (depth === 1 && el === DIV) return false;
  }
  return true;
}

function isBlankRange(source: string, start: number, end: number): boolean {
  for (let k = start; k < end; k++) if (!isSpace(source.charCodeAt(k))) return false;
  return true;
}

const SLASH = 0x2f;
const LT = 0x3c;
const GT = 0x3e;
