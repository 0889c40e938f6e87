import { readFileSync, statSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseJsonWithExactDecimals, stringifyFhirJson } from '../../format/decimal.js';
import { FormatError, type FormatIssue } from '../../format/errors.js';
import { jsonSyntaxErrorOffset, offsetToLineColumn } from '../../format/json-syntax.js';
import { toFhirXml } from '../../format/json-to-xml.js';
import { parseFhirXml } from '../../format/xml-to-json.js';
import { examples } from '../help.js';
import { addOutOption, outOption } from '../shared-options.js';

interface ConvertOptions {
  to?: string;
  out?: string;
  output?: string;
}

function describeIssue(issue: FormatIssue): string {
  const at = issue.line !== undefined ? ` (line ${issue.line}, column ${issue.column ?? 0})` : '';
  return `  ${issue.severity} ${issue.path}: ${issue.message}${at}`;
}

/** Converts one file; the direction comes from `--to`, else from the content (XML starts with `<`). */
export function convertFile(file: string, to?: string): { output: string; issues: FormatIssue[] } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new FormatError('invalid-input', `Cannot read ${file}`);
  }
  const looksXml = /^(\uFEFF|\s)*</.test(bytes.subarray(0, 200).toString('latin1')) || bytes[0] === 0xff || bytes[0] === 0xfe;
  const target = to ?? (looksXml ? 'json' : 'xml');
  if (target !== 'json' && target !== 'xml') throw new FormatError('invalid-input', `--to must be json or xml, not '${target}'`);
  if (target === 'json') {
    const { resource, issues } = parseFhirXml(bytes, { decimals: 'exact' });
    return { output: `${stringifyFhirJson(resource, 2)}\n`, issues };
  }
  const text = bytes.toString('utf8');
  let json: unknown;
  try {
    json = parseJsonWithExactDecimals(text);
  } catch {
    // The engine's message can quote the text (patient data): report only where it went wrong.
    const offset = jsonSyntaxErrorOffset(text);
    if (offset === undefined) throw new FormatError('invalid-input', `${file} is not valid JSON`);
    const { line, column } = offsetToLineColumn(text, offset);
    throw new FormatError('invalid-input', `${file} is not valid JSON`, line, column);
  }
  const { xml, issues } = toFhirXml(json);
  return { output: xml, issues };
}

/**
 * `ads-fhir convert <file> [--to json|xml] [--out file]`: FHIR XML <-> JSON, keeping decimal precision.
 * Exit status: 0 converted cleanly, 1 the file cannot be parsed or converted without issues, 2 usage error.
 */
export function register(program: Command): void {
  const command = program
    .command('convert')
    .description('Convert a FHIR resource between XML and JSON (direction from the content unless --to is given)')
    .argument('<file>', 'FHIR XML or JSON resource')
    .option('--to <format>', 'json or xml');
  addOutOption(command, 'file', 'write here instead of standard output')
    .addHelpText(
      'after',
      `${examples('ads-fhir convert patient.xml --out patient.json', 'ads-fhir convert bundle.json --to xml')}
Issues go to standard error. Exit status: 0 converted with no issue, 1 the file cannot be parsed or has issues
(each with its line and column), 2 usage error (no such file, a bad --to, --out cannot be written).
`,
    )
    .action((file: string, opts: ConvertOptions) => {
      const usage = (message: string) => {
        console.error(`convert: ${message}`);
        process.exitCode = 2;
      };
      if (opts.to !== undefined && opts.to !== 'json' && opts.to !== 'xml') return usage(`--to must be json or xml, not '${opts.to}'`);
      if (!statSync(file, { throwIfNoEntry: false })?.isFile()) return usage(`Cannot read ${file}: no such file`);
      let converted: ReturnType<typeof convertFile>;
      try {
        converted = convertFile(file, opts.to);
      } catch (e) {
        if (!(e instanceof FormatError)) throw e;
        console.error(`convert: ${e.message}`);
        process.exitCode = 1;
        return;
      }
      const out = outOption(opts);
      if (out) {
        try {
          writeFileSync(out, converted.output);
        } catch (e) {
          return usage(`cannot write ${out} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
        }
      } else process.stdout.write(converted.output);
      for (const issue of converted.issues) console.warn(describeIssue(issue));
      if (converted.issues.length) process.exitCode = 1;
    });
}
