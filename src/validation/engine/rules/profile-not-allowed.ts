/**
 * An element the base type defines but the profile being walked leaves out of its snapshot (a snapshot may omit
 * elements rather than set max = 0). The reference validator reads the instance by its type, so the element is
 * known; walking the profile's children it finds no definition for it and reports Validation_VAL_Profile_NotAllowed
 * on each of its items (InstanceValidator.assignChildren), where an unknown property would be a parse error.
 */
import type { ChildEntry, ElementNode } from '../../model.js';
import type { RuleContext } from '../context.js';
import { CORE_SD } from '../options.js';

/**
 * Reports `key` of the object at `path` as not allowed by the profile when the core definition of the element
 * `node` stands for knows it; returns false (nothing reported) when the base type does not know it either.
 */
export function reportNotAllowedByProfile(node: ElementNode, key: string, value: unknown, path: string, ctx: RuleContext): boolean {
  const entry = coreChild(node, key, ctx);
  if (!entry) return false;
  const base = entry.node;
  const profile = profileOf(node, ctx);
  if (!profile || profile.abstract) return true;
  const message = `This element is not allowed by the profile ${profile.url}`;
  if (base.isChoice) {
    ctx.report('Validation_VAL_Profile_NotAllowed', 'error', 'not-supported', `${path}.${base.name}.ofType(${entry.type?.code ?? key.slice(base.name.length)})`, message);
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) ctx.report('Validation_VAL_Profile_NotAllowed', 'error', 'not-supported', `${path}.${key}[${i}]`, message);
  } else {
    ctx.report('Validation_VAL_Profile_NotAllowed', 'error', 'not-supported', base.isArray ? `${path}.${key}[0]` : `${path}.${key}`, message);
  }
  return true;
}

/** The child of the core definition of `node`'s element that JSON property `key` names, if any. */
function coreChild(node: ElementNode, key: string, ctx: RuleContext): ChildEntry | undefined {
  const segments = node.path.split('.');
  let current = ctx.registry.get(`${CORE_SD}${segments[0]}`)?.root;
  for (let i = 1; current && i < segments.length; i++) {
    const name = segments[i]!.replace('[x]', '');
    current = withChildren(current, ctx)?.children.find((c) => c.name === name);
  }
  const holder = current ? withChildren(current, ctx) : undefined;
  return holder?.childByKey.get(key);
}

/** The node whose children an element's content has: a content reference's target, or its datatype's definition. */
function withChildren(node: ElementNode, ctx: RuleContext): ElementNode | undefined {
  const target = node.contentTarget ?? node;
  if (target.children.length > 0 || target.types.length !== 1) return target;
  return ctx.registry.get(`${CORE_SD}${target.types[0]!.code}`)?.root ?? target;
}

/** The definition being walked: the innermost frame (or the node itself) that is the root of a definition. */
function profileOf(node: ElementNode, ctx: RuleContext): { url: string; abstract: boolean } | undefined {
  if (node.owner) return node.owner;
  const frames = ctx.hostFrames();
  for (let i = frames.length - 1; i >= 0; i--) {
    const owner = frames[i]!.node.owner;
    if (owner) return owner;
  }
  return undefined;
}
