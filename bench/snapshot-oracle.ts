/**
 * Regenerates the snapshot of every core R4 profile and extension definition from its differential
 * and compares it with the published one. Run: `npx tsx bench/snapshot-oracle.ts [--verbose]`.
 */
import type { StructureDefinition } from 'fhir/r4';
import { fileURLToPath } from 'node:url';
import { readCoreBundle } from '../src/packages/core-r4.js';
import { checkAgainstPublished, type OracleResult } from '../src/packages/snapshot/oracle.js';
import { PackageStore } from '../src/packages/store.js';

export interface OracleSummary {
  profiles: number;
  profilesMatched: number;
  elements: number;
  elementsMatched: number;
  extraElements: number;
  results: OracleResult[];
}

export async function runSnapshotOracle(store?: PackageStore): Promise<OracleSummary> {
  const s = store ?? (await PackageStore.create({ ukCore: false }));
  const results: OracleResult[] = [];
  for (const file of ['profiles-others.json', 'extension-definitions.json'] as const) {
    for (const r of readCoreBundle(file)) {
      const sd = r as StructureDefinition;
      if (sd.resourceType !== 'StructureDefinition' || !sd.differential || !sd.snapshot) continue;
      results.push(checkAgainstPublished(sd, s));
    }
  }
  return {
    profiles: results.length,
    profilesMatched: results.filter((r) => !r.error && r.matched === r.expected && r.extra === 0).length,
    elements: results.reduce((n, r) => n + r.expected, 0),
    elementsMatched: results.reduce((n, r) => n + r.matched, 0),
    extraElements: results.reduce((n, r) => n + r.extra, 0),
    results,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const summary = await runSnapshotOracle();
  const verbose = process.argv.includes('--verbose');
  for (const r of summary.results) {
    if (r.error || r.matched !== r.expected || r.extra) {
      console.log(`${r.url}: ${r.matched}/${r.expected} extra ${r.extra}${r.error ? ` ERROR ${r.error}` : ''}`);
      if (verbose) for (const d of r.differences) console.log(`    ${d}`);
    }
  }
  const pct = (a: number, b: number) => ((100 * a) / b).toFixed(2);
  console.log(`profiles identical: ${summary.profilesMatched}/${summary.profiles} (${pct(summary.profilesMatched, summary.profiles)}%)`);
  console.log(`elements matched:   ${summary.elementsMatched}/${summary.elements} (${pct(summary.elementsMatched, summary.elements)}%), extra generated: ${summary.extraElements}`);
}
