/**
 * The public entry points of the package, read from `package.json` `exports` so that the package map, the
 * build (tsup.config.ts), the API report and the tests can never disagree on the list.
 *
 * Convention: the root `.` is built from `src/index.ts`; a subpath `./name` from `src/entries/name.ts`. Each
 * becomes `dist/<name>.js` (ESM), `dist/<name>.cjs` (CommonJS) and their `.d.ts` / `.d.cts` types.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PublicEntry {
  /** What a user imports: `ads-fhir` or `ads-fhir/mesh`. */
  specifier: string;
  /** The key in `package.json` `exports`: `.` or `./mesh`. */
  subpath: string;
  /** The build's entry name, also the file stem in `dist/`: `index` or `mesh`. */
  name: string;
  /** The source file, relative to the project root. */
  source: string;
}

/** The package's public entry points, root first, in `package.json` order. */
export function publicEntries(root: string = process.cwd()): PublicEntry[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; exports: Record<string, unknown> };
  return Object.keys(pkg.exports)
    .filter((subpath) => subpath !== './package.json')
    .map((subpath) => {
      if (subpath === '.') return { specifier: pkg.name, subpath, name: 'index', source: 'src/index.ts' };
      const name = subpath.slice(2);
      return { specifier: `${pkg.name}/${name}`, subpath, name, source: `src/entries/${name}.ts` };
    });
}

/** The `exports` conditions an entry must have: ESM and CommonJS, each with its own types file. */
export function expectedConditions(name: string): Record<string, { types: string; default: string }> {
  return {
    import: { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` },
    require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
  };
}
