/**
 * Conformance cross-check: real conformance, terminology and Questionnaire/Measure resources (xcheck-corpus.ts)
 * validated by the HL7 Java validator and by ads-fhir, compared rule key by rule key.
 *
 *   npm run oracle:xcheck [-- --refresh-java] [--cached-only] [--heap 2g] [--json out.json] [--baseline before.json] [--doc docs/oracle.md]
 *
 * The Java outcomes are kept in `.oracle/xcheck-java.jsonl` (the JVM run takes minutes); ads-fhir is rerun every
 * time, so a rule fix shows at once. Issues compared: errors and warnings, by severity class and rule key (the
 * reference's message id; an invariant as `<url>#<key>`), counted per file; reference issues that only exist
 * because it runs without a terminology server are set aside as `npm run oracle` does. `--json` saves the per-file
 * differences; `--baseline` reads such a file from an earlier run (another commit) and shows its counts beside
 * these; `--doc` writes the result into its marked section of docs/oracle.md; `--cached-only` compares only the files the
 * reference has already answered (no JVM).
 */
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createValidationService } from '../../src/index.js';
import { runJavaOracle, type ReferenceOutcome } from './java-oracle.js';
import { ORACLE_DIR, PROJECT_DIR } from './paths.js';
import { serverDependence } from './terminology-scope.js';
import { XCHECK_CORPUS_TEXT, xcheckCorpus, type XcheckFile } from './xcheck-corpus.js';
import { XCHECK_NOTES } from './xcheck-notes.js';
import { withXcheckBlock, XCHECK_END, XCHECK_START } from './xcheck-section.js';

const MESSAGE_ID_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/operationoutcome-message-id';
const RULE_SYSTEM = 'urn:ads-fhir:rule';

