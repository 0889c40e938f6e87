import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StructureDefinition, ValueSet, CodeSystem } from 'fhir/r4';
import { readCoreR4 } from '../../src/packages/core-r4.js';
import type { CanonicalResource, ConformanceResolver } from '../../src/packages/types.js';

/** A minimal in-memory resolver for tests: latest loaded wins, no snapshot generation. */
export class MemoryResolver implements ConformanceResolver {
  private readonly byUrl = new Map<string, CanonicalResource>();
  private readonly byType = new Map<string, CanonicalResource[]>();

  constructor(resources: Iterable<CanonicalResource>) {
    for (const r of resources) this.add(r);
  }

  add(r: CanonicalResource): void {
    if (r.url) {
      this.byUrl.set(r.url, r);
      if (r.version) this.byUrl.set(`${r.url}|${r.version}`, r);
    }
    const list = this.byType.get(r.resourceType) ?? [];
    list.push(r);
    this.byType.set(r.resourceType, list);
  }

  resolve(canonical: string): CanonicalResource | undefined {
    return this.byUrl.get(canonical) ?? this.byUrl.get(canonical.split('|')[0] ?? canonical);
  }
  structureDefinition(canonicalOrType: string): StructureDefinition | undefined {
    const url = canonicalOrType.includes('/') ? canonicalOrType : `http://hl7.org/fhir/StructureDefinition/${canonicalOrType}`;
    const r = this.resolve(url);
    return r?.resourceType === 'StructureDefinition' ? r : undefined;
  }
  valueSet(canonical: string): ValueSet | undefined {
    const r = this.resolve(canonical);
    return r?.resourceType === 'ValueSet' ? r : undefined;
  }
  codeSystem(canonical: string): CodeSystem | undefined {
    const r = this.resolve(canonical);
    return r?.resourceType === 'CodeSystem' ? r : undefined;
  }
  all<T extends CanonicalResource = CanonicalResource>(resourceType: T['resourceType']): Iterable<T> {
    return (this.byType.get(resourceType) ?? []) as T[];
  }
}

let core: CanonicalResource[] | undefined;

/** Core R4, read once per test file. */
export function coreResources(): CanonicalResource[] {
  core ??= readCoreR4();
  return core;
}

/** `../shared` beside the repository, where CI keeps the UK Core sources. */
export const SHARED_DIR = join(import.meta.dirname, '..', '..', '..', 'shared');

/** UK Core value sets and code systems from the shared folder (test use only). */
export function ukCoreTerminology(): CanonicalResource[] {
  const base = join(SHARED_DIR, 'fhir', 'ukcore', 'json');
  return ['codesystems', 'valuesets'].flatMap((dir) =>
    readdirSync(join(base, dir))
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(base, dir, f), 'utf8')) as CanonicalResource),
  );
}
