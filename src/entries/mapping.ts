/**
 * Declarative mapping from CAD and ePCR extracts (CSV, JSON, NDJSON) to ADS bundles: a JSON mapping file says
 * where each ADS item comes from; {@link mapExtract} streams the extract through the builder and writes one
 * bundle per call. See docs/mapping.md and `schemas/mapping.schema.json`.
 *
 * Listed by name: the record readers and date-time parsing behind them stay internal.
 * @module ads-fhir/mapping
 */
export {
  loadMappingFile, compileMapping, mapExtract, reportIsClean,
  DEFAULT_MAX_BUFFERED_RECORDS, DEFAULT_TIME_ZONE, DEFAULT_NDJSON_NAME,
  type MappingFile, type ItemSource, type KeySource, type AmbiguousRule,
  type CompiledMapping, type CompiledItem, type CompiledSource, type ValueConverter, type ConvertedValue, type MapExtractOptions, type MappingProgress,
  type MappingReport, type InvalidBundle, type ItemCounts, type ExtractRow, type RowError, type SkippedRecords,
  ExtractError, MappingLoadError, type MappingProblem,
  // The ADS items a mapping file may name, for editors and tooling.
  MAPPING_ITEMS, MAPPING_ITEM_NAMES, type MappingItemKind, type MappingItemLevel, type MappingItemSpec, type ItemCodeSet,
} from '../mapping/index.js';
