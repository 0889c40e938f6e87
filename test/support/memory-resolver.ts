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

/** UK Core value sets and code systems from the package the toolkit ships (`profiles/ukcore`, made from the XML source). */
export function ukCoreTerminology(): CanonicalResource[] {
  const dir = join(import.meta.dirname, '..', '..', 'profiles', 'ukcore');
  return readdirSync(dir)
    .filter((f) => /^(CodeSystem|ValueSet)-.*\.json$/.test(f))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CanonicalResource);
}
