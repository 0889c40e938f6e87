import type { Bundle } from 'fhir/r4';
import { recordAudit, type AuditOption } from '../audit/option.js';
import { auditRecordIdOf, patientIdsOf } from '../audit/patient-ids.js';
import type { ValidateFn } from '../builder/index.js';
import { CallAssembler, type CallGroup } from './assemble.js';
import { CsvParser, guessDelimiter, type CsvRecord } from './csv.js';
import { ExtractError } from './errors.js';
import { JsonArraySplitter, NdjsonLineSplitter, type JsonRecordText } from './json-records.js';
import type { CompiledMapping } from './load.js';
import { BundleWriter } from './output.js';
import { RecordMapper, type MappedRecord } from './records.js';
import { ReportBuilder, type MappingReport, type ExtractRow } from './report.js';

/** Progress of a run, reported every `progressEvery` records. */
export interface MappingProgress {
  readonly records: number;
  /** Bytes of the extract read so far. */
  readonly bytes: number;
  readonly bundles: number;
}

/** Options of {@link mapExtract}. */
export interface MapExtractOptions {
  /** Folder the bundles are written to (created if absent). */
  readonly outDir: string;
  /** Write one `<call key>.json` per bundle; default true. */
  readonly files?: boolean;
  /** Also write every bundle as one line of an NDJSON file in `outDir`: true for `bundles.ndjson`, or a file name. */
  readonly ndjson?: boolean | string;
  /** Profile validation of each bundle (e.g. the validator bound to a package store); the builder's checks always run. */
  readonly validate?: ValidateFn;
  /** UUID source and clock handed to the builder, for deterministic output. */
  readonly ids?: () => string;
  readonly clock?: () => Date;
  /** Longest list kept in the report (rows, errors, files); default 1000. */
  readonly listCap?: number;
  readonly onProgress?: (progress: MappingProgress) => void;
  /**
   * Called with each bundle that passed validation, after it is written (e.g. to queue it for submission).
   * A throw ends the run like a write failure.
   */
  readonly onBundle?: (bundle: Bundle, callKey: string) => void | Promise<void>;
  /** Default 1000. */
  readonly progressEvery?: number;
  /**
   * Audit trail: one `read` entry for the extract (record id `extract/<mapping name>`, outcome `success` or
   * `fatal`), and one `build` entry per call (`written`, `invalid` or `skipped`, with its NHS numbers hashed).
   */
  readonly audit?: AuditOption;
}

/** Default name of the NDJSON output. */
export const DEFAULT_NDJSON_NAME = 'bundles.ndjson';

const isError = (severity: string | undefined) => severity === 'error' || severity === 'fatal';

