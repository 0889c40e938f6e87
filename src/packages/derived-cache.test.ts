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

  it('stamps TypeScript sources by the folders below the module and by what it imports from other folders, at any depth', () => {
    const root = tempDir();
    for (const d of ['lib/engine/rules', 'systems', 'plugins', 'unrelated']) mkdirSync(join(root, d), { recursive: true });
    const write = (f: string, text: string) => writeFileSync(join(root, f), text);
    write('lib/compile.ts', "import { a } from '../systems/index.js';\nexport const c = a;");
    write('lib/engine/rules/deep.ts', 'export const d = 1;');
    write('systems/index.ts', "export { p as a } from '../plugins/p.js';");
    write('plugins/p.ts', 'export const p = 1;');
    write('plugins/p.test.ts', 'test');
    write('unrelated/u.ts', 'export const u = 1;');
    const stamp = () => codeStamp([`file://${join(root, 'lib/compile.ts')}`]);
    const edits: [string, string][] = [
      ['lib/engine/rules/deep.ts', 'export const d = 22;'], // a folder below the module's
      ['systems/index.ts', "export { p as a } from '../plugins/p.js'; // edited"], // imported from another folder
      ['plugins/p.ts', 'export const p = 333;'], // imported by what it imports
    ];
    for (const [file, text] of edits) {
      const before = stamp();
      write(file, text);
      expect(stamp(), file).not.toBe(before);
    }
    const before = stamp();
    write('unrelated/u.ts', 'export const u = 4444;');
    write('plugins/p.test.ts', 'test edited');
    expect(stamp()).toBe(before);
  });

  it("changes the compiled-profile cache's stamp when a source the compiler imports from another folder changes", async () => {
    const { COMPILED_FORM_MODULES } = await import('../validation/compiled-form.js');
    const stamp = codeStamp(COMPILED_FORM_MODULES);
    // The compiler's constants (src/systems) and the engine below its folder are both part of it.
    expect(stamp).toContain(`../systems/index.ts:${statSync(new URL('../systems/index.ts', import.meta.url)).size}:`);
    expect(stamp).toContain(`engine/walk.ts:${statSync(new URL('../validation/engine/walk.ts', import.meta.url)).size}:`);
  });
});
