import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import {
  formatHtml, formatJunit, issuesAtLevel, streamReport, summarise, summaryLine, type FileOutcome, type ReportLevel, type ReportStream, type RunSummary,
} from '../../reporting/index.js';
import { createValidationService } from '../../validation/index.js';
import { expandPaths, readPayloads, UsageError } from '../inputs.js';
import { addAuditFlags, AuditFlagError, openAuditFromFlags, type AuditFlags, type OpenedAudit } from './audit-flags.js';
import { chooseWorkerCount, fatal, parseWorkers, problemOutcome, validateFilesInParallel } from '../parallel-validate.js';
import { Progress } from '../progress.js';
import { addIgnoreOption, addIgOption, addLevelOption, addOutOption, collect, igPackages, outOption } from '../shared-options.js';

interface ValidateOptions extends AuditFlags {
  profile: string[];
  ig: string[];
  package: string[];
  format: 'text' | 'json' | 'html' | 'junit';
  out?: string;
  output?: string;
  level: ReportLevel;
  ignore: string[];
  maxSize: number;
  workers?: number;
}

/** `ads-fhir validate <paths...>`: validate payloads offline and report. */
export function register(program: Command): void {
  const command = program
    .command('validate')
    .description('Validate FHIR payloads (JSON, XML, NDJSON) offline against core R4, UK Core, ADS and any package you add')
    .argument('<paths...>', 'files, folders, glob patterns, or - for standard input')
    .option('-p, --profile <url>', 'validate against this profile too (repeatable)', collect, []);
  addIgOption(command)
    .addOption(new Option('-f, --format <format>', 'report format').choices(['text', 'json', 'html', 'junit']).default('text'));
  addOutOption(command, 'file', 'write the report to this file instead of standard output');
  addLevelOption(command);
  addIgnoreOption(command)
    .option('--max-size <bytes>', 'largest payload read, in bytes', (v) => Number.parseInt(v, 10), 256 * 1024 * 1024)
    .option('--workers <n>', 'validate in n worker threads, 0 in the main thread (default: one per core when the input is large enough to gain from them)', parseWorkers);
  addAuditFlags(command)
    .addHelpText(
      'after',
      `
Examples:
  $ ads-fhir validate examples/bundles
  $ ads-fhir validate bundle.json --profile https://fhir.nhs.uk/R4/StructureDefinition/UKCore-ADS-Bundle
  $ ads-fhir validate 'payloads/**/*.xml' --format junit --out results.xml
  $ ads-fhir validate examples/broken --level error --ignore 'old/**'
  $ ads-fhir validate patient.json --ig hl7.fhir.uv.ips#1.1.0 --profile http://hl7.org/fhir/uv/ips/StructureDefinition/Patient-uv-ips
  $ cat bundle.json | ads-fhir validate - --format json
  $ ads-fhir validate export.ndjson --workers 2 --format json --out results.json
  $ ads-fhir validate bundle.json --audit-db audit.sqlite --user jsmith --role R8000   # key in $ADS_FHIR_AUDIT_KEY

Folders are read recursively for .json, .xml and .ndjson files, leaving out *.expect.json (expected outcomes
kept beside examples) and whatever --ignore matches; files named on the command line are always read.
--ig takes a package folder, a .tgz, or name#version from the FHIR package cache ($FHIR_PACKAGE_CACHE, else
~/.fhir/packages); nothing is downloaded. --level information (the default) reports every issue.
With an audit trail, each payload read records a validate entry (valid or invalid) and validation runs in the main thread.

Exit status: 0 no payload has an error; 1 some payload has an error, or a file exists but cannot be read as
a payload (not JSON or XML, empty, binary, too large); 2 usage error (a path that does not exist, a pattern
that matches nothing, a package that cannot be found or loaded, a report that cannot be written).`,
    )
    .action(async (paths: string[], opts: ValidateOptions) => {
      let opened: OpenedAudit;
      try {
        opened = openAuditFromFlags(opts);
      } catch (e) {
        process.exitCode = usage(e instanceof AuditFlagError ? e.message : 'The audit trail could not be opened');
        return;
      }
      try {
        process.exitCode = await runValidate(paths, opts, opened);
      } finally {
        opened.close();
      }
    });
}

