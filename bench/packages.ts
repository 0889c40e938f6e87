/**
 * Package loading benchmark: core R4 + UK Core, cold (empty cache) and warm (second process),
 * each in a fresh Node process so times and RSS are honest. Run: `npx tsx bench/packages.ts`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledPackage } from '../src/packages/locations.js';
import { PackageStore } from '../src/packages/store.js';
import { tempDir, ukCoreFromSharedJson } from '../src/packages/test-fixtures.js';
import { timeOnce, timeOnceAsync } from './timing.js';

const UK_PATIENT = 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient';

/** Inside a child process: load, time it, print one JSON line. */
async function child(cacheDir: string, ukCore: string | undefined): Promise<void> {
  const { value: store, ms: loadMs } = await timeOnceAsync(() => PackageStore.create(ukCore ? { ukCore: false, packages: [ukCore], cacheDir } : { cacheDir }));
  const { value: patient, ms: snapshotMs } = timeOnce(() => store.structureDefinition(UK_PATIENT));
  const resources = store.packages.reduce((n, p) => n + p.resources, 0);
  console.log(JSON.stringify({ loadMs, snapshotMs, rssMb: process.memoryUsage().rss / 1e6, resources, patient: patient?.snapshot?.element.length ?? 0 }));
}

interface ChildResult {
  loadMs: number;
  snapshotMs: number;
  rssMb: number;
  resources: number;
  patient: number;
}

function runChild(cacheDir: string, ukCore: string | undefined): ChildResult {
  const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', cacheDir, ukCore ?? ''];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const line = out.trim().split('\n').pop() ?? '{}';
  return JSON.parse(line) as ChildResult;
}

/** Cold and warm load of core R4 + UK Core; keys are metric names, values in ms or MB. */
export async function runPackageBench(): Promise<Record<string, number>> {
  const cacheDir = join(tempDir('ads-fhir-bench-'), 'cache');
  // Until the converted UK Core ships in profiles/ukcore, build it from the shared JSON.
  const ukCore = existsSync(bundledPackage('ukcore')) ? undefined : ukCoreFromSharedJson(tempDir('ads-fhir-ukcore-'));
  try {
    const cold = runChild(cacheDir, ukCore);
    const warm = [runChild(cacheDir, ukCore), runChild(cacheDir, ukCore), runChild(cacheDir, ukCore)];
    const best = warm.reduce((a, b) => (b.loadMs < a.loadMs ? b : a));
    return {
      resources: cold.resources,
      coldLoadMs: Math.round(cold.loadMs),
      coldRssMb: Math.round(cold.rssMb),
      warmLoadMs: Math.round(best.loadMs),
      warmRssMb: Math.round(best.rssMb),
      ukCorePatientSnapshotMs: Math.round(best.snapshotMs),
      ukCorePatientElements: best.patient,
    };
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

const self = fileURLToPath(import.meta.url);
if (process.argv[1] === self) {
  const i = process.argv.indexOf('--child');
  if (i >= 0) await child(process.argv[i + 1] as string, process.argv[i + 2] || undefined);
  else console.table(await runPackageBench());
}
