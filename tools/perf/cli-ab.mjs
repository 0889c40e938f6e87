// Two built CLIs and a bare Node start, interleaved run by run, each validating the same bundle against the same warm
// package cache: median and best wall and CPU time (user + system of the child, from /proc) of each. For changes to
// start-up that the start-up bench's five runs cannot tell apart from noise.
//   node tools/perf/cli-ab.mjs OTHER/dist/cli.js dist/cli.js [runs] [bundle]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [a, b, runs = '10', bundle = 'examples/bundles/road-traffic-collision.json'] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: node tools/perf/cli-ab.mjs A/dist/cli.js B/dist/cli.js [runs] [bundle]');
  process.exit(2);
}
const env = { ...process.env, ADS_FHIR_CACHE_DIR: mkdtempSync(join(tmpdir(), 'ads-fhir-cli-ab-')) };
const cmds = { bare: ['-e', '0'], a: [a, 'validate', bundle], b: [b, 'validate', bundle] };
// Children's CPU so far, in ms (cutime + cstime, 100 ticks a second).
const cpu = () => {
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(f[13]) + Number(f[14])) * 10;
};
const run = (args) => {
  const c0 = cpu();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env, stdio: 'ignore' });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return { ms: performance.now() - t0, cpu: cpu() - c0 };
};
for (const args of Object.values(cmds)) for (let i = 0; i < 2; i++) run(args); // fill the caches (packages, code)
const res = Object.fromEntries(Object.keys(cmds).map((k) => [k, { ms: [], cpu: [] }]));
for (let i = 0; i < Number(runs); i++) {
  for (const [k, args] of Object.entries(cmds)) {
    const r = run(args);
    res[k].ms.push(r.ms);
    res[k].cpu.push(r.cpu);
  }
}
const med = (x) => [...x].sort((p, q) => p - q)[Math.floor(x.length / 2)];
for (const [k, v] of Object.entries(res)) {
  console.log(`${k.padEnd(5)} wall median ${med(v.ms).toFixed(0)} best ${Math.min(...v.ms).toFixed(0)} ms | cpu median ${med(v.cpu)} best ${Math.min(...v.cpu)} ms`);
}
