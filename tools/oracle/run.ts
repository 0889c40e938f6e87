/**
 * npm run oracle -- --count N --seed S   differential run against the HL7 Java validator (see docs/oracle.md)
 * Options: --families a,b  --heap 3g  --per-family 10  --agree-per-family 2  --no-record  --doc FILE
 *          --update-expectations   (no Java: reruns the recorded cases through ads-fhir and rewrites the pins)
 *          --refresh-cases   (in the same JVM, asks the reference again about every recorded case, rewrites its recorded
 *                             outcome and then the pins: after a change to profiles/ the recorded outcomes are stale)
 *          --render .oracle/runs/s<seed>/report.json   (no Java: writes docs/oracle.md again from a saved run)
 *          --reuse-reference   (no Java: takes the reference's answers saved by the last run of the same seed and count,
 *                               .oracle/runs/s<seed>/reference.json, and compares ads-fhir again, e.g. after a rule fix)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createAdsValidator, validateWithAds } from './ads-side.js';
import { compare, type Compared } from './aggregate.js';
import { caseKey, loadCases, loadExpectations, recordedReference, selectCases, toRecordedCase, writeCase, writeExpectations, type Candidate, type RecordedCase } from './cases.js';
import { generateVariants, loadDefinitions, writeVariants } from './generate.js';
import { javaCommand, REFERENCE_NAME, runJavaOracle, whyNoJavaOracle, type JavaRun, type ReferenceIssue, type ReferenceOutcome } from './java-oracle.js';
import { ORACLE_DIR, PROJECT_DIR } from './paths.js';
import { medianOf, renderReport, renderTiming, withTiming, type RunReport } from './report.js';
import { countedReference, levelOf, score } from './score.js';
import { loadSeeds } from './seeds.js';
import { serverDependence } from './terminology-scope.js';
import { withXcheckBlock, xcheckBlock } from './xcheck-section.js';

const argv = process.argv.slice(2);
const arg = (name: string, fallback?: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
};
const flag = (name: string): boolean => argv.includes(name);

async function updateExpectations(): Promise<void> {
  const { service } = await createAdsValidator();
  const old = loadExpectations();
  const next: typeof old = {};
  let changed = 0;
  for (const c of loadCases()) {
    const level = levelOf(score(c.reference.issues, validateWithAds(service, c.payload, c.format).issues));
    const key = caseKey(c);
    next[key] = { family: c.family, level };
    if (old[key]?.level !== level) {
      changed++;
      console.log(`${key}: ${old[key]?.level ?? 'new'} -> ${level}`);
    }
  }
  writeExpectations(next);
  console.log(`${Object.keys(next).length} cases pinned, ${changed} changed`);
}

/** The ADS example bundles, the broken set and the UK Core examples, as files. */
function exampleFiles(): { group: string; label: string; file: string }[] {
  const list = (group: string, dir: string, keep: (f: string) => boolean) =>
    readdirSync(join(PROJECT_DIR, dir))
      .filter((f) => f.endsWith('.json') && keep(f))
      .sort()
      .map((f) => ({ group, label: `${dir}/${f}`, file: join(PROJECT_DIR, dir, f) }));
  return [
    ...list('ADS example bundles', 'examples/bundles', () => true),
    ...list('ADS broken examples', 'examples/broken', (f) => !f.endsWith('.expect.json')),
    ...list('UK Core examples', 'profiles/ukcore/example', () => true),
  ];
}

type SetAside = (i: ReferenceIssue) => boolean;

function issuesOf(o: ReferenceOutcome | undefined, setAside: SetAside, tally: Map<string, number>): ReferenceIssue[] {
  const all = o?.issues ?? [];
  for (const i of all) if (i.severity !== 'information' && setAside(i)) tally.set(i.messageId ?? '(no id)', (tally.get(i.messageId ?? '(no id)') ?? 0) + 1);
  return countedReference(all, setAside);
}

/** Writes the page again from a run's saved figures (`.oracle/runs/s<seed>/report.json`), e.g. after a wording change. */
function renderAgain(file: string): void {
  const data = JSON.parse(readFileSync(file, 'utf8')) as RunReport & { setAside: [string, number][]; adsSetAside?: [string, number][] };
  const doc = arg('--doc', join(PROJECT_DIR, 'docs', 'oracle.md')) as string;
  writeFileSync(doc, withXcheckBlock(renderReport({ ...data, setAside: new Map(data.setAside), adsSetAside: new Map(data.adsSetAside ?? []) }), xcheckBlock(doc)));
  writeTiming(data);
  console.log(`wrote ${relative(PROJECT_DIR, doc)} and the timing on docs/benchmarks.md from ${file}`);
}

