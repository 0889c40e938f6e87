/**
 * A small reader of narrative XHTML (the string Narrative.div holds) into a light tree, as the reference
 * validator's XhtmlParser reads it in XML mode: elements with their attributes, text, and comments
 * (a `<!DOCTYPE ...>` or `<?...?>` inside the content is kept as a comment, as that parser does). It
 * returns undefined when the markup is not well formed (an end tag that does not match, an element left
 * open, a stray `<`); the caller then reports the parse error and checks nothing inside.
 */

export interface XElement {
  kind: 'element';
  name: string;
  attrs: Record<string, string>;
  children: XNode[];
}
export type XNode = XElement | { kind: 'text'; text: string } | { kind: 'comment'; text: string };

/** The root element of the XHTML, or undefined when it is not well formed. */
export function readXhtml(source: string): XElement | undefined {
  // One forward scan over character codes (indexOf for the long runs): no regular expression, and no string
  // made except the names, values, texts and comments the tree keeps.
  const doc: XElement = { kind: 'element', name: '#document', attrs: NO_ATTRIBUTES, children: [] };
  const stack: XElement[] = [doc];
  let top = doc;
  let rootSeen = false;
  let i = 0;
  while (i < source.length) {
    // A tag often follows a tag at once: then no search.
    const lt = source.charCodeAt(i) === LT ? i : source.indexOf('<', i);
    // Text after the last tag: outside the root it is no content, inside an open element the markup fails below.
    if (lt < 0) break;
    // Text outside the root (whitespace around it) is no content of the document.
    if (lt > i && top !== doc) addText(top, source.slice(i, lt));
    const next = source.charCodeAt(lt + 1);
    if (next === BANG || next === QUESTION) {
      i = readDeclaration(source, lt, next, top);
      if (i < 0) return undefined;
    } else if (next === SLASH) {
      const start = lt + 2;
      if (!isNameStart(source.charCodeAt(start))) return undefined;
      let end = start + 1;
      while (isNameChar(source.charCodeAt(end))) end++;
      // The end tag names the open element: same length and the same characters, compared without a slice.
      if (top === doc || end - start !== top.name.length || !sameName(source, start, top.name)) return undefined;
      let j = end;
      while (isSpace(source.charCodeAt(j))) j++;
      if (source.charCodeAt(j) !== GT) return undefined;
      stack.pop();
      top = stack[stack.length - 1]!;
      i = j + 1;
    } else {
      if (!isNameStart(next)) return undefined;
      let j = lt + 2;
      while (isNameChar(source.charCodeAt(j))) j++;
      const el: XElement = { kind: 'element', name: source.slice(lt + 1, j), attrs: NO_ATTRIBUTES, children: NO_CHILDREN };
      j = readAttributes(source, j, el);
      while (isSpace(source.charCodeAt(j))) j++;
      const empty = source.charCodeAt(j) === SLASH;
      if (empty) j++;
      if (source.charCodeAt(j) !== GT) return undefined;
      if (top === doc) {
        if (rootSeen) return undefined; // a second root
        rootSeen = true;
      }
      addChild(top, el);
      if (!empty) {
        stack.push(el);
        top = el;
      }
      i = j + 1;
    }
  }
  if (stack.length !== 1) return undefined;
  return doc.children.find((c): c is XElement => c.kind === 'element');
}

/**
 * The attributes of every element that has none (most of them): one shared, frozen object, so the checks can
 * tell such an element at once ({@link hasAttributes}) and look nothing up on it.
 */
const NO_ATTRIBUTES: Record<string, string> = Object.freeze(Object.create(null) as Record<string, string>);

/** Whether the element has any attribute. */
export function hasAttributes(el: XElement): boolean {
  return el.attrs !== NO_ATTRIBUTES;
}

/** Whether the name is written at `start` (names are short: a loop costs less than a call to startsWith). */
function sameName(source: string, start: number, name: string): boolean {
  for (let k = 0; k < name.length; k++) if (source.charCodeAt(start + k) !== name.charCodeAt(k)) return false;
  return true;
}

const BANG = 0x21;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const DASH = 0x2d;
const SLASH = 0x2f;
const EQUALS = 0x3d;
const LT = 0x3c;
const GT = 0x3e;
const QUESTION = 0x3f;
const BRACKET = 0x5b;

