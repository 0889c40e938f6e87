import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCoreR4 } from '../../src/packages/core-r4.js';
import type { CanonicalResource } from '../../src/packages/types.js';

/** The toolkit's own in-memory resolver (latest loaded wins, snapshots as given), for tests. */
export { MemoryResolver } from '../../src/validation/core-resolver.js';

let core: CanonicalResource[] | undefined;

/** Core R4, read once per test file. */
export function coreResources(): CanonicalResource[] {
  core ??= readCoreR4();
  return core;
}

/** `../shared` beside the repository, where CI keeps the UK Core sources. */
export const SHARED_DIR = join(import.meta.dirname, '..', '..', '..', 'shared');

/** UK Core value sets and code systems from the shared folder (test use only). */
export function ukCoreTerminology(): CanonicalResource[] {
  const base = join(SHARED_DIR, 'fhir', 'ukcore', 'json');
  return ['codesystems', 'valuesets'].flatMap((dir) =>
    readdirSync(join(base, dir))
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(base, dir, f), 'utf8')) as CanonicalResource),
  );
}
