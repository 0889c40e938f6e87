/**
 * The narrative scan (narrative-clean.ts) against the tree's checks: whenever the scan calls a narrative clean, the
 * tree reader reads it, its root is a div in the XHTML namespace, the walk (content checks, txt-1, links and
 * images) finds nothing, and the root's lang and xml:lang are the tree's. Narratives made at random from the
 * elements, attributes and places the checks know, mostly right and sometimes wrong in one of many ways.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readXhtml } from '../../xhtml-tree.js';
import type { RuleContext } from '../context.js';
import { isCleanNarrative } from './narrative-clean.js';
import { XHTML_NS } from './xhtml-content.js';
import { CHECK } from './xhtml-findings.js';
import { walkNarrative } from './xhtml-walk.js';

/** What the tree's checks find in a narrative: rule ids, or ['unreadable']. */
function treeFindings(div: string): string[] {
  const tree = readXhtml(div);
  if (!tree) return ['unreadable'];
  const rules: string[] = [];
  if (tree.attrs['xmlns'] !== XHTML_NS) rules.push('ns');
  if (tree.name !== 'div') rules.push('name');
  const ctx = { scope: undefined, root: undefined, report: (rule: string) => void rules.push(rule) } as unknown as RuleContext;
  const { found, txt1 } = walkNarrative(div, tree, 'x', ctx);
  found.report(CHECK.ns, CHECK.images, 'x', ctx);
  if (!txt1) rules.push('txt-1');
  return rules;
}

const NS = ` xmlns="${XHTML_NS}"`;

// Children the places allow (and some they do not), so that structures the checks accept come up often.
const inline = ['b', 'i', 'em', 'strong', 'span', 'code', 'a', 'small', 'sub', 'sup', 'br', 'img'];
const CHILDREN: Record<string, string[]> = {
  div: ['p', 'div', 'table', 'ul', 'ol', 'dl', 'h1', 'pre', 'blockquote', 'hr', ...inline, 'li', 'td', 'script'],
  p: [...inline, 'div'],
  span: [...inline, 'table'],
  table: ['tr', 'tbody', 'thead', 'caption', 'colgroup', 'col', 'td'],
  tbody: ['tr', 'td'],
  thead: ['tr'],
  tr: ['td', 'th', 'tr'],
  td: ['p', 'div', 'table', 'ul', ...inline],
  th: [...inline],
  ul: ['li', 'p'],
  ol: ['li'],
  li: ['p', 'ul', ...inline],
  dl: ['dt', 'dd', 'p'],
  dt: inline,
  dd: [...inline, 'div'],
  colgroup: ['col'],
  caption: inline,
  blockquote: ['p', 'div'],
  pre: [...inline, 'pre'],
  h1: inline,
};
const goodAttributes = fc.constantFrom(
  '', ' class="x"', ' style="color: red"', ' id="a"', ' id="b"', ' title=\'t\'', ` xmlns="${XHTML_NS}"`, ' xmlns:x="y"', ' href="http://e.org/a?b=1&amp;c=2"',
  ' href="#"', ' href="mailto:a@e.org"', ' src="data:image/png;base64,AAAA"', ' src="http://e.org/i.png"', ' name="c"', ' lang="en"', ' xml:lang="en"',
  ' nowrap', ' width=3', ' border="1"', ' colspan="2"',
);
const badAttributes = fc.constantFrom(
  ' xmlns="http://e.org"', ' href="#a"', ' href=""', ' href="urn:x:y"', ' href="javascript:x()"', ' href="ftp://e.org"', ' href="a b"',
  ' href="http://e.org/\u00e9"', ' src="#a"', ' name="a"', ' xml:lang="fr"', ' xml:space="preserve"', ' data-x="1"', ' onclick="x()"',
);
// Mostly attributes the checks accept: a narrative is called clean only when all of its attributes are.
const attributes = fc.oneof({ arbitrary: goodAttributes, weight: 12 }, { arbitrary: badAttributes, weight: 1 });
const text = fc.constantFrom('', '', ' ', '\n  ', 'Hello', 'a &amp; b', '&nbsp;', '&reg;', 'x < y'.replace('<', '&lt;'), '\u00a0');
const extra = fc.constantFrom('', '', '', '', '', '', '', '', '', '', '', '<!-- c -->', '<![CDATA[x]]>', '<?pi?>', '<', '</x>', '>');