/**
 * A comment, a CDATA section (its text), or a `<!...>` or `<?...?>` kept as a comment, from the `<` at `lt`;
 * the index after it, or -1 when it is not closed.
 */
function readDeclaration(source: string, lt: number, next: number, parent: XElement): number {
  if (next === BANG && source.charCodeAt(lt + 2) === DASH && source.charCodeAt(lt + 3) === DASH) {
    const end = source.indexOf('-->', lt + 4);
    if (end < 0) return -1;
    // One space after `<!--` is the writer's, not the comment's.
    const from = lt + 4 < end && source.charCodeAt(lt + 4) === 0x20 ? lt + 5 : lt + 4;
    addChild(parent, { kind: 'comment', text: source.slice(from, end) });
    return end + 3;
  }
  if (next === BANG && source.charCodeAt(lt + 2) === BRACKET && source.startsWith('CDATA[', lt + 3)) {
    const end = source.indexOf(']]>', lt + 9);
    if (end < 0) return -1;
    if (parent.name !== '#document') addText(parent, source.slice(lt + 9, end));
    return end + 3;
  }
  const end = source.indexOf('>', lt);
  if (end < 0) return -1;
  addChild(parent, { kind: 'comment', text: source.slice(lt + 2, next === QUESTION ? end - 1 : end) });
  return end + 1;
}

/**
 * The attributes of a start tag from `at` (just after its name) into `attrs` (see {@link readAttribute}).
 * Returns the index after the last attribute.
 */
function readAttributes(source: string, at: number, el: XElement): number {
  const span = attributeSpan;
  while (readAttribute(source, at)) {
    at = span.next;
    // A plain object: a repeated name keeps its first place and its last value.
    // Without a prototype: an attribute named __proto__ or constructor is kept (and judged) like any other.
    if (el.attrs === NO_ATTRIBUTES) el.attrs = Object.create(null) as Record<string, string>;
    el.attrs[source.slice(span.nameStart, span.nameEnd)] = decodeEntities(source.slice(span.valueStart, span.valueEnd));
  }
  return at;
}

/** Where the attribute {@link readAttribute} read last is written: its name, its value as written, and what follows. */
export const attributeSpan = { nameStart: 0, nameEnd: 0, valueStart: 0, valueEnd: 0, next: 0 };

/**
 * One attribute of a start tag from `at`, into {@link attributeSpan}: whitespace, a name, and optionally `=` with a
 * quoted or bare value (a value that cannot be read leaves the attribute empty, and the tag then fails at its `=`).
 * False when there is none at `at`. Shared by the tree reader and the narrative scan, so both read the same.
 */
export function readAttribute(source: string, at: number): boolean {
  let k = at;
  while (isSpace(source.charCodeAt(k))) k++;
  if (k === at || !isNameStart(source.charCodeAt(k))) return false;
  let e = k + 1;
  while (isNameChar(source.charCodeAt(e))) e++;
  const span = attributeSpan;
  span.nameStart = k;
  span.nameEnd = e;
  span.valueStart = e;
  span.valueEnd = e;
  span.next = e;
  let v = e;
  while (isSpace(source.charCodeAt(v))) v++;
  if (source.charCodeAt(v) === EQUALS) {
    v++;
    while (isSpace(source.charCodeAt(v))) v++;
    const q = source.charCodeAt(v);
    if (q === QUOTE || q === APOSTROPHE) {
      const close = source.indexOf(q === QUOTE ? '"' : "'", v + 1);
      if (close >= 0) {
        span.valueStart = v + 1;
        span.valueEnd = close;
        span.next = close + 1;
      }
    } else if (isBare(q)) {
      let w = v + 1;
      while (isBare(source.charCodeAt(w))) w++;
      span.valueStart = v;
      span.valueEnd = w;
      span.next = w;
    }
  }
  return true;
}

/** `[A-Za-z_]`; NaN (past the end) is none. */
export function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

/** `[\w.:-]`; NaN (past the end) is none. */
export function isNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x3a) || c === 0x5f || c === 0x2e || c === DASH;
}

