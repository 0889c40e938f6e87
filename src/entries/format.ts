/**
 * FHIR R4 XML <-> JSON conversion driven by the core StructureDefinitions, keeping decimal precision, and import
 * of XML conformance resources into a FHIR package folder (`ads-fhir import`). XML parsing never expands
 * entities. See docs/format.md.
 *
 * Listed by name: the serialisation model behind the conversion stays internal.
 * @module ads-fhir/format
 */
export {
  parseFhirXml, toFhirXml, stringifyFhirJson, parseJsonWithExactDecimals, FhirDecimal,
  type ParseFhirXmlOptions, type XmlToJsonResult, type ToFhirXmlOptions, type JsonToXmlResult, type SourcePosition,
  FormatError, type FormatErrorCode, type FormatIssue,
  importPackageFromXml, buildPackageFromXml, readImportManifest,
  type ImportManifest, type ImportOptions, type ImportReport, type ImportedPackageFile,
} from '../format/index.js';
