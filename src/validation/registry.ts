import type { StructureDefinition } from 'fhir/r4';
import { codeStamp, type DerivedCache } from '../packages/derived-cache.js';
import { SNAPSHOT_GENERATOR_MODULE } from '../packages/snapshot/generate.js';
import { compileStructureDefinition } from './compile.js';
import { COMPILED_FORM_MODULES, fromCompiledForm, toCompiledForm } from './compiled-form.js';
import type { CompiledProfile, ElementNode } from './model.js';

/** The part of a ConformanceResolver the validator needs. */
export interface StructureDefinitionSource {
  structureDefinition(canonicalOrType: string): StructureDefinition | undefined;
  /** Any canonical resource (Questionnaire, ValueSet...); optional, used for resource-specific rules. */
  resolve?(canonical: string): { resourceType: string } | undefined;
  /** StructureDefinition.type of a canonical without generating its snapshot; optional (a faster typeOf). */
  profileType?(canonicalOrType: string): string | undefined;
  /** StructureDefinition.baseDefinition without reading the definition (null: it names none); optional (a faster derivesFrom). */
  profileBase?(canonicalOrType: string): string | null | undefined;
  /** The index entry of a packaged resource, read without the resource (the package store has them); optional. */
  entry?(canonical: string): IndexEntry | undefined;
  /** An on-disk cache for data derived from the definitions (the package store has one); optional. */
  derivedCache?(kind: string, code: string): DerivedCache | undefined;
}

/** What a source's index says of a resource without reading it (the package store's ResourceEntry). */
export interface IndexEntry {
  resourceType: string;
  url?: string;
  version?: string;
  /** CodeSystem: it is (or may be) a supplement. */
  supplement?: boolean;
  /** CodeSystem: its status, and the code of its standards-status extension. */
  status?: string;
  standardsStatus?: string;
}

let compilerStamp: string | undefined;

/** The key of a compiled profile's type in the cache, beside the profile under its own name. */
const TYPE_KEY = 'type ';

/**
 * Compiles StructureDefinitions on first use and keeps them: each profile is compiled once per
 * registry, whatever the number of resources validated.
 */
export class ProfileRegistry {
  private readonly compiled = new Map<string, CompiledProfile | null>();
  /** Canonicals that were needed but are known only without a snapshot. */
  readonly missingSnapshots = new Set<string>();

  constructor(private readonly source: StructureDefinitionSource) {}

  /** The on-disk cache of compiled profiles, opened on first use (undefined when the source has none). */
  private diskCache: DerivedCache | null | undefined;

  /** Compiled profiles are made from generated snapshots: a change to the snapshot generator makes them stale too. */
  private get disk(): DerivedCache | undefined {
    if (this.diskCache === undefined) {
      try {
        this.diskCache = this.source.derivedCache?.('compiled-profiles', (compilerStamp ??= codeStamp([...COMPILED_FORM_MODULES, SNAPSHOT_GENERATOR_MODULE]))) ?? null;
      } catch {
        this.diskCache = null;
      }
    }
    return this.diskCache ?? undefined;
  }

  /**
   * The profile an earlier process compiled from the same definitions with the same code, if cached. Entries
   * are stored under the canonical URL, and any other name a profile was asked for by points at that URL.
   */
  private fromDisk(canonicalOrType: string): CompiledProfile | undefined {
    const disk = this.disk;
    const entry = disk?.get(canonicalOrType) as { see?: unknown } | undefined;
    if (!disk || !entry) return undefined;
    const url = typeof entry.see === 'string' ? entry.see : undefined;
    const known = url ? this.compiled.get(url) : undefined;
    if (known) return known;
    const profile = fromCompiledForm(url ? disk.get(url) : entry);
    if (profile?.url && !this.compiled.has(profile.url)) this.compiled.set(profile.url, profile);
    return profile;
  }

  private toDisk(canonicalOrType: string, profile: CompiledProfile): void {
    const disk = this.disk;
    if (!disk || !profile.url) return;
    if (!disk.has(profile.url)) disk.set(profile.url, toCompiledForm(profile));
    if (canonicalOrType !== profile.url) disk.set(canonicalOrType, { see: profile.url });
    // Written only for a name `get` compiled a profile for: read back, it stands for that profile's type.
    for (const name of new Set([profile.url, canonicalOrType])) disk.set(`${TYPE_KEY}${name}`, profile.type);
  }

  /**
   * The type of the profile {@link get} gives for `canonicalOrType` (undefined exactly when it gives none),
   * without building the profile when an earlier process compiled it: a reference's target profiles of
   * other types than the target's are needed for their type alone.
   */
  compiledType(canonicalOrType: string): string | undefined {
    const hit = this.compiled.get(canonicalOrType);
    if (hit !== undefined) return hit?.type;
    const stored = this.disk?.get(`${TYPE_KEY}${canonicalOrType}`);
    return typeof stored === 'string' ? stored : this.get(canonicalOrType)?.type;
  }

