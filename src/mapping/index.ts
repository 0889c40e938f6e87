/**
 * Declarative mapping from CAD and ePCR extracts (CSV, JSON, NDJSON) to ADS bundles: a JSON mapping file
 * says where each ADS item comes from, how local codes and local times are read and which records form one
 * call; {@link mapExtract} streams the extract through the builder and writes one bundle per call.
 * See docs/mapping.md.
 * @packageDocumentation
 */
export { compileMapping, loadMappingFile, DEFAULT_MAX_BUFFERED_RECORDS, DEFAULT_TIME_ZONE } from './load.js';
export type { CompiledItem, CompiledMapping, CompiledSource, ItemSource, KeySource, MappingFile } from './load.js';
export { mapExtract, DEFAULT_NDJSON_NAME, type MapExtractOptions, type MappingProgress } from './extract.js';
export { reportIsClean, type InvalidBundle, type ItemCounts, type MappingReport, type ExtractRow, type RowError, type SkippedRecords } from './report.js';
export { ExtractError, MappingLoadError, type MappingProblem } from './errors.js';
export { MAPPING_ITEMS, MAPPING_ITEM_NAMES, type MappingItemKind, type MappingItemLevel, type MappingItemSpec } from './items.js';
export { CsvParser, guessDelimiter, type CsvRecord } from './csv.js';
export { JsonArraySplitter, NdjsonLineSplitter, type JsonRecordText } from './json-records.js';
export { compilePattern, timeZoneOffsetAt, zonedDateTime, type AmbiguousRule, type CompiledPattern, type WallClockTime } from './datetime.js';
export type { ConvertedValue, ValueConverter } from './convert.js';
export type { ItemCodeSet } from './codesets.js';
export { jsonPathProblem } from './jsonpath.js';
export { bundleFileName } from './output.js';
