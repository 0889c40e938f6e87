/**
 * Narrative XHTML checks behind the patched `txt-1` and `txt-2` invariants, following the element and
 * attribute lists the HL7 Java validator applies (which, unlike fhirpath.js's built-in `htmlChecks()`,
 * accepts `xml:lang`, `xmlns:*` declarations, image maps and HTML character entities).
 */

const ELEMENTS = new Set([
  'p', 'br', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'a', 'span', 'b', 'em', 'i', 'strong', 'small', 'big', 'tt', 'dfn', 'q',
  'var', 'abbr', 'acronym', 'cite', 'blockquote', 'hr', 'address', 'bdo', 'kbd', 'sub', 'sup', 'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'pre', 'table', 'caption', 'colgroup', 'col', 'thead', 'tr', 'tfoot', 'tbody', 'th', 'td', 'code', 'samp', 'img', 'map', 'area',
]);

const GLOBAL_ATTRIBUTES = new Set([
  'title', 'style', 'class', 'id', 'lang', 'xml:lang', 'xml:space', 'dir', 'accesskey', 'tabindex',
  'span', 'width', 'align', 'valign', 'char', 'charoff', 'abbr', 'axis', 'headers', 'scope', 'rowspan', 'colspan',
]);

const ELEMENT_ATTRIBUTES = new Set([
  'a.href', 'a.name', 'a.title', 'img.src', 'img.border', 'img.alt', 'img.height', 'img.width', 'img.longdesc', 'img.usemap',
  'blockquote.cite', 'q.cite', 'map.name', 'area.shape', 'area.coords', 'area.href', 'area.alt', 'area.nohref',
  'table.border', 'table.cellpadding', 'table.cellspacing', 'table.summary', 'table.frame', 'table.rules', 'td.nowrap', 'th.nowrap',
]);

const TOKEN = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<![^>]*>|<\/?[^>]*>|[^<]+/g;
const START_TAG = /^<([A-Za-z][\w:.-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>$/;
const END_TAG = /^<\/([A-Za-z][\w:.-]*)\s*>$/;
const ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Parsed facts about a narrative, computed once per div string. */
interface NarrativeFacts {
  wellFormedAndAllowed: boolean;
  hasContent: boolean;
}

const MAX_CACHED = 500;
const cache = new Map<string, NarrativeFacts>();

function analyse(xhtml: string): NarrativeFacts {
  const cached = cache.get(xhtml);
  if (cached) return cached;
  const facts = scan(xhtml);
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(xhtml, facts);
  return facts;
}

function scan(xhtml: string): NarrativeFacts {
  const stack: string[] = [];
  let ok = true;
  let rootSeen = false;
  let hasContent = false;
  for (const match of xhtml.matchAll(TOKEN)) {
    const token = match[0];
    if (token.startsWith('<!--')) continue;
    if (!token.startsWith('<')) {
      if (stack.length === 0) {
        if (token.trim() !== '') ok = false;
      } else if (token.trim() !== '') {
        hasContent = true;
      }
      continue;
    }
    if (token.startsWith('<?') || token.startsWith('<!')) {
      ok = false;
      continue;
    }
    const end = END_TAG.exec(token);
    if (end) {
      if (stack.pop() !== end[1]) ok = false;
      continue;
    }
    const start = START_TAG.exec(token);
    if (!start) {
      ok = false;
      continue;
    }
    const name = start[1] as string;
    if (stack.length === 0) {
      if (rootSeen || name !== 'div') ok = false;
      rootSeen = true;
    }
    if (!ELEMENTS.has(name)) ok = false;
    for (const attr of (start[2] ?? '').matchAll(ATTRIBUTE)) {
      const attrName = attr[1] as string;
      if (!(attrName.startsWith('xmlns') || GLOBAL_ATTRIBUTES.has(attrName) || ELEMENT_ATTRIBUTES.has(`${name}.${attrName}`))) ok = false;
      if (name === 'img' && attrName === 'src') hasContent = true;
    }
    if (start[3] !== '/') stack.push(name);
  }
  if (stack.length > 0 || !rootSeen) ok = false;
  return { wellFormedAndAllowed: ok, hasContent };
}

/** txt-1: well-formed XHTML rooted in a `div`, with only the permitted elements and attributes. */
export function narrativeMarkupValid(xhtml: string): boolean {
  return analyse(xhtml).wellFormedAndAllowed;
}

/** txt-2: some non-whitespace text or an image. */
export function narrativeHasContent(xhtml: string): boolean {
  return analyse(xhtml).hasContent;
}
