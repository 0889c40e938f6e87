/** `ads-fhir build <incident.json>`: a JSON description of an incident -> an ADS bundle (docs/incident-format.md). */
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { buildIncident, type IncidentIssue, type IncidentProblem } from '../../builder/index.js';
import { jsonSyntaxErrorOffset, offsetToLineColumn } from '../../format/json-syntax.js';
import { createValidationService } from '../../validation/index.js';
import { examples } from '../help.js';
import { addAuditFlags, AuditFlagError, openAuditFromFlags, type AuditFlags, type OpenedAudit } from './audit-flags.js';
import { runCommand } from '../run-command.js';
import { addOutOption, outOption } from '../shared-options.js';

/** Options of `ads-fhir build`. */
export interface BuildCommandOptions extends AuditFlags {
  out?: string;
  /** Hidden alias of `out`. */
  output?: string;
  /** False with `--no-validate`: only the builder's own checks run. */
  validate: boolean;
}

const isError = (i: IncidentIssue) => i.severity === 'error' || i.severity === 'fatal';

function problemLines(file: string, problems: readonly IncidentProblem[]): string {
  return `${file}: the incident description is invalid\n${problems.map((p) => `  ${p.pointer}: ${p.message}\n`).join('')}`;
}

/** An issue of the built bundle, at the part of the description that made it (and where in the bundle). */
function issueLine(i: IncidentIssue): string {
  return `  ${i.severity}${i.rule ? ` ${i.rule}` : ''} ${i.pointer}${i.expression ? ` (${i.expression})` : ''}: ${i.message}\n`;
}

/**
 * Runs `ads-fhir build`; returns the exit status: 0 the bundle was built with no error, 1 the description is
 * invalid or the bundle has errors, 2 the file cannot be read, `--out` cannot be written or the validator cannot be loaded.
 */
export async function runBuild(file: string, o: BuildCommandOptions, io: { stdout: { write(s: string): unknown }; stderr: { write(s: string): unknown } }): Promise<number> {
  const out = outOption(o);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    io.stderr.write(`cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})\n`);
    return 2;
  }
  let description: unknown;
  try {
    description = JSON.parse(text);
  } catch {
    // The parser's message can quote the text: say only where it went wrong.
    const offset = jsonSyntaxErrorOffset(text);
    const at = offset === undefined ? '' : (({ line, column }) => ` at line ${line}, column ${column}`)(offsetToLineColumn(text, offset));
    io.stderr.write(`${file}: not valid JSON${at}\n`);
    return 1;
  }
  let opened: OpenedAudit;
  try {
    opened = openAuditFromFlags(o);
  } catch (e) {
    if (e instanceof AuditFlagError) {
      io.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const options: NonNullable<Parameters<typeof buildIncident>[1]> = opened.audit ? { audit: opened.audit } : {};
  if (o.validate) {
    try {
      Object.assign(options, { validation: { validator: await createValidationService() } });
    } catch (e) {
      opened.close();
      io.stderr.write(`the validator could not be loaded (${e instanceof Error ? e.name : 'error'})\n`);
      return 2;
    }
  }
  let result: ReturnType<typeof buildIncident>;
  try {
    result = buildIncident(description, options);
  } finally {
    opened.close();
  }
  if (!result.ok) {
    io.stderr.write(problemLines(file, result.problems));
    return 1;
  }
  const json = `${JSON.stringify(result.bundle, null, 2)}\n`;
  if (out) {
    try {
      await writeFile(out, json);
    } catch (e) {
      io.stderr.write(`cannot write ${out} (${(e as NodeJS.ErrnoException).code ?? 'error'})\n`);
      return 2;
    }
  } else io.stdout.write(json);
  const issues = result.issues;
  const errors = issues.filter(isError).length;
  io.stderr.write(issues.map(issueLine).join(''));
  io.stderr.write(`${out ? `wrote ${out}: ` : ''}${errors} errors, ${issues.length - errors} warnings${o.validate ? '' : ' (builder checks only, no profile validation)'}\n`);
  return errors ? 1 : 0;
}

/** Registers `ads-fhir build`. */
export function register(program: Command): void {
  const command = program
    .command('build')
    .description('Build an ADS bundle from a JSON description of an incident (schemas/incident.schema.json) and validate it')
    .argument('<incident>', 'incident description (JSON; see docs/incident-format.md)');
  addOutOption(command, 'file', 'write the bundle here instead of standard output')
    .option('--no-validate', 'run only the builder checks, not profile validation (faster)')
    .addHelpText(
      'after',
      `${examples(
        'ads-fhir build examples/incidents/conveyed-to-ed.incident.json --out bundle.json',
        'ads-fhir build incident.json --no-validate | ads-fhir validate -',
      )}
Issues and the summary go to standard error. Exit status: 0 built with no errors, 1 the file is not JSON, the
description is invalid (each problem with its JSON pointer) or the bundle has errors, 2 usage error (no such
file, --out cannot be written).
`,
    );
  addAuditFlags(command)
    .action(async (file: string, o: BuildCommandOptions) => {
      await runCommand('build', () => runBuild(file, o, { stdout: process.stdout, stderr: process.stderr }));
    });
}
