/**
 * Regenerates the snapshot of every core R4 profile and extension definition from its differential
 * and compares it with the published one. Run: `npx tsx bench/snapshot-oracle.ts [--verbose]`.
 */
import type { StructureDefinition } from 'fhir/r4';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCoreBundle } from '../src/packages/core-r4.js';
import { checkAgainstPublished, type OracleResult } from '../src/packages/snapshot/oracle.js';
import { PackageStore } from '../src/packages/store.js';

/** The core R4 definitions that ship a differential and a snapshot. */
function publishedProfiles(): StructureDefinition[] {
  const out: StructureDefinition[] = [];
  for (const file of ['profiles-others.json', 'extension-definitions.json'] as const) {
    for (const r of readCoreBundle(file)) {
      const sd = r as StructureDefinition;
      if (sd.resourceType === 'StructureDefinition' && sd.differential && sd.snapshot) out.push(sd);
    }
  }
  return out;
}

function summarise(results: OracleResult[]): OracleSummary {
  return {
    profiles: results.length,
    profilesMatched: results.filter((r) => !r.error && r.matched === r.expected && r.extra === 0).length,
    elements: results.reduce((n, r) => n + r.expected, 0),
    elementsMatched: results.reduce((n, r) => n + r.matched, 0),
    extraElements: results.reduce((n, r) => n + r.extra, 0),
    results,
  };
}

export interface OracleSummary {
  profiles: number;
  profilesMatched: number;
  elements: number;
  elementsMatched: number;
  extraElements: number;
  results: OracleResult[];
}

/** Each profile regenerated against its base's published snapshot. */
export async function runSnapshotOracle(store?: PackageStore): Promise<OracleSummary> {
  const s = store ?? (await PackageStore.create({ ukCore: false }));
  return summarise(publishedProfiles().map((sd) => checkAgainstPublished(sd, s)));
}

/**
 * Harder: every one of those profiles loaded again without its snapshot (same URL, loaded later, so
 * it wins), so profiles on profiles (bodyweight on vitalsigns) and extension slices are generated
 * from generated snapshots all the way down.
 */
export async function runChainedOracle(cacheDir?: string): Promise<OracleSummary> {
  // A fixed folder: a cached build of the previous run is then replaced, not accumulated.
  const dir = join(tmpdir(), 'ads-fhir-oracle-stripped');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'oracle.stripped', version: '1.0.0' }));
  const published = publishedProfiles();
  published.forEach((sd, i) => {
    const { snapshot: _published, ...stripped } = sd;
    writeFileSync(join(dir, `sd-${i}.json`), JSON.stringify(stripped));
  });
  try {
    const store = await PackageStore.create({ ukCore: false, packages: [dir], cacheDir: cacheDir ?? false });
    return summarise(published.map((sd) => compareGenerated(sd, store)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function compareGenerated(published: StructureDefinition, store: PackageStore): OracleResult {
  try {
    const generated = store.structureDefinition(published.url);
    return checkAgainstPublished(published, { structureDefinition: (u) => (u === published.url ? generated : store.structureDefinition(u)) }, generated?.snapshot?.element);
  } catch (e) {
    return { url: published.url, expected: published.snapshot?.element.length ?? 0, matched: 0, extra: 0, differences: [], error: (e as Error).message };
  }
}

function report(title: string, summary: OracleSummary, verbose: boolean): void {
  console.log(`== ${title}`);
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const verbose = process.argv.includes('--verbose');
  report('against published base snapshots', await runSnapshotOracle(), verbose);
  report('chained: bases regenerated too', await runChainedOracle(), verbose);
}
