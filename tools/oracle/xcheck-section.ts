/**
 * The conformance cross-check's section of docs/oracle.md sits between markers, so `npm run oracle:xcheck` can
 * rewrite it alone and `npm run oracle` (which rewrites the rest of the page) keeps it.
 */
import { existsSync, readFileSync } from 'node:fs';

export const XCHECK_START = '<!-- written by npm run oracle:xcheck: start -->';
export const XCHECK_END = '<!-- written by npm run oracle:xcheck: end -->';
const BEFORE = '## How the oracle works';

/** The marked block of the page at `doc`, markers included, or '' when there is none. */
export function xcheckBlock(doc: string): string {
  if (!existsSync(doc)) return '';
  const text = readFileSync(doc, 'utf8');
  const a = text.indexOf(XCHECK_START);
  const b = text.indexOf(XCHECK_END);
  return a >= 0 && b > a ? text.slice(a, b + XCHECK_END.length) : '';
}

/** `page` with `block` (markers included) in place of its marked block, or before "How the oracle works". */
export function withXcheckBlock(page: string, block: string): string {
  if (!block) return page;
  const a = page.indexOf(XCHECK_START);
  const b = page.indexOf(XCHECK_END);
  if (a >= 0 && b > a) return page.slice(0, a) + block + page.slice(b + XCHECK_END.length);
  const at = page.indexOf(BEFORE);
  return at >= 0 ? `${page.slice(0, at)}${block}\n\n${page.slice(at)}` : `${page.trimEnd()}\n\n${block}\n`;
}
