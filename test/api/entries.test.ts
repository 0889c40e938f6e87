/**
 * The public entry points are wired the same way everywhere: package.json `exports` and `typesVersions`, the
 * source entry files, the build and typedoc; each entry loads and exports what it should.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectedConditions, publicEntries } from '../../tools/entries.js';
import { library } from '../../tsup.config.js';
import { importSource, KNOWN_NAME } from './helpers.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  exports: Record<string, unknown>;
  typesVersions: Record<string, Record<string, string[]>>;
  main: string;
  module: string;
  types: string;
};
const entries = publicEntries();

describe('public entry points', () => {
  it('has the root and one source file in src/entries for each subpath, and no entry file without a subpath', () => {
    expect(entries[0]).toMatchObject({ subpath: '.', specifier: 'ads-fhir', source: 'src/index.ts' });
    const files = readdirSync('src/entries').filter((f) => f.endsWith('.ts')).map((f) => `src/entries/${f}`).sort();
    expect(entries.slice(1).map((e) => e.source).sort()).toEqual(files);
  });

  it('exports ESM and CommonJS with their own types for every entry, and typesVersions for resolvers without exports', () => {
    for (const e of entries) expect(pkg.exports[e.subpath], e.subpath).toEqual(expectedConditions(e.name));
    expect(pkg.exports['./package.json']).toBe('./package.json');
    const subpaths = entries.slice(1);
    expect(pkg.typesVersions['*']).toEqual(Object.fromEntries(subpaths.map((e) => [e.name, [`./dist/${e.name}.d.ts`]])));
    expect([pkg.main, pkg.module, pkg.types]).toEqual(['./dist/index.cjs', './dist/index.js', './dist/index.d.ts']);
  });

  it('builds every entry, and typedoc documents every entry', () => {
    expect(library.entry).toEqual(Object.fromEntries(entries.map((e) => [e.name, e.source])));
    const typedoc = JSON.parse(readFileSync('typedoc.json', 'utf8')) as { entryPoints: string[] };
    expect(typedoc.entryPoints).toEqual(['src/index.ts', 'src/entries/*.ts']);
  });

  it.each(entries.map((e) => [e.specifier, e.source]))('%s loads from its source and exports its known name', async (specifier, source) => {
    const mod = await importSource(source);
    const known = KNOWN_NAME[specifier];
    expect(known, `add ${specifier} to test/api/known-names.ts`).toBeDefined();
    expect(typeof mod[known!]).toBe('function');
  });

  it('keeps internals and the other ways to validate off the root', async () => {
    const root = await importSource('src/index.ts');
    for (const name of ['LruCache', 'parseChunkRange', 'KeyError', 'TimeoutError', 'Validator', 'validate', 'ValidationPool', 'startSandbox', 'runCase']) {
      expect(root, name).not.toHaveProperty(name);
    }
  });
});
