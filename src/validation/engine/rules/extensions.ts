/**
 * Extensions (R4 extensibility.html; the reference validator's InstanceValidator.checkExtension): the url
 * is present and absolute (relative only for the sub-extensions of a complex extension) and carries no
 * version; it names a known definition or an allowed domain; modifier extensions sit in modifierExtension
 * and others do not; the definition's context admits the element holding it (extension-context.ts); the
 * value is of a type the definition allows, and a simple extension has a value; then the content is
 * walked against the definition. ext-1 (a value or extensions, not both) is checked on every Extension.
 */
import { INV_EXT_1 } from '../../../plugin-types/index.js';
import { allowUnknownExtension, isKnownExtensionDomain, knownWithoutDefinition } from '../../extension-domains.js';
import type { CompiledProfile, ElementNode } from '../../model.js';
import { clip, isPrimitiveType, readPrimitiveText } from '../../primitives.js';
import type { RuleContext } from '../context.js';
import { checkExtensionContext } from './extension-context.js';
import { checkExtensionStatus } from './definition-status.js';

const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:/i;

/** The path ends `.modifierExtension` or `.modifierExtension[n]` (string tests: a regex scans the whole path). */
function inModifierSlot(path: string): boolean {
  let end = path.length;
  if (path.charCodeAt(end - 1) === 93 /* ] */) {
    const open = path.lastIndexOf('[');
    if (open < 0 || open === end - 2) return false;
    for (let i = open + 1; i < end - 1; i++) {
      const c = path.charCodeAt(i);
      if (c < 48 || c > 57) return false;
    }
    end = open;
  }
  return path.startsWith('.modifierExtension', end - 18);
}

/**
 * Validates an Extension at `path`: `node` is its element definition in the profile being walked (its
 * slot), `def` the definition of its content there (node itself, or the element a content reference
 * names). When `def` has no children the extension's own definition, found by url, gives the content.
 */
export function validateExtension(obj: Record<string, unknown>, path: string, node: ElementNode, def: ElementNode, ctx: RuleContext): void {
  const ext = checkExtensionUse(obj, path, node, ctx);
  if (def.children.length > 0) {
    ctx.validateObject(def, obj, path, 'Extension');
    return;
  }
  const content = ext ?? ctx.registry.get('Extension');
  if (!content) return;
  ctx.validateObject(content.root, obj, path, 'Extension');
  if (ext) ctx.evaluateConstraints(ext.root, obj, path, 'Extension');
}

/** The checks on an extension's url and definition; returns the definition when it is known. */
function checkExtensionUse(obj: Record<string, unknown>, path: string, node: ElementNode, ctx: RuleContext): CompiledProfile | undefined {
  // A number or boolean is read as its text, as the JSON reader keeps it (its wrong kind is reported apart).
  const url = readPrimitiveText(obj.url);
  if (url === undefined || url === '') {
    ctx.report('Extension_EXT_Url_NotFound', 'error', 'invalid', path, 'Extension.url is required in order to identify, use and validate the extension');
    return undefined;
  }
  if (!ABSOLUTE_URL.test(url)) {
    // A sub-extension's url may be relative (it is named by a slice name of its parent's definition): the reference
    // accepts it when the element holding it is an Extension with a url (validateElement's extensionUrl, the
    // parent's url, reaches its direct children only). Under an extension that lost its url it must be absolute.
    const host = ctx.hostObject as { url?: unknown } | undefined;
    const nested = ctx.hostType === 'Extension' && readPrimitiveText(host?.url) !== undefined;
    if (!nested) ctx.report('Extension_EXT_URL_Absolute', 'error', 'invalid', path, 'Extension.url must be an absolute URL');
    else checkSubExtension(url, path, ctx);
    return undefined;
  }
  const bar = url.indexOf('|');
  let ext = definitionOf(bar < 0 ? url : url.slice(0, bar), ctx);
  if (bar >= 0) ext = checkVersionedUrl(url, ext, path, ctx);
  if (!ext) {
    reportUnknown(url, path, ctx);
    return undefined;
  }
  const modifierSlot = inModifierSlot(path);
  if (modifierSlot && !node.isModifier) {
    ctx.report('Extension_EXT_Modifier_MismatchY', 'error', 'structure', path, 'Extension modifier mismatch: the extension element is labelled as a modifier, but the underlying extension is not');
  } else if (!modifierSlot && node.isModifier) {
    ctx.report('Extension_EXT_Modifier_MismatchN', 'error', 'structure', path, 'Extension modifier mismatch: the extension element is not labelled as a modifier, but the underlying extension is');
  }
  checkExtensionContext(ext, obj, path, modifierSlot, ctx);
  checkExtensionStatus(ext.url || (bar < 0 ? url : url.slice(0, bar)), path, ctx);
  if (modifierSlot && !ext.root.isModifier) {
    ctx.report('Extension_EXT_Modifier_Y', 'error', 'structure', path, `The Extension '${clip(url)}' must not be used as a modifierExtension (it's a regular extension)`);
  } else if (!modifierSlot && ext.root.isModifier) {
    ctx.report('Extension_EXT_Modifier_N', 'error', 'structure', path, `The Extension '${clip(url)}' must not be used as an extension (it's a modifierExtension)`);
  }
  checkValueType(obj, ext, url, path, ctx);
  return ext;
}

