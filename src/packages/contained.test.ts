import { describe, expect, it } from 'vitest';
import { containedByFragment } from './contained.js';
import type { CanonicalResource } from './types.js';

describe('containedByFragment', () => {
  const vs = { resourceType: 'ValueSet', id: 'vs', status: 'active' } as unknown as CanonicalResource;
  const sd = { resourceType: 'StructureDefinition', url: 'http://x.test/sd', contained: [vs] } as unknown as CanonicalResource;
  const resolve = (url: string) => (url === 'http://x.test/sd' ? sd : undefined);

  it('finds the resource a canonical#id names inside its container', () => {
    expect(containedByFragment('http://x.test/sd#vs', resolve)).toBe(vs);
    expect(containedByFragment('http://x.test/sd#vs|1.0', resolve)).toBe(vs);
  });

  it('finds nothing without a fragment, a container or a match', () => {
    expect(containedByFragment('http://x.test/sd', resolve)).toBeUndefined();
    expect(containedByFragment('http://x.test/other#vs', resolve)).toBeUndefined();
    expect(containedByFragment('http://x.test/sd#nope', resolve)).toBeUndefined();
    expect(containedByFragment('#vs', resolve)).toBeUndefined();
  });
});
