/**
 * Can this extension be used here? The definition's contexts of use (StructureDefinition.context, R4
 * extensibility.html "Defining Extensions") against the element holding the extension, as the reference
 * validator checks them (InstanceValidator.checkExtensionContext and fixContexts):
 * - `element` contexts name element paths or types; they match the host's definition paths (so a
 *   content-reference element matches the element it refers to), its types and their base types;
 *   `Element`/`Any` match anything and `Resource` any resource; `url#path` contexts name a profile;
 * - `extension` contexts name the extension the host is (or whose value the host is);
 * - `fhirpath` contexts select the elements where the extension may be, from the resource;
 * - context invariants (FHIRPath on the host) must then hold.
 */
import type { CompiledProfile } from '../../model.js';
import { clip } from '../../primitives.js';
import type { RuleContext } from '../context.js';
import { IssueLimit } from '../issue-sink.js';
import { CORE_SD } from '../options.js';
import { fhirPathSelects } from './extension-fhirpath.js';
import { type ExtensionHost, extensionHost } from './extension-host.js';

interface ExtensionContext {
  type: string;
  expression: string;
}

/** Definition paths where every extension is allowed: examples, fixed and pattern values (EXTENSION_CONTEXT_LIST). */
const ANY_EXTENSION_HERE = new Set(['ElementDefinition.example.value', 'ElementDefinition.pattern', 'ElementDefinition.fixed']);

/** R4 canonical resources, and the R5 ones R4 carries as cross-version (VersionUtilities.getExtendedCanonicalResourceNames). */
const CANONICAL_RESOURCES = new Set(
  (
    'ActivityDefinition CapabilityStatement ChargeItemDefinition CodeSystem CompartmentDefinition ConceptMap EffectEvidenceSynthesis ' +
    'EventDefinition Evidence EvidenceVariable ExampleScenario GraphDefinition ImplementationGuide Library Measure MessageDefinition ' +
    'NamingSystem OperationDefinition PlanDefinition Questionnaire ResearchDefinition ResearchElementDefinition RiskEvidenceSynthesis ' +
    'SearchParameter StructureDefinition StructureMap TerminologyCapabilities TestScript ValueSet ActorDefinition Requirements SubscriptionTopic TestPlan'
  ).split(' '),
);

/**
 * The reference's adjustments to published contexts (fixContexts): definitions whose stated context is
 * narrower than where the specification itself uses them.
 */
export function fixContexts(url: string, contexts: readonly ExtensionContext[]): ExtensionContext[] {
  const list = contexts.map((c) => ({ ...c }));
  const first = list[0];
  if (url === `${CORE_SD}structuredefinition-fhir-type` && first) first.expression = 'ElementDefinition.type';
  // FHIR-13328: regex is specified on ElementDefinition, but the specification's definitions put it on ElementDefinition.type.
  if (url === `${CORE_SD}regex`) list.push({ type: 'element', expression: 'ElementDefinition.type' });
  // Used on most kinds of element; the list of places is too long to state.
  if (url === `${CORE_SD}structuredefinition-normative-version` && first) first.expression = 'Element';
  // Before R5 these two are used on many CapabilityStatement elements their context does not list.
  if ((url === `${CORE_SD}capabilitystatement-expectation` || url === `${CORE_SD}capabilitystatement-prohibited`) && first) first.expression = 'Element';
  return list;
}

/** True when one of `paths` is the element path `en` (a `[x]` step of `en` matches `name.ofType(T)`) (hasElementName). */
function hasElementName(paths: readonly string[], en: string): boolean {
  const ep = en.split('.');
  for (const s of paths) {
    if (s === en) return true;
    const sp = s.split('.');
    let si = 0;
    let ei = 0;
    let mismatch = false;
    while (si < sp.length && ei < ep.length) {
      const ps = sp[si]!;
      const pe = ep[ei]!;
      if (ps !== pe) {
        if (pe.endsWith('[x]') && ps === pe.slice(0, -3) && si < sp.length - 1 && sp[si + 1]!.startsWith('ofType(')) si++;
        else mismatch = true;
      }
      si++;
      ei++;
    }
    if (!mismatch && si === sp.length && ei === ep.length) return true;
  }
  return false;
}

/** True when a path of the host, read with its first step replaced by that type's base types, is `en`. */
function matchesThroughBaseTypes(paths: readonly string[], en: string, ctx: RuleContext): boolean {
  for (const p of paths) {
    if (p === en) return true;
    const dot = p.indexOf('.');
    const head = dot < 0 ? p : p.slice(0, dot);
    const rest = dot < 0 ? '' : p.slice(dot);
    const seen = new Set<string>();
    for (let sd = ctx.registry.get(head); sd && !seen.has(sd.url); sd = sd.baseDefinition ? ctx.registry.get(sd.baseDefinition) : undefined) {
      seen.add(sd.url);
      if (sd.type + rest === en) return true;
    }
  }
  return false;
}

