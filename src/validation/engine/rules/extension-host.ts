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
  paths: string[];
  /** Logical (definition) paths only, indexes removed. */
  logicalPaths: string[];
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
function step(lps: Set<string>, segment: string, typeRoot: string): Set<string> {
  const m = SEGMENT.exec(segment);
  const name = m ? m[1]! : segment;
  const choiceType = m?.[2];
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
  let lps = new Set<string>([first.type]);
  let prev = first;
  let parent: Record<string, unknown> | undefined;
  let parentIsResource = false;
  for (let i = 1; i < frames.length; i++) {
    const f = frames[i]!;
    if (f.path === prev.path) continue; // the same object walked again (a profile, a slice)
    if (!f.path.startsWith(`${prev.path}.`)) return undefined;
    lps = step(lps, f.path.slice(prev.path.length + 1), typeRoot(f));
    parent = prev.value;
    parentIsResource = prev.isResource;
    prev = f;
  }
  let isResource = prev.isResource;
  if (hostPath !== prev.path) {
    // A primitive element: its `_x` companion holds the extension, no frame of its own.
    if (!hostPath.startsWith(`${prev.path}.`)) return undefined;
    lps = step(lps, hostPath.slice(prev.path.length + 1), hostType);
    parent = prev.value;
    parentIsResource = prev.isResource;
    isResource = false;
  }
  const logicalPaths = [...new Set([...lps].map(stripIndexes))];
  const paths = [...new Set([stripIndexes(hostPath), ...logicalPaths])].sort();
  const unchosen = hostPath.replace(/\.ofType\([^)]*\)$/, '');
  const name = unchosen.slice(unchosen.lastIndexOf('.') + 1).replace(/\[\d+\]$/, '');
  return { path: hostPath, type: hostType, paths, logicalPaths, isResource, name, parent, parentIsResource };
}
