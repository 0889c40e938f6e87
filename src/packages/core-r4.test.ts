import { describe, expect, it } from 'vitest';
import { readCoreBundle } from './core-r4.js';

describe('core R4 definitions', () => {
  it('reads the base types with snapshots', () => {
    const types = readCoreBundle('profiles-types.json');
    const quantity = types.find((r) => r.resourceType === 'StructureDefinition' && r.url === 'http://hl7.org/fhir/StructureDefinition/Quantity');
    expect(quantity).toBeDefined();
    expect((quantity as { snapshot?: { element: unknown[] } }).snapshot?.element.length).toBeGreaterThan(5);
  });
});
