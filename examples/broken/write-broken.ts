// Regenerates examples/broken/*.json and *.expect.json from cases.ts: `npx tsx examples/broken/write-broken.ts`.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BROKEN_CASES, brokenBundle, expectationOf } from './cases.js';

const dir = dirname(fileURLToPath(import.meta.url));
for (const c of BROKEN_CASES) {
  writeFileSync(join(dir, `${c.name}.json`), JSON.stringify(brokenBundle(c), null, 2) + '\n');
  writeFileSync(join(dir, `${c.name}.expect.json`), JSON.stringify(expectationOf(c), null, 2) + '\n');
  console.log(`examples/broken/${c.name}.json`);
}
