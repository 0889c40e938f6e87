import type { OperationOutcomeIssue } from 'fhir/r4';

/**
 * Row numbers in a report: for CSV the line a record starts on (the header is line 1), for NDJSON the line,
 * for a JSON array the record's position from 1. Reports hold row numbers, item names, columns or JSONPaths
 * and reasons, never a value from the extract.
 */
export type ExtractRow = number;

/** A problem with one record or one value in it. */
export interface RowError {
  readonly row: ExtractRow;
  /** The ADS item, when the problem is one value. */
  readonly item?: string;
  /** The CSV column or JSONPath the value came from. */
  readonly column?: string;
  readonly message: string;
}

/** Records that went into no bundle, and why. */
export interface SkippedRecords {
  readonly rows: ExtractRow[];
  readonly reason: string;
  readonly item?: string;
}

/** How often an item was missing (absent or blank) or invalid, and where. */
export interface ItemCounts {
  missing: number;
  invalid: number;
  /** The first rows (up to the list cap) where the item was missing: a call's, response's or contact's first row. */
  readonly missingRows: ExtractRow[];
  readonly invalidRows: ExtractRow[];
}

/** A bundle built but not written because validation found errors. */
export interface InvalidBundle {
  readonly rows: ExtractRow[];
  /** Severity, code and location of each error; diagnostics are left out as a validator may quote values. */
  readonly issues: Pick<OperationOutcomeIssue, 'severity' | 'code' | 'expression'>[];
}

/** What {@link mapExtract} did. */
export interface MappingReport {
  readonly mapping?: string;
  readonly format: 'csv' | 'json' | 'ndjson';
  /** Records read (CSV rows after the header, JSON records, NDJSON lines). */
  records: number;
  /** Calls found (distinct call keys, duplicates included). */
  calls: number;
  bundlesWritten: number;
  /** Bundle files written (in `outDir`), in order; capped like the other lists. */
  readonly files: string[];
  ndjsonFile?: string;
  /** How many records went into no bundle. */
  skippedRecords: number;
  readonly skipped: SkippedRecords[];
  readonly invalidBundles: InvalidBundle[];
  /** Call keys seen again after another call in an extract declared sorted by call: rows of the first and later group. */
  readonly duplicateCalls: { firstRows: ExtractRow[]; rows: ExtractRow[] }[];
  readonly errors: RowError[];
  readonly items: Record<string, ItemCounts>;
  /** How many entries each list left off past the cap. */
  readonly leftOff: { files: number; skipped: number; invalidBundles: number; duplicateCalls: number; errors: number };
  /** Set when the run stopped early (the message holds no extract value); nothing after that point was mapped. */
  fatal?: string;
}

/** True when every record went into a written bundle with no invalid value. */
export const reportIsClean = (r: MappingReport): boolean =>
  !r.fatal && r.skippedRecords === 0 && r.invalidBundles.length === 0 && r.errors.length === 0 && r.leftOff.errors === 0 && r.duplicateCalls.length === 0;

/** Collects the report with capped lists so that a bad extract of millions of rows keeps a small report. */
export class ReportBuilder {
  readonly report: MappingReport;

  constructor(format: MappingReport['format'], mapping: string | undefined, private readonly cap: number) {
    this.report = {
      ...(mapping ? { mapping } : {}), format, records: 0, calls: 0, bundlesWritten: 0, files: [], skippedRecords: 0, skipped: [],
      invalidBundles: [], duplicateCalls: [], errors: [], items: {},
      leftOff: { files: 0, skipped: 0, invalidBundles: 0, duplicateCalls: 0, errors: 0 },
    };
  }

  private push<K extends keyof MappingReport['leftOff']>(key: K, list: unknown[], entry: unknown): void {
    if (list.length < this.cap) list.push(entry);
    else this.report.leftOff[key]++;
  }

  private counts(item: string): ItemCounts {
    return (this.report.items[item] ??= { missing: 0, invalid: 0, missingRows: [], invalidRows: [] });
  }

  file(name: string): void {
    this.report.bundlesWritten++;
    this.push('files', this.report.files, name);
  }

  rowError(error: RowError): void {
    this.push('errors', this.report.errors, error);
  }

  invalid(item: string, row: ExtractRow, column: string, message: string): void {
    const c = this.counts(item);
    c.invalid++;
    if (c.invalidRows.length < this.cap) c.invalidRows.push(row);
    this.rowError({ row, item, column, message });
  }

  missing(item: string, row: ExtractRow): void {
    const c = this.counts(item);
    c.missing++;
    if (c.missingRows.length < this.cap) c.missingRows.push(row);
  }

  skip(rows: ExtractRow[], reason: string, item?: string): void {
    this.report.skippedRecords += rows.length;
    this.push('skipped', this.report.skipped, { rows: rows.slice(0, this.cap), reason, ...(item ? { item } : {}) });
  }

  invalidBundle(rows: ExtractRow[], issues: OperationOutcomeIssue[]): void {
    this.report.skippedRecords += rows.length;
    this.push('invalidBundles', this.report.invalidBundles, {
      rows: rows.slice(0, this.cap),
      issues: issues.map((i) => ({ severity: i.severity, code: i.code, ...(i.expression ? { expression: i.expression } : {}) })),
    });
  }

  duplicate(firstRows: ExtractRow[], rows: ExtractRow[]): void {
    this.push('duplicateCalls', this.report.duplicateCalls, { firstRows: firstRows.slice(0, this.cap), rows: rows.slice(0, this.cap) });
  }
}