/** Resources being checked against a context's profile, so a resource's own extensions do not recurse. */
const checkingProfile = new WeakMap<object, Set<string>>();

/** An `url#path` context: does the resource conform to that profile (checkConformsToProfile)? */
function conformsToContextProfile(profileUrl: string, def: CompiledProfile, expression: string, host: ExtensionHost, ctx: RuleContext): boolean {
  const resource = ctx.scope?.resource;
  if (!resource) return true;
  const rt = String(resource.resourceType);
  if (profileUrl === `${CORE_SD}${rt}`) return true;
  const sd = ctx.registry.get(profileUrl);
  if (!sd) {
    ctx.report('EXTENSION_CONTEXT_UNABLE_TO_FIND_PROFILE', 'error', 'unknown', host.path, `The extension ${clip(def.url)} specifies a context of ${clip(expression)} but the validator cannot find that profile`);
    return false;
  }
  if (sd.type !== rt) {
    ctx.report('EXTENSION_CONTEXT_UNABLE_TO_CHECK_PROFILE', 'warning', 'unknown', host.path, `The extension ${clip(def.url)} specifies a context of ${clip(expression)} but the validator cannot check whether the profile is valid or not at this time`);
    return true;
  }
  const busy = checkingProfile.get(resource);
  if (busy?.has(profileUrl)) return true;
  const set = busy ?? new Set<string>();
  if (!busy) checkingProfile.set(resource, set);
  set.add(profileUrl);
  try {
    return ctx.conformsTo(resource, profileUrl);
  } finally {
    set.delete(profileUrl);
  }
}

/** An `element` context: a type or path, optionally `profile#path`. */
function elementContextMatches(expression: string, def: CompiledProfile, host: ExtensionHost, ctx: RuleContext): boolean {
  const hash = expression.indexOf('#');
  const profileUrl = hash >= 0 ? expression.slice(0, hash) : undefined;
  const en = hash >= 0 ? expression.slice(hash + 1) : expression;
  if (en === 'Element' || en === 'Any') return true;
  if (en === 'Resource' && host.isResource) return true;
  if (en === 'CanonicalResource' && host.paths.some((p) => CANONICAL_RESOURCES.has(p))) return true;
  if (!profileUrl && hasElementName(host.paths, en)) return true;
  if (profileUrl !== undefined && !conformsToContextProfile(profileUrl, def, expression, host, ctx)) return false;
  return matchesThroughBaseTypes(host.paths, en, ctx);
}

/** The extension the host is, or whose value the host is: what an `extension` context names. */
function hostExtensionUrl(host: ExtensionHost, ctx: RuleContext): string | undefined {
  if (host.name.startsWith('value')) {
    const parentUrl = host.parent?.url;
    return host.parent && typeof parentUrl === 'string' && isExtensionValue(host) ? parentUrl : undefined;
  }
  const own = ctx.hostObject;
  const url = own && typeof own === 'object' ? (own as { url?: unknown }).url : undefined;
  return typeof url === 'string' ? url : undefined;
}

/** The host is the value[x] of an Extension (its path ends `extension[n].value...`). */
function isExtensionValue(host: ExtensionHost): boolean {
  return /(?:^|\.)(?:extension|modifierExtension)(?:\[\d+\])?\.value[A-Za-z]*(?:\.ofType\([^)]*\))?$/.test(host.path);
}

/**
 * Checks the definition's contexts and context invariants for the extension at `extensionPath`;
 * reports Extension_EXTP/EXTM_Context_Wrong or Profile_EXT_Not_Here at the host.
 */
export function checkExtensionContext(def: CompiledProfile, extension: Record<string, unknown>, extensionPath: string, modifier: boolean, ctx: RuleContext): void {
  const { contexts, anywhere } = contextsOf(def);
  // The common case, an extension allowed on any element: nothing to work out about the host but Resource.id.
  if (anywhere && !onAnId(extensionPath)) {
    if (def.contextInvariants.length > 0) checkContextInvariants(def, extension, extensionPath.slice(0, extensionPath.lastIndexOf('.')), ctx);
    return;
  }
  const host = extensionHost(ctx.hostFrames(), extensionPath, ctx.hostType);
  if (!host) return;
  if (host.name === 'id' && host.parentIsResource) {
    ctx.report('FHIR_RESOURCE_ID_CANT_BE_EXTENDED', 'error', 'business-rule', host.path, `Extensions are not allowed on Resource.id ('${clip(def.url)}')`);
    return;
  }
  if (host.logicalPaths.some((p) => ANY_EXTENSION_HERE.has(p))) return;
  let ok = false;
  for (const c of contexts) {
    if (c.type === 'element') {
      if (!c.expression) continue;
      ok = elementContextMatches(c.expression, def, host, ctx);
    } else if (c.type === 'extension') {
      ok = hostExtensionUrl(host, ctx) === c.expression;
    } else if (c.type === 'fhirpath') {
      const resource = ctx.scope?.resource;
      // An expression that cannot be evaluated is not held against the instance.
      ok = resource ? fhirPathSelects(c.expression, resource, ctx.root, ctx.hostObject) ?? true : true;
    } else {
      // R4 binds context.type to fhirpath | element | extension: anything else is a broken definition.
      ctx.report('Unrecognised_extension_context_', 'error', 'exception', host.path, `Unrecognized extension context ${clip(String(c.type))}`);
      return;
    }
    if (ok) break;
  }
  if (!ok) {
    reportWrongContext(def, contexts, host, modifier, ctx);
    return;
  }
  checkContextInvariants(def, extension, host.path, ctx);
}

