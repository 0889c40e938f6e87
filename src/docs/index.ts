/**
 * Mapped-field documentation: which ADS data item lands in which FHIR element, generated from the profiles.
 * @packageDocumentation
 */
export { generateMappingDocs, type MappingDocs, type MappingDocsOptions } from './generate.js';
export { codeListOf, MAX_LISTED_CODES, type AllowedCode, type CodeList } from './code-lists.js';
export { ADS_SECTIONS, collectMappingRows, sectionOf, type AdsSection, type MappingOptions, type MappingRow, type RowBinding } from './mapping.js';
export { renderHtml, renderMarkdown, type RenderExtras } from './render.js';
export { resolverFromResources } from './resources-resolver.js';
export { adsDocsResolver, localProfileLinks, writeMappingDocs, MAPPING_DOC_FILES } from './files.js';
export { CODES_BLOCK_END, CODES_BLOCK_START, renderMappingItemCodes, withMappingItemCodes } from './mapping-codes.js';
