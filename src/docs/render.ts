import type { CodeList } from './code-lists.js';
import type { MappingRow } from './mapping.js';
import { renderHtmlPage } from './render-html.js';
import { renderMarkdownPage } from './render-markdown.js';

/** What the pages link to beyond the rows: the code lists of the bound value sets, and profile files beside the pages. */
export interface RenderExtras {
  readonly codeLists?: ReadonlyMap<string, CodeList>;
  readonly profileHref?: (profileUrl: string) => string | undefined;
}

const page = (rows: readonly MappingRow[], missingBases: readonly string[], extras: RenderExtras) => ({
  rows,
  missingBases,
  codeLists: extras.codeLists ?? new Map<string, CodeList>(),
  profileHref: extras.profileHref ?? (() => undefined),
});

/** The mapping tables as Markdown, by data set section, with the code lists of the bound value sets. */
export function renderMarkdown(rows: readonly MappingRow[], missingBases: readonly string[] = [], extras: RenderExtras = {}): string {
  return renderMarkdownPage(page(rows, missingBases, extras));
}

/** The mapping tables as a self-contained, searchable HTML page (an inline script, no external assets). */
export function renderHtml(rows: readonly MappingRow[], missingBases: readonly string[] = [], extras: RenderExtras = {}): string {
  return renderHtmlPage(page(rows, missingBases, extras));
}
