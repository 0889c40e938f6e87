import { defineConfig } from 'tsup';

const common = { target: 'node20', platform: 'node', sourcemap: true, splitting: false, shims: true } as const;

export default defineConfig([
  // The library: one public entry point, ESM + CJS + types.
  { ...common, entry: { index: 'src/index.ts' }, format: ['esm', 'cjs'], dts: true },
  // The CLI: ESM only (it uses top-level await), with a shebang from its source. Split into chunks so each
  // subcommand loads only its own code and dependencies (src/cli/program.ts imports them on demand).
  { ...common, entry: { cli: 'src/cli/main.ts' }, format: ['esm'], splitting: true },
  // The validation worker thread, loaded by file from the library and the CLI.
  { ...common, entry: { 'parallel-worker': 'src/validation/parallel-worker.ts' }, format: ['esm'] },
]);
