import { checkPrimitive, clip, primitiveKind } from '../primitives.js';
import type { CompiledProfile, CompiledType, ElementNode } from '../model.js';
import type { Report, ValidationIssue } from '../../plugin-types/index.js';
import { type BundleScope, openBundle, openParameters } from '../bundle-scope.js';
import type { ProfileRegistry } from '../registry.js';
import type { BindingPass, ResourceScope, RuleContext } from './context.js';
import { IssueLimit, IssueSink } from './issue-sink.js';
import { DEFAULT_MAX_ISSUES, type EngineOptions, MAX_DEPTH } from './options.js';
import { datatypeRulesFor, PRIMITIVE_RULES, resourceRulesFor } from './rule-table.js';
import { checkBinding, flushBaseBindings } from './rules/bindings.js';
import { checkCount, checkRequired, describe, itemsOf, reportUnknownProperty } from './rules/cardinality.js';
import { checkPrimitiveItem } from './primitive-element.js';
import { checkFixedAndPattern } from './rules/datatypes.js';
import { checkExt1, validateExtension } from './rules/extensions.js';
import { evaluateConstraints, invariantArgs } from './rules/invariants.js';
import { checkContained, checkElementId, checkResourceId } from './rules/resource-ids.js';
import { applySlicing } from './rules/slicing.js';
import { inlineResourceProfiles, profilesToApply } from './profiles.js';
import { resolveReference } from './rules/references.js';
import { reportUnknownTypeProfiles, validateTypeProfiles } from './type-profiles.js';
import { applyBundleProfiles } from './bundle-profiles.js';
import { conformsTo, newProbeState, type ProbeState } from './probe.js';
import { FrameStack, type HostFrame } from './frames.js';

const NO_CONTAINED: Map<string, Record<string, unknown>> = new Map();

/**
 * One walk over a resource (and the resources inside it) against compiled profiles: visits every
 * element, checks shape, cardinality and types, and hands each value to the rules registered for it
 * (rule-table.ts). Created per validated resource (cheap); schema data lives in the shared registry.
 * It is the {@link RuleContext} rule modules see.
 */
export class ResourceWalk implements RuleContext {
  private readonly sink: IssueSink;
  depth = 0;
  scope: ResourceScope | undefined;
  bundle: BundleScope | undefined;
  bindingPass: BindingPass | undefined;
  root: unknown;
  /** FHIR type and object whose properties are being walked (the host of any extension met). */
  hostType = '';
  hostObject: unknown = undefined;
  /** The objects being walked, outermost first (extension contexts read them). */
  private readonly frames = new FrameStack();

  constructor(
    readonly registry: ProfileRegistry,
    readonly options: EngineOptions,
  ) {
    this.sink = new IssueSink(options.maxIssues ?? DEFAULT_MAX_ISSUES);
  }

  get issues(): ValidationIssue[] {
    return this.sink.issues;
  }

  // The callbacks handed to rule modules are made on first use: most resources need none of them,
  // and a walk is created for every resource validated.
  private resolveRefFn: ((ref: string) => Record<string, unknown> | undefined) | undefined;
  private lookupFn: ((url: string) => Record<string, unknown> | undefined) | undefined;
  private reportFn: Report | undefined;
  /** One arguments object for every invariant call of the walk (see InvariantEvaluator: it is not kept). */
  private invariantArgsObj: ReturnType<typeof invariantArgs> | undefined;

  get resolveRef(): (ref: string) => Record<string, unknown> | undefined {
    return (this.resolveRefFn ??= (ref) => resolveReference(this.scope, this.bundle, ref));
  }

  get lookup(): (url: string) => Record<string, unknown> | undefined {
    return (this.lookupFn ??= (url) => this.registry.canonical(url));
  }

  get report(): Report {
    return (this.reportFn ??= (rule, severity, code, path, message) => this.sink.add(rule, severity, code, path, message));
  }

  addIssues(found: readonly ValidationIssue[], path: string): void {
    this.sink.addAll(found, path);
  }

  /** Validates a top-level resource against its base definition, meta.profile and `profiles`. */
  validateRoot(value: unknown, profiles: CompiledProfile[]): void {
    this.root = value;
    try {
      this.validateResource(value, undefined, profiles, undefined);
      applyBundleProfiles(this, value);
    } catch (e) {
      if (e instanceof IssueLimit) return;
      if (e instanceof RangeError) {
        this.sink.issues.push({ rule: 'ADSFHIR_TOO_DEEP', severity: 'fatal', code: 'too-costly', expression: '', message: 'The resource is nested too deeply to validate' });
        return;
      }
      throw e;
    }
  }

