/**
 * The shared reference material some tests compare against (the HL7 validator suite, the UK Core XML source
 * and its JSON conversion, MESH test vectors). It is not part of the repository: a clone finds it at
 * `../shared` beside the repository, or wherever `ADS_FHIR_SHARED` points. Without it, the tests that need it
 * are skipped, and the run ends with one line naming them (test/summary-reporter.ts); docs/testing.md says
 * where each part comes from.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'vitest';

/** The environment variable that points at the shared material. */
export const SHARED_ENV = 'ADS_FHIR_SHARED';

/** The folder looked in: `$ADS_FHIR_SHARED`, else `../shared` beside the repository. */
export const SHARED_ROOT = resolve(process.env[SHARED_ENV] || join(import.meta.dirname, '..', '..', '..', 'shared'));

/** Put in the name of a suite skipped for want of shared material; the summary reporter looks for it. */
export const NEEDS_SHARED = 'needs shared material:';

/** The path of `parts` inside the shared material, or undefined when it is not there. */
export function sharedPath(...parts: string[]): string | undefined {
  const path = join(SHARED_ROOT, ...parts);
  return existsSync(path) ? path : undefined;
}

/**
 * A `describe` over shared material: it runs with the folder or file `parts` when present; otherwise it is
 * skipped whole (its body, which would read the material, is not even collected) under a name saying what it needs.
 */
export function describeWithShared(title: string, parts: readonly string[], body: (path: string) => void): void {
  const path = sharedPath(...parts);
  if (path) {
    describe(title, () => body(path));
    return;
  }
  describe.skip(`${title} (${NEEDS_SHARED} ${parts.join('/')})`, () => {
    it(`reads ${parts.join('/')}`, () => {});
  });
}
