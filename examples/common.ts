import { sequentialUuids, type AdsBuilderOptions } from '../src/builder/index.js';

/**
 * Options shared by the examples: a fixed clock and counting UUIDs, so each example builds the same bundle
 * byte for byte (examples/bundles/*.json are compared with it by test/examples.test.ts).
 * The NHS numbers are from the 999 range used for testing; the clinical codes are SNOMED CT / dm+d ids chosen to
 * illustrate the shape, not clinical advice.
 */
export function exampleOptions(overrides: Partial<AdsBuilderOptions> = {}): AdsBuilderOptions {
  return {
    submitter: { odsCode: 'RX9', name: 'East Midlands Ambulance Service NHS Trust' },
    bundleType: 'epr',
    ids: sequentialUuids(),
    clock: () => new Date('2026-11-24T04:00:00Z'),
    ...overrides,
  };
}
