import type { Bundle, OperationOutcome } from 'fhir/r4';
import { createReadStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { createValidationService } from '../../validation/index.js';
import { DuplicateBundleError, Outbox } from '../../submission/index.js';
import {
  ExtractError, loadMappingFile, mapExtract, MappingLoadError, reportIsClean, type CompiledMapping, type MappingReport,
} from '../../mapping/index.js';
import { examples } from '../help.js';
import { runCommand } from '../run-command.js';
import { addOutOption, outOption } from '../shared-options.js';
import { addAuditFlags, AuditFlagError, openAuditFromFlags, type AuditFlags, type OpenedAudit } from './audit-flags.js';

/** Options of `ads-fhir map`. */
export interface MapCommandOptions extends AuditFlags {
  mapping: string;
  out?: string;
  /** Hidden alias of `out`. */
  output?: string;
  ndjson?: boolean;
  json?: boolean;
  report?: string;
  /** Outbox file: queue every valid bundle there for `ads-fhir submit` to deliver. */
  enqueue?: string;
  /** Validate each bundle against the ADS profiles (default); false keeps the builder's own checks only. */
  validate?: boolean;
  /** List every item left empty in some records, not only their number. */
  verbose?: boolean;
}

/** Where the command writes; a test passes its own. */
export interface MapCommandIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
}

const FORMAT_OF: Readonly<Record<string, CompiledMapping['format']>> = { '.csv': 'csv', '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson' };
const rowsText = (rows: readonly number[]) => (rows.length === 1 ? `row ${rows[0]}` : `rows ${rows.join(', ')}`);

/**
 * The report as a few readable lines: counts, then each problem by row. Items with invalid values are always listed;
 * mapped items that were only empty in some records (usual for optional data) are counted, and listed with `verbose`.
 * Holds no extract value (the report has none).
 */
export function formatReport(r: MappingReport, outDir: string, options: { verbose?: boolean } = {}): string {
  const lines = [
    `records read: ${r.records}`, `calls: ${r.calls}`, `bundles written: ${r.bundlesWritten} (in ${outDir})`,
    ...(r.ndjsonFile ? [`NDJSON: ${r.ndjsonFile}`] : []),
    `records skipped: ${r.skippedRecords}`, `invalid bundles: ${r.invalidBundles.length}`, `duplicate call ids: ${r.duplicateCalls.length}`,
  ];
  if (r.fatal) lines.push(`stopped: ${r.fatal}`);
  if (r.errors.length) {
    lines.push('', 'problems by row:');
    for (const e of r.errors) lines.push(`  row ${e.row}${e.item ? ` ${e.item}` : ''}${e.column ? ` (${e.column})` : ''}: ${e.message}`);
    if (r.leftOff.errors) lines.push(`  ... and ${r.leftOff.errors} more`);
  }
  if (r.skipped.length) {
    lines.push('', 'skipped:');
    for (const s of r.skipped) lines.push(`  ${rowsText(s.rows)}: ${s.reason}`);
    if (r.leftOff.skipped) lines.push(`  ... and ${r.leftOff.skipped} more`);
  }
  for (const b of r.invalidBundles) lines.push(`invalid bundle from ${rowsText(b.rows)}: ${b.issues.map((i) => `${i.code} at ${i.expression?.join(', ') ?? '?'}`).join('; ')}`);
  for (const d of r.duplicateCalls) lines.push(`duplicate call id: ${rowsText(d.rows)} repeat ${rowsText(d.firstRows)}`);
  const invalid = Object.entries(r.items).filter(([, c]) => c.invalid);
  const emptyOnly = Object.entries(r.items).filter(([, c]) => c.missing && !c.invalid);
  if (invalid.length) {
    lines.push('', 'items with invalid values:');
    for (const [name, c] of invalid) lines.push(`  ${name}: invalid ${c.invalid} (${rowsText(c.invalidRows)})${c.missing ? `, empty ${c.missing}` : ''}`);
  }
  if (emptyOnly.length && options.verbose) {
    lines.push('', 'items empty in some records:');
    for (const [name, c] of emptyOnly) lines.push(`  ${name}: empty ${c.missing}`);
  } else if (emptyOnly.length) {
    lines.push(`items empty in some records: ${emptyOnly.length} (optional data not in every record; --verbose lists them)`);
  }
  return `${lines.join('\n')}\n`;
}

