import { describe, expect, it } from 'vitest';
import { allText, hasContent, readXhtml } from './xhtml-tree.js';

const NS = 'xmlns="http://www.w3.org/1999/xhtml"';

describe('reading narrative XHTML into a tree', () => {
  it('keeps elements, attributes (quoted, unquoted, bare), text and comments', () => {
    const root = readXhtml(`<div ${NS}><p class='a' width=5 hidden>x &amp; y<br/></p><!-- note --></div>`)!;
    expect(root.name).toBe('div');
    const p = root.children[0]!;
    expect(p.kind === 'element' && p.attrs).toEqual({ class: 'a', width: '5', hidden: '' });
    expect(allText(root)).toBe('x & y');
    expect(root.children[1]).toEqual({ kind: 'comment', text: 'note ' });
  });

  it('reads a DOCTYPE or processing instruction inside the content as a comment, as the reference parser does', () => {
    const root = readXhtml(`<div ${NS}><!DOCTYPE html><?pi x?>a</div>`)!;
    expect(root.children.slice(0, 2).map((c) => c.kind === 'comment' && c.text)).toEqual(['DOCTYPE html', 'pi x']);
  });

  it('keeps a named entity it does not know as written, even one named as what every object has', () => {
    const root = readXhtml(`<div ${NS} title="&toString;&amp;">&constructor;&__proto__;&valueOf; &lt;&nbsp;&#65;</div>`)!;
    expect(allText(root)).toBe('&constructor;&__proto__;&valueOf; <\u00a0A');
    expect(root.attrs['title']).toBe('&toString;&');
  });

  it('is undefined for markup that is not well formed', () => {
    for (const bad of [`<div ${NS}><p>a</div>`, `<div ${NS}>a`, `<div ${NS}>a < b</div>`, `<div ${NS}/><div ${NS}/>`, `<div ${NS}><!-- open</div>`]) {
      expect(readXhtml(bad), bad).toBeUndefined();
    }
  });

  it('knows content from whitespace', () => {
    const root = readXhtml(`<div ${NS}> <p> </p><span>t</span></div>`)!;
    expect(root.children.map(hasContent)).toEqual([false, false, true]);
  });
});