async function main(): Promise<void> {
  if (flag('--update-expectations')) return updateExpectations();
  const saved = arg('--render');
  if (saved) return renderAgain(saved);
  const reuse = flag('--reuse-reference');
  const why = reuse ? undefined : whyNoJavaOracle();
  if (why) {
    console.error(`The Java oracle cannot run here: ${why}.`);
    process.exit(2);
  }
  const count = Number(arg('--count', '300'));
  const seed = Number(arg('--seed', '1'));
  const families = arg('--families')?.split(',');
  const heap = arg('--heap', '3g') as string;
  const runDir = join(ORACLE_DIR, 'runs', `s${seed}`);
  if (!reuse) rmSync(runDir, { recursive: true, force: true });

  console.log(`generating ${count} variants (seed ${seed})...`);
  if (reuse && flag('--refresh-cases')) throw new Error('--reuse-reference and --refresh-cases do not go together: refreshing asks the reference again');
  const variants = generateVariants(seed, count, { seeds: loadSeeds(), defs: await loadDefinitions(), ...(families ? { families } : {}) });
  const files = writeVariants(join(runDir, 'variants'), variants);
  const examples = exampleFiles();
  const refresh = flag('--refresh-cases') ? casePayloadFiles(join(runDir, 'cases')) : [];

  if (!reuse) console.log(`validating ${files.length} variants and ${examples.length} example files with the Java validator (one JVM)...`);
  const java = reuse
    ? savedJavaRun(runDir)
    : await runJavaOracle([...examples.map((e) => e.file), ...files, ...refresh.map((r) => r.file)], {
        heap,
        onProgress: (n) => n % 250 === 0 && console.log(`  java: ${n} done`),
      });
  if (!reuse) saveJavaRun(runDir, java);

  console.log('validating the same with ads-fhir...');
  const ads = await createAdsValidator();
  const setAside = serverDependence(ads.service.store);
  const asideTally = new Map<string, number>();
  const adsAside = new Map<string, number>();
  const compared: Compared[] = [];
  const candidates: Candidate[] = [];
  const crashes: string[] = [];
  variants.forEach((v, i) => {
    const ref = java.outcomes.get(files[i] as string);
    if (!ref || ref.crash) {
      crashes.push(`${v.id} ${ref?.crash ?? 'no answer'}`);
      return;
    }
    const reference = issuesOf(ref, setAside, asideTally);
    const mine = validateWithAds(ads.service, v.text, v.format);
    for (const i of mine.setAside) adsAside.set(`${i.messageId ?? '(no id)'} (${i.why})`, (adsAside.get(`${i.messageId ?? '(no id)'} (${i.why})`) ?? 0) + 1);
    const c = compare(v.family, `${v.id} ${v.source}`, reference, mine.issues, v.group);
    compared.push(c);
    candidates.push({ recorded: toRecordedCase(v, ref.issues ?? [], REFERENCE_NAME, setAside), level: c.level });
  });
  const exampleCompared: Compared[] = [];
  for (const e of examples) {
    const text = readFileSync(e.file, 'utf8');
    const mine = validateWithAds(ads.service, text, 'json');
    exampleCompared.push(compare(e.group, e.label, issuesOf(java.outcomes.get(e.file), setAside, asideTally), mine.issues));
  }
  const javaMs = examples.map((e) => java.outcomes.get(e.file)?.ms ?? 0);
  // ads-fhir's timing in a fresh process: this one is warm (packages loaded, profiles compiled by now).
  const timed = spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_DIR, 'tools', 'oracle', 'time-ads.ts'), ...examples.map((e) => e.file)], { cwd: PROJECT_DIR, encoding: 'utf8' });
  const adsTiming = JSON.parse(timed.stdout.trim().split('\n').pop() ?? '{}') as { startupMs: number; ms: number[] };
  const adsMs = adsTiming.ms ?? [];

  if (refresh.length) {
    let asked = 0;
    for (const r of refresh) {
      const ref = java.outcomes.get(r.file);
      if (!ref || ref.crash) {
        console.log(`${caseKey(r.recorded)}: the reference gave no answer (${ref?.crash ?? 'none'}); left as recorded`);
        continue;
      }
      writeCase({ ...r.recorded, reference: recordedReference(ref.issues ?? [], REFERENCE_NAME, setAside) });
      asked++;
    }
    console.log(`asked the reference again about ${asked} of ${refresh.length} recorded cases`);
  }

  let recorded = 0;
  if (!flag('--no-record')) {
    const chosen = selectCases(candidates, Number(arg('--per-family', '10')), Number(arg('--agree-per-family', '2')));
    const pins = loadExpectations();
    for (const c of chosen) {
      writeCase(c.recorded);
      pins[caseKey(c.recorded)] = { family: c.recorded.family, level: c.level };
      if (c.level !== 'L2') recorded++;
    }
    writeExpectations(pins);
    console.log(`recorded ${chosen.length} cases (${recorded} disagreements) under test/oracle/cases`);
  }

  const doc = arg('--doc', join(PROJECT_DIR, 'docs', 'oracle.md')) as string;
  const data: RunReport = {
    command: `npm run oracle -- ${argv.join(' ')}`.trim(),
    seed,
    date: new Date().toISOString().slice(0, 10),
    reference: REFERENCE_NAME,
    javaCommand: javaCommand(heap).map((a) => a.replaceAll(PROJECT_DIR, '.')).join(' '),
    variants: compared,
    examples: exampleCompared,
    timing: {
      java: { files: examples.length, startupMs: java.startupMs, meanMs: javaMs.reduce((a, b) => a + b, 0) / (javaMs.length || 1), medianMs: medianOf(javaMs) },
      ads: { files: examples.length, startupMs: adsTiming.startupMs ?? -1, meanMs: adsMs.reduce((a, b) => a + b, 0) / (adsMs.length || 1), medianMs: medianOf(adsMs) },
    },
    recorded,
    javaCrashes: crashes,
    setAside: asideTally,
    adsSetAside: adsAside,
  };
  mkdirSync(join(runDir), { recursive: true });
  writeFileSync(doc, withXcheckBlock(renderReport(data), xcheckBlock(doc)));
  // The two validators' times go on the benchmarks page only from a run that timed the reference (with
  // --reuse-reference it did not run) and that writes the project's own agreement page (one written elsewhere is a trial).
  if (!reuse && resolve(doc) === join(PROJECT_DIR, 'docs', 'oracle.md')) writeTiming(data);
  writeFileSync(join(runDir, 'report.json'), JSON.stringify({ ...data, setAside: [...asideTally], adsSetAside: [...adsAside] }));
  writeFileSync(join(runDir, 'compared.json'), JSON.stringify(compared.map((c) => ({ family: c.family, label: c.label, level: c.level, score: c.score, reference: c.reference, ads: c.ads }))));
  console.log(`wrote ${relative(PROJECT_DIR, doc)}; details in ${relative(PROJECT_DIR, runDir)}/compared.json`);
  const rows = compared.length ? compared : [];
  console.log(`L1 ${rows.filter((c) => c.score.L1).length}/${rows.length}, L2 ${rows.filter((c) => c.score.L2).length}/${rows.length}`);
  if (refresh.length) await updateExpectations();
}

