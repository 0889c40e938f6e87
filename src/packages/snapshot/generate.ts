import type { ElementDefinition, ElementDefinitionType, StructureDefinition } from 'fhir/r4';
import { cloneNode, flatten, parseId, treeFromSnapshot, type ElementNode, type IdStep } from './tree.js';
import { mergeElement } from './merge.js';

/** This module, for the stamp of the code whose output the snapshot cache holds (see derived-cache.ts). */
export const SNAPSHOT_GENERATOR_MODULE = import.meta.url;

/** Where the generator finds base definitions, datatypes and profiles named in types (with snapshots). */
export interface SnapshotResolver {
  structureDefinition(canonicalOrType: string): StructureDefinition | undefined;
}

/** Why a differential could not be applied (the store wraps it in a PackageError naming the profile). */
export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
  constructor(
    message: string,
    /** The definition that was needed but not loaded, when that is the reason. */
    readonly missing?: string,
  ) {
    super(message);
  }
}

/**
 * Generates the snapshot of `profile` from its differential and its base's snapshot.
 * Elements the differential does not mention are inherited as they are; elements it reaches into
 * below a datatype, a profiled type or a content reference are unfolded from that definition first.
 */
export function generateSnapshot(profile: StructureDefinition, base: StructureDefinition, resolver: SnapshotResolver, options: SnapshotOptions = {}): ElementDefinition[] {
  return traceSnapshot(profile, base, resolver, options).elements;
}

export interface SnapshotOptions {
  /**
   * Raise a sliced element's minimum to the sum of its slices' minimums where the differential goes straight into
   * the slices (default true, as the reference validator's generator does since 2023). The published R4 snapshots
   * were generated before that rule: comparisons with them turn it off.
   */
  sliceMinimumSums?: boolean;
}

/** A generated snapshot and, for each differential element in order, the snapshot element it constrained. */
export interface SnapshotTrace {
  elements: ElementDefinition[];
  applied: ElementDefinition[];
}

/** {@link generateSnapshot}, also telling which snapshot element each differential element landed on. */
export function traceSnapshot(profile: StructureDefinition, base: StructureDefinition, resolver: SnapshotResolver, options: SnapshotOptions = {}): SnapshotTrace {
  const baseElements = base.snapshot?.element;
  if (!baseElements?.length) throw new SnapshotError(`base ${base.url} has no snapshot`);
  const root = treeFromSnapshot(baseElements);
  // Logical models have a URL as type; their element paths start with the differential's root name.
  const diffRoot = profile.differential?.element[0]?.path.split('.')[0];
  root.name = diffRoot ?? profile.type ?? root.name;
  const generator = new Generator(root, treeFromSnapshot(baseElements), resolver, profile);
  const diffs = differentialWithIds(profile.differential?.element ?? []);
  const applied = diffs.map((diff) => generator.apply(diff).el);
  if (options.sliceMinimumSums !== false) generator.raiseSliceMinimums(new Set(diffs.map((d) => d.id as string)));
  return { elements: flatten(root), applied };
}

/** Gives every differential element an id (older differentials have paths only). */
function differentialWithIds(elements: ElementDefinition[]): ElementDefinition[] {
  const idOfPath = new Map<string, string>();
  return elements.map((el) => {
    let id = el.id;
    if (!id) {
      const parts = el.path.split('.');
      let prefix = '';
      let rest = el.path;
      // A slice hangs off the sliced element, not off an earlier slice of the same path.
      for (let n = el.sliceName ? parts.length - 1 : parts.length; n > 0; n--) {
        const p = parts.slice(0, n).join('.');
        const known = idOfPath.get(p);
        if (known) {
          prefix = known;
          rest = el.path.slice(p.length);
          break;
        }
      }
      id = `${prefix}${rest}${el.sliceName ? `:${el.sliceName}` : ''}`;
    }
    if (el.sliceName) {
      // A new slice opens a new scope: descendants named before belong to the previous slice.
      for (const p of idOfPath.keys()) if (p.startsWith(`${el.path}.`)) idOfPath.delete(p);
    }
    idOfPath.set(el.path, id);
    return { ...el, id };
  });
}