/** A progress bar on one line of a terminal: bytes read of the extract, records and bundles so far. */
function progressBar(io: MapCommandIo, total: number): { update(p: { bytes: number; records: number; bundles: number }): void; done(): void } {
  if (!io.stderr.isTTY || total === 0) return { update() {}, done() {} };
  const width = Math.max(10, Math.min(40, (io.stderr.columns ?? 80) - 45));
  return {
    update({ bytes, records, bundles }) {
      const share = Math.min(1, bytes / total);
      const filled = Math.round(share * width);
      io.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)}% ${records} records ${bundles} bundles`);
    },
    done() {
      io.stderr.write('\r\x1b[2K');
    },
  };
}

/**
 * Runs `ads-fhir map`; returns the exit status: 0 every record went into a written bundle, 1 some records were
 * invalid or skipped, 2 a usage or mapping error (nothing mapped, or the run stopped).
 */
export async function runMap(extract: string, o: MapCommandOptions, io: MapCommandIo): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`${message}\n`);
    return 2;
  };
  const out = outOption(o);
  if (!out) return fail('ads-fhir map: --out <dir> is required (the folder for the bundles)');
  let mapping: CompiledMapping;
  try {
    mapping = await loadMappingFile(o.mapping);
  } catch (e) {
    if (e instanceof MappingLoadError) return fail(e.message);
    throw e;
  }
  const format = FORMAT_OF[extname(extract).toLowerCase()];
  if (!format) return fail(`cannot tell the format of ${extract}: name it .csv, .json or .ndjson`);
  if (format !== mapping.format) return fail(`the mapping reads ${mapping.format} (input.format) but ${extract} is ${format}`);
  const info = await stat(extract).catch(() => undefined);
  if (!info?.isFile()) return fail(`cannot read ${extract}: no such file`);

  let opened: OpenedAudit;
  try {
    opened = openAuditFromFlags(o);
  } catch (e) {
    if (e instanceof AuditFlagError) return fail(e.message);
    throw e;
  }
  let outbox: Outbox | undefined;
  if (o.enqueue) {
    try {
      // Only enqueues: safe beside a worker delivering from the same file (sending needs its writer lease).
      outbox = Outbox.open(o.enqueue, { ...(opened.audit ? { audit: opened.audit } : {}) });
    } catch (e) {
      opened.close();
      return fail(`the outbox ${o.enqueue} could not be opened (${(e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.name : 'error')})`);
    }
  }
  let validate: ((bundle: Bundle) => OperationOutcome) | undefined;
  if (o.validate !== false) {
    try {
      const service = await createValidationService();
      validate = (bundle) => service.validate(bundle);
    } catch (e) {
      outbox?.close();
      opened.close();
      return fail(`the profiles could not be loaded (${e instanceof Error ? e.name : 'error'})`);
    }
  }
  const bar = progressBar(io, info.size);
  let report: MappingReport;
  let queued = 0;
  let alreadyQueued = 0;
  // A bundle already in the outbox (an extract mapped again) is not queued twice.
  const enqueue = (bundle: Bundle) => {
    try {
      outbox!.enqueue(bundle, { source: `${basename(extract)} via ${basename(o.mapping)}` });
      queued++;
    } catch (e) {
      if (!(e instanceof DuplicateBundleError)) throw e;
      alreadyQueued++;
    }
  };
  try {
    report = await mapExtract(mapping, createReadStream(extract), {
      outDir: out, ndjson: !!o.ndjson, onProgress: (p) => bar.update(p), ...(validate ? { validate } : {}),
      ...(opened.audit ? { audit: opened.audit } : {}),
      ...(outbox ? { onBundle: enqueue } : {}),
    });
  } catch (e) {
    bar.done();
    outbox?.close();
    opened.close();
    if (e instanceof MappingLoadError || e instanceof ExtractError) return fail(e.message);
    const code = (e as NodeJS.ErrnoException).code;
    if (code) return fail(`the extract could not be read or the bundles written to ${out} (${code})`);
    throw e;
  }
  bar.done();
  outbox?.close();
  opened.close();
  if (o.report) await writeFile(o.report, `${JSON.stringify(report, null, 2)}\n`);
  io.stdout.write(o.json ? `${JSON.stringify(o.enqueue ? { ...report, queued } : report, null, 2)}\n` : formatReport(report, out, { verbose: !!o.verbose }));
  if (o.enqueue && !o.json) {
    io.stdout.write(`bundles queued: ${queued}${alreadyQueued ? `, ${alreadyQueued} already in the outbox` : ''} (in ${o.enqueue}; deliver them with ads-fhir submit --outbox ${o.enqueue})\n`);
  }
  if (report.fatal) return 2;
  return reportIsClean(report) ? 0 : 1;
}

/** Registers `ads-fhir map`. */
export function register(program: Command): void {
  const command = program
    .command('map')
    .description('Map a CAD or ePCR extract (CSV, JSON array or NDJSON) to ADS bundles, one per call, with a mapping file')
    .argument('<extract>', 'the extract: .csv, .json or .ndjson')
    .requiredOption('--mapping <file>', 'mapping file (JSON; see schemas/mapping.schema.json and docs/mapping.md)');
  addOutOption(command, 'dir', 'folder for the bundles (one <call id>.json per call); required')
    .option('--ndjson', 'also write every bundle as one line of bundles.ndjson in --out')
    .option('--report <file>', 'also write the full report as JSON to this file')
    .option('--json', 'print the report as JSON instead of a summary')
    .option('--verbose', 'list every mapped item that was empty in some records, not only how many')
    .option('--no-validate', 'skip profile validation (the builder\'s own checks still run)')
    .option('--enqueue <outbox.sqlite>', 'also queue every valid bundle in this submission outbox (ads-fhir submit delivers them)')
    .addHelpText(
      'after',
      `${examples('ads-fhir map --mapping examples/mappings/cad.mapping.json examples/cad-extract.csv --out bundles/', 'ads-fhir map --mapping examples/mappings/cad.mapping.json examples/cad-extract.csv --out bundles/ --enqueue .ads-fhir/outbox.sqlite')}
Every problem of the mapping file is listed at once, each with its place in the file (docs/mapping.md).
Exit status: 0 every record went into a written bundle, 1 some records were skipped or values invalid, a bundle
failed validation or a call id repeated, 2 usage or mapping error (bad mapping, no such extract, wrong format).
`,
    );
  addAuditFlags(command)
    .action(async (extract: string, o: MapCommandOptions) => {
      await runCommand('map', () => runMap(extract, o, { stdout: process.stdout, stderr: process.stderr }));
    });
}
