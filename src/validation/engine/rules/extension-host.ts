/**
 * Where an extension sits, as the reference validator sees it when it checks the extension's context:
 * the element holding the extension (its host) named by its instance path and by its definition paths
 * (InstanceValidator.checkExtensionContext with NodeStack's logical paths). A definition path starts at
 * the resource type or at the type of any element on the way (`Patient.contact.name`, `HumanName`,
 * `HumanName.given`), so an element reached through a content reference (`OperationDefinition.parameter.part`)
 * is also the element it refers to (`OperationDefinition.parameter`).
 */
import type { HostFrame } from '../frames.js';

/** The element holding an extension. */
export interface ExtensionHost {
  /** Instance path of the host (`Patient.name[0]`). */
  path: string;
  /** FHIR type of the host (`HumanName`, `string`, `Patient`, ...). */
  type: string;
  /** The host's definition paths and its instance path, indexes removed, sorted (the reference's "this element is"). */
  paths: readonly string[];
  /** Logical (definition) paths only, indexes removed. */
  logicalPaths: readonly string[];
  /** True when the host is a resource. */
  isResource: boolean;
  /** The host's last path segment without index (`name`, `value`, `extension`). */
  name: string;
  /** The object the host sits in (for an extension on an extension's value: that extension). */
  parent: Record<string, unknown> | undefined;
  /** True when that object is a resource (the host is one of its elements). */
  parentIsResource: boolean;
}

/** Children of the abstract roots that exist in their own right (NodeStack.isRealPath). */
function isRealPath(lp: string, name: string): boolean {
  switch (lp) {
    case 'Element':
      return name === 'id' || name === 'extension';
    case 'BackboneElement':
    case 'BackboneType':
      return name === 'modifierExtension';
    case 'Resource':
      return name === 'id' || name === 'meta' || name === 'implicitRules' || name === 'language';
    case 'DomainResource':
      return name === 'text' || name === 'contained' || name === 'extension' || name === 'modifierExtension';
    default:
      return true;
  }
}

const SEGMENT = /^([A-Za-z0-9_]+)(?:\[\d+\])?(?:\.ofType\(([A-Za-z0-9_]+)\))?$/;

/** The definition paths of a child reached by `segment` from an element with paths `lps`, of type root `typeRoot`. */
function step(lps: Set<string>, name: string, choiceType: string | undefined, typeRoot: string): Set<string> {
  const tail = choiceType ? `${name}[x]` : name;
  const out = new Set<string>();
  for (const lp of lps) {
    if (!isRealPath(lp, tail)) continue;
    out.add(`${lp}.${tail}`);
    if (choiceType) {
      out.add(`${lp}.${name}.ofType(${choiceType})`);
      out.add(`${lp}.${name}${choiceType}`);
    }
  }
  if (typeRoot) out.add(typeRoot);
  return out;
}

/**
 * The definition paths of one element, reached by a chain of steps (element names, chosen types and type roots,
 * never instance indexes): worked out once per chain and shared by every extension whose host it is, as a
 * compiled profile's plans are.
 */
class DefinitionPaths {
  /** Logical (definition) paths, indexes removed, without repeats. */
  readonly logical: readonly string[];
  /** name -> chosen type ('' for none) -> type root -> the child's paths. */
  private readonly children = new Map<string, Map<string, Map<string, DefinitionPaths>>>();
  /** Index-free instance path of a host -> its sorted paths (the instance path with the logical ones). */
  private readonly withHost = new Map<string, readonly string[]>();

  constructor(readonly lps: Set<string>) {
    this.logical = [...new Set([...lps].map(stripIndexes))];
  }

  /** The paths of the child reached by `segment`; the segment as it stands when it is not one name step. */
  child(segment: string, typeRoot: string): DefinitionPaths {
    const m = SEGMENT.exec(segment);
    if (!m) return new DefinitionPaths(step(this.lps, segment, undefined, typeRoot));
    const name = m[1]!;
    const choiceType = m[2] ?? '';
    let byType = this.children.get(name);
    if (!byType) this.children.set(name, (byType = new Map()));
    let byRoot = byType.get(choiceType);
    if (!byRoot) byType.set(choiceType, (byRoot = new Map()));
    let next = byRoot.get(typeRoot);
    if (!next) byRoot.set(typeRoot, (next = new DefinitionPaths(step(this.lps, name, choiceType || undefined, typeRoot))));
    return next;
  }

  /** The host's paths: its index-free instance path with the logical ones, sorted (the reference's "this element is"). */
  paths(hostPath: string): readonly string[] {
    const own = stripIndexes(hostPath);
    let paths = this.withHost.get(own);
    if (!paths) this.withHost.set(own, (paths = [...new Set([own, ...this.logical])].sort()));
    return paths;
  }
}

/** Resource type -> the paths of its elements. */
const byResourceType = new Map<string, DefinitionPaths>();

/** The root every definition path of an object's children may start from: its type, or the element a content reference names. */
function typeRoot(f: HostFrame): string {
  return f.type || f.node.path;
}

/** Removes `[...]` (indexes and the `[x]` of choice elements), as the reference does before comparing paths. */
export function stripIndexes(path: string): string {
  // Most definition paths have nothing to remove: no regex run for them.
  return path.includes('[') ? path.replace(/\[[^\]]*\]/g, '') : path;
}

/**
 * The host of the extension at `extensionPath`, from the frames of the walk (outermost first) and the
 * host's type. Undefined when the walk did not start at a resource (a datatype checked on its own
 * against a profile): there the definition paths are not known.
 */
export function extensionHost(frames: readonly HostFrame[], extensionPath: string, hostType: string): ExtensionHost | undefined {
  const first = frames[0];
  if (!first || !first.isResource) return undefined;
  const hostPath = extensionPath.slice(0, extensionPath.lastIndexOf('.'));
  let dp = byResourceType.get(first.type);
  if (!dp) byResourceType.set(first.type, (dp = new DefinitionPaths(new Set([first.type]))));
  let prev = first;
  let parent: Record<string, unknown> | undefined;
  let parentIsResource = false;
  for (let i = 1; i < frames.length; i++) {
    const f = frames[i]!;
    if (f.path === prev.path) continue; // the same object walked again (a profile, a slice)
    if (!startsWithStep(f.path, prev.path)) return undefined;
    dp = dp.child(f.path.slice(prev.path.length + 1), typeRoot(f));
    parent = prev.value;
    parentIsResource = prev.isResource;
    prev = f;
  }
  let isResource = prev.isResource;
  if (hostPath !== prev.path) {
    // A primitive element: its `_x` companion holds the extension, no frame of its own.
    if (!startsWithStep(hostPath, prev.path)) return undefined;
    dp = dp.child(hostPath.slice(prev.path.length + 1), hostType);
    parent = prev.value;
    parentIsResource = prev.isResource;
    isResource = false;
  }
  const unchosen = hostPath.replace(/\.ofType\([^)]*\)$/, '');
  const name = unchosen.slice(unchosen.lastIndexOf('.') + 1).replace(/\[\d+\]$/, '');
  return { path: hostPath, type: hostType, paths: dp.paths(hostPath), logicalPaths: dp.logical, isResource, name, parent, parentIsResource };
}

/** `path` is `parent` followed by a dot and more (`${parent}.` as a prefix, without building it). */
function startsWithStep(path: string, parent: string): boolean {
  return path.charCodeAt(parent.length) === 46 && path.startsWith(parent);
}
