/**
 * NDJSON at scale: a file of 100 000 resources validated with the full service (core R4, UK Core,
 * ADS) in the main thread, then on 1 and on 2 worker threads. Each configuration runs in its own
 * process so its peak RSS is its own. Reports throughput and the peak RSS after 10 000, after half
 * and after all resources: memory that stops growing after the first few thousand is flat.
 *   npx tsx bench/ndjson.ts [count]
 */
import { fork } from 'node:child_process';
import { appendFileSync, createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { chooseWorkerCount } from '../src/cli/parallel-validate.js';
import { createValidationService, ValidationPool } from '../src/validation/index.js';
import { benchResources } from './validation-fixtures.js';
import { timeOnceAsync } from './timing.js';

/** One way of validating the file: in the main thread (0 workers) or on a pool, optionally with each heap capped. */
export interface NdjsonBenchConfiguration {
  workers: number;
  /** Old-generation heap cap of every thread, in MB: the run completing under it shows live memory stays below it. */
  heapCapMb?: number;
}

export interface NdjsonBenchRun {
  /** 0 = validated in the main thread. */
  workers: number;
  heap_cap_mb?: number;
  resources: number;
  startup_ms: number;
  seconds: number;
  resources_per_s: number;
  /** Throughput over the first 10 000 resources (pool start-up excluded, as for the whole run). */
  resources_per_s_at_10k: number;
  rss_mb_at_10k: number;
  rss_mb_at_half: number;
  rss_mb_at_end: number;
  peak_rss_mb: number;
  peak_worker_heap_mb: number;
  /** Main-thread run only: heap still in use after a full garbage collection, after 10 000 and after all resources. */
  live_heap_mb_at_10k?: number;
  live_heap_mb_at_end?: number;
  /** Mean share of time each worker spent validating (1 = never waiting for work). */
  workers_busy: number;
  /** CPU time of the whole process (all threads) over wall time while validating: how many cores it kept busy. */
  cores_busy: number;
  with_errors: number;
}

export interface NdjsonBenchResult {
  resources: number;
  file_mb: number;
  runs: NdjsonBenchRun[];
  /** Throughput of 2 workers over 1 worker. */
  speedup_2_vs_1: number;
  /** RSS after all resources over RSS after 10 000, 2 workers (1.0 = flat). */
  rss_growth_10k_to_end: number;
  /** The same for the main thread. */
  rss_growth_10k_to_end_main: number;
  /** Best worker-pool throughput over the main thread's, start-up included in both (below 1: the pool is slower). */
  pool_vs_main_thread: number;
  /** Workers `ads-fhir validate` starts on its own for this file on this machine (0 = the main thread). */
  cli_workers: number;
  /**
   * The same ratio for a plain CPU loop on 1 and 2 threads, measured in the same run: the parallel
   * speedup this machine actually offers at the moment (near 1 when other jobs hold the cores).
   */
  machine_speedup_2_vs_1: number;
}

const CHILD_FLAG = '--ndjson-bench-child';
const MARK = 10_000;

/** Writes `count` resources, one a line: valid ones, 1 in 50 with an invalid code, 1 in 1000 malformed. */
function writeFeed(file: string, count: number): void {
  writeFileSync(file, '');
  const chunk = 1000;
  for (let start = 0; start < count; start += chunk) {
    const lines: string[] = [];
    benchResources(Math.min(chunk, count - start)).forEach((r, k) => {
      const i = start + k;
      r.id = `r${i}`;
      if (i % 1000 === 999) lines.push(`{"resourceType": "Patient", "id": "r${i}", "gender": `);
      else lines.push(JSON.stringify(i % 50 === 49 ? { ...r, status: 'not-a-status', gender: 'nonsense' } : r));
    });
    appendFileSync(file, `${lines.join('\n')}\n`);
  }
}

/** One configuration, in this process: validates the file and reports its figures. */
async function measure(file: string, workers: number, total: number, heapCapMb: number): Promise<NdjsonBenchRun> {
  let peak = 0;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
  const timer = setInterval(sample, 25);
  const t0 = performance.now();
  const lines = () => createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let done = 0;
  let withErrors = 0;
  let at10k = 0;
  let atHalf = 0;
  const live: number[] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  const liveHeap = () => {
    gc?.();
    live.push(process.memoryUsage().heapUsed);
  };
  let started = 0;
  let workerHeap = 0;
  let workersBusy = 0;
  let cpu0 = process.cpuUsage();
  let atEnd = 0;
  let secondsAt10k = 0;
  const count = (issues: { severity: string }[]) => {
    if (issues.some((i) => i.severity === 'error' || i.severity === 'fatal')) withErrors++;
    if (++done % 1000 === 0) sample();
    if (done === MARK) {
      secondsAt10k = (performance.now() - started) / 1000;
      at10k = peak;
      if (workers === 0) liveHeap();
    }
    if (done === Math.floor(total / 2)) atHalf = peak;
  };
  if (workers === 0) {
    const service = await createValidationService();
    started = performance.now();
    cpu0 = process.cpuUsage();
    for await (const line of lines()) if (line) count(service.validateText(line, { format: 'json' }).outcome.issue);
    atEnd = process.memoryUsage().rss;
    liveHeap();
  } else {
    const pool = await ValidationPool.create({ workers, ...(heapCapMb ? { maxHeapMb: heapCapMb } : {}) });
    started = performance.now();
    cpu0 = process.cpuUsage();
    async function* items() {
      for await (const line of lines()) if (line) yield { text: line, format: 'json' as const };
    }
    for await (const r of pool.validate(items())) count(r.outcome.issue);
    workerHeap = pool.stats.peakWorkerHeapBytes;
    workersBusy = Math.round(pool.stats.workerBusy * 100) / 100;
    atEnd = process.memoryUsage().rss;
    await pool.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  sample();
  clearInterval(timer);
  const mb = (b: number) => Math.round(b / 1024 / 1024);
  return {
    workers,
    ...(heapCapMb ? { heap_cap_mb: heapCapMb } : {}),
    ...(gc && live.length === 2 ? { live_heap_mb_at_10k: mb(live[0] ?? 0), live_heap_mb_at_end: mb(live[1] ?? 0) } : {}),
    resources: done,
    startup_ms: Math.round(started - t0),
    seconds: Math.round(seconds * 10) / 10,
    resources_per_s: Math.round(done / seconds),
    resources_per_s_at_10k: secondsAt10k ? Math.round(MARK / secondsAt10k) : 0,
    rss_mb_at_10k: mb(at10k),
    rss_mb_at_half: mb(atHalf),
    rss_mb_at_end: mb(atEnd),
    peak_rss_mb: mb(peak),
    peak_worker_heap_mb: mb(workerHeap),
    workers_busy: workersBusy,
    cores_busy: Math.round(((cpu.user + cpu.system) / 1e6 / seconds) * 100) / 100,
    with_errors: withErrors,
  };
}

/** Runs one configuration in a fresh process (with the TypeScript loader) and returns its figures. */
function measureInChild(file: string, { workers, heapCapMb = 0 }: NdjsonBenchConfiguration, total: number): Promise<NdjsonBenchRun> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const execArgv = ['--import', tsx, '--expose-gc', ...(heapCapMb ? [`--max-old-space-size=${heapCapMb}`] : [])];
  const args = [CHILD_FLAG, file, String(workers), String(total), String(heapCapMb)];
  const child = fork(fileURLToPath(import.meta.url), args, { execArgv, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as NdjsonBenchRun);
      else reject(new Error(`The bench run with ${workers} workers${heapCapMb ? ` and ${heapCapMb} MB heaps` : ''} failed (exit ${code})`));
    });
  });
}