/** `valueQuantity` names the `Quantity` type of `value[x]`: the type code for a renamed choice suffix. */
function choiceType(node: ElementNode, name: string): string | undefined {
  if (!node.name.endsWith('[x]')) return undefined;
  const stem = node.name.slice(0, -3);
  if (!name.startsWith(stem) || name.length === stem.length) return undefined;
  const suffix = name.slice(stem.length);
  return (node.el.type ?? []).map((t) => t.code).find((code) => code.toLowerCase() === suffix.toLowerCase());
}

class Generator {
  constructor(
    private readonly root: ElementNode,
    /** The base as published: new slices start from it, not from what this differential did to the sliced element. */
    private readonly pristine: ElementNode,
    private readonly resolver: SnapshotResolver,
    private readonly profile: StructureDefinition,
  ) {}

  /** A choice's types before renamed forms (`valueQuantity`) restricted them, and the types so named. */
  private readonly choiceTypes = new WeakMap<ElementNode, ElementDefinitionType[]>();
  private readonly renamedTypes = new WeakMap<ElementNode, Set<string>>();
  /** Choice elements whose types this differential states itself. */
  private readonly explicitlyTyped = new WeakSet<ElementNode>();

  /** Elements the differential names slices of (`coding:loinc`), with the sliced element's id. */
  private readonly slicedHere = new Map<ElementNode, string>();

  /**
   * Where the differential goes straight into slices of an element without naming the element itself, the
   * reference's snapshot generator sets the slicing up on its own (SNAPSHOT_auto_added_slicing) and then raises
   * the element's minimum to the sum of its slices' minimums when that is more (ProfileUtilities, the slice check
   * after generation; a repeating element only). So `coding` with required slices `loinc` and `snomedCT` needs 2.
   * Inside slices too: the reference requires `identifier:nhsNumber.extension` once where a profile on UK Core
   * Patient requires the `nhsNumberVerificationStatus` slice without naming `extension`.
   */
  raiseSliceMinimums(diffIds: ReadonlySet<string>): void {
    for (const [node, id] of this.slicedHere) {
      if (diffIds.has(id) || node.el.base?.max === '1') continue;
      const sum = node.slices.filter((s) => !s.el.sliceName?.includes('/')).reduce((n, s) => n + (s.el.min ?? 0), 0);
      if (sum > (node.el.min ?? 0)) node.el.min = sum;
    }
  }

  apply(diff: ElementDefinition): ElementNode {
    const node = this.locate(parseId(diff.id as string), diff);
    if (diff.type && node.name.endsWith('[x]')) this.explicitlyTyped.add(node);
    if (mergeElement(node.el, diff) && node !== this.root) {
      // A new type profile: its children come from that profile, unfolded if the differential reaches in.
      node.children = [];
      node.unfolded = false;
      // A profile naming one of its elements (a library of sections) gives that element's children now:
      // they are the constraints the type brings, whether or not the differential reaches in.
      if (profileElement(node.el)) this.unfold(node, diff, '');
    }
    return node;
  }

  private locate(steps: IdStep[], diff: ElementDefinition): ElementNode {
    let node = this.root;
    let id = this.root.name;
    const last = steps.length - 1;
    for (const [i, step] of steps.entries()) {
      if (i === 0) continue;
      if (!node.unfolded && this.isNewElement(node)) node.unfolded = true;
      this.unfold(node, diff, step.name);
      let child = node.children.find((c) => c.name === step.name);
      if (!child) child = this.renamedChoice(node, step.name, `${id}.`);
      if (!child && i === last && this.profile.derivation === 'specialization') child = this.newElement(node, step.name, diff);
      if (!child) throw new SnapshotError(`element ${diff.id}: ${node.el.path} has no child ${step.name}`);
      const childId = `${id}.${child.name}`;
      if (i === last && step.slice && !step.slice.includes('/')) this.slicedHere.set(child, childId);
      node = step.slice ? this.slice(child, childId, step.slice) : child;
      id = step.slice ? `${childId}:${step.slice}` : childId;
    }
    return node;
  }

