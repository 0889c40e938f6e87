import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { defineConfig } from 'tsup';
import type { Plugin } from 'esbuild';

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

const common = { target: 'node20', platform: 'node', sourcemap: true, splitting: false, shims: true } as const;
const plugins = { esbuildPlugins: [fhirPackageJson] };

export default defineConfig([
  // The library: one public entry point, ESM + CJS + types.
  { ...common, ...plugins, entry: { index: 'src/index.ts' }, format: ['esm', 'cjs'], dts: true },
  // The CLI: ESM only (it uses top-level await), with a shebang from its source.
  { ...common, ...plugins, entry: { cli: 'src/cli/main.ts' }, format: ['esm'] },
  // The validation worker thread, loaded by file from the library and the CLI.
  { ...common, ...plugins, entry: { 'parallel-worker': 'src/validation/parallel-worker.ts' }, format: ['esm'] },
]);
