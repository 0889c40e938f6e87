import { coreFormatModel, type FormatModel, type ModelType } from '../../format/index.js';
import { type ChildMatch, findChild } from '../../format/model.js';

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

/** `.name`, or `.name.ofType(Type)` for a choice, per child of a model type (made once). */
const segments = new WeakMap<ChildMatch, string>();

function segmentOf(match: ChildMatch): string {
  let s = segments.get(match);
  if (s === undefined) {
    s = match.element.choice ? `.${match.element.name}.ofType(${match.type})` : `.${match.element.name}`;
    segments.set(match, s);
  }
  return s;
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
      this.walkChildren(value, type, value, depth + 1);
    } finally {
      this.size--;
    }
  }

  private walkChildren(obj: Record<string, unknown>, type: ModelType, resource: Record<string, unknown>, depth: number): void {
    if (depth > MAX_DEPTH) return;
    const keys = Object.keys(obj);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      if (key === 'resourceType' || key.charCodeAt(0) === 95 /* _ */) continue;
      const match = findChild(type, key);
      if (!match) continue;
      const raw = obj[key];
      if (match.type === 'Resource') {
        if (Array.isArray(raw)) for (let i = 0; i < raw.length; i++) this.walkResource(raw[i], segmentOf(match), i, depth);
        else this.walkResource(raw, segmentOf(match), -1, depth);
        continue;
      }
      const childType = this.model.types.get(match.type);
      if (!childType || childType.kind !== 'complex') continue;
      if (Array.isArray(raw)) for (let i = 0; i < raw.length; i++) this.walkComplex(raw[i], match, childType, i, resource, depth);
      else this.walkComplex(raw, match, childType, -1, resource, depth);
    }
  }

  private walkComplex(item: unknown, match: ChildMatch, type: ModelType, index: number, resource: Record<string, unknown>, depth: number): void {
    if (!isObject(item)) return;
    this.push(segmentOf(match), index);
    try {
      this.emit(item, match.type, resource);
      this.walkChildren(item, type, resource, depth + 1);
    } finally {
      this.size--;
    }
  }
}
