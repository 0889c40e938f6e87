/**
 * Scores the validator on the HL7 validator suite.
 *   npm run conformance -- --suite <fhir-test-cases folder> [--verbose] [--case name]
 * Ends with one JSON line: {"tierA":{"cases":N,"L1":pct,"L2":pct,"L3":pct},"tierB":{"cases":N,"L1":pct}}
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readCoreR4 } from '../../src/packages/core-r4.js';
import { coreSearchParameters } from '../../src/validation/core-resolver.js';
import { loadSuite, runCase, summarise, type CaseResult } from '../../src/validation/conformance/index.js';
import { SHARED_ENV, SHARED_ROOT } from '../support/shared.js';
import { conformanceDefaults } from './defaults.js';

const HELP = `Usage: npm run conformance -- [--suite <folder>] [--verbose] [--case <name>] [--root-cause]

Scores the validator on the HL7 validator test suite (R4 cases) and prints one JSON line of scores.

  --suite <folder>  the suite: a folder holding r4-index.json and validator/ (default: $${SHARED_ENV}/fhir-test-cases,
                    else ../shared/fhir-test-cases beside the repository)
  --case <name>     run one case and show its issues
  --verbose         show every case
  --root-cause      score the toolkit's default reporting, one defect reported once (by default the cases run
                    with every consequence reported, as the reference validator that made the suite reports them)

The suite is the validator/ folder of github.com/FHIR/fhir-test-cases with an index of its R4 cases;
docs/testing.md says where to get it. Exit status: 0 scored, 2 usage error (no suite).
`;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function usage(message: string): never {
  process.stderr.write(`conformance: ${message}\n`);
  process.exit(2);
}

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(HELP);
  process.exit(0);
}
if (process.argv.includes('--suite') && !arg('--suite')) usage('--suite takes a folder');
const suiteDir = resolve(arg('--suite') ?? join(SHARED_ROOT, 'fhir-test-cases'));
if (!existsSync(join(suiteDir, 'r4-index.json')) || !existsSync(join(suiteDir, 'validator', 'manifest.json'))) {
  usage(
    `no HL7 validator suite in ${suiteDir} (it needs r4-index.json and validator/manifest.json). ` +
      `Pass --suite <folder> or set ${SHARED_ENV}; docs/testing.md says where to get the suite.`,
  );
}
const only = arg('--case');
const verbose = process.argv.includes('--verbose');
const cases = loadSuite(suiteDir).filter((c) => (only ? c.name === only : c.tier.startsWith('A') || c.tier.startsWith('B')));
const defaults = conformanceDefaults(process.argv.includes('--root-cause'));
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
