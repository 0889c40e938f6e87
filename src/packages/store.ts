import { existsSync } from 'node:fs';
import type { CodeSystem, ElementDefinition, StructureDefinition, ValueSet } from 'fhir/r4';
import { CORE_R4_MANIFEST } from './core-r4.js';
import { loadCorePackage } from './core-package.js';
import { PackageError } from './errors.js';
import { codeStamp, type DerivedCache, openDerivedCache } from './derived-cache.js';
import { readCachedPackage, writeCachedPackage } from './index-cache.js';
import { containedByFragment } from './contained.js';
import { parseRawPackage, type LoadedPackage, type ResourceEntry } from './loaded-package.js';
import { bundledPackage, defaultCacheDir, fhirPackageCache, findPackageIn } from './locations.js';
import { generateSnapshot, SNAPSHOT_GENERATOR_MODULE } from './snapshot/generate.js';
import { packageFingerprint, readPackage } from './source.js';
import type { CanonicalResource, ConformanceResolver } from './types.js';
import { compareVersions, versionMatches } from './version.js';

/** How to build a store. Everything is optional: `PackageStore.create()` gives core R4 + UK Core. */
export interface PackageStoreOptions {
  /** Package folders or `.tgz` files to load (after core R4 and the bundled packages), in order. */
  packages?: readonly string[];
  /** Folders searched for dependencies that are not loaded yet (after `~/.fhir/packages`). */
  searchPaths?: readonly string[];
  /** Load the bundled UK Core (`profiles/ukcore`) and cross-version extras (`profiles/xver-r5`). Default true. */
  ukCore?: boolean;
  /** Compiled index cache folder; `false` disables caching. Default `$ADS_FHIR_CACHE_DIR`, else `.cache/packages` in the project. */
  cacheDir?: string | false;
  /** Also look in the FHIR package cache `~/.fhir/packages` for dependencies. Default true. */
  useFhirPackageCache?: boolean;
  /**
   * Dependency names satisfied by a differently named loaded package: `{ 'uk.core.r4.v2': 'UKCore.R4.STU.02.00.00' }`.
   * UK Core's published package names are aliases of each other by default (with a note in `warnings`).
   */
  aliases?: Record<string, string>;
}

/** One loaded package, as the store reports it. */
export interface PackageInfo {
  name: string;
  version: string;
  location: string;
  resources: number;
  examples: number;
}

/**
 * Dependencies satisfied by something other than a package of that name:
 * R4 core is built in; R5 core is never loaded into an R4 store; the few R5 definitions UK Core
 * needs come from the bundled `xver-r5` package instead (see profiles/README.md).
 */
function isBuiltInCore(name: string, version: string): boolean {
  return name === CORE_R4_MANIFEST.name && versionMatches('4.0', version);
}
const R5_CORE = 'hl7.fhir.r5.core';

/** The names UK Core has been published under (STU1, STU2, the v2 line, the staging build). */
function isUkCoreName(name: string): boolean {
  return /^(fhir\.r4\.ukcore|uk\.core\.r4|ukcore\.r4)/i.test(name);
}

interface Located {
  pkg: LoadedPackage;
  index: number;
  entry: ResourceEntry;
  /** Load order across the store, so an equal version loaded later wins. */
  order: number;
}

/**
 * Conformance resources of core R4 plus any FHIR packages (folders or `.tgz`), indexed by canonical
 * URL, `url|version` and, for core types, by type name. StructureDefinitions without a snapshot get one
 * generated on first request (and memoised).
 *
 * Returned resources are shared between callers: treat them as read-only.
 */
export class PackageStore implements ConformanceResolver {
  private readonly loaded: LoadedPackage[] = [];
  private readonly byUrl = new Map<string, Located[]>();
  private readonly byType = new Map<string, Located>();
  private readonly byResourceType = new Map<string, Located[]>();
  private readonly parsed = new Map<Located, CanonicalResource>();
  private readonly snapshots = new Map<Located, StructureDefinition>();
  private readonly generating: string[] = [];
  private readonly derived = new Map<string, DerivedCache | null>();
  private order = 0;
  /** Things worth telling the user that did not stop loading (e.g. a dependency version mismatch). */
  readonly warnings: string[] = [];

  private constructor(private readonly options: PackageStoreOptions) {}

