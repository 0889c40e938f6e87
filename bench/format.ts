// Format benchmark: model load (cold = no cache, warm = cached JSON) and XML <-> JSON throughput on UK Core.
// Run: npx tsx bench/format.ts  (needs ../shared beside the clone for the UK Core XML)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { timeOnce } from './timing.js';

const repo = fileURLToPath(new URL('..', import.meta.url));

if (process.argv[2] === '--child') {
  const { coreFormatModel, parseFhirXml, toFhirXml } = await import('../src/format/index.js');
  const modelMs = timeOnce(() => coreFormatModel()).ms;
  const walk = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
  const texts = walk(resolve(repo, '..', 'shared', 'fhir', 'ukcore', 'xml')).map((f) => readFileSync(f));
  const bytes = texts.reduce((n, b) => n + b.length, 0);
  const { value: resources, ms: toJsonMs } = timeOnce(() => texts.map((b) => parseFhirXml(b).resource));
  const toXmlMs = timeOnce(() => resources.forEach((r) => toFhirXml(r))).ms;
  const rss = process.memoryUsage().rss / 2 ** 20;
  console.log(JSON.stringify({ modelMs: Math.round(modelMs), files: texts.length, mb: +(bytes / 2 ** 20).toFixed(2), xmlToJsonMs: Math.round(toJsonMs), jsonToXmlMs: Math.round(toXmlMs), rssMb: Math.round(rss) }));
} else {
  const cache = mkdtempSync(join(tmpdir(), 'ads-fhir-format-bench-'));
  const run = (label: string) => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child'], { env: { ...process.env, ADS_FHIR_CACHE_DIR: cache }, encoding: 'utf8' });
    console.log(label, out.trim());
  };
  run('cold (model built from core R4):');
  run('warm (model from cache):       ');
  rmSync(cache, { recursive: true, force: true });
}
