import type { ConformanceResolver } from '../packages/types.js';
import { collectMappingRows, type MappingOptions, type MappingRow } from './mapping.js';
import { renderHtml, renderMarkdown } from './render.js';

/** The mapped-field documentation: the rows, and the Markdown and HTML pages made from them. */
export interface MappingDocs {
  readonly rows: readonly MappingRow[];
  /** Base profiles that were not loaded: the rows then show core R4 cardinality and types for what they constrain. */
  readonly missingBases: readonly string[];
  readonly markdown: string;
  readonly html: string;
}

/**
 * Generates `docs/ads-mapping.md` and its HTML page from the `ads` mappings of the profiles the resolver
 * holds: ADS item id, item name, cardinality, FHIR path, type, binding and value set, and profile.
 */
export function generateMappingDocs(resolver: ConformanceResolver, options: MappingOptions = {}): MappingDocs {
  const { rows, missingBases } = collectMappingRows(resolver, options);
  return { rows, missingBases, markdown: renderMarkdown(rows, missingBases), html: renderHtml(rows, missingBases) };
}
