import type { CodeSystem, StructureDefinition, ValueSet } from 'fhir/r4';
import type { CanonicalResource, ConformanceResolver } from '../packages/types.js';

/**
 * A ConformanceResolver over resources already in memory, by canonical URL (later resources win).
 * It does not generate snapshots: `structureDefinition` returns a profile as loaded, which is enough
 * for the mapping docs (they fall back to differentials). Use the package store where snapshots matter.
 */
export function resolverFromResources(resources: Iterable<CanonicalResource>): ConformanceResolver {
  const byUrl = new Map<string, CanonicalResource>();
  const byType = new Map<string, StructureDefinition>();
  const list: CanonicalResource[] = [];
  for (const r of resources) {
    list.push(r);
    if (r.url) byUrl.set(r.url, r);
    if (r.resourceType === 'StructureDefinition' && r.derivation !== 'constraint') byType.set(r.type, r);
  }
  const resolve = (canonical: string) => byUrl.get(canonical.split('|')[0]!);
  const ofType = <T extends CanonicalResource>(type: string) => (canonical: string) => {
    const r = resolve(canonical);
    return r?.resourceType === type ? (r as T) : undefined;
  };
  return {
    resolve,
    structureDefinition: (canonicalOrType) => ofType<StructureDefinition>('StructureDefinition')(canonicalOrType) ?? byType.get(canonicalOrType),
    valueSet: ofType<ValueSet>('ValueSet'),
    codeSystem: ofType<CodeSystem>('CodeSystem'),
    all: <T extends CanonicalResource>(resourceType: T['resourceType']) => list.filter((r): r is T => r.resourceType === resourceType),
  };
}
