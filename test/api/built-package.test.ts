/**
 * The package as users get it: the library is built (ESM and CommonJS, as `npm run build` does, without the
 * type bundles) into a folder laid out like the published package, and every entry point is loaded through
 * package.json `exports` by its specifier, with `import` and with `require`.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicEntries } from '../../tools/entries.js';
import { library } from '../../tsup.config.js';
import { importSource, KNOWN_NAME } from './helpers.js';

const entries = publicEntries();
let tmp: string;
let pkgDir: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'ads-fhir-package-'));
  pkgDir = join(tmp, 'ads-fhir');
  await build({ ...library, outDir: join(pkgDir, 'dist'), dts: false, sourcemap: false, silent: true, config: false });
  copyFileSync('package.json', join(pkgDir, 'package.json'));
  for (const shipped of ['profiles', 'schemas', 'node_modules']) symlinkSync(resolve(shipped), join(pkgDir, shipped), 'dir');
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Runs a script in the package folder (so the package's own name resolves through its `exports`) and reads its JSON. */
function run(args: string[]): unknown {
  const r = spawnSync(process.execPath, args, { cwd: pkgDir, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

describe('built package', () => {
  it.each(entries.map((e) => [e.specifier, e.source]))('%s loads with import and require and exports what its source does', async (specifier, source) => {
    const esm = run(['--input-type=module', '-e', `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m).sort()));`]);
    const cjs = run(['--input-type=commonjs', '-e', `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(specifier)})).sort()));`]);
    const expected = Object.keys(await importSource(source)).sort();
    expect(esm).toEqual(expected);
    expect(cjs).toEqual(expected);
    expect(expected).toContain(KNOWN_NAME[specifier]);
  });

  it('shares one copy of a class between entry points, in both formats', () => {
    const check = (load: string) => `
      ${load}
      const service = await root.createValidationService({ ads: false, store: { ukCore: false, cacheDir: false } });
      console.log(JSON.stringify(service.validator instanceof validation.Validator));`;
    const esm = check(`const root = await import('ads-fhir'); const validation = await import('ads-fhir/validation');`);
    expect(run(['--input-type=module', '-e', esm])).toBe(true);
    const cjs = `(async () => { ${check(`const root = require('ads-fhir'); const validation = require('ads-fhir/validation');`)} })();`;
    expect(run(['--input-type=commonjs', '-e', cjs])).toBe(true);
  });

  it('refuses a path that is not an entry point', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `await import('ads-fhir/dist/index.js')`], { cwd: pkgDir, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });
});
