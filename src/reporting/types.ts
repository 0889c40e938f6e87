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
  files: number;
  errors: number;
  warnings: number;
  information: number;
  /** Inputs with at least one error or fatal issue. */
  failedFiles: number;
  elapsedMs: number;
}
