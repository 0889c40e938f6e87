import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codeCacheFile } from './code-cache.js';

/**
 * Each load runs in a process of its own, as each CLI run does: within one process V8 keeps compiled scripts in
 * memory and would take a script again without looking at the cache handed to it.
 */
function loadWithCodeCache(file: string, folder: string | undefined, label: string): { exports: Record<string, unknown>; fromCache: boolean; store(): void } {
  const run = (store: boolean) => {
    const script = `
      const { loadWithCodeCache } = await import(${JSON.stringify(new URL('./code-cache.ts', import.meta.url).href)});
      const m = loadWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(folder ?? null)} ?? undefined, ${JSON.stringify(label)});
      ${store ? 'm.store();' : ''}
      const fn = m.exports.fn;
      console.log(JSON.stringify({ exports: { ...m.exports, fn: typeof fn === 'function' ? fn(2, 3) : undefined }, fromCache: m.fromCache }));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as { exports: Record<string, unknown>; fromCache: boolean };
  };
  const loaded = run(false);
  // Storing is what the process does when it ends: the same load again, then store.
  return { ...loaded, store: () => void run(true) };
}

let dir: string;
let file: string;
let folder: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ads-fhir-code-cache-'));
  file = join(dir, 'main.cjs');
  folder = join(dir, 'cache', 'code');
  writeFileSync(join(dir, 'helper.cjs'), 'module.exports = (x) => x * 2;\n');
  // Uses what CommonJS gives a module: require relative to the file, __dirname, module.exports.
  writeFileSync(file, "const twice = require('./helper.cjs');\nexports.where = __dirname;\nmodule.exports.answer = twice(21);\nexports.fn = function add(a, b) { return a + b; };\n");
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

const mode = (p: string): number => statSync(p).mode & 0o777;

describe('loadWithCodeCache', () => {
  it('runs the file as require would, then from the cache it stored (0600 in a 0700 folder)', () => {
    const first = loadWithCodeCache(file, folder, 'validate');
    expect(first.exports.answer).toBe(42);
    expect(first.exports.where).toBe(dir);
    expect(first.fromCache).toBe(false);
    first.store();
    const cacheFile = codeCacheFile(folder, file, 'validate');
    expect(mode(cacheFile)).toBe(0o600);
    expect(mode(folder)).toBe(0o700);
    const second = loadWithCodeCache(file, folder, 'validate');
    expect(second.fromCache).toBe(true);
    expect(second.exports.answer).toBe(42);
    expect(second.exports.fn).toBe(5);
  });

  it('compiles afresh and writes the cache again when the cache is junk', () => {
    loadWithCodeCache(file, folder, 'validate').store();
    const cacheFile = codeCacheFile(folder, file, 'validate');
    writeFileSync(cacheFile, 'not a code cache at all');
    const junk = loadWithCodeCache(file, folder, 'validate');
    expect(junk.fromCache).toBe(false);
    expect(junk.exports.answer).toBe(42);
    junk.store();
    expect(loadWithCodeCache(file, folder, 'validate').fromCache).toBe(true);
  });

  it('does not read a cache file others can write', () => {
    loadWithCodeCache(file, folder, 'validate').store();
    chmodSync(codeCacheFile(folder, file, 'validate'), 0o666);
    expect(loadWithCodeCache(file, folder, 'validate').fromCache).toBe(false);
  });

  it('starts a new file when the code changes, and drops the old one of that label only', () => {
    loadWithCodeCache(file, folder, 'validate').store();
    loadWithCodeCache(file, folder, 'serve').store();
    const before = codeCacheFile(folder, file, 'validate');
    writeFileSync(file, 'exports.answer = 7;\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const changed = loadWithCodeCache(file, folder, 'validate');
    expect(changed.fromCache).toBe(false);
    expect(changed.exports.answer).toBe(7);
    changed.store();
    const files = readdirSync(folder).sort();
    expect(files).toHaveLength(2);
    expect(files).toContain(codeCacheFile(folder, file, 'validate').slice(folder.length + 1));
    expect(files).not.toContain(before.slice(folder.length + 1));
    expect(files.some((f) => f.startsWith('serve-'))).toBe(true);
  });

  it('is a plain require without a folder, and a folder it cannot write costs only the cache', () => {
    const plain = loadWithCodeCache(file, undefined, 'validate');
    expect(plain.exports.answer).toBe(42);
    plain.store();
    expect(() => readdirSync(folder)).toThrow();
    writeFileSync(join(dir, 'cache'), 'a file where the folder should be');
    const blocked = loadWithCodeCache(file, folder, 'validate');
    expect(blocked.exports.answer).toBe(42);
    expect(() => blocked.store()).not.toThrow();
  });
});
