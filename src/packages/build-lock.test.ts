import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOnce } from './build-lock.js';
import { tempDir } from './test-fixtures.js';

describe('buildOnce', () => {
  it('builds once when several callers start together', async () => {
    const dir = tempDir();
    const lock = join(dir, 'x.lock');
    let builds = 0;
    let result: string | undefined;
    const ready = () => result;
    const build = () => {
      builds++;
      result = 'built';
      return result;
    };
    const all = await Promise.all([buildOnce(lock, ready, build), buildOnce(lock, ready, build), buildOnce(lock, ready, build)]);
    expect(all).toEqual(['built', 'built', 'built']);
    expect(builds).toBe(1);
    expect(existsSync(lock)).toBe(false);
  });

  it('waits for a lock held elsewhere and uses what the holder built', async () => {
    const dir = tempDir();
    const lock = join(dir, 'y.lock');
    writeFileSync(lock, '');
    let result: string | undefined;
    setTimeout(() => {
      result = 'from the other process';
    }, 250);
    expect(await buildOnce(lock, () => result, () => 'own build')).toBe('from the other process');
  });

  it('builds straight away where no lock can be taken', async () => {
    const notADir = join(tempDir(), 'file');
    writeFileSync(notADir, '');
    let asked = 0;
    const ready = () => {
      asked++;
      return undefined;
    };
    expect(await buildOnce(join(notADir, 'z.lock'), ready, () => 'built')).toBe('built');
    expect(asked).toBe(1); // no waiting for a lock that can never be taken
  });
});
