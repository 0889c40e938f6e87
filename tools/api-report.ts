/**
 * `npm run api:report`: writes the API report (`api/*.api.md`) for the current source. With `--check`, writes
 * nothing and exits 1 when a checked-in report differs, naming the files.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiReportFiles, API_DIR } from './api-render.js';

const root = process.cwd();
const check = process.argv.includes('--check');
const unknown = process.argv.slice(2).filter((a) => a !== '--check');
if (unknown.length > 0) {
  process.stderr.write(`api:report: unknown argument(s) ${unknown.join(' ')}; usage: npm run api:report [-- --check]\n`);
  process.exit(2);
}

const files = apiReportFiles(root);
const kept = new Set(readdirSync(join(root, API_DIR), { withFileTypes: true }).filter((d) => d.isFile()).map((d) => `${API_DIR}/${d.name}`));
const stale = [...kept].filter((f) => f.endsWith('.api.md') && !files.has(f));
const changed = [...files].filter(([file, text]) => !kept.has(file) || readFileSync(join(root, file), 'utf8') !== text).map(([file]) => file);

if (check) {
  if (changed.length + stale.length === 0) {
    process.stdout.write(`api:report: ${files.size} reports up to date\n`);
  } else {
    process.stderr.write(`api:report: the API differs from the checked-in report in ${[...changed, ...stale].join(', ')}; run \`npm run api:report\` and review the diff\n`);
    process.exitCode = 1;
  }
} else {
  mkdirSync(join(root, API_DIR), { recursive: true });
  for (const file of changed) writeFileSync(join(root, file), files.get(file)!);
  for (const file of stale) rmSync(join(root, file));
  process.stdout.write(`api:report: ${changed.length} written, ${stale.length} removed, ${files.size - changed.length} unchanged\n`);
}