/** An element that may stand in `parent` (mostly one its place allows), `depth` levels deep at most. */
const made = new Map<string, fc.Arbitrary<string>>();
function element(parent: string, depth: number): fc.Arbitrary<string> {
  const key = `${parent}/${depth}`;
  let arbitrary = made.get(key);
  if (!arbitrary) {
    const names = [...(CHILDREN[parent] ?? inline), ...inline.slice(0, 3), 'p', 'br'];
    arbitrary = fc.constantFrom(...names).chain((name) =>
      fc
        .tuple(
          fc.array(attributes, { maxLength: 2 }),
          depth <= 1 ? fc.constant([] as string[]) : fc.array(fc.oneof(text, element(name, depth - 1), extra), { maxLength: 4 }),
          fc.boolean(),
        )
        .map(([attrs, kids, selfClosed]) => (selfClosed && kids.length === 0 ? `<${name}${attrs.join('')}/>` : `<${name}${attrs.join('')}>${kids.join('')}</${name}>`)),
    );
    made.set(key, arbitrary);
  }
  return arbitrary;
}
const rootAttributes = fc.constantFrom(NS, NS, NS, `${NS} lang="en" xml:lang="en"`, `${NS} xml:lang="fr"`, '', ' xmlns="http://e.org"', `${NS} id="a"`);
const narrative = fc
  .tuple(fc.constantFrom('div', 'div', 'div', 'p'), rootAttributes, fc.array(fc.oneof(text, element('div', 5)), { maxLength: 5 }), fc.constantFrom('', ' ', '<p/>'))
  .map(([name, attrs, kids, after]) => `<${name}${attrs}>${kids.join('')}</${name}>${after}`);

describe('the narrative scan', () => {
  it('calls a narrative clean only when the tree checks find nothing in it, and keeps the root languages', () => {
    let clean = 0;
    let other = 0;
    fc.assert(
      fc.property(narrative, (div) => {
        const root = isCleanNarrative(div);
        if (!root) {
          other++;
          return;
        }
        clean++;
        const { lang, xmlLang } = root;
        expect(treeFindings(div)).toEqual([]);
        const tree = readXhtml(div)!;
        expect([lang, xmlLang]).toEqual([tree.attrs['lang'], tree.attrs['xml:lang']]);
      }),
      { numRuns: 5000 },
    );
    // Both answers come up: the property would hold trivially if the scan never called a narrative clean.
    expect(clean).toBeGreaterThan(300);
    expect(other).toBeGreaterThan(300);
  });

  it('follows what it must refuse', () => {
    const scan = (inner: string, root = NS) => isCleanNarrative(`<div${root}>${inner}</div>`);
    const clean = (inner: string, root = NS) => scan(inner, root) !== undefined;
    expect(clean('<p>Hello <b>there</b></p><table><tbody><tr><td>1</td></tr></tbody></table>')).toBe(true);
    expect(clean('<p>x</p>', '')).toBe(false); // no namespace
    expect(clean('<p><div>x</div></p>')).toBe(false); // a block in a paragraph
    expect(clean('<b><b>x</b></b>')).toBe(false); // nested inline
    expect(clean('<br> </br>')).toBe(false); // an empty element with content
    expect(clean('<br><b>x</b></br>')).toBe(false);
    expect(clean('<p><p>x</p></p>')).toBe(false); // a paragraph in a paragraph
    expect(clean('<span><table/></span>')).toBe(false); // a block in a text element
    expect(clean('<table>x<tr><td>1</td></tr></table>')).toBe(false); // text where only rows may be
    expect(clean('<ul><p>x</p></ul>')).toBe(false);
    expect(clean('<li>x</li>')).toBe(false); // out of place
    expect(clean('<p id="a">x</p><p id="a">y</p>')).toBe(false); // an id used twice
    expect(clean('<a href="#a">x</a>')).toBe(false); // an internal link needs its target
    expect(clean('<!-- c --><p>x</p>')).toBe(false);
    expect(clean('<p xml:space="preserve">x</p>')).toBe(false);
    expect(clean('<div xml:lang="fr">x</div>')).toBe(false); // a language section
    expect(clean('<p>x</q>')).toBe(false);
    expect(scan('<p>x</p>')).toEqual({ lang: undefined, xmlLang: undefined });
    expect(scan('<p>x</p>', `${NS} lang="en"`)?.lang).toBe('en');
  });
});
