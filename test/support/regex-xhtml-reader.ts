/**
 * The narrative XHTML reader as it was before it became a single forward scan (regular expressions and
 * slices), kept only as the statement of the behaviour the scanner must keep: the agreement test
 * (src/validation/xhtml-reader-agreement.test.ts) reads random fragments with both. Not used by the product.
 */
import type { XElement } from '../../src/validation/xhtml-tree.js';

const NAME = /[A-Za-z_][\w.:-]*/y;
const ATTRIBUTE = /\s+([A-Za-z_][\w.:-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"'/]+)))?/y;
const TAG_END = /\s*(\/?)>/y;

export function readXhtmlWithRegexes(source: string): XElement | undefined {
  const doc: XElement = { kind: 'element', name: '#document', attrs: Object.create(null) as Record<string, string>, children: [] };
  const stack: XElement[] = [doc];
  let i = 0;
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    const top = stack[stack.length - 1]!;
    if (lt < 0) {
      addText(top, source.slice(i));
      break;
    }
    if (lt > i) addText(top, source.slice(i, lt));
    const next = source[lt + 1];
    if (source.startsWith('<!--', lt)) {
      const end = source.indexOf('-->', lt + 4);
      if (end < 0) return undefined;
      top.children.push({ kind: 'comment', text: source.slice(lt + 4, end).replace(/^ /, '') });
      i = end + 3;
    } else if (source.startsWith('<![CDATA[', lt)) {
      const end = source.indexOf(']]>', lt);
      if (end < 0) return undefined;
      addText(top, source.slice(lt + 9, end));
      i = end + 3;
    } else if (next === '!' || next === '?') {
      const end = source.indexOf('>', lt);
      if (end < 0) return undefined;
      top.children.push({ kind: 'comment', text: source.slice(lt + 2, next === '?' ? end - 1 : end) });
      i = end + 1;
    } else if (next === '/') {
      NAME.lastIndex = lt + 2;
      const name = NAME.exec(source)?.[0];
      const close = name === undefined ? -1 : source.indexOf('>', NAME.lastIndex);
      if (name === undefined || close < 0 || source.slice(NAME.lastIndex, close).trim() !== '') return undefined;
      if (stack.length < 2 || top.name !== name) return undefined;
      stack.pop();
      i = close + 1;
    } else {
      NAME.lastIndex = lt + 1;
      const name = NAME.exec(source)?.[0];
      if (name === undefined) return undefined;
      // Without a prototype, as the product's reader keeps them: an attribute named __proto__ is an attribute.
      const el: XElement = { kind: 'element', name, attrs: Object.create(null) as Record<string, string>, children: [] };
      let at = NAME.lastIndex;
      for (;;) {
        ATTRIBUTE.lastIndex = at;
        const m = ATTRIBUTE.exec(source);
        if (!m) break;
        el.attrs[m[1]!] = decodeEntitiesWithRegex(m[2] ?? m[3] ?? m[4] ?? '');
        at = ATTRIBUTE.lastIndex;
      }
      TAG_END.lastIndex = at;
      const end = TAG_END.exec(source);
      if (!end) return undefined;
      if (stack.length === 1 && doc.children.some((c) => c.kind === 'element')) return undefined; // a second root
      top.children.push(el);
      if (end[1] !== '/') stack.push(el);
      i = TAG_END.lastIndex;
    }
  }
  if (stack.length !== 1) return undefined;
  return doc.children.find((c): c is XElement => c.kind === 'element');
}

function addText(parent: XElement, raw: string): void {
  if (parent.name === '#document') return;
  parent.children.push({ kind: 'text', text: raw.includes('&') ? decodeEntitiesWithRegex(raw) : raw });
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
// Only the names above: not what every object inherits (constructor, toString, __proto__).
const isPredefined = (name: string) => Object.prototype.hasOwnProperty.call(PREDEFINED, name);

export function decodeEntitiesWithRegex(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[A-Za-z][A-Za-z0-9]*);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return isPredefined(ref) ? PREDEFINED[ref]! : whole;
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
