/**
 * Mapped-field documentation: which ADS data item lands in which FHIR element, generated from the profiles.
 * @packageDocumentation
 */
export { generateMappingDocs, type MappingDocs } from './generate.js';
export { collectMappingRows, type MappingOptions, type MappingRow } from './mapping.js';
export { renderHtml, renderMarkdown } from './render.js';
export { resolverFromResources } from './resources-resolver.js';
export { adsDocsResolver, writeMappingDocs, MAPPING_DOC_FILES } from './files.js';
