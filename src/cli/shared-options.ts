/** Options several commands share, spelt the same everywhere. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { resolvePackageSpec } from '../packages/package-spec.js';
import { isPackageError } from '../packages/errors.js';
import { parseReportLevel, type ReportLevel } from '../reporting/index.js';
import { UsageError } from './inputs.js';

export const collect = (value: string, previous: string[]) => [...previous, value];

/** `-o, --out <what>`, with `--output` kept as a hidden alias (earlier releases of `validate` used it). */
export function addOutOption(command: Command, what: string, description: string): Command {
  return command
    .option(`-o, --out <${what}>`, description)
    .addOption(new Option(`--output <${what}>`, description).hideHelp());
}

/** The `--out` value, however it was spelt. */
export function outOption(opts: { out?: string; output?: string }): string | undefined {
  return opts.out ?? opts.output;
}

/** `--ig <name#version|folder|tgz>` (repeatable), with the older `--package <folder|tgz>` as a hidden alias. */
export function addIgOption(command: Command): Command {
  return command
    .option('--ig <name#version|folder|tgz>', 'load this FHIR package too: a folder, a .tgz, or name#version from the FHIR package cache (~/.fhir/packages); repeatable', collect, [])
    .addOption(new Option('--package <folder|tgz>', 'same as --ig').argParser(collect).default([]).hideHelp());
}

/**
 * The package folders and files `--ig` and `--package` name, resolved from the FHIR package cache where needed.
 * @throws UsageError naming the package that could not be found and where the command looked.
 */
export function igPackages(opts: { ig?: string[]; package?: string[] }): string[] {
  return [...(opts.ig ?? []), ...(opts.package ?? [])].map((spec) => {
    try {
      return resolvePackageSpec(spec);
    } catch (e) {
      if (isPackageError(e)) throw new UsageError(`--ig ${e.message}`);
      throw e;
    }
  });
}

/** `--level error|warning|information` (also the HL7 validator's spellings: errors, warnings, hints...). */
export function addLevelOption(command: Command): Command {
  return command.addOption(
    new Option('--level <level>', 'issues to report: error (errors only), warning (errors and warnings) or information (all)')
      .argParser((value: string): ReportLevel => {
        const level = parseReportLevel(value);
        if (!level) throw new InvalidArgumentError('use error, warning or information');
        return level;
      })
      .default('information' as ReportLevel),
  );
}

/** `--ignore <glob>` (repeatable): files to leave out of folders and patterns. */
export function addIgnoreOption(command: Command): Command {
  return command.option('--ignore <glob>', 'leave out files found in folders or by patterns that match (a file name like *.bak, or a path like payloads/old/**); repeatable', collect, []);
}