function definitionOf(url: string, ctx: RuleContext): CompiledProfile | undefined {
  const def = ctx.registry.get(url);
  return def && def.type === 'Extension' ? def : undefined;
}

/**
 * Extension URLs carry no version (R4 Extension.url names the definition). As the reference's checkExtension: a
 * definition found by the part before the '|' is the one meant (an error naming the version, or the version it has);
 * else the whole url is tried, which finds a definition whose own url holds the '|' (the version is ignored and
 * the extension processed against it, still an error). Returns the definition the extension is validated against.
 * The reference's EXT_VER_URL_MISLEADING (the definition found by the part before the '|' has the whole url as its
 * url) cannot arise: a definition is found by its own url.
 */
function checkVersionedUrl(url: string, ext: CompiledProfile | undefined, path: string, ctx: RuleContext): CompiledProfile | undefined {
  if (!ext) {
    const whole = definitionOf(url, ctx);
    if (!whole) {
      ctx.report('EXT_VER_URL_NO_MATCH', 'warning', 'invalid', path, "Extension URLs don't have versions. The validator wasn't able to resolve this URL with or without version-based resolution");
    } else {
      ctx.report('EXT_VER_URL_IGNORE', 'error', 'invalid', path, "Extension URLs don't have versions. The validator has ignored the version and processed the extension anyway");
    }
    return whole;
  }
  if (ext.version !== undefined && url === `${ext.url}|${ext.version}`) {
    ctx.report('EXT_VER_URL_NOT_ALLOWED', 'error', 'invalid', path, 'The extension URL must not contain a version');
  } else {
    ctx.report('EXT_VER_URL_REVERSION', 'error', 'invalid', path, `The extension URL must not contain a version. The extension was validated against version ${clip(ext.version ?? '')} of the extension`);
  }
  return ext;
}

/** An absolute url with no definition: an error unless its domain is allowed (then a hint where only `any` allows it). */
function reportUnknown(url: string, path: string, ctx: RuleContext): void {
  if (knownWithoutDefinition(url, ctx.options.resolveUrls)) return;
  const domains = ctx.options.allowedExtensionDomains ?? [];
  if (!allowUnknownExtension(url, domains)) {
    ctx.report('Extension_EXT_Unknown_NotHere', 'error', 'structure', path, `The extension ${clip(url)} could not be found so is not allowed here`);
  } else if (!isKnownExtensionDomain(url, domains)) {
    ctx.report('Extension_EXT_Unknown', 'information', 'structure', path, `Unknown extension ${clip(url)}`);
  }
}

/**
 * A relative url inside a complex extension names one of its definition's sub-extensions: when the
 * enclosing extension is walked against its own definition, that definition must have a slice for it.
 */
function checkSubExtension(url: string, path: string, ctx: RuleContext): void {
  const frames = ctx.hostFrames();
  const host = frames[frames.length - 1];
  const owner = host?.node.owner;
  if (!host || !owner || owner.type !== 'Extension' || host.value.url !== owner.url) return;
  const slot = host.node.childByKey.get('extension')?.node;
  const defined = slot?.slices.some((s) => s.children.some((c) => c.name === 'url' && c.fixed === url)) ?? false;
  if (!defined) ctx.report('Extension_EXT_SubExtension_Invalid', 'error', 'invalid', path, `Sub-extension url '${clip(url)}' is not defined by the Extension ${clip(owner.url)}`);
}

