/**
 * FHIR R4 XML <-> JSON conversion driven by the core StructureDefinitions (arrays by cardinality,
 * typed primitives, `_element` ids and extensions, XHTML narrative, contained and nested resources),
 * and import of XML conformance resources into a FHIR NPM package folder.
 *
 * XML parsing never expands entities: any DOCTYPE or ENTITY declaration is refused.
 * @packageDocumentation
 */
export { FormatError, type FormatErrorCode, type FormatIssue } from './errors.js';
export { FhirDecimal, parseJsonWithExactDecimals, stringifyFhirJson } from './decimal.js';
export { parseFhirXml, type ParseFhirXmlOptions, type XmlToJsonResult, type SourcePosition } from './xml-to-json.js';
export { toFhirXml, type ToFhirXmlOptions, type JsonToXmlResult } from './json-to-xml.js';
export { canonicalXhtml } from './xhtml.js';
export { coreFormatModel, buildFormatModel, formatCacheFile, type FormatModel, type ModelType, type ModelElement, type PrimitiveKind } from './model.js';
export { MAX_XML_DEPTH } from './xml-read.js';
export {
  importPackageFromXml,
  buildPackageFromXml,
  readImportManifest,
  type ImportManifest,
  type ImportOptions,
  type ImportReport,
  type ImportedPackageFile,
} from './import-package.js';
