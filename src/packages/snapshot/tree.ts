import type { ElementDefinition } from 'fhir/r4';

/**
 * An element of a snapshot under construction. Children are the element's own child elements
 * (in definition order); slices hang off the element they slice, after its children.
 */
export interface ElementNode {
  /** Last path segment: `name`, `value[x]`, `extension`. */
  name: string;
  el: ElementDefinition;
  children: ElementNode[];
  slices: ElementNode[];
  /** False until the children were listed (from a snapshot or by unfolding the element's type). */
  unfolded: boolean;
  /** True for a slice (or a re-slice) and everything inside one. */
  inSlice: boolean;
}

/** One step of an element id: `name` or `name:sliceName` (slice names may hold `/` for re-slices). */
export interface IdStep {
  name: string;
  slice?: string;
}

/** Splits an element id (`Observation.component:sys.value[x]`) into steps. */
export function parseId(id: string): IdStep[] {
  return id.split('.').map((part) => {
    const colon = part.indexOf(':');
    return colon < 0 ? { name: part } : { name: part.slice(0, colon), slice: part.slice(colon + 1) };
  });
}

/** Deep copy of an element definition (they are plain JSON). */
export function cloneElement(el: ElementDefinition): ElementDefinition {
  return structuredClone(el);
}

export function cloneNode(node: ElementNode, inSlice = node.inSlice): ElementNode {
  return {
    name: node.name,
    el: cloneElement(node.el),
    children: node.children.map((c) => cloneNode(c, inSlice)),
    slices: node.slices.map((s) => cloneNode(s, inSlice)),
    unfolded: node.unfolded,
    inSlice,
  };
}

function lastName(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? path : path.slice(dot + 1);
}

/**
 * Builds the tree of a published snapshot. Elements are attached by id, so slices (`a:b`) and
 * re-slices (`a:b/c`) land under the right element; a snapshot without ids falls back to paths.
 */
export function treeFromSnapshot(elements: ElementDefinition[]): ElementNode {
  const [first, ...rest] = elements;
  if (!first) throw new Error('empty snapshot');
  const root: ElementNode = { name: first.path, el: cloneElement(first), children: [], slices: [], unfolded: true, inSlice: false };
  const byId = new Map<string, ElementNode>([[first.id ?? first.path, root]]);
  for (const el of rest) {
    const id = el.id ?? (el.sliceName ? `${el.path}:${el.sliceName}` : el.path);
    const cut = id.lastIndexOf('.');
    const lastStep = parseId(id.slice(cut + 1))[0] as IdStep;
    const node: ElementNode = { name: lastName(el.path), el: cloneElement(el), children: [], slices: [], unfolded: false, inSlice: false };
    if (lastStep.slice) {
      // A slice: attach to the element it slices (same id without the last slice name part).
      const slice = lastStep.slice;
      const reslice = slice.lastIndexOf('/');
      const slicedId = `${id.slice(0, cut + 1)}${lastStep.name}${reslice < 0 ? '' : `:${slice.slice(0, reslice)}`}`;
      const sliced = byId.get(slicedId);
      if (!sliced) throw new Error(`snapshot element ${id} comes before the element it slices`);
      node.inSlice = true;
      sliced.slices.push(node);
    } else {
      const parent = byId.get(id.slice(0, cut));
      if (!parent) throw new Error(`snapshot element ${id} has no parent element`);
      node.inSlice = parent.inSlice;
      parent.children.push(node);
      parent.unfolded = true;
    }
    byId.set(id, node);
  }
  return root;
}

/** Flattens a tree into snapshot order, giving every element its id and path. */
export function flatten(root: ElementNode): ElementDefinition[] {
  const out: ElementDefinition[] = [];
  const visit = (node: ElementNode, id: string, path: string): void => {
    node.el.id = id;
    node.el.path = path;
    out.push(node.el);
    for (const c of node.children) visit(c, `${id}.${c.name}`, `${path}.${c.name}`);
    const prefix = id.slice(0, id.lastIndexOf('.') + 1);
    for (const s of node.slices) visit(s, `${prefix}${node.name}:${s.el.sliceName ?? ''}`, path);
  };
  visit(root, root.name, root.name);
  return out;
}