/** Wall time of `threads` threads each running the same fixed CPU loop. */
async function cpuLoopMs(threads: number): Promise<number> {
  const loop = `let x = 0; for (let i = 0; i < 2e8; i++) x = (x * 31 + i) | 0; require('node:worker_threads').parentPort.postMessage(x);`;
  const run = await timeOnceAsync(() => Promise.all(Array.from({ length: threads }, () => new Promise((done) => new Worker(loop, { eval: true }).once('message', done)))));
  return run.ms;
}

const DEFAULT_CONFIGURATIONS: readonly NdjsonBenchConfiguration[] = [{ workers: 0 }, { workers: 1 }, { workers: 2 }, { workers: 2, heapCapMb: 64 }];

export async function runNdjsonBench(count = 100_000, configurations: readonly NdjsonBenchConfiguration[] = DEFAULT_CONFIGURATIONS): Promise<NdjsonBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ads-ndjson-bench-'));
  const file = join(dir, 'feed.ndjson');
  try {
    writeFeed(file, count);
    const runs: NdjsonBenchRun[] = [];
    for (const configuration of configurations) {
      const run = await measureInChild(file, configuration, count);
      process.stderr.write(`ndjson: ${JSON.stringify(run)}\n`);
      runs.push(run);
    }
    const single = await cpuLoopMs(1);
    const double = await cpuLoopMs(2);
    const one = runs.find((r) => r.workers === 1 && !r.heap_cap_mb);
    const two = runs.find((r) => r.workers === 2 && !r.heap_cap_mb);
    const main = runs.find((r) => r.workers === 0);
    const wall = (r: NdjsonBenchRun) => r.seconds + r.startup_ms / 1000;
    const pools = runs.filter((r) => r.workers > 0 && !r.heap_cap_mb);
    const bestPool = pools.length ? Math.min(...pools.map(wall)) : 0;
    return {
      resources: count,
      file_mb: Math.round((statSync(file).size / 1024 / 1024) * 10) / 10,
      runs,
      speedup_2_vs_1: one && two ? Math.round((two.resources_per_s / one.resources_per_s) * 100) / 100 : 0,
      rss_growth_10k_to_end: two && two.rss_mb_at_10k ? Math.round((two.rss_mb_at_end / two.rss_mb_at_10k) * 100) / 100 : 0,
      rss_growth_10k_to_end_main: main && main.rss_mb_at_10k ? Math.round((main.rss_mb_at_end / main.rss_mb_at_10k) * 100) / 100 : 0,
      pool_vs_main_thread: main && bestPool ? Math.round((wall(main) / bestPool) * 100) / 100 : 0,
      cli_workers: (await chooseWorkerCount(undefined, [file])) ?? 0,
      machine_speedup_2_vs_1: Math.round(((2 * single) / double) * 100) / 100,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const entry = process.argv[1] ? pathToFileURL(process.argv[1]).href : '';
if (process.argv[2] === CHILD_FLAG) {
  const run = await measure(process.argv[3] ?? '', Number(process.argv[4] ?? 1), Number(process.argv[5] ?? 0), Number(process.argv[6] ?? 0));
  process.stdout.write(`${JSON.stringify(run)}\n`);
} else if (entry === import.meta.url) {
  const count = Number(process.argv[2] ?? 100_000);
  process.stdout.write(`${JSON.stringify(await runNdjsonBench(count))}\n`);
}

