import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeMappingDocs } from '../src/docs/index.js';

const docsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs');

describe('docs/ads-mapping.md and .html', () => {
  it('are what the profiles generate now (run: ads-fhir docs)', () => {
    expect(writeMappingDocs(docsDir, undefined, true)).toEqual([]);
  });
});
