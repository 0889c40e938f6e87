/**
 * Extensions: the url names a known definition (or an allowed domain), modifier extensions sit in
 * modifierExtension and others do not, the definition's context admits the element holding it (element,
 * extension and FHIRPath contexts, and context invariants), and ext-1 (a value or extensions, not both).
 */
import { INV_EXT_1 } from '../../../plugin-types/index.js';
import { acceptedUnseen } from '../../extension-domains.js';
import type { CompiledProfile } from '../../model.js';
import { clip } from '../../primitives.js';
import type { RuleContext } from '../context.js';
import { IssueLimit } from '../issue-sink.js';

const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:/i;

/** Validates an Extension whose element definition does not spell out its content (the usual case). */
export function validateExtension(obj: Record<string, unknown>, path: string, ctx: RuleContext): void {
  const url = obj.url;
  const base = ctx.registry.get('Extension');
  if (typeof url !== 'string') {
    ctx.report('Extension_EXT_Url_NotFound', 'error', 'invalid', path, 'Extension.url is required in order to identify, use and validate the extension');
    if (base) ctx.validateObject(base.root, obj, path, 'Extension');
    return;
  }
  if (url.includes('|')) {
    ctx.report('EXT_VER_URL_NOT_ALLOWED', 'error', 'invalid', path, 'The extension URL must not contain a version');
  }
  const def = ABSOLUTE_URL.test(url) ? ctx.registry.get(url.split('|')[0]!) : undefined;
  if (!def || def.type !== 'Extension') {
    if (ABSOLUTE_URL.test(url) && !acceptedUnseen(url, ctx.options.allowedExtensionDomains ?? [])) {
      ctx.report('Extension_EXT_Unknown_NotHere', 'error', 'structure', path, `The extension ${clip(url)} could not be found so is not allowed here`);
    }
    if (base) ctx.validateObject(base.root, obj, path, 'Extension');
    return;
  }
  checkExtensionContext(def, path, ctx);
  const modifierSlot = /\.modifierExtension\[\d+\]$/.test(path);
  if (modifierSlot && !def.root.isModifier) ctx.report('Extension_EXT_Modifier_Y', 'error', 'structure', path, `The extension ${clip(def.url)} is not a modifier extension, so it cannot be used in modifierExtension`);
  if (!modifierSlot && def.root.isModifier) ctx.report('Extension_EXT_Modifier_N', 'error', 'structure', path, `The extension ${clip(def.url)} is a modifier extension, so it must be used in modifierExtension`);
  ctx.validateObject(def.root, obj, path, 'Extension');
  ctx.evaluateConstraints(def.root, obj, path, 'Extension');
}

/** ext-1: an extension has a value or extensions, not both. Run on every Extension object walked. */
export function checkExt1(obj: Record<string, unknown>, path: string, ctx: RuleContext): void {
  let hasValue = false;
  for (const k in obj) if (k.startsWith('value') || k.startsWith('_value')) hasValue = true;
  const ext = obj.extension;
  if (hasValue && Array.isArray(ext) && ext.length > 0) {
    ctx.report(INV_EXT_1, 'error', 'invariant', path, "Constraint failed: ext-1: 'Must have either extensions or value[x], not both'");
  }
}

/** The extension definition's context must admit the element holding the extension. */
function checkExtensionContext(def: CompiledProfile, path: string, ctx: RuleContext): void {
  checkContextInvariants(def, path, ctx);
  if (def.context.length === 0) return;
  const cut = path.lastIndexOf('.');
  const hostPath = cut < 0 ? path : path.slice(0, cut);
  const hostElement = hostPath.replace(/\[\d+\]/g, '').replace(/\.ofType\(\w+\)/g, '');
  const hostType = ctx.hostType;
  const isResource = !!ctx.registry.resourceType(hostType);
  const resourceType = ctx.scope?.resource.resourceType;
  for (const c of def.context) {
    if (c.type === 'fhirpath') {
      const head = /^[A-Za-z]+/.exec(c.expression)?.[0];
      if (!head || head === hostType || head === resourceType || !ctx.registry.get(head)) return;
      continue;
    }
    const e = c.expression;
    if (c.type === 'extension') {
      if (hostType === 'Extension') return;
      continue;
    }
    if (e === hostType || e === 'Element' || e === 'Base' || (isResource && (e === 'Resource' || e === 'DomainResource'))) return;
    if (e === hostElement || e === `${hostElement}[x]` || hostElement.endsWith(`.${e}`)) return;
    const dot = e.indexOf('.');
    const parentOfContext = e.slice(e.indexOf('.'), e.lastIndexOf('.'));
    // Tolerate an extension placed on the parent of its context element (a common authoring slip).
    if (dot > 0 && parentOfContext && hostElement.endsWith(parentOfContext) && hostElement !== hostType) return;
    if (dot > 0 && hostElement.endsWith(e.slice(dot))) {
      const ctxType = e.slice(0, dot);
      if (ctxType === hostType || ctxType === resourceType || ctxType === 'Resource' || ctxType === 'DomainResource' || ctx.registry.get(ctxType)?.kind !== 'resource') return;
    }
  }
  const allowed = def.context.map((c) => c.expression).join(', ');
  const rule = /\.modifierExtension\[\d+\]$/.test(path) ? 'Extension_EXTM_Context_Wrong' : 'Extension_EXTP_Context_Wrong';
  ctx.report(rule, 'error', 'structure', hostPath, `The extension ${clip(def.url)} is not allowed to be used at this point (allowed = ${clip(allowed)}; this element is [${hostType}, ${hostElement}])`);
}

function checkContextInvariants(def: CompiledProfile, path: string, ctx: RuleContext): void {
  const ev = ctx.options.invariants;
  if (!ev || def.contextInvariants.length === 0) return;
  const cut = path.lastIndexOf('.');
  const hostPath = cut < 0 ? path : path.slice(0, cut);
  def.contextInvariants.forEach((expression, i) => {
    try {
      const found = ev.evaluate({
        key: `${def.name || 'extension'}-context-${i + 1}`,
        rule: 'Profile_EXT_Not_Here',
        expression,
        severity: 'error',
        human: `The extension ${def.url} is not allowed here: context invariant '${expression}' is not met`,
        node: ctx.hostObject,
        resource: ctx.scope?.resource,
        root: ctx.root,
        path: hostPath,
        elementType: ctx.hostType,
      });
      ctx.addIssues(found, hostPath);
    } catch (e) {
      if (e instanceof IssueLimit) throw e;
    }
  });
}
