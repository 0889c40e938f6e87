// Regenerates examples/bundles/*.json from the example code: `npx tsx examples/write-bundles.ts`.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLES } from './index.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'bundles');
for (const [name, build] of Object.entries(EXAMPLES)) {
  const { bundle, outcome } = build();
  const problems = outcome.issue.filter((i) => i.severity === 'error' || i.severity === 'fatal');
  if (problems.length) {
    console.error(`${name}: ${problems.map((p) => p.details?.text ?? p.diagnostics).join('; ')}`);
    process.exitCode = 1;
    continue;
  }
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(bundle, null, 2) + '\n');
  console.log(`examples/bundles/${name}.json`);
}
