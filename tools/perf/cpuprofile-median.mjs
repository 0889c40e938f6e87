// Median inclusive and self ms per function (named with its line) over every .cpuprofile in a folder: for short
// runs, such as one CLI run each (`node --cpu-prof --cpu-prof-dir=DIR dist/cli.js validate ...`, several times), where
// one profile is too few samples.   node tools/perf/cpuprofile-median.mjs DIR [rows] [1 = sort by inclusive, 2 = self]
import { readFileSync, readdirSync } from 'node:fs';
const dir = process.argv[2];
const per = new Map(); const totals = [];
for (const f of readdirSync(dir).filter((x) => x.endsWith('.cpuprofile'))) {
  const p = JSON.parse(readFileSync(`${dir}/${f}`, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n])); const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n) => `${n.callFrame.functionName || '(anon)'}:${n.callFrame.lineNumber + 1} ${n.callFrame.url.split('/').pop()}`;
  const incl = new Map(); const self = new Map(); let total = 0;
  p.samples.forEach((id, i) => { const t = (p.timeDeltas[i] ?? 0) / 1000; total += t;
    const l0 = label(byId.get(id)); self.set(l0, (self.get(l0) ?? 0) + t);
    const seen = new Set(); for (let c = id; c !== undefined; c = parent.get(c)) { const k = label(byId.get(c)); if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + t); } } });
  totals.push(total);
  for (const [k, v] of incl) { const e = per.get(k) ?? { incl: [], self: [] }; e.incl.push(v); per.set(k, e); }
  for (const [k, v] of self) { const e = per.get(k) ?? { incl: [], self: [] }; e.self.push(v); per.set(k, e); }
}
const n = totals.length;
const med = (x) => { const a = [...x, ...Array(n - x.length).fill(0)].sort((a, b) => a - b); return a[Math.floor(n / 2)]; };
console.log('runs', n, 'total median ms', med(totals).toFixed(0));
const rows = [...per].map(([k, v]) => [k, med(v.incl), med(v.self)]).sort((a, b) => b[Number(process.argv[4] ?? 1)] - a[Number(process.argv[4] ?? 1)]).slice(0, Number(process.argv[3] ?? 60));
for (const [k, i, s] of rows) console.log(i.toFixed(1).padStart(7), s.toFixed(1).padStart(7), k);
