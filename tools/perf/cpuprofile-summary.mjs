// Self and inclusive time per function of a V8 .cpuprofile: node tools/perf/cpuprofile-summary.mjs file [rows]
// LINES=1 names each function with its line (tells apart functions of the same name in one bundle).
import { readFileSync } from 'node:fs';

const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const rows = Number(process.argv[3]) || 40;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n) => `${n.callFrame.functionName || '(anonymous)'}${process.env.LINES ? `:${n.callFrame.lineNumber + 1}` : ''} ${n.callFrame.url.replace(/^file:\/\/.*?\/(src|bench|tools|node_modules)\//, '$1/')}`;
const sampled = new Map();
profile.samples.forEach((id, i) => sampled.set(id, (sampled.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const self = new Map();
const inclusive = new Map();
let total = 0;
for (const [id, t] of sampled) {
  total += t;
  self.set(label(byId.get(id)), (self.get(label(byId.get(id))) ?? 0) + t);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = label(byId.get(cur));
    if (!seen.has(k)) inclusive.set(k, (inclusive.get(k) ?? 0) + t);
    seen.add(k);
  }
}
const show = (title, map, n) => {
  console.log(`--- ${title}`);
  for (const [k, t] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${((t / total) * 100).toFixed(1).padStart(5)} ${k}`);
};
console.log(`total ${(total / 1000).toFixed(0)} ms`);
show('self', self, rows);
show('inclusive', inclusive, rows * 2);