  /**
   * In a specialization (a logical model or new type) the differential defines new elements; a
   * backbone element without a type gets its children from the differential, not from a type.
   */
  private isNewElement(node: ElementNode): boolean {
    return this.profile.derivation === 'specialization' && !(node.el.type?.length) && !node.el.contentReference;
  }

  private newElement(parent: ElementNode, name: string, diff: ElementDefinition): ElementNode {
    const el: ElementDefinition = { id: diff.id, path: diff.path, min: 0, max: '*', base: { path: diff.path, min: diff.min ?? 0, max: diff.max ?? '*' } };
    const node: ElementNode = { name, el, children: [], slices: [], unfolded: false, inSlice: parent.inSlice };
    parent.children.push(node);
    return node;
  }

  /**
   * `valueQuantity` in a differential: restricts `value[x]` to the types named this way (as the
   * published R4 snapshots do), unless the differential listed `value[x]`'s types itself; outside a
   * slice it is also a type slice `value[x]:valueQuantity`.
   */
  private renamedChoice(parent: ElementNode, name: string, prefix: string): ElementNode | undefined {
    for (const choice of parent.children) {
      const original = this.choiceTypes.get(choice) ?? choice.el.type ?? [];
      const code = choiceType({ ...choice, el: { ...choice.el, type: original } }, name);
      if (!code) continue;
      if (!this.explicitlyTyped.has(choice)) {
        this.choiceTypes.set(choice, original);
        const named = this.renamedTypes.get(choice) ?? new Set<string>();
        named.add(code);
        this.renamedTypes.set(choice, named);
        choice.el.type = original.filter((t) => named.has(t.code));
      }
      if (choice.inSlice) return choice;
      choice.el.slicing ??= { discriminator: [{ type: 'type', path: '$this' }], ordered: false, rules: 'closed' };
      return this.slice(choice, `${prefix}${choice.name}`, name);
    }
    return undefined;
  }

  /** Finds or creates slice `sliceName` (`a/b` = re-slice b of slice a) of an element. */
  private slice(sliced: ElementNode, slicedId: string, sliceName: string): ElementNode {
    const bar = sliceName.lastIndexOf('/');
    const ownerName = sliceName.slice(0, bar);
    const owner = bar < 0 ? sliced : this.slice(sliced, slicedId, ownerName);
    const existing = owner.slices.find((s) => s.el.sliceName === sliceName);
    if (existing) return existing;
    const template = findById(this.pristine, bar < 0 ? slicedId : `${slicedId}:${ownerName}`) ?? owner;
    // The slice itself starts from the published base; its children carry what the differential
    // already said about the sliced element's children (e.g. extension max 0 applies to every slice).
    const inherit = owner.unfolded && owner.children.length > 0;
    const created = cloneNode({ ...template, children: inherit ? owner.children : template.children, unfolded: inherit || template.unfolded, slices: [] }, true);
    delete created.el.slicing;
    created.el.sliceName = sliceName;
    const code = choiceType(sliced, sliceName);
    if (code) created.el.type = (created.el.type ?? []).filter((t) => t.code === code);
    owner.slices.push(created);
    return created;
  }

  /** Lists an element's children from its type (or profile, or content reference) the first time they are needed. */
  private unfold(node: ElementNode, diff: ElementDefinition, childName: string): void {
    if (node.unfolded) return;
    const source = this.childSource(node, diff, childName);
    node.children = source.children.map((c) => cloneNode(c, node.inSlice));
    node.unfolded = true;
    if (node.el.contentReference) {
      // The children are now listed (and constrained) here: a validator must not follow the
      // reference back to the unconstrained original.
      delete node.el.contentReference;
      node.el.type = structuredClone(source.el.type ?? []);
    }
  }

