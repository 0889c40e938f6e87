/**
 * Writes docs/rules.md and the coverage line of README.md and docs/validation.md.
 *   npm run docs:rules            write them
 *   npm run docs:rules -- --check list what is stale, exit 1 if anything is
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogueProblems, loadCatalogue } from './catalogue.js';
import { coverageLine, renderRulesDoc } from './render.js';
import { scanRepository } from './scan.js';
import { computeReport } from './status.js';

export const RULES_DOC = join('docs', 'rules.md');
/** Files that carry the coverage line between these markers. */
export const COVERAGE_LINE_FILES = ['README.md', join('docs', 'validation.md')];
const START = '<!-- rules-coverage -->';
const END = '<!-- /rules-coverage -->';

/** Replaces the text between the coverage markers; the text unchanged when it has no markers. */
export function withCoverageLine(text: string, line: string, relativeTo: string): string {
  const start = text.indexOf(START);
  const end = text.indexOf(END, start);
  if (start < 0 || end < 0) return text;
  // docs/validation.md sits next to rules.md: its link has no docs/ prefix.
  const linked = relativeTo.startsWith('docs') ? line.replace('[docs/rules.md](docs/rules.md)', '[rules.md](rules.md)') : line;
  return text.slice(0, start + START.length) + linked + text.slice(end);
}

/** The generated files: path (repo-relative) to the content they should have. */
export function generatedRuleDocs(root: string): Map<string, string> {
  const catalogue = loadCatalogue(root);
  const problems = catalogueProblems(catalogue);
  if (problems.length) throw new Error(`reference-rules.json: ${problems.join('; ')}`);
  const report = computeReport(catalogue, scanRepository(root));
  const out = new Map<string, string>([[RULES_DOC, renderRulesDoc(catalogue, report)]]);
  const line = coverageLine(report);
  for (const file of COVERAGE_LINE_FILES) out.set(file, withCoverageLine(readFileSync(join(root, file), 'utf8'), line, file));
  return out;
}

/** Files whose content differs from what the generator makes. */
export function staleRuleDocs(root: string): string[] {
  const stale: string[] = [];
  for (const [file, text] of generatedRuleDocs(root)) {
    let current: string | undefined;
    try {
      current = readFileSync(join(root, file), 'utf8');
    } catch {
      current = undefined;
    }
    if (current !== text) stale.push(file);
  }
  return stale;
}

function main(): void {
  const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
  if (process.argv.includes('--check')) {
    const stale = staleRuleDocs(root);
    if (stale.length) {
      console.error(`stale, run npm run docs:rules: ${stale.join(', ')}`);
      process.exitCode = 1;
    }
    return;
  }
  for (const [file, text] of generatedRuleDocs(root)) writeFileSync(join(root, file), text);
  console.log(`wrote ${RULES_DOC} and the coverage line of ${COVERAGE_LINE_FILES.join(', ')}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