/** A character of a bare attribute value, `[^\s>"'/]`; NaN (past the end) is none. */
function isBare(c: number): boolean {
  return c === c && c !== GT && c !== QUOTE && c !== APOSTROPHE && c !== SLASH && !isSpace(c);
}

/** JavaScript's `\s`, the characters String.prototype.trim removes; NaN (past the end) is none. */
export function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function addText(parent: XElement, raw: string): void {
  addChild(parent, { kind: 'text', text: raw.includes('&') ? decodeEntities(raw) : raw });
}

/**
 * The children of every element that has none: one shared array, never written (addChild replaces it). An
 * element's first child makes an array of one (an array grown by push from empty holds room for 17, and most
 * elements have one child, a text). The shared array holds objects' kind of elements, as every other children
 * array does (a frozen or never-filled one would not): the loops over children then see one kind of array.
 */
const NO_CHILDREN: XNode[] = [{ kind: 'comment', text: '' }];
NO_CHILDREN.pop();

function addChild(parent: XElement, node: XNode): void {
  if (parent.children === NO_CHILDREN) parent.children = [node];
  else parent.children.push(node);
}

// A Map, not a plain object: a name such as `constructor` or `toString` must find nothing (and stay as written),
// not what every object inherits.
const PREDEFINED = new Map([['amp', '&'], ['lt', '<'], ['gt', '>'], ['quot', '"'], ['apos', "'"], ['nbsp', '\u00a0']]);

/**
 * XML's predefined entities and character references (`&name;`, `&#digits;`, `&#xhex;`); other named entities,
 * and references to no character, stay as written. A scan from one `&` to the next.
 */
export function decodeEntities(s: string): string {
  let amp = s.indexOf('&');
  if (amp < 0) return s;
  let out = '';
  let done = 0;
  while (amp >= 0) {
    const semi = entityEnd(s, amp);
    if (semi < 0) {
      amp = s.indexOf('&', amp + 1);
      continue;
    }
    out += s.slice(done, amp) + entityValue(s.slice(amp, semi + 1));
    done = semi + 1;
    amp = s.indexOf('&', done);
  }
  return out + s.slice(done);
}

/** The index of the `;` closing the reference that starts at the `&` at `amp`, or -1 when none starts there. */
function entityEnd(s: string, amp: number): number {
  let i = amp + 1;
  const c = s.charCodeAt(i);
  if (c === HASH) {
    if (s.charCodeAt(i + 1) === 0x78 /* x */) {
      let j = i + 2;
      while (isHexDigit(s.charCodeAt(j))) j++;
      if (j > i + 2 && s.charCodeAt(j) === SEMICOLON) return j;
    }
    let j = i + 1;
    while (isDigit(s.charCodeAt(j))) j++;
    return j > i + 1 && s.charCodeAt(j) === SEMICOLON ? j : -1;
  }
  if (!isLetter(c)) return -1;
  i++;
  while (isLetter(s.charCodeAt(i)) || isDigit(s.charCodeAt(i))) i++;
  return s.charCodeAt(i) === SEMICOLON ? i : -1;
}

/** What a whole reference (`&...;`) stands for. */
function entityValue(whole: string): string {
  if (whole.charCodeAt(1) !== HASH) return PREDEFINED.get(whole.slice(1, -1)) ?? whole;
  const code = whole.charCodeAt(2) === 0x78 /* x */ ? parseInt(whole.slice(3, -1), 16) : parseInt(whole.slice(2, -1), 10);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
}

const HASH = 0x23;
const SEMICOLON = 0x3b;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

function isLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

/** True when the node holds text other than whitespace (XhtmlNode.hasContent). */
export function hasContent(node: XNode): boolean {
  if (node.kind === 'text') return !isBlank(node.text);
  if (node.kind === 'element') {
    for (const c of node.children) if (hasContent(c)) return true;
  }
  return false;
}

/** True when the text is only whitespace (what String.prototype.trim removes), without making a trimmed copy. */
export function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

/** The text of a node and its descendants (XhtmlNode.allText). */
export function allText(node: XNode): string {
  if (node.kind === 'text') return node.text;
  if (node.kind === 'comment') return '';
  let out = '';
  for (const c of node.children) out += allText(c);
  return out;
}