  /**
   * Loads core R4, then (by default) UK Core, then `options.packages`, then their dependencies.
   * Core R4 is the built-in copy unless `options.packages` holds an `hl7.fhir.r4.core` package, which
   * is then used instead (and loaded first).
   */
  static async create(options: PackageStoreOptions = {}): Promise<PackageStore> {
    const store = new PackageStore(options);
    const wanted: string[] = [];
    if (options.ukCore !== false) {
      for (const name of ['xver-r5', 'ukcore'] as const) {
        const dir = bundledPackage(name);
        if (existsSync(dir)) wanted.push(dir);
        else store.warnings.push(`bundled package profiles/${name} is not present; not loaded`);
      }
    }
    wanted.push(...(options.packages ?? []));
    const read: LoadedPackage[] = [];
    for (const location of wanted) read.push(await store.readLocation(location));
    const userCore = read.filter((p) => p.manifest.name === CORE_R4_MANIFEST.name);
    store.add(userCore[0] ?? (await loadCorePackage(store.cacheDir)));
    for (const pkg of read) if (pkg !== userCore[0]) store.addUnlessLoaded(pkg);
    await store.loadDependencies();
    return store;
  }

  /** Adds one more package (and whatever it depends on) to a store. */
  async addPackage(location: string): Promise<PackageInfo> {
    const pkg = await this.readLocation(location);
    this.addUnlessLoaded(pkg);
    await this.loadDependencies();
    return infoOf(pkg);
  }

  /** The same package (name and version) twice would only double every lookup: keep the first. */
  private addUnlessLoaded(pkg: LoadedPackage): void {
    const twin = this.loaded.find((p) => p.id === pkg.id);
    if (twin) this.warnings.push(`${pkg.id} from ${pkg.location} is already loaded from ${twin.location}; skipped`);
    else this.add(pkg);
  }

  /** The packages loaded, core first, in load order. */
  get packages(): PackageInfo[] {
    return this.loaded.map(infoOf);
  }

  private get cacheDir(): string | undefined {
    if (this.options.cacheDir === false) return undefined;
    return this.options.cacheDir ?? defaultCacheDir();
  }

  /**
   * The on-disk cache of data of one `kind` derived from the loaded packages by the code stamped `code`
   * (`codeStamp` in derived-cache.ts); undefined when caching is off. Opened after loading: packages added later
   * start a new scope.
   */
  derivedCache(kind: string, code: string): DerivedCache | undefined {
    const known = this.derived.get(kind);
    if (known !== undefined) return known ?? undefined;
    const dir = this.cacheDir;
    const cache = dir ? openDerivedCache(dir, kind, code, this.loaded.map((p) => p.contentHash)) : undefined;
    this.derived.set(kind, cache ?? null);
    return cache;
  }

  private async readLocation(location: string): Promise<LoadedPackage> {
    const dir = this.cacheDir;
    const fingerprint = packageFingerprint(location);
    if (dir) {
      const hit = readCachedPackage(dir, fingerprint);
      if (hit) return hit;
    }
    const { pkg, resources } = parseRawPackage(await readPackage(location));
    if (dir) writeCachedPackage(dir, fingerprint, pkg, resources);
    return pkg;
  }

  private async loadDependencies(): Promise<void> {
    for (let i = 0; i < this.loaded.length; i++) {
      const pkg = this.loaded[i] as LoadedPackage;
      for (const [name, version] of Object.entries(pkg.manifest.dependencies ?? {})) {
        if (isBuiltInCore(name, version)) continue;
        const depName = name === R5_CORE ? 'ads-fhir.xver-r5' : (this.options.aliases?.[name] ?? name);
        const present = this.loaded.find((p) => p.manifest.name === depName) ?? (isUkCoreName(name) ? this.loaded.find((p) => isUkCoreName(p.manifest.name)) : undefined);
        if (present) {
          const exact = present.manifest.name === name && versionMatches(version, present.manifest.version);
          if (name !== R5_CORE && !exact) this.warnings.push(`${pkg.id} asks for ${name}#${version}; ${present.id} is loaded and used instead`);
          continue;
        }
        const found = name === R5_CORE ? bundledIfPresent('xver-r5') : this.search(name, version);
        if (!found) throw missingDependency(pkg, name, version, this.searchFolders());
        this.add(await this.readLocation(found));
      }
    }
  }

  private searchFolders(): string[] {
    const folders = [...(this.options.searchPaths ?? [])];
    if (this.options.useFhirPackageCache !== false) folders.push(fhirPackageCache());
    return folders;
  }

  private search(name: string, version: string): string | undefined {
    for (const folder of this.searchFolders()) {
      const hit = findPackageIn(folder, name, version);
      if (hit) return hit;
    }
    return undefined;
  }

