import { closeSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A lock older than this is from a process that died mid-build. */
const STALE_MS = 120_000;
const POLL_MS = 100;

/**
 * Runs `build` while holding a lock file, so that processes starting together (parallel test
 * workers, several CLI runs) compile a cache entry once instead of each parsing everything.
 * `ready` is asked first and after every wait: a result means another process finished the work.
 * Any trouble with the lock itself only costs the de-duplication: `build` still runs.
 */
export async function buildOnce<T>(lockFile: string, ready: () => T | undefined, build: () => T): Promise<T> {
  const deadline = Date.now() + STALE_MS;
  for (;;) {
    const done = ready();
    if (done !== undefined) return done;
    const fd = tryLock(lockFile);
    if (fd === 'unavailable') return build();
    if (fd !== 'busy') {
      try {
        return ready() ?? build();
      } finally {
        closeSync(fd);
        rmSync(lockFile, { force: true });
      }
    }
    if (Date.now() > deadline || isStale(lockFile)) {
      rmSync(lockFile, { force: true });
      if (Date.now() > deadline) return build();
    }
    await sleep(POLL_MS);
  }
}

/** A file descriptor when locked; `busy` when another process holds it; `unavailable` when locking cannot work here. */
function tryLock(lockFile: string): number | 'busy' | 'unavailable' {
  try {
    mkdirSync(dirname(lockFile), { recursive: true });
  } catch {
    return 'unavailable';
  }
  try {
    return openSync(lockFile, 'wx');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EEXIST' ? 'busy' : 'unavailable';
  }
}

function isStale(lockFile: string): boolean {
  try {
    return Date.now() - statSync(lockFile).mtimeMs > STALE_MS;
  } catch {
    return false;
  }
}