  /** The compiled profile for a canonical URL or a type name, or undefined when unknown. */
  get(canonicalOrType: string): CompiledProfile | undefined {
    const hit = this.compiled.get(canonicalOrType);
    if (hit !== undefined) return hit ?? undefined;
    const cached = this.fromDisk(canonicalOrType);
    if (cached) {
      this.compiled.set(canonicalOrType, cached);
      return cached;
    }
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
    this.toDisk(canonicalOrType, profile);
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

  /**
   * A canonical resource by URL (`url|version` accepted), when the source can resolve any. Kept per URL, misses
   * too (as compiled profiles are): rules look up the same value sets, code systems and extensions on every value.
   */
  canonical(url: string): Record<string, unknown> | undefined {
    return remembered(this.canonicals, url, this.resolveCanonical);
  }

  /** The lookups behind {@link canonical} and {@link entry}, made once: a closure per call cost one object per coding. */
  private readonly resolveCanonical = (url: string): Record<string, unknown> | undefined =>
    (this.source.resolve?.(url) ?? this.source.resolve?.(url.split('|')[0]!)) as Record<string, unknown> | undefined;

  private readonly resolveEntry = (url: string): IndexEntry | undefined => this.source.entry?.(url);

  private readonly canonicals = new Map<string, Record<string, unknown> | null>();

  /**
   * What the source's index says of the resource {@link canonical} gives for `url` (exactly that `url`, no other
   * spelling), without reading it; undefined when the source keeps no index or `url` names no packaged resource.
   * Kept per URL as {@link canonical} is: the status and supplement rules ask it for every coding.
   */
  entry(url: string): IndexEntry | undefined {
    return remembered(this.entries, url, this.resolveEntry);
  }

  private readonly entries = new Map<string, IndexEntry | null>();

  /** A StructureDefinition with its snapshot, generated when its package gives none; undefined when unknown. */
  withSnapshot(canonical: string): StructureDefinition | undefined {
    try {
      return this.source.structureDefinition(canonical);
    } catch {
      return undefined;
    }
  }

  /**
   * Whether some loaded StructureDefinition names `url` (versions aside) as its baseDefinition; undefined when
   * the source cannot list its definitions.
   */
  hasDerived(url: string): boolean | undefined {
    type Lister = (type: string) => Iterable<{ baseDefinition?: unknown }>;
    // The package store's index gives each definition's base without reading the definitions.
    const { entries, all } = this.source as { entries?: Lister; all?: Lister };
    const list = typeof entries === 'function' ? entries : all;
    if (typeof list !== 'function') return undefined;
    try {
      for (const sd of list.call(this.source, 'StructureDefinition')) {
        if (typeof sd.baseDefinition === 'string' && sd.baseDefinition.split('|')[0] === url) return true;
      }
      return false;
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

  /** True when the profile at `url` is `base` or derives from it (through its baseDefinition chain). */
  derivesFrom(url: string, base: string): boolean {
    const bare = (u: string) => u.split('|')[0]!;
    const target = bare(base);
    let current: string | undefined = bare(url);
    for (let depth = 0; current && depth < 20; depth++) {
      if (current === target) return true;
      try {
        // From the package index where the source has one: reading the definition may generate its snapshot.
        current = (this.source.profileBase ? this.source.profileBase(current) : this.source.structureDefinition(current)?.baseDefinition) ?? undefined;
      } catch {
        return false;
      }
      if (current) current = bare(current);
    }
    return false;
  }

  private typeOf(url: string): string | undefined {
    try {
      // The type is in the definition whether or not a snapshot can be made of it: asking for the snapshot
      // here would generate one for every target profile of every reference the profile declares.
      if (this.source.profileType) return this.source.profileType(url);
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

  /** Whether `name` names a resource type: one function per registry, handed to rules without a closure per call. */
  readonly isResourceType = (name: string): boolean => this.resourceType(name) !== undefined;

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

/**
 * A lookup by URL kept in `map`, misses too (as null); a lookup that throws is a miss. The URLs come from instances
 * (Coding.system, Extension.url): the map is emptied at 10 000 entries, so odd input cannot grow it for ever.
 */
function remembered<T>(map: Map<string, T | null>, url: string, look: (url: string) => T | undefined): T | undefined {
  const hit = map.get(url);
  if (hit !== undefined) return hit ?? undefined;
  let found: T | undefined;
  try {
    found = look(url);
  } catch {
    found = undefined;
  }
  if (map.size >= 10_000) map.clear();
  map.set(url, found ?? null);
  return found;
}