  private childSource(node: ElementNode, diff: ElementDefinition, childName: string): ElementNode {
    const ref = node.el.contentReference;
    if (ref) {
      const target = ref.slice(ref.indexOf('#') + 1);
      const typeName = target.split('.')[0] as string;
      const tree = this.treeOf(typeName, diff);
      const found = findById(tree, target);
      if (!found) throw new SnapshotError(`element ${diff.id}: content reference ${ref} not found in ${typeName}`);
      return found;
    }
    const types = node.el.type ?? [];
    const codes = new Set(types.map((t) => t.code));
    if (codes.size === 0) throw new SnapshotError(`element ${diff.id}: cannot reach into ${node.el.path}, which has no type`);
    if (codes.size > 1) return this.choiceSource(node, diff, childName, [...codes]);
    const first = types[0];
    const named = profileElement(node.el);
    if (named) {
      const found = findById(this.treeOf(named.url, diff), named.id);
      if (!found) throw new SnapshotError(`element ${diff.id}: element ${named.id} not found in ${named.url}`);
      return found;
    }
    const profiles = new Set(types.flatMap((t) => t.profile ?? []));
    const profile = profiles.size === 1 ? ([...profiles][0] as string) : undefined;
    // A type profile that is not loaded still has its datatype: the snapshot lists the datatype's
    // children, and a validator reports the unknown profile where the element is used.
    const source = profile && (!first?.code || this.isLoaded(profile)) ? profile : (first?.code as string);
    return this.treeOf(source, diff);
  }

  /**
   * Reaching into a choice of several types (`value[x].value`): the one complex type that has
   * such a child decides (primitive types all have a `value`, so they only count when alone).
   */
  private choiceSource(node: ElementNode, diff: ElementDefinition, childName: string, codes: string[]): ElementNode {
    const having = codes.map((code) => ({ code, tree: this.treeOf(code, diff) })).filter((t) => t.tree.children.some((c) => c.name === childName));
    const complex = having.filter((t) => /^[A-Z]/.test(t.code));
    const pick = complex.length === 1 ? complex[0] : having.length === 1 ? having[0] : undefined;
    if (!pick) {
      throw new SnapshotError(`element ${diff.id}: cannot reach into ${node.el.path}: ${having.length ? `types ${having.map((t) => t.code).join(', ')} all have` : 'none of its types has'} a child ${childName}`);
    }
    return pick.tree;
  }

  private isLoaded(canonical: string): boolean {
    try {
      return !!this.resolver.structureDefinition(canonical)?.snapshot?.element.length;
    } catch {
      return false;
    }
  }

  private treeOf(canonicalOrType: string, diff: ElementDefinition): ElementNode {
    const sd = this.resolver.structureDefinition(canonicalOrType);
    if (!sd && canonicalOrType === 'Base' && this.profile.derivation === 'specialization') {
      // R5's abstract Base (used by logical models) has no R4 definition and no children of its own
      return { name: 'Base', el: { path: 'Base' }, children: [], slices: [], unfolded: true, inSlice: false };
    }
    if (!sd?.snapshot?.element.length) {
      throw new SnapshotError(`element ${diff.id} of ${this.profile.url} needs ${canonicalOrType}, which is not loaded`, canonicalOrType);
    }
    return treeFromSnapshot(sd.snapshot.element);
  }
}

const PROFILE_ELEMENT = 'http://hl7.org/fhir/StructureDefinition/elementdefinition-profile-element';

/** The element a type profile names with the profile-element extension (`Composition.section:codeA`), if any. */
export function profileElement(el: ElementDefinition): { url: string; id: string } | undefined {
  const types = el.type ?? [];
  if (types.length !== 1) return undefined;
  const t = types[0] as ElementDefinitionType & { _profile?: ({ extension?: { url?: string; valueString?: string }[] } | null)[] };
  const url = t.profile?.length === 1 ? t.profile[0] : undefined;
  const id = t._profile?.[0]?.extension?.find((x) => x.url === PROFILE_ELEMENT)?.valueString;
  return url && id ? { url, id } : undefined;
}

function findById(root: ElementNode, id: string): ElementNode | undefined {
  const steps = parseId(id);
  let node: ElementNode | undefined = root;
  for (const step of steps.slice(1)) {
    node = node.children.find((c) => c.name === step.name);
    if (!node) return undefined;
    if (step.slice) node = node.slices.find((s) => s.el.sliceName === step.slice);
    if (!node) return undefined;
  }
  return node;
}