interface Keyed {
  key: string;
  expression: string;
  text: string;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function sevClass(s: string): 'error' | 'warning' | undefined {
  return s === 'error' || s === 'fatal' ? 'error' : s === 'warning' ? 'warning' : undefined;
}

/** Java's invariant ids are `<StructureDefinition url>#<key>`; ours may name the source differently: compare the key. */
function normaliseRule(rule: string): string {
  const hash = rule.lastIndexOf('#');
  return hash > 0 ? `#${rule.slice(hash + 1)}` : rule;
}

/** The family a resource type belongs to in the report. */
export function familyOf(type: string): string {
  if (type === 'Questionnaire' || type === 'QuestionnaireResponse') return 'questionnaire';
  if (type === 'Measure' || type === 'MeasureReport') return 'measure';
  if (type === 'StructureDefinition') return 'structure-definition';
  if (['StructureMap', 'SearchParameter', 'OperationDefinition', 'ImplementationGuide', 'CapabilityStatement', 'CompartmentDefinition', 'GraphDefinition', 'MessageDefinition', 'NamingSystem', 'ExampleScenario', 'TerminologyCapabilities'].includes(type))
    return 'conformance-resources';
  if (type === 'CodeSystem' || type === 'ValueSet' || type === 'ConceptMap') return 'terminology-resources';
  return 'other';
}

/** The cache key of a file: the project's own files by their path in the project, so a worktree of another commit finds them. */
function cacheKey(path: string): string {
  const inProject = path.split('/profiles/ads/');
  return inProject.length === 2 ? `profiles/ads/${inProject[1]}` : path;
}

async function javaOutcomes(files: XcheckFile[], refresh: boolean, heap: string): Promise<Map<string, ReferenceOutcome>> {
  // One JSON line per answered file, appended as the reference answers, so an interrupted run loses nothing.
  const cache = join(ORACLE_DIR, 'xcheck-java.jsonl');
  if (refresh && existsSync(cache)) rmSync(cache);
  const cached = new Map<string, ReferenceOutcome>();
  if (existsSync(cache)) {
    for (const line of readFileSync(cache, 'utf8').split('\n')) if (line.trim()) cached.set(cacheKey((JSON.parse(line) as ReferenceOutcome).file), JSON.parse(line) as ReferenceOutcome);
  }
  const missing = files.map((f) => f.path).filter((p) => !cached.has(cacheKey(p)));
  if (missing.length && !process.argv.includes('--cached-only')) {
    process.stderr.write(`running the Java validator on ${missing.length} files...\n`);
    await runJavaOracle(missing, {
      heap,
      extraArgs: ['--no-web'],
      onProgress: (n) => n % 25 === 0 && process.stderr.write(`  ${n}/${missing.length}\n`),
      onOutcome: (o) => {
        appendFileSync(cache, `${JSON.stringify(o)}\n`);
        cached.set(cacheKey(o.file), o);
      },
    });
  }
  return cached;
}

interface FileDiff {
  file: string;
  family: string;
  agree: boolean;
  /** The verdict (an error or not) is the same on both sides. */
  sameVerdict: boolean;
  oursOnly: Keyed[];
  javaOnly: Keyed[];
}

/** Ours and Java's issues of one file, matched one to one by severity class + rule key. */
function diff(ours: Keyed[], java: Keyed[]): { oursOnly: Keyed[]; javaOnly: Keyed[] } {
  const left = [...java];
  const oursOnly: Keyed[] = [];
  for (const o of ours) {
    const i = left.findIndex((j) => j.key === o.key);
    if (i >= 0) left.splice(i, 1);
    else oursOnly.push(o);
  }
  return { oursOnly, javaOnly: left };
}

async function main(): Promise<void> {
  const files = xcheckCorpus();
  const java = await javaOutcomes(files, process.argv.includes('--refresh-java'), arg('--heap') ?? '2g');
  if (process.argv.includes('--java-only')) return;
  const service = await createValidationService({ reportConsequences: true, bestPractice: 'ignore' });
  const setAside = serverDependence(service.store);
  const diffs: FileDiff[] = [];
  const left = { crashed: 0, unanswered: 0, unansweredBy: new Map<string, number>() };
  for (const f of files) {
    const ref = java.get(cacheKey(f.path));
    if (!ref || ref.crash) {
      if (ref) left.crashed++;
      else {
        left.unanswered++;
        const k = `${f.source} ${f.resourceType}`;
        left.unansweredBy.set(k, (left.unansweredBy.get(k) ?? 0) + 1);
      }
      continue;
    }
    const javaKeyed: Keyed[] = [];
    for (const i of ref.issues ?? []) {
      const s = sevClass(i.severity);
      if (!s || setAside(i)) continue;
      javaKeyed.push({ key: `${s} ${normaliseRule(i.messageId ?? '(no id)')}`, expression: i.expression, text: i.text });
    }
    const oursKeyed: Keyed[] = [];
    const { outcome } = service.validateText(readFileSync(f.path, 'utf8'), { format: 'json' });
    for (const i of outcome.issue) {
      const s = sevClass(i.severity);
      if (!s) continue;
      const rule = i.extension?.find((e) => e.url === MESSAGE_ID_EXTENSION)?.valueString ?? i.details?.coding?.find((c) => c.system === RULE_SYSTEM)?.code ?? '(no id)';
      oursKeyed.push({ key: `${s} ${normaliseRule(rule)}`, expression: i.expression?.[0] ?? '', text: i.details?.text ?? i.diagnostics ?? '' });
    }
    const d = diff(oursKeyed, javaKeyed);
    const hasError = (ks: Keyed[]) => ks.some((k) => k.key.startsWith('error '));
    diffs.push({ file: relative(PROJECT_DIR, f.path), family: familyOf(f.resourceType), agree: !d.oursOnly.length && !d.javaOnly.length, sameVerdict: hasError(oursKeyed) === hasError(javaKeyed), ...d });
  }
  const out = arg('--json');
  if (out) writeFileSync(out, JSON.stringify(diffs, null, 1));
  const baselineFile = arg('--baseline');
  const baseline = baselineFile ? (JSON.parse(readFileSync(baselineFile, 'utf8')) as FileDiff[]) : undefined;
  const text = render(diffs, left, baseline);
  const doc = arg('--doc');
  if (doc) writeFileSync(doc, withXcheckBlock(existsSync(doc) ? readFileSync(doc, 'utf8') : '', `${XCHECK_START}\n${text.trimEnd()}\n${XCHECK_END}`));
  process.stdout.write(text);
}

function counts(diffs: FileDiff[], fam: string): number[] {
  const ds = fam === 'all' ? diffs : diffs.filter((d) => d.family === fam);
  return [ds.length, ds.filter((d) => d.sameVerdict).length, ds.filter((d) => d.agree).length, ds.filter((d) => d.oursOnly.length).length, ds.filter((d) => d.javaOnly.length).length];
}

function render(diffs: FileDiff[], left: { crashed: number; unanswered: number; unansweredBy: Map<string, number> }, baseline?: FileDiff[]): string {
  const lines: string[] = [];
  lines.push('## Conformance resources against the reference (`npm run oracle:xcheck`)', '');
  lines.push(`Corpus, each file as it is (no mutation): ${XCHECK_CORPUS_TEXT}`, '');
  lines.push(`Files: ${diffs.length} compared; ${left.crashed} where the reference crashed; ${left.unanswered} not yet answered by the reference (a --cached-only run on the answers kept so far${left.unanswered ? `: ${[...left.unansweredBy].map(([k, n]) => `${k} ${n}`).join(', ')}` : ''}). Compared: errors and warnings, by severity class and rule key, one to one per file; reference issues that exist only because no terminology server runs are set aside as above.`, '');
  if (baseline) lines.push(`Where two figures are given, the first is the baseline run (${arg('--baseline-label') ?? '`--baseline`'}), the second this one.`, '');
  const shown = process.argv.slice(2).filter((a, i, all) => a !== '--json' && all[i - 1] !== '--json').map((a) => (a.includes(' ') ? `'${a}'` : a));
  lines.push(`Command: \`npm run oracle:xcheck -- ${shown.join(' ')}\` (a baseline file is the \`--json FILE\` output of the same command on the earlier commit).`, '');
  lines.push('| family | files | same verdict (error or not) | agreeing on every rule key | with a false positive | missing a reference issue |', '|---|---:|---:|---:|---:|---:|');
  const fams = [...new Set(diffs.map((d) => d.family))].sort();
  for (const fam of [...fams, 'all']) {
    const now = counts(diffs, fam);
    const before = baseline ? counts(baseline, fam) : undefined;
    const cell = (i: number) => (before && before[i] !== now[i] ? `${before[i]} → ${now[i]}` : `${now[i]}`);
    const b = fam === 'all' ? '**' : '';
    lines.push(`| ${b}${fam}${b} | ${now[0]} | ${cell(1)} | ${cell(2)} | ${cell(3)} | ${cell(4)} |`);
  }
  if (baseline) {
    const tally = (ds: FileDiff[]) => {
      const m = new Map<string, number>();
      for (const d of ds) for (const k of d.oursOnly) m.set(k.key, (m.get(k.key) ?? 0) + 1);
      return m;
    };
    const before = tally(baseline);
    const now = tally(diffs);
    const gone = [...before].filter(([k, n]) => (now.get(k) ?? 0) < n).map(([k, n]) => `\`${k}\` ${n} → ${now.get(k) ?? 0}`);
    lines.push('', `False positives fewer than in the baseline: ${gone.length ? gone.join(', ') : 'none'}.`);
  }
  for (const [title, pick] of [
    ['ads-fhir reports, the reference does not (false positives)', (d: FileDiff) => d.oursOnly],
    ['The reference reports, ads-fhir does not', (d: FileDiff) => d.javaOnly],
  ] as const) {
    const byKey = new Map<string, { files: Set<string>; issues: number; example: string }>();
    for (const d of diffs)
      for (const k of pick(d)) {
        const e = byKey.get(k.key) ?? { files: new Set<string>(), issues: 0, example: `${d.file.replace(/^.*\//, '')} \`${k.expression}\`: ${k.text.slice(0, 110).replace(/\|/g, '\\|')}` };
        e.files.add(d.file);
        e.issues++;
        byKey.set(k.key, e);
      }
    lines.push('', `### ${title} (this run)`, '', '| files | issues | rule key | example | why (tools/oracle/xcheck-notes.ts) |', '|---:|---:|---|---|---|');
    for (const [key, e] of [...byKey].sort((a, b) => b[1].files.size - a[1].files.size || b[1].issues - a[1].issues))
      lines.push(`| ${e.files.size} | ${e.issues} | \`${key}\` | ${e.example} | ${(XCHECK_NOTES[key] ?? 'not yet looked at').replace(/\|/g, '\\|')} |`);
  }
  return `${lines.join('\n')}\n`;
}

main().catch((e: unknown) => {
  process.stderr.write(`oracle:xcheck: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
