/**
 * Mapping benchmark: maps synthetic CAD CSV extracts of 10 000 and 100 000 rows with the example CAD mapping
 * (sorted by call, so each call is written when its key changes) and reports rows per second and the peak
 * resident memory of each run. Memory should stay flat as the extract grows.
 *
 * Run alone: `npx tsx bench/mapping.ts`.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { loadMappingFile, mapExtract } from '../src/mapping/index.js';

/** One run of the benchmark. */
export interface MappingBenchRun {
  readonly rows: number;
  readonly calls: number;
  readonly bundles: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  /** Processor time of the run (user + system), seconds: the fairer figure on a shared machine. */
  readonly cpuSeconds: number;
  readonly rowsPerCpuSecond: number;
  /** Highest resident set size sampled during the run, MiB. */
  readonly peakRssMiB: number;
}

const HEADER = 'IncidentNo,CallConnected,Origin,InitialCat,FinalCat,Outcome,StopCode,AMPDS,DispatchCodeTime,CallSign,VehicleType,Allocated,Mobilised,AtScene,LeftScene,AtHospital,Handover,Clear,StoodDown,PatientRef,NHSNumber,NHSStatus,NHSReason,DOB,Sex,Ethnicity,Postcode,Conveyance,DestSite,DestName';

/** A synthetic NHS number in the 999 test range with a valid check digit. */
function testNhsNumber(n: number): string {
  for (let k = n; ; k++) {
    const nine = `999${String(k % 1_000_000).padStart(6, '0')}`;
    const sum = [...nine].reduce((acc, d, i) => acc + Number(d) * (10 - i), 0);
    const check = (11 - (sum % 11)) % 11;
    if (check !== 10) return `${nine}${check}`;
  }
}

const pad = (n: number) => String(n).padStart(2, '0');
/** dd/MM/yyyy HH:mm:ss for minute `m` after 08:00 on a November day. */
function at(day: number, minute: number): string {
  const h = 8 + Math.floor(minute / 60);
  return `${pad(day)}/11/2026 ${pad(h % 24)}:${pad(minute % 60)}:00`;
}

/** Writes `rows` CSV rows: calls of three rows each (two patients on one ambulance, one on a second). */
async function writeExtract(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write(`${HEADER}\n`);
  for (let r = 0; r < rows; r++) {
    const call = Math.floor(r / 3);
    const day = 1 + (call % 28);
    const base = call % 600;
    const part = r % 3;
    const callSign = part < 2 ? `EA${100 + (call % 800)}` : `RR${10 + (call % 80)}`;
    const t = (m: number) => at(day, base + m);
    const conveyed = part === 0;
    await write([
      `CAD-${String(call).padStart(8, '0')}`, t(0), '999', 'CAT2', 'CAT2', 'STC', '', '10D01', t(1), callSign, part < 2 ? 'DCA' : 'RRV',
      t(2), t(3), t(12), t(40), conveyed ? t(58) : '', conveyed ? t(70) : '', t(85), '', `P${part}`, testNhsNumber(r), '01', '',
      '02/03/1948', part === 1 ? 'F' : 'M', 'A', 'NG7 2UH', conveyed ? 'ED' : 'DISCH', conveyed ? 'RX1RA' : '', conveyed ? "Queen's Medical Centre" : '',
    ].join(',') + '\n');
  }
  out.end();
  await once(out, 'finish');
}

async function runOnce(rows: number, dir: string): Promise<MappingBenchRun> {
  const file = join(dir, `extract-${rows}.csv`);
  await writeExtract(file, rows);
  const mapping = await loadMappingFile(new URL('../examples/mappings/cad.mapping.json', import.meta.url).pathname);
  global.gc?.();
  let peak = process.memoryUsage.rss();
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const report = await mapExtract(mapping, createReadStream(file), {
    outDir: join(dir, `out-${rows}`), progressEvery: 500, onProgress: () => {
      peak = Math.max(peak, process.memoryUsage.rss());
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  peak = Math.max(peak, process.memoryUsage.rss());
  if (report.fatal || report.skippedRecords) throw new Error(`the synthetic extract did not map cleanly: ${report.fatal ?? JSON.stringify(report.skipped.slice(0, 3))}`);
  await rm(join(dir, `out-${rows}`), { recursive: true, force: true });
  return { rows, calls: report.calls, bundles: report.bundlesWritten, seconds, rowsPerSecond: Math.round(rows / seconds), cpuSeconds, rowsPerCpuSecond: Math.round(rows / cpuSeconds), peakRssMiB: Math.round(peak / 2 ** 20) };
}

/** Maps 10 000 then 100 000 synthetic rows; one run each. */
export async function runMappingBench(sizes: readonly number[] = [10_000, 100_000]): Promise<MappingBenchRun[]> {
  const dir = await mkdtemp(join(tmpdir(), 'ads-mapping-bench-'));
  try {
    const runs: MappingBenchRun[] = [];
    for (const rows of sizes) runs.push(await runOnce(rows, dir));
    return runs;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runs = await runMappingBench();
  for (const r of runs) {
    console.log(`${String(r.rows).padStart(7)} rows  ${String(r.calls).padStart(6)} calls  ${r.seconds.toFixed(1).padStart(6)} s  ${String(r.rowsPerSecond).padStart(6)} rows/s  ${r.cpuSeconds.toFixed(1).padStart(6)} s CPU  ${String(r.rowsPerCpuSecond).padStart(6)} rows/CPU-s  peak RSS ${r.peakRssMiB} MiB`);
  }
}
