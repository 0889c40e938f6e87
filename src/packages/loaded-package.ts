import { closeSync, openSync, readSync } from 'node:fs';
import { PackageError } from './errors.js';
import type { PackageFile, RawPackage } from './source.js';
import type { CanonicalResource, PackageManifest } from './types.js';

/** What the store knows about one resource without parsing it: enough to index and to find it again. */
export interface ResourceEntry {
  resourceType: string;
  id?: string;
  url?: string;
  version?: string;
  name?: string;
  /** StructureDefinition.type, .kind, .derivation, .baseDefinition; `snapshot` when one was shipped. */
  type?: string;
  kind?: string;
  derivation?: string;
  baseDefinition?: string;
  snapshot?: boolean;
  /** CodeSystem only: it is (or may be) a supplement (`content = supplement`, or a `supplements` element). */
  supplement?: boolean;
  /** CodeSystem only: its `status`, and the code of its structuredefinition-standards-status extension. */
  status?: string;
  standardsStatus?: string;
  /** File inside the package (or core bundle) it came from. */
  file: string;
  example?: boolean;
}

/** Returns the parsed resource of entry number `index` of a package. */
export type BodyReader = (index: number) => CanonicalResource;

/** A package in the store: its manifest, its index and a way to read each resource on demand. */
export class LoadedPackage {
  /**
   * SHA-256 of the package's resources as cached (set when the compiled index is written or read): the
   * key of what is derived from them (see derived-cache.ts). Undefined when the package was not cached.
   */
  contentHash: string | undefined;

  constructor(
    readonly manifest: PackageManifest,
    /** Folder, `.tgz` or `built-in` for core R4. */
    readonly location: string,
    readonly entries: ResourceEntry[],
    private readonly reader: BodyReader,
  ) {}

  /** `name#version`, the usual FHIR package id. */
  get id(): string {
    return `${this.manifest.name}#${this.manifest.version}`;
  }

  read(index: number): CanonicalResource {
    return this.reader(index);
  }
}

const STANDARDS_STATUS = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-standards-status';

/** Builds the index entry of a parsed resource. */
export function entryOf(resource: CanonicalResource, file: string, example: boolean): ResourceEntry {
  const r = resource as CanonicalResource & Record<string, unknown>;
  const entry: ResourceEntry = { resourceType: r.resourceType, file };
  if (typeof r.id === 'string') entry.id = r.id;
  if (typeof r.url === 'string') entry.url = r.url;
  if (typeof r.version === 'string') entry.version = r.version;
  if (typeof r.name === 'string') entry.name = r.name;
  if (r.resourceType === 'StructureDefinition') {
    if (typeof r.type === 'string') entry.type = r.type;
    if (typeof r.kind === 'string') entry.kind = r.kind;
    if (typeof r.derivation === 'string') entry.derivation = r.derivation;
    if (typeof r.baseDefinition === 'string') entry.baseDefinition = r.baseDefinition;
    const snap = r.snapshot as { element?: unknown[] } | undefined;
    if (snap?.element?.length) entry.snapshot = true;
  }
  if (r.resourceType === 'CodeSystem') {
    if (r.content === 'supplement' || r.supplements !== undefined) entry.supplement = true;
    if (typeof r.status === 'string') entry.status = r.status;
    const ss = Array.isArray(r.extension) ? (r.extension as { url?: unknown; valueCode?: unknown }[]).find((e) => !!e && typeof e === 'object' && e.url === STANDARDS_STATUS) : undefined;
    if (typeof ss?.valueCode === 'string') entry.standardsStatus = ss.valueCode;
  }
  if (example) entry.example = true;
  return entry;
}

/** Parses one package file; a syntax error names the file. */
export function parseResourceFile(file: PackageFile, location: string): CanonicalResource | undefined {
  let json: unknown;
  try {
    json = JSON.parse(file.text);
  } catch (e) {
    throw new PackageError('malformed-json', `${location}/${file.name}`, `not valid JSON (${(e as Error).message})`);
  }
  if (!json || typeof json !== 'object' || typeof (json as { resourceType?: unknown }).resourceType !== 'string') {
    return undefined; // package metadata such as ig.json or .index.json: not a resource
  }
  return json as CanonicalResource;
}

/** A package whose resources are all parsed and held in memory (the cold path). */
export function packageFromResources(
  manifest: PackageManifest,
  location: string,
  items: { resource: CanonicalResource; file: string; example: boolean }[],
): { pkg: LoadedPackage; resources: CanonicalResource[] } {
  const resources = items.map((i) => i.resource);
  const entries = items.map((i) => entryOf(i.resource, i.file, i.example));
  return { pkg: new LoadedPackage(manifest, location, entries, (i) => resources[i] as CanonicalResource), resources };
}

/** Parses every file of a raw package. */
export function parseRawPackage(raw: RawPackage): { pkg: LoadedPackage; resources: CanonicalResource[] } {
  const items: { resource: CanonicalResource; file: string; example: boolean }[] = [];
  for (const f of raw.files) {
    const resource = parseResourceFile(f, raw.location);
    if (resource) items.push({ resource, file: f.name, example: f.kind === 'example' });
  }
  return packageFromResources(raw.manifest, raw.location, items);
}

/**
 * Reads resources lazily from a cache blob: `[offset, length]` byte spans of their JSON text. A validation run
 * reads dozens of resources one after another, so the file stays open until the run gives way to the event
 * loop (then it is closed: a store that lives long, or many stores, hold no file open while idle).
 */
export function blobReader(blobFile: string, spans: [number, number][]): BodyReader {
  let fd: number | undefined;
  const release = (): void => {
    if (fd === undefined) return;
    const open = fd;
    fd = undefined;
    try {
      closeSync(open);
    } catch {
      // already closed: nothing held
    }
  };
  return (index) => {
    const span = spans[index];
    if (!span) throw new RangeError(`no resource #${index} in ${blobFile}`);
    if (fd === undefined) {
      fd = openSync(blobFile, 'r');
      setImmediate(release).unref();
    }
    try {
      const buf = Buffer.allocUnsafe(span[1]);
      readSync(fd, buf, 0, span[1], span[0]);
      return JSON.parse(buf.toString('utf8')) as CanonicalResource;
    } catch (e) {
      release();
      throw e;
    }
  };
}