  // ---------------------------------------------------------------- resources

  /** Validates a resource at `path` (undefined for the root) against its type and `profiles`. */
  validateResource(value: unknown, path: string | undefined, profiles: CompiledProfile[], allowedTypes: string[] | undefined): void {
    const where = path ?? '';
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.report('This_property_must_be_an_object_not_', 'error', 'structure', where || 'Resource', `A resource must be a JSON object, not ${describe(value)}`);
      return;
    }
    const obj = value as Record<string, unknown>;
    const rt = obj.resourceType;
    if (typeof rt !== 'string') {
      this.report('Unable_to_find_resourceType_property', 'error', 'structure', where || 'Resource', 'The resource has no resourceType property, so its type cannot be determined');
      return;
    }
    const base = this.registry.resourceType(rt);
    if (!base || base.abstract) {
      this.report('Validation_VAL_Profile_NoDefinition', 'error', 'structure', where || rt, `Unknown resource type '${clip(rt)}'`);
      return;
    }
    if (allowedTypes && allowedTypes.length && !allowedTypes.includes(rt) && !allowedTypes.includes('Resource') && !allowedTypes.includes('DomainResource')) {
      this.report('Bundle_BUNDLE_Entry_Type', 'error', 'informational', where || rt, `The type '${clip(rt)}' is not valid - no resources allowed here (allowed = ${allowedTypes.join(', ')})`);
    }
    const rpath = path ?? rt;
    const scope: ResourceScope = { resource: obj, localRefs: undefined, elementIds: undefined, contained: NO_CONTAINED, parent: this.scope };
    if (Array.isArray(obj.contained)) {
      scope.contained = new Map();
      for (const c of obj.contained) {
        if (c && typeof c === 'object' && typeof (c as { id?: unknown }).id === 'string') scope.contained.set((c as { id: string }).id, c as Record<string, unknown>);
      }
    }
    const savedBundle = this.bundle;
    if (rt === 'Bundle') this.bundle = openBundle(obj, rpath, this.bundle);
    else if (rt === 'Parameters') this.bundle = openParameters(obj, rpath, this.bundle);
    this.scope = scope;
    const savedPass = this.bindingPass;
    const pass: BindingPass = { mode: 'direct' };
    this.bindingPass = pass;
    try {
      checkResourceId(obj, rpath, this);
      const targets = profilesToApply(obj, rt, rpath, base, profiles, this);
      // A top-level resource validated against profiles (asked for or in meta.profile) needs no
      // separate pass against its base: each profile's snapshot carries the base's rules as narrowed
      // (a binding replaced, ...). A resource inside another is checked against its type as well.
      const skipBase = path === undefined && targets.some((p) => p !== base && p.type === rt);
      for (const p of targets) {
        if (p === base && skipBase) continue;
        if (p !== base && p.type !== rt) {
          this.report('Validation_VAL_Profile_WrongType', 'error', 'structure', rpath, `The profile ${p.url} is for ${p.type} resources, not ${rt}`);
          continue;
        }
        pass.mode = targets.length === 1 ? 'direct' : p === base ? 'base' : 'profile';
        // A resource inside another is checked against its own type and then each profile named for
        // it: a rule both break is a finding of each, so the profile's findings name the profile.
        const saved = this.sink.suffix;
        if (p !== base && path !== undefined) this.sink.suffix = `${saved} (from ${p.url})`;
        try {
          this.validateObject(p.root, obj, rpath, rt, true);
          this.evaluateConstraints(p.root, obj, rpath, rt);
        } finally {
          this.sink.suffix = saved;
        }
      }
      pass.mode = 'direct';
      flushBaseBindings(pass, this);
      checkContained(obj, rpath, scope, this);
      for (const rule of resourceRulesFor(rt)) rule(obj, rpath, this);
    } finally {
      this.bindingPass = savedPass;
      this.scope = scope.parent;
      if (scope.parent && scope.localRefs) for (const r of scope.localRefs) (scope.parent.localRefs ??= new Set()).add(r);
      this.bundle = savedBundle;
    }
  }

  hasContained(): boolean {
    for (let s = this.scope; s; s = s.parent) if (s.contained.size > 0) return true;
    return false;
  }

  addLocalRef(id: string): void {
    if (this.scope) (this.scope.localRefs ??= new Set()).add(id);
  }

  // ---------------------------------------------------------------- objects

  /** Walks a JSON object against the children of `node`; `type` is the object's FHIR type. */
  validateObject(node: ElementNode, value: unknown, path: string, type: string, isResource = false): void {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.report('This_property_must_be_an_object_not_', 'error', 'structure', path, `The property must be a JSON object, not ${describe(value)}`);
      return;
    }
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      this.report('ADSFHIR_TOO_DEEP', 'error', 'too-costly', path, `Elements are nested more than ${MAX_DEPTH} levels deep; deeper content was not validated`);
      return;
    }
    const savedHost = this.hostType;
    const savedObject = this.hostObject;
    this.hostType = type;
    this.hostObject = value;
    this.frames.push(path, type, node, isResource, value as Record<string, unknown>);
    try {
      this.walkProperties(node, value as Record<string, unknown>, path, type, isResource);
    } finally {
      this.frames.pop();
      this.hostType = savedHost;
      this.hostObject = savedObject;
      this.depth--;
    }
  }

  hostFrames(): readonly HostFrame[] {
    return this.frames.list();
  }

  private walkProperties(node: ElementNode, obj: Record<string, unknown>, path: string, type: string, isResource: boolean): void {
    let nKeys = 0;
    let choiceSeen: Map<ElementNode, string> | undefined;
    // Walk the properties present (few) rather than every child the definition allows (many).
    const keys = Object.keys(obj);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      nKeys++;
      if (isResource && key === 'resourceType') continue;
      const isUnderscore = key.charCodeAt(0) === 95;
      const entry = node.childByKey.get(isUnderscore ? key.slice(1) : key);
      if (!entry || (isUnderscore && !entry.type?.primitive)) {
        const excluded = reportUnknownProperty(node, key, isUnderscore, path, this);
        if (excluded) (choiceSeen ??= new Map()).set(excluded, key);
        continue;
      }
      if (isUnderscore && obj[entry.key] !== undefined) continue; // handled with its value
      if (entry.node.isChoice) {
        choiceSeen ??= new Map();
        const prev = choiceSeen.get(entry.node);
        if (prev !== undefined) {
          if (prev !== entry.key) this.report('ADSFHIR_CHOICE_TWICE', 'error', 'structure', path, `Only one of ${prev} and ${entry.key} may be present: they are choices of ${entry.node.path}`);
          continue;
        }
        choiceSeen.set(entry.node, entry.key);
      }
      this.validateChild(entry.node, entry.type, entry.key, entry.ukey, obj, path);
    }
    if (nKeys === 0 && !isResource) this.report('Object_must_have_some_content', 'error', 'structure', path, 'Object must have some content');
    if (!isResource) checkElementId(obj, path, type, this);
    checkRequired(node, obj, path, choiceSeen, this);
    if (type === 'Extension') checkExt1(obj, path, this);
  }

  // ---------------------------------------------------------------- children

  /** Validates the value(s) of property `key` (and its `_key` companion) of `obj` against `child`. */
  validateChild(child: ElementNode, t: CompiledType | undefined, key: string, ukey: string, obj: Record<string, unknown>, path: string): void {
    const code = t?.code ?? '';
    const primitive = t?.primitive === true;
    const raw = obj[key];
    if (!child.isArray && !child.slicing && raw !== undefined && raw !== null && !Array.isArray(raw) && (!primitive || obj[ukey] === undefined)) {
      // The common case: one value, no companion, no slicing. Same checks as below without the arrays.
      if (child.max === 0 || child.min > 1) checkCount(child, 1, path, this);
      if (child.max === 0) return;
      this.validateValue(child, t, raw, child.isChoice ? `${path}.${child.name}.ofType(${code})` : `${path}.${child.name}`);
      return;
    }
    const ext = primitive ? obj[ukey] : undefined;
    const exprName = child.isChoice ? `${child.name}.ofType(${code})` : child.name;
    // Normalise to parallel item lists, checking array-ness as the definition demands.
    const values = itemsOf(child, raw, key, path, this);
    const exts = ext === undefined ? undefined : itemsOf(child, ext, ukey, path, this);
    if (!values && !exts) return;
    const n = Math.max(values?.length ?? 0, exts?.length ?? 0);
    if (n === 0) return;
    checkCount(child, n, path, this);
    if (child.max === 0) return;
    const items: unknown[] = new Array(n);
    const itemPaths: string[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const itemPath = child.isArray ? `${path}.${exprName}[${i}]` : `${path}.${exprName}`;
      itemPaths[i] = itemPath;
      const v = values?.[i];
      items[i] = v;
      if (primitive) checkPrimitiveItem(this, child, code, v, exts?.[i], itemPath);
    }
    const assigned = child.slicing ? applySlicing(child, items, itemPaths, path, t, this) : undefined;
    for (let i = 0; i < n; i++) {
      const v = items[i];
      if (v === undefined || (primitive && v === null)) continue;
      const slice = assigned?.[i];
      this.validateValue(slice ?? child, t, v, itemPaths[i]!);
      // An item in a slice must also meet the sliced element's own constraints when the profile set any.
      if (slice && child.children.length > 0) this.validateValue(child, t, v, itemPaths[i]!);
    }
  }

  // ---------------------------------------------------------------- values

  private validateValue(node: ElementNode, t: CompiledType | undefined, v: unknown, path: string): void {
    const def = node.contentTarget ?? (node.contentReference && node.children.length === 0 ? this.registry.contentTarget(node.contentReference) ?? node : node);
    const code = t?.code ?? '';
    if (t?.primitive) {
      this.validatePrimitive(node, code, v, path);
      return;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      this.report('This_property_must_be_an_object_not_', 'error', 'structure', path, `The property must be a JSON object, not ${describe(v)}`);
      return;
    }
    const obj = v as Record<string, unknown>;
    if (code === 'Resource' || (code && this.registry.resourceType(code))) {
      const { profiles, allowed } = inlineResourceProfiles(node, t, obj, path, this);
      this.validateResource(obj, path, profiles, allowed);
      return;
    }
    reportUnknownTypeProfiles(node.types.find((x) => x.code === code) ?? t, path, this);
    if (code === 'Extension') {
      // The extension's own definition (found by its url) decides its content unless `def` spells it out.
      validateExtension(obj, path, node, def, this);
    } else if (def.children.length > 0) {
      this.validateObject(def, obj, path, code);
    } else if (code) {
      const typeDef = this.registry.get(code);
      if (typeDef) {
        this.validateObject(typeDef.root, obj, path, code);
        this.evaluateConstraints(typeDef.root, obj, path, code);
      } else this.validateObject(def, obj, path, code);
      if (t && code !== 'Extension') validateTypeProfiles(t, obj, path, code, typeDef, this);
    }
    checkFixedAndPattern(obj, path, def, this);
    for (const rule of datatypeRulesFor(code)) rule(obj, path, def, this, t);
    if (def.binding && this.options.terminology && (code === 'CodeableConcept' || code === 'Coding' || code === 'Quantity')) {
      checkBinding(def, obj, path, this);
    }
    this.evaluateConstraints(def, obj, path, code);
  }

  validatePrimitive(node: ElementNode, code: string, v: unknown, path: string): void {
    if (v === null || v === undefined) return;
    const kind = primitiveKind(code);
    if (typeof v !== kind) {
      this.report(`Error_parsing_JSON_the_primitive_value_must_be_a_${kind}`, 'error', 'invalid', path, `Error parsing JSON: the primitive value must be a ${kind}, not ${describe(v)}`);
      return;
    }
    const problem = checkPrimitive(code, v as string | number | boolean);
    if (problem) {
      this.report(problem.rule, 'error', 'invalid', path, problem.message.charAt(0).toUpperCase() + problem.message.slice(1));
      return;
    }
    for (let i = 0; i < PRIMITIVE_RULES.length; i++) PRIMITIVE_RULES[i]!(v as string | number | boolean, code, path, node, this);
    if (node.binding && this.options.terminology && (code === 'code' || code === 'string' || code === 'uri') && !this.namesLogicalModelType(node)) {
      checkBinding(node, v as string, path, this);
    }
    if (node.constraints.length) this.evaluateConstraints(node, v, path, code);
  }

  /** A logical model's type is a name of its own, outside the FHIR types its binding lists by design. */
  private namesLogicalModelType(node: ElementNode): boolean {
    return node.path === 'StructureDefinition.type' && this.scope?.resource.resourceType === 'StructureDefinition' && this.scope.resource.kind === 'logical';
  }

  evaluateConstraints(node: ElementNode, value: unknown, path: string, elementType: string): void {
    if (!this.options.invariants || node.constraints.length === 0) return;
    evaluateConstraints(node, value, path, elementType, this, (this.invariantArgsObj ??= invariantArgs()));
  }

  /** Appended to messages while findings are attributed to one candidate profile (see validateTypeProfiles). */
  get messageSuffix(): string {
    return this.sink.suffix;
  }

  set messageSuffix(suffix: string) {
    this.sink.suffix = suffix;
  }

  // ---------------------------------------------------------------- profile conformance probes

  /** Verdicts and circular-reference guard shared by this walk and the probes it starts. */
  probeState: ProbeState | undefined;

  conformsTo(v: unknown, canonical: string): boolean {
    return conformsTo(this, (this.probeState ??= newProbeState()), v, canonical);
  }
}
