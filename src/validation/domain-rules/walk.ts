import { coreFormatModel, type ModelType } from '../../format/index.js';
import { findChild } from '../../format/model.js';

/** An object in a resource, with its FHIR type and FHIRPath location (the engine's notation). */
export interface TypedNode {
  readonly node: Record<string, unknown>;
  /** A datatype (`Identifier`, `Quantity`), a resource type, or a backbone path (`Bundle.entry`). */
  readonly type: string;
  /** `Bundle.entry[3].resource.identifier[0]`; choice elements as `value.ofType(Quantity)`. */
  readonly path: string;
  /** The nearest enclosing resource. */
  readonly resource: Record<string, unknown>;
}

/** Deeper than any real payload; the walk stops there rather than overflow the stack. */
const MAX_DEPTH = 120;

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Visits every complex value of a resource with its R4 type, at any depth: contained resources, bundle entries,
 * resources inside Parameters, extensions. Types come from the core R4 model (the same one the XML converter uses),
 * so an `Identifier` is found wherever R4 puts one, not by guessing from its shape. Unknown properties are skipped:
 * the profile walk reports them. Resources are visited too (type = their resourceType).
 */
export function walkTyped(resource: unknown, path: string, visit: (n: TypedNode) => void): void {
  const model = coreFormatModel();
  const walkResource = (value: unknown, at: string, depth: number): void => {
    if (!isObject(value) || typeof value.resourceType !== 'string') return;
    const type = model.types.get(value.resourceType);
    if (!type || type.kind !== 'resource') return;
    visit({ node: value, type: type.name, path: at, resource: value });
    walkChildren(value, type, at, value, depth + 1);
  };
  const walkChildren = (obj: Record<string, unknown>, type: ModelType, at: string, resource: Record<string, unknown>, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    for (const key of Object.keys(obj)) {
      if (key === 'resourceType' || key.startsWith('_')) continue;
      const match = findChild(type, key);
      if (!match) continue;
      const base = match.element.choice ? `${at}.${match.element.name}.ofType(${match.type})` : `${at}.${match.element.name}`;
      const raw = obj[key];
      const items = Array.isArray(raw) ? raw : [raw];
      items.forEach((item, i) => {
        const itemPath = Array.isArray(raw) ? `${base}[${i}]` : base;
        if (match.type === 'Resource') return walkResource(item, itemPath, depth);
        const childType = model.types.get(match.type);
        if (!childType || childType.kind !== 'complex' || !isObject(item)) return;
        visit({ node: item, type: match.type, path: itemPath, resource });
        walkChildren(item, childType, itemPath, resource, depth + 1);
      });
    }
  };
  walkResource(resource, path, 0);
}
