import { defineConfig } from 'tsup';
import { publicEntries } from './tools/entries.js';

const common = { target: 'node20', platform: 'node', sourcemap: true, shims: true } as const;

/** `dist/<name>` for each public entry point: the root and every subpath in package.json `exports`. */
const library = Object.fromEntries(publicEntries().map((e) => [e.name, e.source]));

export default defineConfig([
  // The library: the public entry points, ESM + CJS + types. Code they share sits in shared chunks, so a class
  // is the same class whichever entry it was imported from.
  { ...common, entry: library, format: ['esm', 'cjs'], dts: true, splitting: true },
  // The CLI: ESM only (it uses top-level await), with a shebang from its source.
  { ...common, entry: { cli: 'src/cli/main.ts' }, format: ['esm'], splitting: false },
  // The validation worker thread, loaded by file from the library and the CLI.
  { ...common, entry: { 'parallel-worker': 'src/validation/parallel-worker.ts' }, format: ['esm'], splitting: false },
]);
