import type { OperationOutcome } from 'fhir/r4';

/** The validation result of one input (a file, an NDJSON line, stdin), as the reporters take it. */
export interface FileOutcome {
  /** Where the payload came from: a path, `path:line` for NDJSON, or `-` for stdin. */
  file: string;
  outcome: OperationOutcome;
  /** The payload as read, for reports that show it (HTML). */
  source?: string;
}

/** Totals over a run. */
export interface RunSummary {
  /** Payloads validated: one per file, one per line of an NDJSON file, one for stdin. */
  payloads: number;
  /** Distinct files the payloads came from. */
  files: number;
  errors: number;
  warnings: number;
  information: number;
  /** Payloads with at least one error or fatal issue. */
  failedFiles: number;
  elapsedMs: number;
}
