import { describe, expect, it } from 'vitest';
import { contentOutsideLanguageSections, languageSections } from './xhtml.js';

const NS = 'xmlns="http://www.w3.org/1999/xhtml"';

describe('narrative language sections', () => {
  it('reads lang and xml:lang on section divs', () => {
    expect(languageSections(`<div ${NS}><div lang="en">a</div><div xml:lang="de">b</div></div>`)).toEqual(['en', 'de']);
  });

  it('finds text or elements outside the language sections', () => {
    expect(contentOutsideLanguageSections(`<div ${NS}>Loose text<div xml:lang="en">English</div></div>`)).toEqual(['en']);
    expect(contentOutsideLanguageSections(`<div ${NS}><p>para</p><div lang="en">English</div></div>`)).toEqual(['en']);
  });

  it('accepts narratives wholly in sections, or with no sections at all', () => {
    expect(contentOutsideLanguageSections(`<div ${NS}>\n  <div lang="en"><p>English</p></div>\n  <!-- note --><div lang="de">Deutsch</div>\n</div>`)).toBeUndefined();
    expect(contentOutsideLanguageSections(`<div ${NS}><p>Just text</p></div>`)).toBeUndefined();
  });
});