  private add(pkg: LoadedPackage): void {
    this.loaded.push(pkg);
    pkg.entries.forEach((entry, index) => {
      if (entry.example) return;
      const loc: Located = { pkg, index, entry, order: this.order++ };
      push(this.byResourceType, entry.resourceType, loc);
      if (entry.url) {
        push(this.byUrl, entry.url, loc);
        if (entry.version) push(this.byUrl, `${entry.url}|${entry.version}`, loc);
      }
      // Core types answer to their bare name: structureDefinition('Patient').
      if (entry.resourceType === 'StructureDefinition' && entry.derivation !== 'constraint' && entry.type && pkg.manifest.name === CORE_R4_MANIFEST.name) {
        if (entry.url === `http://hl7.org/fhir/StructureDefinition/${entry.type}`) this.byType.set(entry.type, loc);
      }
    });
  }

  private locate(canonical: string): Located | undefined {
    const exact = this.byUrl.get(canonical);
    if (exact) return latest(exact);
    const bar = canonical.indexOf('|');
    if (bar < 0) return undefined;
    const url = canonical.slice(0, bar);
    const version = canonical.slice(bar + 1);
    const candidates = (this.byUrl.get(url) ?? []).filter((l) => versionMatches(version, l.entry.version));
    return candidates.length ? latest(candidates) : undefined;
  }

  private read(loc: Located): CanonicalResource {
    let r = this.parsed.get(loc);
    if (!r) {
      r = loc.pkg.read(loc.index);
      this.parsed.set(loc, r);
    }
    return r;
  }

  /**
   * The index entry of the resource {@link resolve} gives for `canonical` when it is a packaged resource (not a
   * contained one), without reading the resource: its type, URL, version and a few fields rules ask about.
   */
  entry(canonical: string): Readonly<ResourceEntry> | undefined {
    return (this.locate(canonical) ?? this.byType.get(canonical))?.entry;
  }

  resolve(canonical: string): CanonicalResource | undefined {
    const loc = this.locate(canonical) ?? this.byType.get(canonical);
    return loc ? this.read(loc) : containedByFragment(canonical, (url) => this.resolve(url));
  }

  /**
   * The StructureDefinition for a canonical URL (optionally `|version`) or a core type name, always
   * with a snapshot. Throws {@link PackageError} when a snapshot cannot be generated (unknown or circular base).
   */
  structureDefinition(canonicalOrType: string): StructureDefinition | undefined {
    const loc = this.locate(canonicalOrType) ?? this.byType.get(canonicalOrType);
    if (!loc || loc.entry.resourceType !== 'StructureDefinition') return undefined;
    const sd = this.read(loc) as StructureDefinition;
    if (loc.entry.snapshot) return sd;
    const done = this.snapshots.get(loc);
    if (done) return done;
    const url = sd.url;
    if (this.generating.includes(url)) {
      const chain = [...this.generating.slice(this.generating.indexOf(url)), url].join(' -> ');
      throw new PackageError('circular-base', `${loc.pkg.location}/${loc.entry.file}`, `circular definition chain: ${chain}`);
    }
    // Generated by an earlier process over the same packages and code: read, not generated again.
    const cache = this.derivedCache('snapshots', snapshotCode());
    const key = `${loc.pkg.id}|${loc.entry.file}|${url}`;
    const cached = cache?.get(key);
    if (Array.isArray(cached)) {
      const withSnapshot: StructureDefinition = { ...sd, snapshot: { element: cached as ElementDefinition[] } };
      this.snapshots.set(loc, withSnapshot);
      return withSnapshot;
    }
    this.generating.push(url);
    try {
      const withSnapshot = this.generate(sd, loc);
      cache?.set(key, withSnapshot.snapshot?.element);
      this.snapshots.set(loc, withSnapshot);
      return withSnapshot;
    } finally {
      this.generating.pop();
    }
  }

  private generate(sd: StructureDefinition, loc: Located): StructureDefinition {
    const file = `${loc.pkg.location}/${loc.entry.file}`;
    if (!sd.baseDefinition) {
      throw new PackageError('unknown-base', file, `profile ${sd.url} has neither a snapshot nor a baseDefinition`);
    }
    const base = this.structureDefinition(sd.baseDefinition) ?? abstractBase(sd);
    if (!base) {
      throw new PackageError('unknown-base', file, `profile ${sd.url} is based on ${sd.baseDefinition}, which is not loaded`);
    }
    try {
      const element = generateSnapshot(sd, base, this);
      return { ...sd, snapshot: { element } };
    } catch (e) {
      if (e instanceof PackageError) throw e;
      throw new PackageError('snapshot-failed', file, `cannot generate the snapshot of ${sd.url}: ${(e as Error).message}`);
    }
  }

