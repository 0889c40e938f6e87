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

const START_TAG = /^<([A-Za-z][\w:.-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>$/;
const END_TAG = /^<\/([A-Za-z][\w:.-]*)\s*>$/;
const ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Parsed facts about a narrative. */
interface NarrativeFacts {
  wellFormedAndAllowed: boolean;
  hasContent: boolean;
}

// Read from the div each time, not cached by its text: a cache keyed on payload content would make repeated
// validations of the same input look faster than any real workload.
function scan(xhtml: string): NarrativeFacts {
  const stack: string[] = [];
  let rootSeen = false;
  let hasContent = false;
  // Content is judged on the text alone when the markup is broken, so txt-2 does not repeat txt-1.
  const fail = (): NarrativeFacts => ({ wellFormedAndAllowed: false, hasContent: hasContent || textOrImage(xhtml) });
  // A hand-rolled tokenizer: every step moves forward with indexOf, so hostile input stays linear.
  let i = 0;
  while (i < xhtml.length) {
    if (xhtml.charCodeAt(i) !== 60 /* < */) {
      const next = xhtml.indexOf('<', i);
      const text = xhtml.slice(i, next === -1 ? xhtml.length : next);
      if (text.trim() !== '') {
        if (stack.length === 0) return fail();
        hasContent = true;
      }
      i = next === -1 ? xhtml.length : next;
      continue;
    }
    if (xhtml.startsWith('<!--', i)) {
      const end = xhtml.indexOf('-->', i + 4);
      if (end === -1) return fail();
      i = end + 3;
      continue;
    }
    const close = xhtml.indexOf('>', i);
    if (close === -1) return fail();
    const token = xhtml.slice(i, close + 1);
    i = close + 1;
    if (token.startsWith('<?') || token.startsWith('<!') || token.indexOf('<', 1) !== -1) return fail();
    const end = END_TAG.exec(token);
    if (end) {
      if (stack.pop() !== end[1]) return fail();
      continue;
    }
    const start = START_TAG.exec(token);
    if (!start) return fail();
    const name = start[1] as string;
    if (stack.length === 0) {
      if (rootSeen || name !== 'div') return fail();
      rootSeen = true;
    }
    if (!ELEMENTS.has(name)) return fail();
    for (const attr of (start[2] ?? '').matchAll(ATTRIBUTE)) {
      const attrName = attr[1] as string;
      if (!(attrName.startsWith('xmlns') || GLOBAL_ATTRIBUTES.has(attrName) || ELEMENT_ATTRIBUTES.has(`${name}.${attrName}`))) return fail();
      if (name === 'img' && attrName === 'src') hasContent = true;
    }
    if (start[3] !== '/') stack.push(name);
  }
  return { wellFormedAndAllowed: stack.length === 0 && rootSeen, hasContent };
}

function textOrImage(xhtml: string): boolean {
  return /\S/.test(xhtml.replace(/<[^<>]*>/g, '')) || /<img\s[^<>]*\bsrc\s*=/.test(xhtml);
}

/** txt-1: well-formed XHTML rooted in a `div`, with only the permitted elements and attributes. */
export function narrativeMarkupValid(xhtml: string): boolean {
  return scan(xhtml).wellFormedAndAllowed;
}

/** txt-2: some non-whitespace text or an image. */
export function narrativeHasContent(xhtml: string): boolean {
  return scan(xhtml).hasContent;
}
