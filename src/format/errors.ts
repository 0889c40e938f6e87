/** Why a document could not be converted at all. */
export type FormatErrorCode =
  | 'malformed-xml'
  | 'doctype-forbidden'
  | 'too-deep'
  | 'not-fhir'
  | 'unknown-resource-type'
  | 'invalid-input';

/**
 * A document that cannot be converted: malformed XML, a DOCTYPE/ENTITY declaration, nesting beyond the
 * limit, a root that is not a FHIR resource. `line`/`column` are 1-based when the position is known.
 * The message never quotes element content, so patient data stays out of logs.
 */
export class FormatError extends Error {
  override readonly name = 'FormatError';
  constructor(
    readonly code: FormatErrorCode,
    message: string,
    readonly line?: number,
    readonly column?: number,
    /** The reference validator's message key for this failure, where it has one. */
    readonly rule?: string,
  ) {
    super(line !== undefined ? `${message} (line ${line}, column ${column ?? 0})` : message);
  }
}

/** Something the converter could not place or had to keep as written; the rest of the document converted. */
export interface FormatIssue {
  /** Stable rule id, as for validation issues (the HL7 Java validator's message key where it has one). */
  rule: string;
  severity: 'error' | 'warning' | 'information';
  /** `order`: an XML element appears before one it must follow (XML only; JSON has no order). */
  code: 'unknown-element' | 'invalid-value' | 'cardinality' | 'unexpected-text' | 'structure' | 'order';
  /** FHIRPath-like location, e.g. `Patient.name[0].given[1]`. */
  path: string;
  message: string;
  /** 1-based position in the source, when converting from XML. */
  line?: number;
  column?: number;
}