/** An extension definition's value[x] element and the types it allows (none when it is prohibited). */
interface ValuePlan {
  valueDef: ElementNode | undefined;
  allowed: readonly string[];
}

const valuePlans = new WeakMap<CompiledProfile, ValuePlan>();

function valuePlanOf(ext: CompiledProfile): ValuePlan {
  let plan = valuePlans.get(ext);
  if (!plan) {
    const valueDef = ext.root.children.find((c) => c.name === 'value');
    plan = { valueDef, allowed: valueDef && valueDef.max !== 0 ? valueDef.types.map((t) => t.code) : [] };
    valuePlans.set(ext, plan);
  }
  return plan;
}

/** The value[x] type the definition allows; a simple extension (one that allows a value) must have one. */
function checkValueType(obj: Record<string, unknown>, ext: CompiledProfile, url: string, path: string, ctx: RuleContext): void {
  const { valueDef, allowed: planned } = valuePlanOf(ext);
  const allowed = url === 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type' ? [...planned, 'uri', 'url'] : planned;
  const actual = valueTypeOf(obj);
  if (actual !== undefined) {
    if (!allowed.includes(actual)) ctx.report('Extension_EXT_Type', 'error', 'structure', path, `The Extension '${clip(url)}' definition allows for the types [${allowed.join(', ')}] but found type ${actual}`);
  } else if (Array.isArray(obj.extension) && obj.extension.length > 0) {
    if (valueDef && valueDef.min > 0 && allowed.length > 0) {
      ctx.report('Extension_EXT_Simple_WRONG', 'error', 'structure', path, `The Extension '${clip(url)}' definition is for a simple extension, so it must contain a value, not extensions`);
    }
  } else if (allowed.length > 0) {
    ctx.report('Extension_EXT_Simple_ABSENT', 'error', 'structure', path, `The Extension '${clip(url)}' definition is for a simple extension, so it must contain a value`);
  }
}

/** The type of the extension's value from its property name (`valueString` -> string, `valueQuantity` -> Quantity). */
function valueTypeOf(obj: Record<string, unknown>): string | undefined {
  for (const key in obj) {
    const name = key.startsWith('_value') ? key.slice(1) : key;
    if (!name.startsWith('value') || name.length === 5) continue;
    const tn = name.slice(5);
    const ltn = tn.charAt(0).toLowerCase() + tn.slice(1);
    const primitive = isPrimitiveType(ltn);
    if (!readable(obj[name], obj[`_${name}`], primitive)) continue;
    return primitive ? ltn : tn;
  }
  return undefined;
}

/**
 * Whether the JSON reader keeps a value (json-shape.ts): a complex value must be an object, a primitive a string, number
 * or boolean or an object companion. One of the wrong shape is reported and dropped, so the extension has no value.
 */
function readable(v: unknown, companion: unknown, primitive: boolean): boolean {
  const isObject = (x: unknown) => x !== null && typeof x === 'object' && !Array.isArray(x);
  if (!primitive) return isObject(v);
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || (v == null && isObject(companion));
}

/** ext-1 (`extension.exists() != value.exists()`): a value or extensions, one of them. Run on every Extension object walked. */
export function checkExt1(obj: Record<string, unknown>, path: string, ctx: RuleContext, dropped?: ReadonlySet<string>): void {
  let hasValue = false;
  // A value the JSON reader dropped (the wrong JSON shape, json-shape.ts) is no value: the reference never sees it.
  for (const k in obj) if ((k.startsWith('value') || k.startsWith('_value')) && !dropped?.has(k)) hasValue = true;
  const ext = obj.extension;
  if (hasValue === (Array.isArray(ext) && ext.length > 0 && !dropped?.has('extension'))) {
    ctx.report(INV_EXT_1, 'error', 'invariant', path, "Constraint failed: ext-1: 'Must have either extensions or value[x], not both'");
  }
}
