import type { StructureDefinition } from 'fhir/r4';
import { compileStructureDefinition } from './compile.js';
import type { CompiledProfile, ElementNode } from './model.js';

/** The part of a ConformanceResolver the validator needs. */
export interface StructureDefinitionSource {
  structureDefinition(canonicalOrType: string): StructureDefinition | undefined;
  /** Any canonical resource (Questionnaire, ValueSet...); optional, used for resource-specific rules. */
  resolve?(canonical: string): { resourceType: string } | undefined;
}

/**
 * Compiles StructureDefinitions on first use and keeps them: each profile is compiled once per
 * registry, whatever the number of resources validated.
 */
export class ProfileRegistry {
  private readonly compiled = new Map<string, CompiledProfile | null>();
  /** Canonicals that were needed but are known only without a snapshot. */
  readonly missingSnapshots = new Set<string>();

  constructor(private readonly source: StructureDefinitionSource) {}

  /** The compiled profile for a canonical URL or a type name, or undefined when unknown. */
  get(canonicalOrType: string): CompiledProfile | undefined {
    const hit = this.compiled.get(canonicalOrType);
    if (hit !== undefined) return hit ?? undefined;
    let sd: StructureDefinition | undefined;
    try {
      sd = this.source.structureDefinition(canonicalOrType);
    } catch {
      sd = undefined;
    }
    if (!sd || !sd.snapshot?.element?.length) {
      if (sd) this.missingSnapshots.add(sd.url ?? canonicalOrType);
      this.compiled.set(canonicalOrType, null);
      return undefined;
    }
    const byUrl = sd.url ? this.compiled.get(sd.url) : undefined;
    const profile = byUrl ?? compileStructureDefinition(sd, (url) => this.typeOf(url));
    this.compiled.set(canonicalOrType, profile);
    if (sd.url) this.compiled.set(sd.url, profile);
    return profile;
  }

  /** Fixed values in a profile's compiled tree, by element id (for checks on profiles derived from it). */
  fixedValues(canonical: string): Map<string, unknown> | undefined {
    const p = this.get(canonical);
    if (!p) return undefined;
    const out = new Map<string, unknown>();
    const walk = (n: ElementNode): void => {
      if (n.fixed !== undefined) out.set(n.id, n.fixed);
      n.children.forEach(walk);
      n.slices.forEach(walk);
    };
    walk(p.root);
    return out;
  }

  /** A canonical resource by URL (`url|version` accepted), when the source can resolve any. */
  canonical(url: string): Record<string, unknown> | undefined {
    try {
      const hit = this.source.resolve?.(url) ?? this.source.resolve?.(url.split('|')[0]!);
      return hit as Record<string, unknown> | undefined;
    } catch {
      return undefined;
    }
  }

  /** The StructureDefinition as the source holds it (for rules on definitions, not for validating instances). */
  definition(canonicalOrType: string): StructureDefinition | undefined {
    try {
      return this.source.structureDefinition(canonicalOrType);
    } catch {
      return undefined;
    }
  }

  /** True when the StructureDefinition is known but has no snapshot (needs generation). */
  lacksSnapshot(canonical: string): boolean {
    try {
      const sd = this.source.structureDefinition(canonical);
      return !!sd && !sd.snapshot?.element?.length;
    } catch {
      return false;
    }
  }

  private typeOf(url: string): string | undefined {
    try {
      return this.source.structureDefinition(url)?.type;
    } catch {
      return undefined;
    }
  }

  /** The base definition of a resource type, when `name` names a concrete or abstract resource. */
  resourceType(name: string): CompiledProfile | undefined {
    const hit = this.resourceTypes.get(name);
    if (hit !== undefined) return hit ?? undefined;
    let found: CompiledProfile | undefined;
    if (/^[A-Z][A-Za-z]*$/.test(name)) {
      const p = this.get(name);
      found = p && p.kind === 'resource' && p.url === `http://hl7.org/fhir/StructureDefinition/${name}` ? p : undefined;
    }
    if (this.resourceTypes.size < 10_000) this.resourceTypes.set(name, found ?? null);
    return found;
  }

  private readonly resourceTypes = new Map<string, CompiledProfile | null>();
  private readonly contentTargets = new Map<string, ElementNode | null>();

  /** The base-definition element a `#Type.path` contentReference names. */
  contentTarget(ref: string): ElementNode | undefined {
    const hit = this.contentTargets.get(ref);
    if (hit !== undefined) return hit ?? undefined;
    const path = ref.slice(ref.indexOf('#') + 1);
    const type = path.split('.')[0] ?? '';
    let found: ElementNode | undefined;
    const walk = (n: ElementNode): void => {
      if (found) return;
      if (n.path === path && !n.sliceName) found = n;
      for (const c of n.children) walk(c);
    };
    const base = this.get(type);
    if (base) walk(base.root);
    this.contentTargets.set(ref, found ?? null);
    return found;
  }
}
