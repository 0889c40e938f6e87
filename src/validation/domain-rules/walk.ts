import { coreFormatModel, type FormatModel, type ModelType } from '../../format/index.js';
import { findChild } from '../../format/model.js';
import { propertyName } from '../model.js';

/**
 * An object in a resource, with its FHIR type and FHIRPath location (the engine's notation). The walk hands
 * the same object to every visit, updated in place: it is valid during the call only.
 */
export interface TypedNode {
  readonly node: Record<string, unknown>;
  /** A datatype (`Identifier`, `Quantity`), a resource type, or a backbone path (`Bundle.entry`). */
  readonly type: string;
  /** `Bundle.entry[3].resource.identifier[0]`; choice elements as `value.ofType(Quantity)`. Built when read. */
  readonly path: string;
  /** The nearest enclosing resource. */
  readonly resource: Record<string, unknown>;
}

/** Deeper than any real payload; the walk stops there rather than overflow the stack. */
const MAX_DEPTH = 120;

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** A child of a model type the walk goes into: a resource, or a complex value with its type. */
interface WalkedChild {
  /** `.name`, or `.name.ofType(Type)` for a choice. */
  segment: string;
  type: string;
  /** The child's model type; undefined for a resource (its own resourceType decides). */
  model: ModelType | undefined;
  /** The walked children of `model`, found on first use: one lookup per type, not one per value. */
  children: Map<string, WalkedChild> | undefined;
}

/**
 * Per model type, the JSON keys worth walking into, with what the walk needs for each (made once per type): one
 * lookup per property instead of a name search, a type lookup and a segment per property of every value.
 */
const walkedChildren = new WeakMap<ModelType, Map<string, WalkedChild>>();

function childrenOf(model: FormatModel, type: ModelType): Map<string, WalkedChild> {
  let children = walkedChildren.get(type);
  if (children) return children;
  children = new Map();
  for (const element of type.elements) {
    for (const t of element.choice ? element.types : [element.types[0] ?? 'string']) {
      const key = propertyName(element.choice ? element.name + t.charAt(0).toUpperCase() + t.slice(1) : element.name);
      if (findChild(type, key)?.element !== element) continue; // the name search's answer decides, as before
      const segment = element.choice ? `.${element.name}.ofType(${t})` : `.${element.name}`;
      if (t === 'Resource') children.set(key, { segment, type: t, model: undefined, children: undefined });
      else {
        const childType = model.types.get(t);
        if (childType && childType.kind === 'complex') children.set(key, { segment, type: t, model: childType, children: undefined });
      }
    }
  }
  walkedChildren.set(type, children);
  return children;
}

/**
 * Visits every complex value of a resource with its R4 type, at any depth: contained resources, bundle entries,
 * resources inside Parameters, extensions. Types come from the core R4 model (the same one the XML converter uses),
 * so an `Identifier` is found wherever R4 puts one, not by guessing from its shape. Unknown properties are skipped:
 * the profile walk reports them. Resources are visited too (type = their resourceType).
 */
export function walkTyped(resource: unknown, path: string, visit: (n: TypedNode) => void): void {
  new TypedWalk(coreFormatModel(), visit).walkResource(resource, path, -1, 0);
}

/**
 * The walk, which is also the node it visits. The location is kept as a stack of segments and array indexes and
 * spelled out only when a rule reads `path` (few do: most nodes raise no finding), so a walk over a large
 * bundle builds no string per value.
 */
class TypedWalk implements TypedNode {
  node: Record<string, unknown> = {};
  type = '';
  resource: Record<string, unknown> = {};
  private readonly segments: string[] = [];
  private readonly indexes: number[] = [];
  private size = 0;

  constructor(
    private readonly model: FormatModel,
    private readonly visit: (n: TypedNode) => void,
  ) {}

  get path(): string {
    let s = '';
    for (let i = 0; i < this.size; i++) {
      s += this.segments[i]!;
      const index = this.indexes[i]!;
      if (index >= 0) s += `[${index}]`;
    }
    return s;
  }

  private push(segment: string, index: number): void {
    this.segments[this.size] = segment;
    this.indexes[this.size] = index;
    this.size++;
  }

  private emit(node: Record<string, unknown>, type: string, resource: Record<string, unknown>): void {
    this.node = node;
    this.type = type;
    this.resource = resource;
    this.visit(this);
  }

  /** Walks a resource at `segment` (with `index` when it is an array item, else -1). */
  walkResource(value: unknown, segment: string, index: number, depth: number): void {
    if (!isObject(value) || typeof value.resourceType !== 'string') return;
    const type = this.model.types.get(value.resourceType);
    if (!type || type.kind !== 'resource') return;
    this.push(segment, index);
    try {
      this.emit(value, type.name, value);
      this.walkChildren(value, childrenOf(this.model, type), value, depth + 1);
    } finally {
      this.size--;
    }
  }

  private walkChildren(obj: Record<string, unknown>, children: Map<string, WalkedChild>, resource: Record<string, unknown>, depth: number): void {
    if (depth > MAX_DEPTH) return;
    const keys = Object.keys(obj);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      // resourceType, `_x` companions and primitives are not in the table.
      const child = children.get(key);
      if (!child) continue;
      const raw = obj[key];
      if (child.model === undefined) {
        if (Array.isArray(raw)) for (let i = 0; i < raw.length; i++) this.walkResource(raw[i], child.segment, i, depth);
        else this.walkResource(raw, child.segment, -1, depth);
        continue;
      }
      if (Array.isArray(raw)) for (let i = 0; i < raw.length; i++) this.walkComplex(raw[i], child, i, resource, depth);
      else this.walkComplex(raw, child, -1, resource, depth);
    }
  }

  private walkComplex(item: unknown, child: WalkedChild, index: number, resource: Record<string, unknown>, depth: number): void {
    if (!isObject(item)) return;
    this.push(child.segment, index);
    try {
      this.emit(item, child.type, resource);
      this.walkChildren(item, (child.children ??= childrenOf(this.model, child.model!)), resource, depth + 1);
    } finally {
      this.size--;
    }
  }
}
