import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeWithShared } from './support/shared.js';
import { buildPackageFromXml, readImportManifest } from '../src/format/import-package.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const committed = join(repo, 'profiles', 'ukcore');

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [relative(committed, path)];
  });
}

describeWithShared('profiles/ukcore', ['fhir', 'ukcore'], (ukcoreSource) => {
  it('is exactly what `import-xml` produces from the UK Core XML source today', () => {
    // Same parameters as the regeneration command in profiles/README.md.
    const manifest = readImportManifest(join(ukcoreSource, 'package.json'), { 'hl7.fhir.r4.core': '4.0.1' });
    const { files } = buildPackageFromXml(join(ukcoreSource, 'xml'), manifest);
    expect(listFiles(committed).sort()).toEqual(files.map((f) => f.path).sort());
    const stale = files.filter((f) => readFileSync(join(committed, f.path), 'utf8') !== f.content).map((f) => f.path);
    expect(stale).toEqual([]);
  });
});
