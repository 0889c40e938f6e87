import type { ConformanceResolver } from '../packages/types.js';
import { codeListOf, type CodeList } from './code-lists.js';
import { collectMappingRows, type MappingOptions, type MappingRow } from './mapping.js';
import { renderHtml, renderMarkdown, type RenderExtras } from './render.js';

/** The mapped-field documentation: the rows, and the Markdown and HTML pages made from them. */
export interface MappingDocs {
  readonly rows: readonly MappingRow[];
  /** Base profiles that were not loaded: the rows then show core R4 cardinality and types for what they constrain. */
  readonly missingBases: readonly string[];
  /** The codes of every value set a row is bound to, by canonical URL. */
  readonly codeLists: ReadonlyMap<string, CodeList>;
  readonly markdown: string;
  readonly html: string;
}

/** Where the pages may link profiles to (files beside them), on top of which profiles to document. */
export interface MappingDocsOptions extends MappingOptions {
  readonly profileHref?: RenderExtras['profileHref'];
}

/**
 * Generates `docs/ads-mapping.md` and its HTML page from the `ads` mappings of the profiles the resolver holds: ADS
 * item id, whether published or reconstructed, item name, cardinality, FHIR path, type, allowed codes and profile,
 * grouped by data set section, with the code list of every bound value set.
 */
export function generateMappingDocs(resolver: ConformanceResolver, options: MappingDocsOptions = {}): MappingDocs {
  const { rows, missingBases } = collectMappingRows(resolver, options);
  const codeLists = new Map<string, CodeList>();
  for (const row of rows) {
    for (const b of row.bindings ?? []) {
      const url = b.valueSet.split('|')[0]!;
      if (!codeLists.has(url)) codeLists.set(url, codeListOf(resolver, b.valueSet));
    }
  }
  const extras: RenderExtras = { codeLists, ...(options.profileHref ? { profileHref: options.profileHref } : {}) };
  return { rows, missingBases, codeLists, markdown: renderMarkdown(rows, missingBases, extras), html: renderHtml(rows, missingBases, extras) };
}