  /**
   * StructureDefinition.type of a canonical URL (or a core type name), from the index alone: neither the
   * definition is read nor its snapshot generated (the validator needs the types of reference target profiles).
   */
  profileType(canonicalOrType: string): string | undefined {
    const loc = this.locate(canonicalOrType) ?? this.byType.get(canonicalOrType);
    return loc?.entry.resourceType === 'StructureDefinition' ? loc.entry.type : undefined;
  }

  /**
   * StructureDefinition.baseDefinition of a canonical URL (or a core type name), from the index alone: null for a
   * definition that names no base, undefined for an unknown one (the validator walks derivation chains with it).
   */
  profileBase(canonicalOrType: string): string | null | undefined {
    const loc = this.locate(canonicalOrType) ?? this.byType.get(canonicalOrType);
    if (loc?.entry.resourceType !== 'StructureDefinition') return undefined;
    return loc.entry.baseDefinition ?? null;
  }

  valueSet(canonical: string): ValueSet | undefined {
    const r = this.resolve(canonical);
    return r?.resourceType === 'ValueSet' ? r : undefined;
  }

  codeSystem(canonical: string): CodeSystem | undefined {
    const r = this.resolve(canonical);
    return r?.resourceType === 'CodeSystem' ? r : undefined;
  }

  /** Every loaded resource of a type, in load order (StructureDefinitions as shipped, without generating snapshots). */
  *all<T extends CanonicalResource = CanonicalResource>(resourceType: T['resourceType']): Iterable<T> {
    for (const loc of this.byResourceType.get(resourceType) ?? []) yield this.read(loc) as T;
  }

  /** Index entries (no parsing) of every loaded conformance resource, optionally of one type. */
  *entries(resourceType?: string): Iterable<ResourceEntry & { package: string }> {
    const lists = resourceType ? [this.byResourceType.get(resourceType) ?? []] : [...this.byResourceType.values()];
    for (const list of lists) for (const l of list) yield { ...l.entry, package: l.pkg.id };
  }

  /** Example resources shipped in packages' `example/` folders (not indexed for lookups). */
  *examples(packageName?: string): Iterable<CanonicalResource> {
    for (const pkg of this.loaded) {
      if (packageName && pkg.manifest.name !== packageName) continue;
      for (let i = 0; i < pkg.entries.length; i++) if (pkg.entries[i]?.example) yield pkg.read(i);
    }
  }
}

let snapshotStamp: string | undefined;

/** The stamp of the snapshot generator's code (worked out once per process). */
function snapshotCode(): string {
  return (snapshotStamp ??= codeStamp([SNAPSHOT_GENERATOR_MODULE]));
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function latest(list: Located[]): Located | undefined {
  let best: Located | undefined;
  for (const l of list) {
    if (!best || compareVersions(l.entry.version, best.entry.version) >= 0) best = l;
  }
  return best;
}

function infoOf(pkg: LoadedPackage): PackageInfo {
  const examples = pkg.entries.filter((e) => e.example).length;
  return { name: pkg.manifest.name, version: pkg.manifest.version, location: pkg.location, resources: pkg.entries.length - examples, examples };
}

/**
 * R5's abstract `Base` (which logical models written for R5 tooling specialise) has no R4
 * StructureDefinition; as a base it contributes nothing but the root element.
 */
function abstractBase(sd: StructureDefinition): StructureDefinition | undefined {
  if (sd.derivation !== 'specialization' || sd.baseDefinition !== 'http://hl7.org/fhir/StructureDefinition/Base') return undefined;
  return {
    resourceType: 'StructureDefinition',
    url: sd.baseDefinition,
    name: 'Base',
    status: 'active',
    kind: 'logical',
    abstract: true,
    type: 'Base',
    snapshot: { element: [{ id: 'Base', path: 'Base', min: 0, max: '*', base: { path: 'Base', min: 0, max: '*' } }] },
  };
}

function bundledIfPresent(name: 'xver-r5'): string | undefined {
  const dir = bundledPackage(name);
  return existsSync(dir) ? dir : undefined;
}

function missingDependency(pkg: LoadedPackage, name: string, version: string, folders: string[]): PackageError {
  const where = folders.length ? `; searched ${folders.join(', ')}` : '';
  return new PackageError(
    'missing-dependency',
    pkg.location,
    `package ${pkg.id} depends on ${name}#${version}, which is not loaded and was not found${where}. Pass it with the packages option (or a search path).`,
  );
}
