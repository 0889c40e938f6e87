import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from 'tsup';
import type { Plugin } from 'esbuild';
import { publicEntries } from './tools/entries.js';

/**
 * The JSON the code imports from `profiles/` belongs to FHIR packages, whose `package.json` is a FHIR package
 * manifest (`"type": "fhir.ig"`), not a Node one. Loading those files outside esbuild's file namespace keeps it
 * from reading that manifest as a Node package.json (and warning about its `type`).
 */
const fhirPackageJson: Plugin = {
  name: 'fhir-package-json',
  setup(build) {
    build.onResolve({ filter: /[/\\]profiles[/\\].+\.json$/ }, (args) => ({ path: resolve(args.resolveDir, args.path), namespace: 'fhir-package' }));
    build.onLoad({ filter: /.*/, namespace: 'fhir-package' }, async (args) => ({ contents: await readFile(args.path, 'utf8'), loader: 'json' }));
  },
};

/**
 * commander requires `child_process` when it loads (for subcommands that are separate executables, which ads-fhir
 * does not have); loading it brings the net, dgram and stream modules into every CLI run. In the CLI bundle,
 * commander gets a stand-in that loads the real module on first use (tools/cli-build/lazy-child-process.cjs).
 */
const lazyChildProcess: Plugin = {
  name: 'lazy-child-process',
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[/\\]node_modules[/\\]commander[/\\]/.test(args.importer) ? { path: fileURLToPath(new URL('./tools/cli-build/lazy-child-process.cjs', import.meta.url)) } : undefined,
    );
  },
};

const common = { target: 'node20' as const, platform: 'node' as const, sourcemap: true, shims: true, esbuildPlugins: [fhirPackageJson] };

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

/**
 * The CLI, in two files. `cli.js` (the `ads-fhir` bin, ESM, with its shebang) is a small launcher that loads
 * `cli-main.cjs` through V8 with a code cache (src/cli/code-cache.ts): a cache needs a classic script, which is
 * why the CLI proper is one CommonJS bundle. Subcommands stay lazy inside it (each one's code runs, and its
 * dependencies load, only when it is used); the small pure-JS dependencies every run needs are bundled in.
 * Exported for the test that builds and runs the CLI as installed.
 */
export const cliLauncher = { ...common, entry: { cli: 'src/cli/launch.ts' }, format: ['esm'], splitting: false, removeNodeProtocol: false } satisfies Options;

export const cliBundle = {
  ...common,
  entry: { 'cli-main': 'src/cli/run.ts' },
  format: ['cjs'],
  splitting: false,
  noExternal: CLI_BUNDLED,
  esbuildPlugins: [fhirPackageJson, lazyChildProcess],
  // Keeps `node:` in the specifiers: tsup's own plugin for removing it would resolve `node:child_process` first.
  removeNodeProtocol: false,
  // A script compiled from a code cache has no dynamic-import callback in Node 20: every `import()` in the CLI
  // becomes a `require` (the bundled modules, and the CommonJS builds of its dependencies).
  esbuildOptions(options) {
    options.supported = { ...options.supported, 'dynamic-import': false };
  },
} satisfies Options;

export default defineConfig([
  library,
  cliLauncher,
  cliBundle,
  // The validation worker thread, loaded by file from the library and the CLI.
  { ...common, entry: { 'parallel-worker': 'src/validation/parallel-worker.ts' }, format: ['esm'], splitting: false },
]);
