/**
 * The `ads-fhir` command as installed: the CLI is built (launcher and bundle, as `npm run build` makes them) into
 * a folder laid out like the published package and run there. Its runs keep the compiled code in the package
 * cache folder (`code/`) and must give the same report as the CLI run from source, with or without that cache.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBundle, cliLauncher } from '../../tsup.config.js';
import { spawnCli } from '../helpers/spawn-cli.js';

const BUNDLE = resolve('examples', 'bundles', 'road-traffic-collision.json');
let tmp: string;
let pkgDir: string;
let cacheDir: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'ads-fhir-built-cli-'));
  pkgDir = join(tmp, 'ads-fhir');
  cacheDir = join(tmp, 'cache');
  for (const config of [cliLauncher, cliBundle]) await build({ ...config, outDir: join(pkgDir, 'dist'), sourcemap: false, silent: true, config: false });
  copyFileSync('package.json', join(pkgDir, 'package.json'));
  for (const shipped of ['profiles', 'schemas', 'node_modules']) symlinkSync(resolve(shipped), join(pkgDir, shipped), 'dir');
}, 120_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function built(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(pkgDir, 'dist', 'cli.js'), ...args], {
    cwd: tmp,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ADS_FHIR_CACHE_DIR: cacheDir, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The report without its elapsed time, which differs from run to run. */
const report = (stdout: string): string => stdout.replace(/\(\d+(\.\d+)? s\)/g, '(time)');
const codeCaches = (): string[] => readdirSync(join(cacheDir, 'code')).filter((f) => f.endsWith('.v8'));

describe('the built ads-fhir command', () => {
  it('validates as the CLI from source does, then again from its code cache (0600), and after a damaged cache', async () => {
    const fromSource = await spawnCli(['validate', BUNDLE], { env: { ADS_FHIR_CACHE_DIR: cacheDir } });
    const first = built(['validate', BUNDLE]);
    expect(first.status, first.stderr).toBe(fromSource.code);
    expect(report(first.stdout)).toBe(report(fromSource.stdout));
    expect(codeCaches()).toEqual([expect.stringMatching(/^validate-[0-9a-f]+\.v8$/)]);
    const cache = join(cacheDir, 'code', codeCaches()[0]!);
    expect(statSync(cache).mode & 0o777).toBe(0o600);

    const second = built(['validate', BUNDLE]);
    expect([second.status, report(second.stdout)]).toEqual([first.status, report(first.stdout)]);

    writeFileSync(cache, 'damaged');
    const third = built(['validate', BUNDLE]);
    expect([third.status, report(third.stdout)]).toEqual([first.status, report(first.stdout)]);
    expect(statSync(cache).size).toBeGreaterThan('damaged'.length);

    const off = built(['validate', BUNDLE], { ADS_FHIR_CODE_CACHE: '0' });
    expect([off.status, report(off.stdout)]).toEqual([first.status, report(first.stdout)]);

    // A pattern loads the glob code on demand, which the source CLI imports dynamically: from the cache too.
    const pattern = built(['validate', join(dirname(BUNDLE), 'road-traffic-*.json')]);
    expect([pattern.status, report(pattern.stdout)]).toEqual([first.status, report(first.stdout)]);
  }, 180_000);

  it('keeps no code cache with ADS_FHIR_CODE_CACHE=0 or --no-cache', () => {
    const elsewhere = join(tmp, 'cache-off');
    const off = built(['--version'], { ADS_FHIR_CACHE_DIR: elsewhere, ADS_FHIR_CODE_CACHE: '0' });
    expect([off.status, off.stdout.trim()]).toEqual([0, '0.1.0']);
    const noCache = built(['packages', '--no-cache', '--no-uk-core'], { ADS_FHIR_CACHE_DIR: elsewhere });
    expect(noCache.status, noCache.stderr).toBe(0);
    expect(existsSync(join(elsewhere, 'code'))).toBe(false);
    // The same runs without either switch do keep one.
    built(['--version'], { ADS_FHIR_CACHE_DIR: elsewhere });
    expect(readdirSync(join(elsewhere, 'code'))).toEqual([expect.stringMatching(/^other-[0-9a-f]+\.v8$/)]);
  });

  it('keeps commander exits: --version prints the version, an unknown command is a usage error (2)', () => {
    const version = built(['--version']);
    expect([version.status, version.stdout.trim()]).toEqual([0, '0.1.0']);
    const unknown = built(['no-such-command']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('no-such-command');
    // Neither names its cache after what the user typed.
    expect(codeCaches().some((f) => f.includes('no-such-command'))).toBe(false);
  });
});