/** Extension_EXTP/EXTM_Context_Wrong: what the host is and what every context allows (worked out only when reported). */
function reportWrongContext(def: CompiledProfile, contexts: readonly ExtensionContext[], host: ExtensionHost, modifier: boolean, ctx: RuleContext): void {
  const plist = [...host.paths];
  const described: string[] = [];
  for (const c of contexts) {
    if (c.type === 'element') {
      if (c.expression) described.push(`e:${c.expression}`);
    } else if (c.type === 'extension') {
      described.push(`x:${c.expression}`);
      const url = hostExtensionUrl(host, ctx);
      if (url !== undefined) plist.push(url);
    } else if (c.type === 'fhirpath') described.push(`p:${c.expression}`);
  }
  const name = def.version ? `${def.url} v${def.version}` : def.url;
  if (modifier) {
    ctx.report('Extension_EXTM_Context_Wrong', 'error', 'structure', host.path, `The modifier extension ${clip(name)} is not allowed to be used at this point (this element is [${plist.join(', ')}]; allowed = ${described.join(', ')})`);
  } else {
    ctx.report('Extension_EXTP_Context_Wrong', 'error', 'structure', host.path, `The extension ${clip(name)} is not allowed to be used at this point (this element is [${plist.join(', ')}]; allowed for this version = ${described.join(', ')})`);
  }
}

/** The definition's contexts as the reference reads them, and whether one allows any element. */
interface ContextPlan {
  contexts: ExtensionContext[];
  anywhere: boolean;
}

const adjusted = new WeakMap<CompiledProfile, ContextPlan>();

/** The definition's contexts as the reference reads them (made once per definition). */
function contextsOf(def: CompiledProfile): ContextPlan {
  let plan = adjusted.get(def);
  if (!plan) {
    const contexts = fixContexts(def.url, def.context);
    adjusted.set(def, (plan = { contexts, anywhere: contexts.some(isAnywhere) }));
  }
  return plan;
}

/** The extension sits on an `id` (`….id.extension` or `….id.extension[n]`): string tests, as a regex scans the whole path. */
function onAnId(extensionPath: string): boolean {
  if (extensionPath.endsWith('.id.extension')) return true;
  const at = extensionPath.lastIndexOf('.id.extension[');
  if (at < 0 || !extensionPath.endsWith(']')) return false;
  const digits = extensionPath.slice(at + 14, -1);
  return digits.length > 0 && /^\d+$/.test(digits);
}

function isAnywhere(c: ExtensionContext): boolean {
  return c.type === 'element' && (c.expression === 'Element' || c.expression === 'Any');
}

/** StructureDefinition.contextInvariant: FHIRPath on the host; the first that fails is reported. */
/**
 * StructureDefinition.contextInvariant: evaluated on the element holding the extension, with `%extension` the extension
 * itself (as the definitions use it: `%extension.valueInteger = 1`).
 */
function checkContextInvariants(def: CompiledProfile, extension: Record<string, unknown>, hostPath: string, ctx: RuleContext): void {
  const ev = ctx.options.invariants;
  if (!ev || def.contextInvariants.length === 0) return;
  const name = def.version ? `${def.url} v${def.version}` : def.url;
  for (let i = 0; i < def.contextInvariants.length; i++) {
    const expression = def.contextInvariants[i]!;
    try {
      const found = ev.evaluate({
        key: `${def.name || 'extension'}-context-${i + 1}`,
        rule: 'Profile_EXT_Not_Here',
        expression,
        severity: 'error',
        human: `The extension ${name} is not allowed to be used at this point (based on context invariant '${expression}')`,
        node: ctx.hostObject,
        resource: ctx.scope?.resource,
        root: ctx.root,
        path: hostPath,
        elementType: ctx.hostType,
        extension,
      });
      if (found.length > 0) {
        ctx.addIssues(found, hostPath);
        return;
      }
    } catch (e) {
      if (e instanceof IssueLimit) throw e;
    }
  }
}
