/**
 * Compiled profiles as plain JSON, for the on-disk cache of compiled profiles (ProfileRegistry): a later
 * process reads the element tree back instead of reading the StructureDefinition, generating its snapshot
 * and compiling it. The tree is flattened into a node list in which children, slices and content targets
 * are indices; the lookup tables `addChild` builds (childByKey, keys) are rebuilt on reading, so they
 * always follow the compiler's own rules. Every other field of a node is copied as it is (left out when it
 * holds a new ElementNode's value; the `types` lists by index into one table of the distinct lists, which
 * makes the file about a third smaller to read), so a field added to ElementNode is carried without a change
 * here (src/validation/compiled-form.test.ts compares the round trip with fresh compilation on every core,
 * UK Core and ADS profile).
 */
import { addChild, COMPILER_MODULE } from './compile.js';
import { ElementNode, propertyName, sharedExpression, type CompiledProfile } from './model.js';

/** This module, for the stamp of the code whose output the compiled-profile cache holds. */
export const COMPILED_FORM_MODULES: readonly string[] = [import.meta.url, COMPILER_MODULE];

/** Fields that link nodes or are rebuilt from the links: never copied as values. */
const LINKS = new Set(['children', 'slices', 'contentTarget', 'childByKey', 'required', 'keys', 'owner']);

interface NodeForm {
  /** Every other field of the node (`max` as null for unbounded). */
  f: Record<string, unknown>;
  c?: number[];
  s?: number[];
  t?: number;
  /** The required children, as indices (each child's keys come with it). */
  r?: number[];
}

export interface CompiledForm {
  profile: Omit<CompiledProfile, 'root'>;
  nodes: NodeForm[];
  /** The distinct `types` lists of the nodes, which a node's `f.types` gives by index (most nodes repeat a few). */
  types?: unknown[];
}

/**
 * Fields a new ElementNode already holds, as JSON (Infinity spelt out): a node's field with that value is left
 * out of the form, since reading starts from a new ElementNode. Most nodes are not modifiers, choices or arrays,
 * with no constraints or value alternatives of their own.
 */
const DEFAULT_FIELDS = new Map(
  Object.entries(new ElementNode())
    .filter(([k, v]) => !LINKS.has(k) && v !== undefined)
    .map(([k, v]) => [k, v === Infinity ? 'Infinity' : JSON.stringify(v)]),
);

function isDefault(key: string, value: unknown): boolean {
  const d = DEFAULT_FIELDS.get(key);
  return d !== undefined && d === (value === Infinity ? 'Infinity' : JSON.stringify(value));
}

/** The profile as JSON-safe data. */
export function toCompiledForm(profile: CompiledProfile): CompiledForm {
  const order = new Map<ElementNode, number>();
  const list: ElementNode[] = [];
  const visit = (n: ElementNode): void => {
    if (order.has(n)) return;
    order.set(n, list.length);
    list.push(n);
    n.children.forEach(visit);
    n.slices.forEach(visit);
    if (n.contentTarget) visit(n.contentTarget);
  };
  visit(profile.root);
  const types: unknown[] = [];
  const typeIndex = new Map<string, number>();
  const nodes = list.map((n): NodeForm => {
    const f: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(n)) {
      if (LINKS.has(k) || v === undefined || isDefault(k, v)) continue;
      if (k === 'types') {
        const json = JSON.stringify(v);
        let i = typeIndex.get(json);
        if (i === undefined) typeIndex.set(json, (i = types.push(v) - 1));
        f[k] = i;
        continue;
      }
      f[k] = v === Infinity ? null : v;
    }
    const form: NodeForm = { f };
    if (n.children.length) form.c = n.children.map((c) => order.get(c)!);
    if (n.slices.length) form.s = n.slices.map((c) => order.get(c)!);
    if (n.contentTarget) form.t = order.get(n.contentTarget)!;
    if (n.required.length) form.r = n.required.map((r) => order.get(r.node)!);
    return form;
  });
  const { root: _root, ...rest } = profile;
  return { profile: rest, nodes, types };
}

/** The profile back from {@link toCompiledForm}'s data; undefined when the data is not such a form. */
export function fromCompiledForm(data: unknown): CompiledProfile | undefined {
  const form = data as Partial<CompiledForm> | null;
  if (!form || typeof form !== 'object' || !Array.isArray(form.nodes) || form.nodes.length === 0 || !form.profile || typeof form.profile !== 'object') return undefined;
  const types = Array.isArray(form.types) ? form.types : [];
  // Type codes as the engine's own copies of the names (see propertyName): the walk looks them up per value.
  for (const list of types) {
    if (!Array.isArray(list)) continue;
    for (const t of list as { code?: unknown }[]) if (t && typeof t.code === 'string') t.code = propertyName(t.code);
  }
  let readable = true;
  const nodes = form.nodes.map((n) => {
    const node = Object.assign(new ElementNode(), n.f);
    if (Array.isArray(n.f.constraints)) node.constraints = node.constraints.map((c) => ({ ...c, expression: sharedExpression(c.expression) }));
    if (n.f.max === null) node.max = Infinity;
    if (typeof n.f.types === 'number') {
      // Nodes with the same types share one list, read once: the engine only reads it.
      const list = types[n.f.types];
      if (Array.isArray(list)) node.types = list as ElementNode['types'];
      else readable = false;
    }
    return node;
  });
  if (!readable) return undefined;
  const at = (i: number): ElementNode => {
    const n = nodes[i];
    if (!n) throw new RangeError('node index out of range');
    return n;
  };
  try {
    form.nodes.forEach((n, i) => {
      const node = at(i);
      for (const c of n.c ?? []) addChild(node, at(c));
      node.slices = (n.s ?? []).map(at);
      if (n.t !== undefined) node.contentTarget = at(n.t);
    });
    // After every addChild, so each required child's keys are complete.
    form.nodes.forEach((n, i) => {
      at(i).required = (n.r ?? []).map((r) => ({ node: at(r), keys: at(r).keys }));
    });
  } catch {
    return undefined;
  }
  const profile: CompiledProfile = { ...(form.profile as Omit<CompiledProfile, 'root'>), root: at(0) };
  profile.root.owner = profile;
  return profile;
}
