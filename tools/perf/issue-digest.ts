/**
 * Every issue the full validation service reports on a fixed set of real payloads (the official R4 examples
 * from text and from objects, the ADS example bundles, the broken examples), one JSON line per payload.
 * A speed change must leave this output byte for byte the same:
 *   npx tsx tools/perf/issue-digest.ts > before.jsonl   (on the base)   ...   diff before.jsonl after.jsonl
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { r4Examples } from '../../bench/corpus.js';
import { createValidationService } from '../../src/validation/index.js';

const service = await createValidationService();
const line = (name: string, issues: unknown) => console.log(JSON.stringify({ name, issues }));
for (const e of r4Examples()) {
  line(`text:${e.file}`, service.validateText(e.text, { format: 'json' }).outcome.issue);
  line(`object:${e.file}`, service.validate(e.resource).issue);
}
for (const dir of ['examples/bundles', 'examples/broken']) {
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json') && !n.endsWith('.expect.json')).sort()) {
    line(`${dir}/${f}`, service.validateText(readFileSync(join(dir, f), 'utf8'), { format: 'json' }).outcome.issue);
  }
}
