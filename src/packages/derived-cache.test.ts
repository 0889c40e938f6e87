import { appendFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeStamp, DerivedCache, openDerivedCache } from './derived-cache.js';
import { tempDir } from './test-fixtures.js';

describe('DerivedCache', () => {
  it('hands a later reader of the file what an earlier one stored', () => {
    const dir = tempDir();
    const first = openDerivedCache(dir, 'things', 'code-1', ['a', 'b'])!;
    first.set('http://x/1', { n: 1, list: [1, 2] });
    first.set('http://x/2', [3]);
    const later = openDerivedCache(dir, 'things', 'code-1', ['a', 'b'])!;
    expect(later.file).toBe(first.file);
    expect(later.get('http://x/1')).toEqual({ n: 1, list: [1, 2] });
    expect(later.get('http://x/2')).toEqual([3]);
    expect(later.get('http://x/3')).toBeUndefined();
  });

  it('starts a new scope when a package, the code or the kind changes', () => {
    const dir = tempDir();
    const files = [
      openDerivedCache(dir, 'things', 'code-1', ['a', 'b'])!.file,
      openDerivedCache(dir, 'things', 'code-1', ['a', 'c'])!.file,
      openDerivedCache(dir, 'things', 'code-1', ['b', 'a'])!.file,
      openDerivedCache(dir, 'things', 'code-2', ['a', 'b'])!.file,
      openDerivedCache(dir, 'others', 'code-1', ['a', 'b'])!.file,
    ];
    expect(new Set(files).size).toBe(files.length);
    expect(openDerivedCache(dir, 'things', 'code-1', ['a', undefined])).toBeUndefined();
  });

  it('writes 0600 files in a 0700 folder', () => {
    const cache = openDerivedCache(tempDir(), 'things', 'code', ['a'])!;
    cache.set('k', 1);
    expect(statSync(cache.file).mode & 0o777).toBe(0o600);
    expect(statSync(join(cache.file, '..')).mode & 0o777).toBe(0o700);
  });

  it('treats torn, corrupt and foreign lines as misses, and an entry written again is read', () => {
    const dir = tempDir();
    const file = join(dir, 'derived', 'things-0.ndjson');
    mkdirSync(join(dir, 'derived'), { recursive: true });
    writeFileSync(file, 'good\t{"v":1}\nbad\t{"v":\nno tab here\n\x00\x01\t\t\nlast\t{"v":2}');
    const cache = new DerivedCache(file);
    expect(cache.get('good')).toEqual({ v: 1 });
    expect(cache.get('bad')).toBeUndefined();
    expect(cache.get('last')).toBeUndefined(); // no newline: a writer stopped half way
    appendFileSync(file, '\nbad\t{"v":3}\n');
    expect(new DerivedCache(file).get('bad')).toEqual({ v: 3 });
  });

  it('never throws: a cache folder that cannot be made only costs speed', () => {
    const notAFolder = join(tempDir(), 'file');
    writeFileSync(notAFolder, 'x');
    const cache = openDerivedCache(notAFolder, 'things', 'code', ['a'])!;
    expect(() => cache.set('k', { v: 1 })).not.toThrow();
    expect(cache.get('k')).toBeUndefined();
    expect(existsSync(cache.file)).toBe(false);
  });

  it('stamps code by file, and TypeScript sources by every source file of the folder', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.ts'), 'export const a = 1;');
    writeFileSync(join(dir, 'b.ts'), 'export const b = 1;');
    const before = codeStamp([`file://${join(dir, 'a.ts')}`]);
    writeFileSync(join(dir, 'b.ts'), 'export const b = 22;');
    expect(codeStamp([`file://${join(dir, 'a.ts')}`])).not.toBe(before);
    const js = join(dir, 'bundle.js');
    writeFileSync(js, 'x');
    const one = codeStamp([`file://${js}`]);
    writeFileSync(join(dir, 'b.ts'), 'export const b = 333;');
    expect(codeStamp([`file://${js}`])).toBe(one); // a built bundle holds its own code
  });
});
