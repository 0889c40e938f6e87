/** The demo's input: the example incidents built in code, and one deliberately broken payload. */
import { randomUUID } from 'node:crypto';
import type { Bundle } from 'fhir/r4';
import { BROKEN_CASES, brokenBundle } from '../../../examples/broken/cases.js';
import { EXAMPLES } from '../../../examples/index.js';

/** A bundle to submit, named for where it came from. */
export interface DemoBundle {
  name: string;
  bundle: Bundle;
}

/** Default broken case: one the builder checks and the profile validator both report. */
export const DEFAULT_BROKEN_CASE = 'dangling-reference';

/**
 * Builds the examples plus one broken case. Each gets a fresh `Bundle.id` and submission identifier, as a
 * trust's system gives every submission its own (the examples are deterministic and share theirs).
 */
export function demoBundles(brokenCase = DEFAULT_BROKEN_CASE): DemoBundle[] {
  const broken = BROKEN_CASES.find((c) => c.name === brokenCase);
  if (!broken) throw new Error(`unknown broken case "${brokenCase}"; one of ${BROKEN_CASES.map((c) => c.name).join(', ')}`);
  const bundles: DemoBundle[] = Object.entries(EXAMPLES).map(([name, build]) => ({ name, bundle: build().bundle }));
  bundles.push({ name: `broken/${broken.name}`, bundle: brokenBundle(broken) });
  for (const { bundle } of bundles) {
    const id = randomUUID();
    bundle.id = id;
    if (bundle.identifier) bundle.identifier.value = id;
  }
  return bundles;
}
