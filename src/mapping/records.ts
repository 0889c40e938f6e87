import type { CsvRecord } from './csv.js';
import { MappingLoadError } from './errors.js';
import type { JsonRecordText } from './json-records.js';
import { compileJsonPath } from './jsonpath.js';
import type { CompiledMapping, CompiledSource } from './load.js';
import type { ReportBuilder, ExtractRow } from './report.js';

/** A converted item value. */
export type Value = string | number | boolean | undefined;

/** One record reduced to what the mapping needs: its keys and its converted item values (by item index). */
export interface MappedRecord {
  readonly row: ExtractRow;
  readonly call: string;
  readonly response?: string;
  readonly patient?: string;
  readonly values: Value[];
  /** Some response or patient item had a value (valid or not) in this record. */
  readonly responseData: boolean;
  readonly patientData: boolean;
}

type Reader = (record: unknown) => unknown;

const keyText = (raw: unknown): string | undefined => {
  if (raw === undefined || raw === null || typeof raw === 'object') return undefined;
  const text = String(raw).trim();
  return text === '' ? undefined : text;
};

/**
 * Reads records into {@link MappedRecord}s: binds CSV columns to header positions (once), evaluates
 * JSONPaths, converts each value and reports the invalid ones with row and column. Only the mapped values
 * are kept, so a buffered call costs a few values per record, not the whole row.
 */
export class RecordMapper {
  private readers: Reader[] | undefined;
  private keys: { call: Reader; response?: Reader; patient?: Reader } | undefined;
  private width = 0;

  constructor(private readonly mapping: CompiledMapping, private readonly report: ReportBuilder) {
    if (mapping.format !== 'csv') this.bind((s) => (s.kind === 'path' ? compileJsonPath(s.text) : () => s.value));
  }

  /**
   * Binds the CSV header. Throws MappingLoadError when the header lacks a mapped column (before any data row is read).
   */
  bindHeader(header: readonly string[]): void {
    const names = header.map((h) => h.trim());
    this.width = names.length;
    const index = new Map<string, number>();
    names.forEach((n, i) => {
      if (!index.has(n)) index.set(n, i);
    });
    const missing = this.mapping.columns.filter((c) => !index.has(c));
    if (missing.length) {
      throw new MappingLoadError(missing.map((c) => ({ at: '/items', message: `the extract's header has no column "${c}"` })));
    }
    this.bind((s) => {
      if (s.kind === 'const') return () => s.value;
      const i = index.get(s.text)!;
      return (r) => (r as string[])[i];
    });
  }

  private bind(reader: (s: CompiledSource) => Reader): void {
    this.readers = this.mapping.items.map((item) => reader(item.source));
    const g = this.mapping.grouping;
    this.keys = { call: reader(g.call), ...(g.response ? { response: reader(g.response) } : {}), ...(g.patient ? { patient: reader(g.patient) } : {}) };
  }

  /** A CSV data row, or undefined when it is skipped (malformed, ragged, no call key): reported with its row. */
  fromCsv(record: CsvRecord): MappedRecord | undefined {
    if (record.error) return this.reject(record.line, `malformed CSV: ${record.error}`);
    if (record.fields.length !== this.width) return this.reject(record.line, `the row has ${record.fields.length} fields, the header has ${this.width}`);
    return this.map(record.line, record.fields);
  }

  /** A JSON or NDJSON record, or undefined when it is skipped (not JSON, not an object, no call key). */
  fromJson(record: JsonRecordText): MappedRecord | undefined {
    let value: unknown;
    try {
      value = JSON.parse(record.text);
    } catch {
      // The parser's message quotes the text, which may be patient data: say only where.
      return this.reject(record.row, 'the record is not valid JSON');
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return this.reject(record.row, 'the record is not a JSON object');
    return this.map(record.row, value);
  }

  private reject(row: ExtractRow, reason: string, where: { item?: string; column?: string } = {}): undefined {
    this.report.rowError({ row, ...where, message: reason });
    this.report.skip([row], reason);
    return undefined;
  }

  private map(row: ExtractRow, record: unknown): MappedRecord | undefined {
    const keys = this.keys!;
    const call = keyText(keys.call(record));
    if (call === undefined) {
      return this.reject(row, 'the call key is missing', { item: 'grouping.call', column: this.mapping.grouping.call.text });
    }
    const values: Value[] = [];
    let responseData = false;
    let patientData = false;
    const items = this.mapping.items;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const raw = this.readers![i]!(record);
      const converted = item.convert(raw);
      if (converted === undefined) {
        values.push(undefined);
        continue;
      }
      if (item.source.kind !== 'const') {
        if (item.spec.level === 'response') responseData = true;
        else if (item.spec.level === 'patient') patientData = true;
      }
      if ('invalid' in converted) {
        this.report.invalid(item.name, row, item.source.text, converted.invalid);
        values.push(undefined);
      } else values.push(converted.value);
    }
    const response = keys.response ? keyText(keys.response(record)) : undefined;
    const patient = keys.patient ? keyText(keys.patient(record)) : undefined;
    return {
      row, call, values, responseData: responseData || response !== undefined, patientData: patientData || patient !== undefined,
      ...(response !== undefined ? { response } : {}), ...(patient !== undefined ? { patient } : {}),
    };
  }
}
