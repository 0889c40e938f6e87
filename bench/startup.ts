/**
 * Start-up: one ADS bundle through the built CLI (`node dist/cli.js validate <bundle>`, what `npx ads-fhir`
 * runs) against a bare `node -e 0`, five runs of each, interleaved, median of each, in the same run.
 * The CLI runs against a package cache of its own: one first run fills it (reported as the cold start),
 * then the timed runs find it warm, as every run after a user's first does. The CLI is built first when
 * dist/cli.js is missing or older than the sources. Also reports how many modules the run loads.
 *   npx tsx bench/run.ts startup      (or npx tsx bench/startup.ts)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../src/packages/test-fixtures.js';
import { BUILT_CLI, ensureBuilt, ROOT } from './product.js';
import { isMain, median, ratio, timeOnce } from './timing.js';

const CLI = BUILT_CLI;
const BUNDLE = join(ROOT, 'examples', 'bundles', 'road-traffic-collision.json');
const RUNS = 5;

export interface StartupBenchResult {
  bundle: string;
  entries: number;
  runs: number;
  /** Median wall time of `node -e 0`. */
  node_bare_ms: number;
  /** Median wall time of `node dist/cli.js validate <bundle>` (package cache warm). */
  cli_validate_ms: number;
  /** cli_validate_ms over node_bare_ms. Goal: at most 4. */
  vs_node_bare: number;
  node_bare_runs_ms: number[];
  cli_validate_runs_ms: number[];
  /** Median CPU time (user + system) of the CLI runs and of the bare runs, where the OS reports it (Linux). */
  cli_validate_cpu_ms?: number;
  node_bare_cpu_ms?: number;
  /** The first run, on an empty package cache (builds the package index and the derived caches). */
  cold_cache_ms: number;
  /** Modules (files) the warm CLI run loads, and which of the heavy dependencies among them. */
  modules_loaded: number;
  heavy_modules_loaded: string[];
}

/** Children's CPU time so far (user + system, ms) from /proc, where there is one. */
function childrenCpuMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    // cutime and cstime are fields 16 and 17 of the line, in clock ticks (100 a second on Linux).
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

function timed(args: string[], env: NodeJS.ProcessEnv): { ms: number; cpuMs: number | undefined } {
  const cpu0 = childrenCpuMs();
  const { value: r, ms } = timeOnce(() => spawnSync(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' }));
  const cpu1 = childrenCpuMs();
  // Exit 1 is a bundle with errors, still a full run; anything else means the run did not happen.
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 300)}`);
  return { ms, cpuMs: cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0 };
}

const HEAVY = ['fhirpath', 'fastify', 'jose', 'better-sqlite3', 'fast-xml-parser', 'tar-stream', 'ajv', 'fhir-kit-client'];

export async function runStartupBench(runs = RUNS): Promise<StartupBenchResult> {
  ensureBuilt();
  const cache = tempDir('ads-fhir-startup-');
  const env = { ...process.env, ADS_FHIR_CACHE_DIR: cache };
  const validate = [CLI, 'validate', BUNDLE];
  const cold = timed(validate, env);
  // The module count, from a run of its own (the probe's bookkeeping is not timed).
  const list = join(cache, 'modules.txt');
  timed(['--import', join(ROOT, 'bench', 'module-probe.mjs'), ...validate], { ...env, ADS_MODULE_PROBE: list });
  const modules = readFileSync(list, 'utf8').trim().split('\n');
  timed(validate, env); // one more warm-up: file system caches hold the CLI and the packages, as for a user's next run
  const bare: { ms: number; cpuMs: number | undefined }[] = [];
  const cli: { ms: number; cpuMs: number | undefined }[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(timed(['-e', '0'], env));
    cli.push(timed(validate, env));
  }
  const cpu = (list: { cpuMs: number | undefined }[]) => (list.every((r) => r.cpuMs !== undefined) ? Math.round(median(list.map((r) => r.cpuMs!))) : undefined);
  const cliCpu = cpu(cli);
  const bareCpu = cpu(bare);
  const bundle = JSON.parse(readFileSync(BUNDLE, 'utf8')) as { entry?: unknown[] };
  return {
    bundle: 'examples/bundles/road-traffic-collision.json',
    entries: bundle.entry?.length ?? 0,
    runs,
    node_bare_ms: Math.round(median(bare.map((r) => r.ms))),
    cli_validate_ms: Math.round(median(cli.map((r) => r.ms))),
    vs_node_bare: ratio(median(cli.map((r) => r.ms)) / median(bare.map((r) => r.ms))),
    node_bare_runs_ms: bare.map((r) => Math.round(r.ms)),
    cli_validate_runs_ms: cli.map((r) => Math.round(r.ms)),
    ...(cliCpu !== undefined && bareCpu !== undefined ? { cli_validate_cpu_ms: cliCpu, node_bare_cpu_ms: bareCpu } : {}),
    cold_cache_ms: Math.round(cold.ms),
    modules_loaded: modules.length,
    heavy_modules_loaded: HEAVY.filter((name) => modules.some((m) => m.includes(`/node_modules/${name}/`))),
  };
}

if (isMain(import.meta.url)) console.log(JSON.stringify(await runStartupBench()));
