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

/** Dependencies bundled into the CLI (pure JavaScript, loaded by every run): each saves resolving and reading files. */
const CLI_BUNDLED = ['commander', 'tinyglobby', 'picomatch', 'fdir'];

export default defineConfig([
  library,
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
  { ...common, entry: { 'parallel-worker': 'src/validation/parallel-worker.ts' }, format: ['esm'], splitting: false },
]);
