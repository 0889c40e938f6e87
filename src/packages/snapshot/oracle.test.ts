import { describe, expect, it } from 'vitest';
import { runChainedOracle, runSnapshotOracle } from '../../../bench/snapshot-oracle.js';
import { PackageStore } from '../store.js';
import { testCacheDir } from '../test-fixtures.js';

/**
 * Every core R4 profile and extension definition, regenerated from its differential, against the
 * published snapshot. The floors are the rates reached (docs/snapshots.md): a regression fails.
 */
describe('snapshot oracle (core R4 profiles and extensions)', () => {
  it('regenerates the published snapshots', async () => {
    const store = await PackageStore.create({ ukCore: false, cacheDir: testCacheDir, useFhirPackageCache: false });
    const s = await runSnapshotOracle(store);
    expect(s.profiles).toBe(437);
    expect(s.results.filter((r) => r.error).map((r) => r.url)).toEqual(['http://hl7.org/fhir/StructureDefinition/picoelement']);
    expect(s.profilesMatched).toBeGreaterThanOrEqual(431);
    expect(s.elements).toBe(5215);
    expect(s.elementsMatched).toBeGreaterThanOrEqual(5159);
    expect(s.extraElements).toBeLessThanOrEqual(15);
  });

  it('regenerates them as well when the bases are generated too', async () => {
    const s = await runChainedOracle(testCacheDir);
    expect(s.profiles).toBe(437);
    // The store applies the slice-minimum rule the published snapshots predate (docs/snapshots.md): 27 profiles
    // differ by the `min` of a sliced element (Extension.extension of complex extensions, mostly).
    expect(s.elementsMatched).toBeGreaterThanOrEqual(5131);
    expect(s.profilesMatched).toBeGreaterThanOrEqual(404);
  });
});
