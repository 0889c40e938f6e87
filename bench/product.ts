/**
 * The product as it ships: the built library (`dist/`, what `import 'ads-fhir'` loads) and the built CLI.
 * The throughput benchmarks measure the built library, as the peer is measured from its published build: the
 * sources run through the test-time TypeScript loader carry its additions (a name helper around every function
 * made at run time) that no user runs. Built first when dist/ is missing or older than the sources.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BUILT_CLI = join(ROOT, 'dist', 'cli.js');
const BUILT_LIBRARY = join(ROOT, 'dist', 'index.js');

/** Newest modification time of the files below `dir` (sources the build is made from). */
function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds dist/ (`npm run build`) unless it is newer than every source file and the build configuration. */
export function ensureBuilt(): void {
  const sources = Math.max(newest(join(ROOT, 'src')), statSync(join(ROOT, 'tsup.config.ts')).mtimeMs);
  const stale = [BUILT_CLI, BUILT_LIBRARY].some((f) => !existsSync(f) || statSync(f).mtimeMs < sources);
  if (!stale) return;
  process.stderr.write('bench: building the package (npm run build)...\n');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** The built library's root entry point (same API as src/index.ts). */
export async function builtLibrary(): Promise<typeof import('../src/index.js')> {
  ensureBuilt();
  return (await import(pathToFileURL(BUILT_LIBRARY).href)) as typeof import('../src/index.js');
}
