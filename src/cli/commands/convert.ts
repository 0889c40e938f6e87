import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseJsonWithExactDecimals, stringifyFhirJson } from '../../format/decimal.js';
import { FormatError, type FormatIssue } from '../../format/errors.js';
import { jsonSyntaxErrorOffset, offsetToLineColumn } from '../../format/json-syntax.js';
import { toFhirXml } from '../../format/json-to-xml.js';
import { parseFhirXml } from '../../format/xml-to-json.js';
import { examples } from '../help.js';

interface ConvertOptions {
  to?: string;
  out?: string;
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

/** `ads-fhir convert <file> [--to json|xml] [--out file]`: FHIR XML <-> JSON, keeping decimal precision. */
export function register(program: Command): void {
  program
    .command('convert')
    .description('Convert a FHIR resource between XML and JSON (direction from the content unless --to is given)')
    .argument('<file>', 'FHIR XML or JSON resource')
    .option('--to <format>', 'json or xml')
    .option('--out <file>', 'write here instead of standard output')
    .addHelpText('after', examples('ads-fhir convert patient.xml --out patient.json', 'ads-fhir convert bundle.json --to xml'))
    .action((file: string, opts: ConvertOptions) => {
      try {
        const { output, issues } = convertFile(file, opts.to);
        if (opts.out) writeFileSync(opts.out, output);
        else process.stdout.write(output);
        for (const issue of issues) console.warn(describeIssue(issue));
        if (issues.length) process.exitCode = 1;
      } catch (e) {
        if (!(e instanceof FormatError)) throw e;
        console.error(`convert: ${e.message}`);
        process.exitCode = 2;
      }
    });
}
