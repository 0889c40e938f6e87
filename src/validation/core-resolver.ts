import type { CodeSystem, StructureDefinition, ValueSet } from 'fhir/r4';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle } from 'fhir/r4';
import { coreR4Folder, readCoreR4 } from '../packages/core-r4.js';
import type { CanonicalResource, ConformanceResolver } from '../packages/types.js';
import { containedByFragment } from '../packages/contained.js';

/**
 * An in-memory ConformanceResolver over a list of resources (core R4 by default, plus any extra
 * resources). Later resources win on the same URL. StructureDefinitions are returned as given:
 * callers needing generated snapshots should use the package store instead.
 */
export class MemoryResolver implements ConformanceResolver {
  private readonly byUrl = new Map<string, CanonicalResource>();
  private readonly sdByType = new Map<string, StructureDefinition>();
  private readonly list: CanonicalResource[] = [];

  constructor(resources: Iterable<CanonicalResource> = []) {
    for (const r of resources) this.add(r);
  }

  add(r: CanonicalResource): void {
    this.list.push(r);
    if (r.url) {
      this.byUrl.set(r.url, r);
      if (r.version) this.byUrl.set(`${r.url}|${r.version}`, r);
    }
    if (r.resourceType === 'StructureDefinition' && r.derivation !== 'constraint' && r.url === `http://hl7.org/fhir/StructureDefinition/${r.type}`) {
      this.sdByType.set(r.type, r);
    }
  }

  resolve(canonical: string): CanonicalResource | undefined {
    return this.byUrl.get(canonical) ?? this.byUrl.get(canonical.split('|')[0]!) ?? containedByFragment(canonical, (url) => this.resolve(url));
  }

  structureDefinition(canonicalOrType: string): StructureDefinition | undefined {
    const hit = /[/:]/.test(canonicalOrType) ? this.resolve(canonicalOrType) : this.sdByType.get(canonicalOrType);
    return hit?.resourceType === 'StructureDefinition' ? hit : undefined;
  }

  valueSet(canonical: string): ValueSet | undefined {
    const hit = this.resolve(canonical);
    return hit?.resourceType === 'ValueSet' ? hit : undefined;
  }

  codeSystem(canonical: string): CodeSystem | undefined {
    const hit = this.resolve(canonical);
    return hit?.resourceType === 'CodeSystem' ? hit : undefined;
  }

  *all<T extends CanonicalResource = CanonicalResource>(resourceType: T['resourceType']): Iterable<T> {
    for (const r of this.list) if (r.resourceType === resourceType) yield r as T;
  }
}

let core: MemoryResolver | undefined;

/** The core R4 SearchParameters (shipped beside the other core bundles), for CapabilityStatement checks. */
export function coreSearchParameters(): CanonicalResource[] {
  try {
    const bundle = JSON.parse(readFileSync(join(coreR4Folder(), 'search-parameters.json'), 'utf8')) as Bundle;
    return (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource as CanonicalResource] : []));
  } catch {
    return [];
  }
}

/** A shared resolver over core R4 and its search parameters (loaded on first call). */
export function coreResolver(): MemoryResolver {
  core ??= new MemoryResolver([...readCoreR4(), ...coreSearchParameters()]);
  return core;
}
