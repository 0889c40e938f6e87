import { defineConfig, type Options } from 'tsup';
import { publicEntries } from './tools/entries.js';

const common = { target: 'node20', platform: 'node', sourcemap: true, shims: true } as const;

/**
 * The library: `dist/<name>` for each public entry point (the root and every subpath in package.json `exports`),
 * ESM + CJS + types. Code they share sits in shared chunks, so a class is the same class whichever entry it was
 * imported from. Exported for the test that builds the package and imports every subpath.
 */
export const library = {
  ...common,
  entry: Object.fromEntries(publicEntries().map((e) => [e.name, e.source])),
  format: ['esm', 'cjs'],
  dts: true,
  splitting: true,
} satisfies Options;

export default defineConfig([
  library,
  // The CLI: ESM only (it uses top-level await), with a shebang from its source.
  { ...common, entry: { cli: 'src/cli/main.ts' }, format: ['esm'], splitting: false },
  // The validation worker thread, loaded by file from the library and the CLI.
  { ...common, entry: { 'parallel-worker': 'src/validation/parallel-worker.ts' }, format: ['esm'], splitting: false },
]);