async function runValidate(paths: string[], opts: ValidateOptions, { audit }: OpenedAudit): Promise<number> {
  const started = Date.now();
  const output = outOption(opts);
  let files: string[];
  let packages: string[];
  try {
    files = await expandPaths(paths, { ignore: opts.ignore });
    packages = igPackages(opts);
  } catch (e) {
    return usage(e instanceof UsageError ? e.message : 'The paths could not be read');
  }
  if (!Number.isFinite(opts.maxSize) || opts.maxSize <= 0) return usage('--max-size takes a positive number of bytes');
  // Workers do not hold the trail: with one, every payload is validated (and recorded) here.
  const workers = audit ? 0 : await chooseWorkerCount(opts.workers, files);
  if (workers === undefined) return usage('--workers takes a whole number (0 validates in the main thread)');
  let service: Awaited<ReturnType<typeof createValidationService>>;
  try {
    service = await createValidationService({ packages });
  } catch (e) {
    return usage(`A package could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
  }
  const unknown = service.unknownProfiles(opts.profile);
  if (unknown.length) return usage(`Unknown profile${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);

  const progress = new Progress(process.stderr, files.length > 5, files.length);
  let results: FileOutcome[] = [];
  const keepSource = opts.format === 'html';
  // Text and JSON reports are written as results arrive, so memory stays flat however long the input;
  // HTML and JUnit need the totals first and collect the results.
  let report: StreamedReport | undefined;
  if (opts.format === 'text' || opts.format === 'json') {
    try {
      report = new StreamedReport(opts.format, output);
    } catch {
      return usage(`Cannot write the report to ${output}`);
    }
  }
  const take = (found: FileOutcome): void => {
    const result = { ...found, outcome: issuesAtLevel(found.outcome, opts.level) };
    if (report) report.add(result);
    else results.push(result);
  };
  if (workers > 0) {
    try {
      results = await validateFilesInParallel(files, { workers, packages, profiles: opts.profile, maxBytes: opts.maxSize, keepSource, progress, onResult: take });
    } catch (e) {
      report?.abandon();
      if (e instanceof ReportWriteError) return usage(`Cannot write the report to ${output ?? 'standard output'}`);
      return usage(e instanceof Error ? e.message : 'The validation workers failed');
    }
  }
  for (const file of workers > 0 ? [] : files) {
    try {
      for await (const payload of readPayloads(file, { maxBytes: opts.maxSize })) {
        if ('problem' in payload) {
          take({ file: payload.name, outcome: problemOutcome(payload) });
          continue;
        }
        let checked: ReturnType<typeof service.validateText>;
        try {
          checked = service.validateText(payload.text, { format: payload.format, profiles: opts.profile, withResource: keepSource, ...(audit ? { audit } : {}) });
        } catch {
          // validateText throws only when the trail cannot be written: stop rather than go on unrecorded.
          progress.done();
          report?.abandon();
          process.stderr.write('ads-fhir validate: the audit trail could not be written; stopped\n');
          return 1;
        }
        const { outcome, resource } = checked;
        take({ file: payload.name, outcome, ...(keepSource && resource !== undefined ? { source: JSON.stringify(resource) } : {}) });
      }
    } catch (e) {
      if (e instanceof ReportWriteError) {
        progress.done();
        report?.abandon();
        return usage(`Cannot write the report to ${output ?? 'standard output'}`);
      }
      take({ file, outcome: fatal('The file could not be read') });
    }
    progress.tick(file);
  }
  progress.done();
  const elapsedMs = Date.now() - started;
  let summary: RunSummary;
  if (report) {
    try {
      summary = report.end(elapsedMs);
    } catch {
      report.abandon();
      return usage(`Cannot write the report to ${output ?? 'standard output'}`);
    }
    if (output || opts.format !== 'text') process.stderr.write(`${summaryLine(summary)}\n`);
  } else {
    const text = opts.format === 'junit' ? formatJunit(results, { elapsedMs }) : formatHtml(results, { elapsedMs });
    summary = summarise(results, elapsedMs);
    if (output) {
      try {
        await writeFile(output, text);
      } catch {
        return usage(`Cannot write the report to ${output}`);
      }
    } else process.stdout.write(text);
    process.stderr.write(`${summaryLine(summary)}\n`);
  }
  return summary.failedFiles > 0 ? 1 : 0;
}

/** A report file or stream that could not be written. */
class ReportWriteError extends Error {}

/**
 * A text or JSON report streamed to standard output, or to a file written under a temporary name and
 * renamed into place at the end, so a failed run never leaves half a report behind.
 */
class StreamedReport {
  private readonly stream: ReportStream;
  private readonly fd: number | undefined;
  private readonly temp: string | undefined;

  constructor(
    format: 'text' | 'json',
    private readonly output: string | undefined,
  ) {
    if (output) {
      this.temp = `${output}.${process.pid}.partial`;
      this.fd = openSync(this.temp, 'w');
    }
    const write = (chunk: string): void => {
      try {
        if (this.fd !== undefined) writeSync(this.fd, chunk);
        else process.stdout.write(chunk);
      } catch {
        throw new ReportWriteError('report write failed');
      }
    };
    this.stream = streamReport(format, write, { colour: !output && format === 'text' && process.stdout.isTTY === true });
  }

  add(result: FileOutcome): void {
    this.stream.add(result);
  }

  end(elapsedMs: number): RunSummary {
    const summary = this.stream.end(elapsedMs);
    if (this.fd !== undefined) {
      closeSync(this.fd);
      renameSync(this.temp!, this.output!);
    }
    return summary;
  }

  /** Drops a partly written report file. */
  abandon(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    rmSync(this.temp!, { force: true });
  }
}

function usage(message: string): number {
  process.stderr.write(`ads-fhir validate: ${message}\n`);
  return 2;
}
