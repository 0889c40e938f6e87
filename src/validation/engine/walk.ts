import { clip } from '../primitives.js';
import type { CompiledProfile, CompiledType, ElementNode } from '../model.js';
import type { Report, ValidationIssue } from '../../plugin-types/index.js';
import { type BundleScope, openBundle, openParameters } from '../bundle-scope.js';
import type { ProfileRegistry } from '../registry.js';
import { type BindingPass, openResourceScope, type ResourceScope, type RuleContext } from './context.js';
import { IssueLimit, IssueSink } from './issue-sink.js';
import { DEFAULT_MAX_ISSUES, type EngineOptions, MAX_DEPTH } from './options.js';
import { resourceRulesFor } from './rule-table.js';
import { definitionOf, valueType, valueTypesOf, type ValueType } from './value-types.js';
import { bindingPassMode, checkValueTerminology, flushBaseBindings } from './rules/bindings.js';
import { checkRequired, describe, reportUnknownProperty } from './rules/cardinality.js';
import { validatePrimitiveValue } from './primitive-element.js';
import { checkFixedAndPattern } from './rules/datatypes.js';
import { checkExt1, validateExtension } from './rules/extensions.js';
import { evaluateConstraints, invariantArgs } from './rules/invariants.js';
import { ReaderView } from './reader-view.js';
import { validateChildValues } from './child-values.js';
import { checkContained, checkElementId, checkResourceId } from './rules/resource-ids.js';
import { inlineResourceProfiles, profilesToApply } from './profiles.js';
import { resolveReference } from './rules/references.js';
import { reportUnknownTypeProfiles, validateTypeProfiles } from './type-profiles.js';
import { applyBundleProfiles } from './bundle-profiles.js';
import { conformsTo, newProbeState, profileFindings, type ProbeState } from './probe.js';
import { FrameStack, type HostFrame } from './frames.js';
import { inheritsFromOther, objectPrototypeHasEnumerableKeys } from './own-keys.js';
import { readerPath } from './reader-findings.js';
import type { HeldResources } from './root-cause.js';
import type { NumberTexts } from '../../format/json-number-texts.js';

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
  /** The texts of the numbers of the JSON text validated, as written (undefined when validating a parsed value). */
  numberTexts: NumberTexts | undefined = undefined;
  /** The objects being walked, outermost first (extension contexts read them). */
  private readonly frames = new FrameStack();
  /** Object.prototype has enumerable keys (someone added some): objects are then read by their own keys only. */
  private readonly inheritedKeys = objectPrototypeHasEnumerableKeys();
  private readonly valueTypes: Map<string, ValueType>;

  constructor(
    readonly registry: ProfileRegistry,
    readonly options: EngineOptions,
  ) {
    this.sink = new IssueSink(options.maxIssues ?? DEFAULT_MAX_ISSUES);
    this.valueTypes = valueTypesOf(registry);
  }

  get issues(): ValidationIssue[] {
    return this.sink.issues;
  }

  /** Makes this a walk that only decides whether a value conforms: it stops at the first error. */
  stopAtFirstError(): void {
    this.sink.stopAtError = true;
  }

  /** A profile probe does not count what the JSON reader reports (reader-findings.ts). */
  ignoreReaderFindings(): void {
    this.sink.ignoreReaderFindings = true;
  }

  // The callbacks handed to rule modules are made on first use: most resources need none of them,
  // and a walk is created for every resource validated.
  private resolveRefFn: ((ref: string) => Record<string, unknown> | undefined) | undefined;
  private lookupFn: ((url: string) => Record<string, unknown> | undefined) | undefined;
  private reportFn: Report | undefined;
  /** What the JSON reader dropped for its shape or kept as text (reader-view.ts); made on first use, as rare. */
  private readerView: ReaderView | undefined;
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

  reportCount(sameAs: string, rule: string, path: string, message: string): void {
    this.sink.add(rule, 'error', 'structure', path, message, this.options.reportConsequences ? undefined : sameAs);
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
    if (rt !== undefined && typeof rt !== 'string') {
      // The JSON reader's own finding (fatal there, an error here as for a missing resourceType): the reading stops.
      const kind = rt === null ? 'Null' : Array.isArray(rt) ? 'Array' : typeof rt === 'object' ? 'Object' : typeof rt === 'number' ? 'Number' : 'Boolean';
      this.report('RESOURCETYPE_PROPERTY_WRONG_TYPE', 'error', 'invalid', where || 'Resource', `The JSON element 'resourceType' has the wrong JSON type: ${kind}`);
      return;
    }
    if (typeof rt !== 'string') {
      this.report('Unable_to_find_resourceType_property', 'error', 'structure', where || 'Resource', 'The resource has no resourceType property, so its type cannot be determined');
      return;
    }
    const base = this.registry.resourceType(rt);
    if (!base && !this.registry.get(`http://hl7.org/fhir/StructureDefinition/${rt}`)) {
      // A name with no definition at all: the reference's JSON reader stops reading the resource (fatal), at the
      // name for the root, at the resource's place for a nested one.
      if (path === undefined) this.sink.issues.push({ rule: 'This_does_not_appear_to_be_a_FHIR_resource_unknown_name_', severity: 'fatal', code: 'structure', expression: rt, message: `This content cannot be parsed (unknown or unrecognized resource name '${clip(rt)}')` });
      else this.sink.issues.push({ rule: 'Contained_resource_does_not_appear_to_be_a_FHIR_resource_unknown_name_', severity: 'fatal', code: 'invalid', expression: path, message: `Contained resource does not appear to be a FHIR resource (unknown name '${clip(rt)}')` });
      return;
    }
    if (!base || base.abstract) {
      this.report('Validation_VAL_Profile_NoDefinition', 'error', 'structure', where || rt, `Unknown resource type '${clip(rt)}'`);
      return;
    }
    if (allowedTypes && allowedTypes.length && !allowedTypes.includes(rt) && !allowedTypes.includes('Resource') && !allowedTypes.includes('DomainResource')) {
      this.report('Bundle_BUNDLE_Entry_Type', 'error', 'informational', where || rt, `The type '${clip(rt)}' is not valid - no resources allowed here (allowed = ${allowedTypes.join(', ')})`);
    }
    const rpath = path ?? rt;
    const scope = openResourceScope(obj, this.scope);
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
      // With `reportConsequences` it is walked against its base as well, as the reference validator does: each
      // definition's count findings are its own (they name the profile they come from).
      const skipBase = path === undefined && !this.options.reportConsequences && targets.some((p) => p !== base && p.type === rt);
      // A walk that only decides conformance (it stops at the first error) tries the profiles asked for first.
      const order = this.sink.stopAtError && profiles.length ? [...profiles.filter((p) => targets.includes(p)), ...targets.filter((p) => !profiles.includes(p))] : targets;
      for (const p of order) {
        if (p === base && skipBase) continue;
        if (p !== base && p.type !== rt) {
          this.report('Validation_VAL_Profile_WrongType', 'error', 'structure', rpath, `The profile ${p.url} is for ${p.type} resources, not ${rt}`);
          continue;
        }
        pass.mode = bindingPassMode(pass, p === base, targets.length, path === undefined && profiles.some((q) => q.type === rt));
        // A resource inside another is checked against its own type and then each profile named for
        // it. A rule both break is one finding (the sink keeps one issue per location and message),
        // except cardinality, whose message names the profile it comes from, as the reference's does.
        const savedProfile = this.passProfile;
        this.passProfile = p !== base && (path !== undefined || !skipBase) ? p.url : undefined;
        try {
          this.validateObject(p.root, obj, rpath, rt, true);
          this.evaluateConstraints(p.root, obj, rpath, rt);
        } finally {
          this.passProfile = savedProfile;
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
    /** Properties present in the JSON whose values were all dropped for their shape: they count as absent. */
    let dropped: Set<string> | undefined;
    // Walk the properties present (few) rather than every child the definition allows (many). With for-in rather
    // than Object.keys, `obj[key]` in the loop reads the value by the object's own layout instead of looking the
    // name up, which misses the engine's caches over the many shapes of FHIR objects. Where for-in would also give
    // inherited keys, only the object's own are read, as Object.keys gives them.
    const ownOnly = this.inheritedKeys || inheritsFromOther(obj);
    // Most objects have no `_x` companion and no id: known from the keys, rather than looked up per property.
    let companions = false;
    let hasId = false;
    for (const key in obj) {
      if (ownOnly && !Object.hasOwn(obj, key)) continue;
      const c = key.charCodeAt(0);
      if (c === 95 /* _ */) companions = true;
      else if (c === 105 /* i */ && key === 'id') hasId = true;
    }
    for (const key in obj) {
      if (ownOnly && !Object.hasOwn(obj, key)) continue;
      const value = obj[key];
      nKeys++;
      if (isResource && key === 'resourceType') continue;
      const isUnderscore = key.charCodeAt(0) === 95;
      const entry = node.childByKey.get(isUnderscore ? key.slice(1) : key);
      if (!entry || (isUnderscore && !entry.type?.primitive)) {
        const excluded = reportUnknownProperty(node, key, isUnderscore, path, this, value);
        if (excluded) (choiceSeen ??= new Map()).set(excluded, key);
        continue;
      }
      if (isUnderscore && obj[entry.key] !== undefined) continue; // handled with its value
      if (entry.node.isChoice) {
        choiceSeen ??= new Map();
        const prev = choiceSeen.get(entry.node);
        if (prev !== undefined) {
          // A second type for one choice element: the JSON reader takes the first and knows no other.
          if (prev !== entry.key) this.report('Unrecognised_property_', 'error', 'structure', readerPath(path), `Unrecognized property '${clip(key)}'`);
          continue;
        }
        choiceSeen.set(entry.node, entry.key);
      }
      // A `_x` companion met here has no value beside it: the value read is the absent `x`.
      if (validateChildValues(this, entry.node, entry.type, entry.key, entry.ukey, obj, path, companions, entry.segment, isUnderscore ? undefined : value) === 0) {
        (dropped ??= new Set()).add(entry.key).add(entry.ukey);
        if (entry.node.isChoice) choiceSeen?.delete(entry.node);
      }
    }
    if (nKeys === 0 && !isResource) this.report('Object_must_have_some_content', 'error', 'structure', readerPath(path), 'Object must have some content');
    if (!isResource && hasId) checkElementId(obj, path, type, this);
    checkRequired(node, obj, path, choiceSeen, this, dropped);
    if (type === 'Extension') checkExt1(obj, path, this, dropped);
    // Invariants read the objects around it without the dropped properties (reader-view.ts).
    if (dropped) (this.readerView ??= new ReaderView()).record(obj, dropped, this.frames.list());
  }

  /** `container[key]`, a primitive of the wrong JSON kind, reads as `text` for the invariants around it (reader-view.ts). */
  readAsText(container: object, key: string | number, text: string): void {
    (this.readerView ??= new ReaderView()).readAsText(container, key, text, this.frames.list());
  }

  // ---------------------------------------------------------------- children

  /**
   * Validates the value(s) of property `key` (and its `_key` companion) of `obj` against `child` (child-values.ts).
   * Returns how many values were read: 0 when the JSON shape of all of them was wrong (reported and dropped).
   */
  validateChild(child: ElementNode, t: CompiledType | undefined, key: string, ukey: string, obj: Record<string, unknown>, path: string, companions = true): number {
    return validateChildValues(this, child, t, key, ukey, obj, path, companions);
  }

  // ---------------------------------------------------------------- values

  /** One value of an element (child-values.ts calls it for each item read). */
  validateValue(node: ElementNode, t: CompiledType | undefined, v: unknown, path: string, companion?: unknown): void {
    const def = node.contentTarget ?? (node.contentReference && node.children.length === 0 ? this.registry.contentTarget(node.contentReference) ?? node : node);
    const code = t?.code ?? '';
    if (t?.primitive) {
      this.validatePrimitive(node, code, v, path, companion);
      return;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      this.report('This_property_must_be_an_object_not_', 'error', 'structure', path, `The property must be a JSON object, not ${describe(v)}`);
      return;
    }
    const obj = v as Record<string, unknown>;
    const type = valueType(this.valueTypes, this.registry, code);
    if (type.resource) {
      const { profiles, allowed } = inlineResourceProfiles(node, t, obj, path, this);
      this.validateResource(obj, path, profiles, allowed);
      return;
    }
    reportUnknownTypeProfiles(typeOf(node, code) ?? t, path, this);
    if (code === 'Extension') {
      // The extension's own definition (found by its url) decides its content unless `def` spells it out.
      validateExtension(obj, path, node, def, this);
    } else if (def.children.length > 0) {
      this.validateObject(def, obj, path, code);
    } else if (code) {
      const typeDef = definitionOf(type, this.registry, code);
      if (typeDef) {
        this.validateObject(typeDef.root, obj, path, code);
        this.evaluateConstraints(typeDef.root, obj, path, code);
      } else this.validateObject(def, obj, path, code);
      if (t && code !== 'Extension') validateTypeProfiles(t, obj, path, code, typeDef, this);
    }
    checkFixedAndPattern(obj, path, def, this);
    for (const rule of type.rules) rule(obj, path, def, this, t);
    checkValueTerminology(def, code, obj, path, this);
    this.evaluateConstraints(def, obj, path, code);
  }

  /** A primitive value with its `_x` companion (primitive-element.ts). */
  validatePrimitive(node: ElementNode, code: string, v: unknown, path: string, companion?: unknown): void {
    validatePrimitiveValue(this, node, code, v, path, companion);
  }

  evaluateConstraints(node: ElementNode, value: unknown, path: string, elementType: string): void {
    if (!this.options.invariants || node.constraints.length === 0) return;
    // Invariants see the object as the JSON reader leaves it: without the properties it dropped for their shape.
    const read = this.readerView ? this.readerView.view(value) : value;
    evaluateConstraints(node, read, path, elementType, this, (this.invariantArgsObj ??= invariantArgs()));
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

  conformsTo(v: unknown, canonical: string, forReference = false): boolean {
    return conformsTo(this, (this.probeState ??= newProbeState()), v, canonical, forReference);
  }

  profileFindings(v: unknown, canonical: string, forReference = false): ValidationIssue[] {
    return profileFindings(this, (this.probeState ??= newProbeState()), v, canonical, forReference);
  }

  /** The profile a resource inside another is being walked against (not its base type). */
  passProfile: string | undefined = undefined;

  /** Set on a probe walk: the value whose conformance it decides (see root-cause.ts). */
  probeSubject: unknown = undefined;
  probeForReference = false;

  get probeHeld(): WeakMap<object, HeldResources> {
    return (this.probeState ??= newProbeState()).held;
  }

  /** Where findings that follow from a cause were first reported (made on first use). */
  private firstReports: WeakMap<object, string> | undefined;

  firstReport(cause: object, path: string): string {
    this.firstReports ??= new WeakMap();
    const first = this.firstReports.get(cause);
    if (first !== undefined) return first;
    this.firstReports.set(cause, path);
    return path;
  }
}

/** The element's type with this code (a loop, not a closure made for every value). */
function typeOf(node: ElementNode, code: string): CompiledType | undefined {
  const types = node.types;
  for (let i = 0; i < types.length; i++) if (types[i]!.code === code) return types[i];
  return undefined;
}

