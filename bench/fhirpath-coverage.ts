/**
 * How many distinct core R4 invariant expressions the FHIRPath fast path compiles (the rest run on
 * fhirpath.js), and which ones it leaves.
 *   npx tsx bench/fhirpath-coverage.ts [--list]
 */
import { compileFast } from '../src/fhirpath/fast/compile.js';
import { readCoreR4 } from '../src/packages/core-r4.js';

const expressions = new Set<string>();
for (const r of readCoreR4()) {
  if (r.resourceType !== 'StructureDefinition') continue;
  for (const e of r.snapshot?.element ?? []) for (const c of e.constraint ?? []) if (c.expression) expressions.add(c.expression);
}
// The evaluator always gives the fast path its resolve(); which resource it finds does not matter here.
const left = [...expressions].filter((x) => compileFast(x, undefined, () => undefined) === undefined);
console.log(`${expressions.size - left.length} of ${expressions.size} distinct core R4 invariant expressions run on the fast path`);
if (process.argv.includes('--list')) for (const x of left) console.log(`  fhirpath.js: ${x}`);