/** The two validators' times go on the benchmarks page (between its markers), not on the agreement page. */
function writeTiming(data: RunReport): void {
  const page = join(PROJECT_DIR, 'docs', 'benchmarks.md');
  writeFileSync(page, withTiming(readFileSync(page, 'utf8'), renderTiming(data)));
}

/** The reference's answers of a run, kept so ads-fhir can be compared again without starting the JVM. */
function saveJavaRun(runDir: string, java: JavaRun): void {
  writeFileSync(join(runDir, 'reference.json'), JSON.stringify({ startupMs: java.startupMs, wallMs: java.wallMs, outcomes: [...java.outcomes.values()] }));
}

function savedJavaRun(runDir: string): JavaRun {
  const file = join(runDir, 'reference.json');
  console.log(`taking the reference's answers from ${relative(PROJECT_DIR, file)} (no Java)`);
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { startupMs: number; wallMs: number; outcomes: ReferenceOutcome[] };
  return { startupMs: saved.startupMs, wallMs: saved.wallMs, outcomes: new Map(saved.outcomes.map((o) => [o.file, o])) };
}

/** Every recorded case's payload written out as a file, for the reference to read. */
function casePayloadFiles(dir: string): { recorded: RecordedCase; file: string }[] {
  mkdirSync(dir, { recursive: true });
  return loadCases().map((c) => {
    const file = join(dir, `${c.family}--${c.id}.${c.format}`);
    writeFileSync(file, c.payload);
    return { recorded: c, file };
  });
}

await main();
