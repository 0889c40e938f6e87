import { defineConfig } from 'tsup';

const common = { target: 'node20', platform: 'node', sourcemap: true, splitting: false, shims: true } as const;

/** Dependencies bundled into the CLI (pure JavaScript, loaded by every run): each saves resolving and reading files. */
const CLI_BUNDLED = ['commander', 'tinyglobby', 'picomatch', 'fdir'];

export default defineConfig([
  // The library: one public entry point, ESM + CJS + types.
  { ...common, entry: { index: 'src/index.ts' }, format: ['esm', 'cjs'], dts: true },
  // The CLI: ESM only (it uses top-level await), with a shebang from its source. Split into chunks so each
  // subcommand loads only its own code and dependencies (src/cli/program.ts imports them on demand), with
  // the small pure-JS dependencies every run needs bundled in, so a run opens a few files rather than dozens.
  // Bundled CommonJS code calls require(), which an ES module has only if it makes one: the banner does.
  {
    ...common,
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    splitting: true,
    noExternal: CLI_BUNDLED,
    banner: { js: "import { createRequire as __adsFhirCreateRequire } from 'node:module'; const require = __adsFhirCreateRequire(import.meta.url);" },
  },
  // The validation worker thread, loaded by file from the library and the CLI.
  { ...common, entry: { 'parallel-worker': 'src/validation/parallel-worker.ts' }, format: ['esm'] },
]);
