import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PackageStore } from './store.js';
import { tempDir, testCacheDir, writePackageFolder } from './test-fixtures.js';

describe('compiled index cache', () => {
  it('serves a second store from the cache and notices edits to the package', async () => {
    const cacheDir = testCacheDir;
    const dir = writePackageFolder(tempDir(), { name: 'example.edit', version: '1.0.0' }, {
      'vs.json': { resourceType: 'ValueSet', url: 'http://example.org/vs', status: 'active', name: 'First' },
    });
    const options = { ukCore: false, packages: [dir], cacheDir, useFhirPackageCache: false } as const;
    expect((await PackageStore.create(options)).valueSet('http://example.org/vs')?.name).toBe('First');
    const files = readdirSync(cacheDir).filter((f) => f.startsWith('example.edit#1.0.0-'));
    expect(files).toHaveLength(2); // index + blob
    for (const f of files) expect(statSync(join(cacheDir, f)).mode & 0o777, f).toBe(0o600);
    expect((await PackageStore.create(options)).valueSet('http://example.org/vs')?.name).toBe('First');

    writeFileSync(join(dir, 'package', 'vs.json'), JSON.stringify({ resourceType: 'ValueSet', url: 'http://example.org/vs', status: 'active', name: 'Second, longer' }));
    expect((await PackageStore.create(options)).valueSet('http://example.org/vs')?.name).toBe('Second, longer');
    const after = readdirSync(cacheDir).filter((f) => f.startsWith('example.edit#1.0.0-'));
    expect(after).toHaveLength(2); // the stale build was dropped
    expect(after).not.toEqual(files);
  });

  it('treats a damaged cache as a miss', async () => {
    const cacheDir = testCacheDir;
    const dir = writePackageFolder(tempDir(), { name: 'example.damaged', version: '1.0.0' }, {
      'vs.json': { resourceType: 'ValueSet', url: 'http://example.org/vs2', status: 'active', name: 'Kept' },
    });
    const options = { ukCore: false, packages: [dir], cacheDir, useFhirPackageCache: false } as const;
    await PackageStore.create(options);
    for (const f of readdirSync(cacheDir)) if (f.startsWith('example.damaged') && f.endsWith('.index.json')) writeFileSync(join(cacheDir, f), '{"format":');
    expect((await PackageStore.create(options)).valueSet('http://example.org/vs2')?.name).toBe('Kept');
  });
});
