/**
 * Scores the validator on the HL7 validator suite.
 *   npx tsx test/conformance/run.ts --suite ../shared/fhir-test-cases [--verbose] [--case name]
 * Ends with one JSON line: {"tierA":{"cases":N,"L1":pct,"L2":pct,"L3":pct},"tierB":{"cases":N,"L1":pct}}
 */
import { resolve } from 'node:path';
import { readCoreR4 } from '../../src/packages/core-r4.js';
import { coreSearchParameters } from '../../src/validation/core-resolver.js';
import { loadSuite, runCase, summarise, type CaseResult } from '../../src/validation/conformance/index.js';
import { conformanceDefaults } from './defaults.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const suiteDir = resolve(arg('--suite') ?? resolve(import.meta.dirname, '..', '..', '..', 'shared', 'fhir-test-cases'));
const only = arg('--case');
const verbose = process.argv.includes('--verbose');
const cases = loadSuite(suiteDir).filter((c) => (only ? c.name === only : c.tier.startsWith('A') || c.tier.startsWith('B')));
const defaults = conformanceDefaults();
const core = [...readCoreR4(), ...coreSearchParameters()];
const results: CaseResult[] = [];
for (const c of cases) {
  const r = runCase(c, { dir: suiteDir, core, ...defaults });
  results.push(r);
  if (verbose || only) {
    const mark = r.status !== 'ran' ? `SKIP(${r.status})` : `${r.L1 ? 'L1' : '--'} ${r.L2 ? 'L2' : '--'} ${r.L3 ? 'L3' : '--'}`;
    console.log(`${mark.padEnd(24)} ${c.tier[0]} ${c.fmt} ${c.name}${r.reason ? `: ${r.reason}` : ''}`);
    if (!r.L3 || only) {
      for (const s of r.steps) {
        console.log(`    ${s.kind}: expected e${s.score.expected.errors}/w${s.score.expected.warnings} [${s.score.expected.locations.join(', ')}] got e${s.score.actual.errors}/w${s.score.actual.warnings}`);
        for (const i of s.issues) if (i.severity !== 'information') console.log(`      ${i.severity} ${i.expression}: ${i.message.slice(0, 160)}`);
      }
    }
  }
}
const includeXml = defaults.xmlParser !== undefined;
const notRun = results.filter((r) => r.status !== 'ran' && (includeXml || r.fmt === 'json'));
console.log(`# ${results.length} cases loaded; XML ${includeXml ? 'included' : 'not counted (no XML parser)'}; ${notRun.length} counted cases could not run (scored as failures): ${[...new Set(notRun.map((r) => r.status))].join(', ')}`);
console.log(JSON.stringify(summarise(results, includeXml)));