/** Text chunks of a byte or text stream, decoding UTF-8 across chunk boundaries; counts bytes. */
async function* decode(input: AsyncIterable<Buffer | Uint8Array | string>, counter: { bytes: number }): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of input) {
    if (typeof chunk === 'string') {
      counter.bytes += Buffer.byteLength(chunk);
      yield chunk;
    } else {
      counter.bytes += chunk.byteLength;
      yield decoder.decode(chunk, { stream: true });
    }
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

/**
 * Maps a CAD or ePCR extract to ADS bundles, streaming: records are read as they arrive, grouped into calls,
 * each call is built through the builder, validated (builder checks, plus `validate` when given) and written
 * atomically. A bad record or value is reported with its row and column and the run goes on.
 *
 * Memory: with `grouping.sortedBy: "call"` each call is written as soon as its key changes, so memory stays
 * flat however long the extract is (plus one remembered key per call, to report duplicates). Without it
 * every call is held until the end, up to `grouping.maxBufferedRecords` records; past that the run stops
 * with `fatal` set and nothing written.
 *
 * Throws {@link MappingLoadError} when a CSV header lacks a mapped column (before any data row). Any other
 * problem with the extract as a whole (wrong delimiter, not a JSON array, buffer cap) ends the run with
 * `report.fatal`; the NDJSON file is then not left behind. Neither the report nor any error holds a value
 * from the extract.
 */
export async function mapExtract(mapping: CompiledMapping, input: AsyncIterable<Buffer | Uint8Array | string>, options: MapExtractOptions): Promise<MappingReport> {
  const cap = options.listCap ?? 1000;
  const reporter = new ReportBuilder(mapping.format, mapping.name, cap);
  const report = reporter.report;
  const mapper = new RecordMapper(mapping, reporter);
  const assembler = new CallAssembler(mapping, reporter, {
    ...(options.ids ? { ids: options.ids } : {}), ...(options.clock ? { clock: options.clock } : {}), ...(options.validate ? { validate: options.validate } : {}),
  });
  const ndjsonName = options.ndjson === true ? DEFAULT_NDJSON_NAME : options.ndjson || undefined;
  const writer = await BundleWriter.open(options.outDir, { files: options.files ?? true, ...(ndjsonName ? { ndjson: ndjsonName } : {}) });
  const counter = { bytes: 0 };
  const every = options.progressEvery ?? 1000;
  const progress = () => options.onProgress?.({ records: report.records, bytes: counter.bytes, bundles: report.bundlesWritten });

  const { sorted, maxBufferedRecords } = mapping.grouping;
  const pending = new Map<string, CallGroup>();
  let buffered = 0;
  let current: (CallGroup & { duplicateOf?: ExtractRow }) | undefined;
  const firstRowOf = new Map<string, ExtractRow>();

  const flush = async (group: CallGroup & { duplicateOf?: ExtractRow }) => {
    const rows = group.records.map((r) => r.row);
    if (group.duplicateOf !== undefined) {
      reporter.duplicate([group.duplicateOf], rows);
      reporter.skip(rows, 'duplicate call identifier: the call key appeared earlier in an extract declared sorted by call', 'grouping.call');
      return;
    }
    const result = assembler.assemble(group);
    if (!result.ok) {
      reporter.skip(result.rows, result.reason, result.item);
      // The call key names the call, as a CAD call id does; the reason may hold values, so only the item goes in.
      await recordAudit(options.audit, { action: 'build', recordId: `call/${group.key}`, outcome: 'skipped', ...(result.item ? { detail: result.item } : {}) });
      return;
    }
    const errors = (result.outcome.issue ?? []).filter((i) => isError(i.severity));
    const auditBuild = (outcome: string) =>
      recordAudit(options.audit, { action: 'build', recordId: auditRecordIdOf(result.bundle), outcome, patientIds: patientIdsOf(result.bundle) });
    if (errors.length) {
      reporter.invalidBundle(rows, errors);
      await auditBuild('invalid');
      return;
    }
    const name = await writer.write(group.key, result.bundle);
    if (name) reporter.file(name);
    else report.bundlesWritten++;
    await options.onBundle?.(result.bundle, group.key);
    await auditBuild('written');
  };

  const accept = async (record: MappedRecord | undefined) => {
    report.records++;
    if (report.records % every === 0) progress();
    if (!record) return;
    if (sorted) {
      if (current && current.key === record.call) {
        current.records.push(record);
        if (current.records.length > maxBufferedRecords) throw new ExtractError(`one call has more than ${maxBufferedRecords} records (grouping.maxBufferedRecords)`);
        return;
      }
      if (current) await flush(current);
      report.calls++;
      const first = firstRowOf.get(record.call);
      if (first === undefined) firstRowOf.set(record.call, record.row);
      current = { key: record.call, records: [record], ...(first !== undefined ? { duplicateOf: first } : {}) };
      return;
    }
    if (++buffered > maxBufferedRecords) {
      throw new ExtractError(
        `the extract holds more than ${maxBufferedRecords} records and is not declared sorted by call: sort it by the call key and set grouping.sortedBy to "call", or raise grouping.maxBufferedRecords`,
      );
    }
    const group = pending.get(record.call);
    if (group) group.records.push(record);
    else {
      report.calls++;
      pending.set(record.call, { key: record.call, records: [record] });
    }
  };

  try {
    if (mapping.format === 'csv') await readCsv(mapping, decode(input, counter), mapper, accept);
    else await readJson(mapping.format, decode(input, counter), mapper, accept);
    if (current) await flush(current);
    for (const group of pending.values()) await flush(group);
    pending.clear();
    const ndjsonFile = await writer.commit();
    if (ndjsonFile) report.ndjsonFile = ndjsonFile;
  } catch (e) {
    await writer.abort();
    if (e instanceof ExtractError) report.fatal = e.message;
    else {
      await recordAudit(options.audit, { action: 'read', recordId: `extract/${mapping.name ?? mapping.format}`, outcome: 'failure', detail: `${report.records} records` });
      throw e;
    }
  }
  await recordAudit(options.audit, { action: 'read', recordId: `extract/${mapping.name ?? mapping.format}`, outcome: report.fatal ? 'fatal' : 'success', detail: `${report.records} records` });
  progress();
  return report;
}

async function readCsv(mapping: CompiledMapping, chunks: AsyncIterable<string>, mapper: RecordMapper, accept: (r: MappedRecord | undefined) => Promise<void>): Promise<void> {
  const parser = new CsvParser(mapping.delimiter);
  let header: CsvRecord | undefined;
  const take = async (records: CsvRecord[]) => {
    for (const record of records) {
      if (!header) {
        header = record;
        if (record.error) throw new ExtractError(`the header row is malformed CSV: ${record.error}`);
        const other = record.fields.length === 1 ? guessDelimiter(record.fields[0]!, mapping.delimiter) : undefined;
        if (other) {
          throw new ExtractError(`the header has one column: the extract seems delimited by ${JSON.stringify(other)}, the mapping says ${JSON.stringify(mapping.delimiter)} (input.delimiter)`);
        }
        mapper.bindHeader(record.fields);
        continue;
      }
      await accept(mapper.fromCsv(record));
    }
  };
  for await (const chunk of chunks) await take(parser.push(chunk));
  await take(parser.end());
  if (!header) throw new ExtractError('the extract is empty: no header row');
}

async function readJson(format: 'json' | 'ndjson', chunks: AsyncIterable<string>, mapper: RecordMapper, accept: (r: MappedRecord | undefined) => Promise<void>): Promise<void> {
  const splitter = format === 'json' ? new JsonArraySplitter() : new NdjsonLineSplitter();
  const take = async (records: JsonRecordText[]) => {
    for (const record of records) await accept(mapper.fromJson(record));
    if (splitter instanceof JsonArraySplitter && splitter.problem) throw new ExtractError(splitter.problem);
  };
  for await (const chunk of chunks) await take(splitter.push(chunk));
  await take(splitter.end());
}
