/** The cross-check's section of docs/oracle.md survives `npm run oracle` rewriting the rest of the page. */
import { describe, expect, it } from 'vitest';
import { withXcheckBlock, XCHECK_END, XCHECK_START } from '../../tools/oracle/xcheck-section.js';

const block = (body: string) => `${XCHECK_START}\n${body}\n${XCHECK_END}`;

describe('the oracle:xcheck section of docs/oracle.md', () => {
  it('goes before "How the oracle works" when the page has none', () => {
    const page = '# Oracle\n\n## Speed\n\n## How the oracle works\n\ntext\n';
    expect(withXcheckBlock(page, block('A'))).toBe(`# Oracle\n\n## Speed\n\n${block('A')}\n\n## How the oracle works\n\ntext\n`);
  });

  it('replaces the marked block in place, leaving the rest as it is', () => {
    const page = `top\n${block('old')}\nbottom\n`;
    expect(withXcheckBlock(page, block('new'))).toBe(`top\n${block('new')}\nbottom\n`);
  });

  it('leaves the page alone when there is no block to keep', () => {
    expect(withXcheckBlock('page\n', '')).toBe('page\n');
  });
});
