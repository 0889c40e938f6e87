import { checkPrimitive, clip, MAX_STRING_LENGTH, primitiveKind } from './primitives.js';
import type { CompiledProfile, CompiledType, ElementNode } from './model.js';
import { type BindingChecker, type Finding, INV_DOM_2, INV_DOM_4, INV_DOM_5, INV_ELE_1, INV_EXT_1, type InvariantEvaluator, invariantRuleId, type Report, type ValidationIssue } from '../plugin-types/index.js';
import { bindingKey, cleanBindings, MAX_CLEAN_BINDINGS } from './binding-memo.js';
import { ambiguousMatches, type BundleScope, openBundle, openParameters, resolveInBundles } from './bundle-scope.js';
import { acceptedUnseen } from './extension-domains.js';
import { looksMalformed } from './reference-syntax.js';
import type { ProfileRegistry } from './registry.js';
import { deepEqual, matchesPattern, fixedMismatch } from './values.js';
import { checkLanguageControl, checkXhtml, contentOutsideLanguageSections, languageSections, unsourcedText } from './xhtml.js';
import { checkQuestionnaire, checkQuestionnaireResponse, type EnableWhenExpression } from './questionnaire.js';
import { quantityInBase } from './quantity.js';
import { checkMeasureReport } from './measure.js';
import { checkMeasureCriteria } from './measure-criteria.js';
import { checkQuestionnaireBindingParameters } from './binding-parameters.js';
import { checkValueSetFilters } from './code-system-rules.js';
import { checkStructureDefinition } from './sd-rules.js';
import { allSlices, evaluatePath, splitPath, typesAtPath } from './discriminator.js';
import { checkCapabilityStatement, checkCodeSystem, checkSearchParameter, checkValueSetSystems, refersToContainer } from './resource-rules.js';

/** Per-run options of the engine. */
export interface EngineOptions {
  terminology?: BindingChecker;
  invariants?: InvariantEvaluator;
  /** Extension URLs starting with one of these are accepted without a definition. */
  allowedExtensionDomains?: string[];
  /**
   * Treat unresolved RESTful references (`Patient/1`) as existing, with the type their URL names,
   * and check that type against the element's target profiles.
   */
  assumeValidRestReferences?: boolean;
  /**
   * Looks up resources outside the instance for references that do not resolve locally (a server or a
   * folder). Must return the same object for the same reference, so circular links terminate.
   */
  fetchReference?: (ref: string) => Record<string, unknown> | undefined;
  /** Report HTML tags in markdown as errors (default: warnings). */
  noHtmlInMarkdown?: boolean;
  /** Bundle entries to validate against extra profiles: `Type:n` selects the n-th entry holding a Type. */
  bundleProfiles?: { rule: string; profile: string }[];
  /** Profiles applied to every resource of a type (ImplementationGuide.global). */
  globalProfiles?: { type: string; profile: string }[];
  /** Cap on issues kept per validation, to bound memory on hostile input. */
  maxIssues?: number;
  /**
   * Language(s) Coding.display is judged in (`en, de`); without it, each resource's own `language`
   * is used, and without that a display in any language is accepted.
   */
  displayLanguage?: string;
}

const CORE_SD = 'http://hl7.org/fhir/StructureDefinition/';

/** Deepest nesting of elements the engine walks before giving up with an issue. */
export const MAX_DEPTH = 300;
const DEFAULT_MAX_ISSUES = 1000;
const ELEMENT_ONLY = new Set(['id', 'extension']);

interface ResourceScope {
  resource: Record<string, unknown>;
  /** '#id' references seen anywhere inside the resource, for dom-3. */
  /** Created on first use: most resources have no local references. */
  localRefs: Set<string> | undefined;
  /** Element ids seen in this resource (they must be unique within it). */
  elementIds: Set<string> | undefined;
  contained: Map<string, Record<string, unknown>>;
  parent: ResourceScope | undefined;
  /** Display languages for coded values in this resource, once worked out (null: any language). */
  displayLanguages?: string[] | null;
}

const NO_CONTAINED: Map<string, Record<string, unknown>> = new Map();

/**
 * Binding findings of one resource. The base definition's binding findings wait until the profiles have
 * been walked: where a profile binds the same element, its binding replaces the base one (the Java
 * validator checks the profile's snapshot only), so the base findings there are dropped.
 */
interface BindingPass {
  mode: 'direct' | 'base' | 'profile';
  /** Made on first use: only resources validated against a profile as well as the base defer anything. */
  deferred?: Map<string, ValidationIssue[]>;
  profiled?: Set<string>;
}

/** Thrown to unwind when the issue cap is reached. */
class IssueLimit extends Error {}

/**
 * One validation run: walks a resource against compiled profiles and collects issues.
 * Created per resource (cheap); all schema data lives in the shared ProfileRegistry.
 */
export class Run {
  readonly issues: ValidationIssue[] = [];
  private seen: Set<string> | undefined;
  private depth = 0;
  private scope: ResourceScope | undefined;
  private bundle: BundleScope | undefined;
  private bindingPass: BindingPass | undefined;
  private root: unknown;
  private readonly maxIssues: number;

  constructor(
    private readonly registry: ProfileRegistry,
    private readonly opts: EngineOptions,
  ) {
    this.maxIssues = opts.maxIssues ?? DEFAULT_MAX_ISSUES;
  }

  // The callbacks handed to rule modules are made on first use: most resources need none of them,
  // and a run is created for every resource validated.
  private resolveRefFn: ((ref: string) => Record<string, unknown> | undefined) | undefined;
  private lookupFn: ((url: string) => Record<string, unknown> | undefined) | undefined;
  private reportFn: Report | undefined;

  private get resolveRef(): (ref: string) => Record<string, unknown> | undefined {
    return (this.resolveRefFn ??= (ref) => this.resolveReference(ref));
  }

  private get lookup(): (url: string) => Record<string, unknown> | undefined {
    return (this.lookupFn ??= (url) => this.registry.canonical(url));
  }

  /** The issue sink handed to rule modules. */
  private get report(): Report {
    return (this.reportFn ??= (rule, severity, code, path, message) => this.issue(rule, severity, code, path, message));
  }

  issue(rule: string, severity: ValidationIssue['severity'], code: string, expression: string, text: string): void {
    // Invariants are not attributed: a constraint a derived profile inherits is one rule, not two.
    const message = this.messageSuffix && code !== 'invariant' ? `${text}${this.messageSuffix}` : text;
    const key = `${severity}|${expression}|${message}`;
    this.seen ??= new Set();
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.issues.push({ rule, severity, code, expression, message });
    if (this.issues.length >= this.maxIssues) {
      this.issues.push({ rule: 'ADSFHIR_ISSUE_LIMIT', severity: 'error', code: 'too-costly', expression: '', message: `Validation stopped after ${this.maxIssues} issues` });
      throw new IssueLimit();
    }
  }

  /** Validates a top-level resource against its base definition, meta.profile and `profiles`. */
  validateRoot(value: unknown, profiles: CompiledProfile[]): void {
    this.root = value;
    try {
      this.validateResource(value, undefined, profiles, undefined);
      this.applyBundleProfiles(value);
    } catch (e) {
      if (e instanceof IssueLimit) return;
      if (e instanceof RangeError) {
        this.issues.push({ rule: 'ADSFHIR_TOO_DEEP', severity: 'fatal', code: 'too-costly', expression: '', message: 'The resource is nested too deeply to validate' });
        return;
      }
      throw e;
    }
  }

  // ---------------------------------------------------------------- resources

  private applyBundleProfiles(value: unknown): void {
    const rules = this.opts.bundleProfiles;
    if (!rules?.length || !value || typeof value !== 'object' || (value as { resourceType?: unknown }).resourceType !== 'Bundle') return;
    const entries = (value as { entry?: unknown }).entry;
    if (!Array.isArray(entries)) return;
    for (const { rule, profile } of rules) {
      const [type, nth] = rule.split(':');
      const prof = this.registry.get(profile.split('|')[0]!) ?? this.registry.get(profile);
      if (!prof) {
        this.issue('BUNDLE_RULE_PROFILE_UNKNOWN', 'error', 'not-found', 'Bundle', `The profile ${clip(profile)} named for bundle entries could not be found`);
        continue;
      }
      let seen = -1;
      entries.forEach((e, i) => {
        const res = e && typeof e === 'object' ? (e as { resource?: { resourceType?: unknown } }).resource : undefined;
        if (!res || res.resourceType !== type) return;
        seen++;
        if (nth === undefined || nth === '*' || Number(nth) === seen) {
          this.bundle = openBundle(value as Record<string, unknown>, 'Bundle', this.bundle, this.report);
          this.validateResource(res, `Bundle.entry[${i}].resource`, [prof], undefined);
          this.bundle = undefined;
        }
      });
    }
  }

  private validateResource(value: unknown, path: string | undefined, profiles: CompiledProfile[], allowedTypes: string[] | undefined): void {
    const where = path ?? '';
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.issue('This_property_must_be_an_object_not_', 'error', 'structure', where || 'Resource', `A resource must be a JSON object, not ${describe(value)}`);
      return;
    }
    const obj = value as Record<string, unknown>;
    const rt = obj.resourceType;
    if (typeof rt !== 'string') {
      this.issue('Unable_to_find_resourceType_property', 'error', 'structure', where || 'Resource', 'The resource has no resourceType property, so its type cannot be determined');
      return;
    }
    const base = this.registry.resourceType(rt);
    if (!base || base.abstract) {
      this.issue('Validation_VAL_Profile_NoDefinition', 'error', 'structure', where || rt, `Unknown resource type '${clip(rt)}'`);
      return;
    }
    if (allowedTypes && allowedTypes.length && !allowedTypes.includes(rt) && !allowedTypes.includes('Resource') && !allowedTypes.includes('DomainResource')) {
      this.issue('Bundle_BUNDLE_Entry_Type2', 'error', 'structure', where || rt, `A resource of type ${rt} is not allowed here (allowed: ${allowedTypes.join(', ')})`);
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
    if (rt === 'Bundle') this.bundle = openBundle(obj, rpath, this.bundle, this.report);
    else if (rt === 'Parameters') this.bundle = openParameters(obj, this.bundle);
    this.scope = scope;
    const savedPass = this.bindingPass;
    const pass: BindingPass = { mode: 'direct' };
    this.bindingPass = pass;
    try {
      this.checkResourceId(obj, rpath);
      const targets: CompiledProfile[] = [base];
      for (const p of profiles) if (!targets.includes(p)) targets.push(p);
      for (const g of this.opts.globalProfiles ?? []) {
        const p = g.type === rt ? this.registry.get(g.profile) : undefined;
        if (p && !targets.includes(p)) targets.push(p);
      }
      const meta = obj.meta as { profile?: unknown } | undefined;
      if (meta && Array.isArray(meta.profile)) {
        meta.profile.forEach((url, i) => {
          if (typeof url !== 'string') return;
          const p = this.registry.get(url);
          // Cross-version profile URLs (http://hl7.org/fhir/5.0/...) name other FHIR versions' definitions.
          if (!p && /^http:\/\/hl7\.org\/fhir\/\d\.\d\//.test(url)) return;
          if (!p) {
            this.issue('Validation_VAL_Profile_Unknown', 'warning', 'not-found', `${rpath}.meta.profile[${i}]`, `Profile reference '${clip(url)}' has not been checked because it could not be found`);
          } else if (!targets.includes(p)) targets.push(p);
        });
      }
      // A top-level resource validated against profiles (asked for or in meta.profile) needs no
      // separate pass against its base: each profile's snapshot carries the base's rules as narrowed
      // (a binding replaced, ...). A resource inside another is checked against its type as well.
      const skipBase = path === undefined && targets.some((p) => p !== base && p.type === rt);
      for (const p of targets) {
        if (p === base && skipBase) continue;
        if (p !== base && p.type !== rt) {
          this.issue('Validation_VAL_Profile_WrongType', 'error', 'structure', rpath, `The profile ${p.url} is for ${p.type} resources, not ${rt}`);
          continue;
        }
        pass.mode = targets.length === 1 ? 'direct' : p === base ? 'base' : 'profile';
        // A resource inside another is checked against its own type and then each profile named for
        // it: a rule both break is a finding of each, so the profile's findings name the profile.
        const saved = this.messageSuffix;
        if (p !== base && path !== undefined) this.messageSuffix = `${saved} (from ${p.url})`;
        try {
          this.validateObject(p.root, obj, rpath, rt, true);
          this.evaluateConstraints(p.root, obj, rpath, rt);
        } finally {
          this.messageSuffix = saved;
        }
      }
      pass.mode = 'direct';
      this.flushBaseBindings(pass);
      this.checkContained(obj, rpath, scope);
      if (rt === 'ValueSet') {
        checkValueSetSystems(obj, rpath, this.report);
        checkValueSetFilters(obj, rpath, this.lookup, this.report);
      }
      if (rt === 'Questionnaire') {
        checkQuestionnaire(obj, rpath, this.report);
        checkQuestionnaireBindingParameters(obj, rpath, this.lookup, this.report);
      }
      if (rt === 'CodeSystem') checkCodeSystem(obj, rpath, this.lookup, this.report);
      if ((rt === 'CodeSystem' || rt === 'ValueSet') && this.opts.terminology?.checkResource) {
        for (const i of this.opts.terminology.checkResource(obj, rpath)) this.issue(i.rule, i.severity, i.code, i.expression || rpath, i.message);
      }
      if (rt === 'SearchParameter') checkSearchParameter(obj, rpath, this.lookup, this.report);
      if (rt === 'CapabilityStatement') checkCapabilityStatement(obj, rpath, this.lookup, this.report);
      if (rt === 'StructureDefinition') {
        checkStructureDefinition(obj, rpath, (n) => !!this.registry.get(n), (u) => this.registry.get(u)?.type, (u) => this.registry.fixedValues(u), (u) => this.registry.canonical(u), this.report);
      }
      if (rt === 'Measure') checkMeasureCriteria(obj, rpath, this.lookup, this.report);
      if (rt === 'MeasureReport' && typeof obj.measure === 'string') {
        const m = this.registry.canonical(obj.measure);
        if (m && m.resourceType === 'Measure') checkMeasureReport(obj, m, rpath, scope.contained, this.report);
      }
      if (rt === 'QuestionnaireResponse' && typeof obj.questionnaire === 'string') {
        const q = this.registry.canonical(obj.questionnaire);
        if (q && q.resourceType === 'Questionnaire') checkQuestionnaireResponse(obj, q, rpath, this.report, this.enableWhenExpression(obj, rpath));
      }
    } finally {
      this.bindingPass = savedPass;
      this.scope = scope.parent;
      if (scope.parent && scope.localRefs) for (const r of scope.localRefs) (scope.parent.localRefs ??= new Set()).add(r);
      this.bundle = savedBundle;
    }
  }

  /** Evaluates a questionnaire's enable-when expressions on the response through the invariant evaluator. */
  private enableWhenExpression(qr: Record<string, unknown>, path: string): EnableWhenExpression | undefined {
    const ev = this.opts.invariants;
    if (!ev) return undefined;
    return (expression) => {
      try {
        const found = ev.evaluate({ key: 'enableWhenExpression', expression, severity: 'error', human: '', node: qr, resource: qr, root: this.root, path, elementType: 'QuestionnaireResponse' });
        if (found.some((i) => i.code === 'invariant' && i.severity === 'error')) return false;
        return found.some((i) => i.severity === 'warning') ? undefined : true;
      } catch {
        return undefined;
      }
    };
  }

  /** True when the current resource or an enclosing one has contained resources ('#id' targets). */
  private hasContained(): boolean {
    for (let s = this.scope; s; s = s.parent) if (s.contained.size > 0) return true;
    return false;
  }

  /** Records a '#id' reference; it reaches enclosing resources when the current one is left. */
  private addLocalRef(id: string): void {
    if (this.scope) (this.scope.localRefs ??= new Set()).add(id);
  }

  private checkResourceId(obj: Record<string, unknown>, path: string): void {
    const id = obj.id;
    if (typeof id !== 'string') return;
    if (id.length > 64) this.issue('Resource_RES_ID_Malformed_Length', 'error', 'invalid', `${path}.id`, `Invalid Resource id: Too long (${id.length} chars)`);
    else if (!/^[A-Za-z0-9\-.]+$/.test(id)) this.issue('Resource_RES_ID_Malformed_Chars', 'error', 'invalid', `${path}.id`, `Invalid Resource id: Invalid Characters ('${clip(id)}')`);
  }

  private checkContained(obj: Record<string, unknown>, path: string, scope: ResourceScope): void {
    const contained = obj.contained;
    if (!Array.isArray(contained)) return;
    contained.forEach((c, i) => {
      if (!c || typeof c !== 'object') return;
      const r = c as Record<string, unknown>;
      const cpath = `${path}.contained[${i}]`;
      if (r.contained !== undefined) this.issue(INV_DOM_2, 'error', 'invariant', cpath, 'Constraint failed: dom-2: If the resource is contained in another resource, it SHALL NOT contain nested Resources');
      const meta = r.meta as Record<string, unknown> | undefined;
      if (meta && (meta.versionId !== undefined || meta.lastUpdated !== undefined)) {
        this.issue(INV_DOM_4, 'error', 'invariant', cpath, 'Constraint failed: dom-4: If a resource is contained in another resource, it SHALL NOT have a meta.versionId or a meta.lastUpdated');
      }
      if (meta && meta.security !== undefined) this.issue(INV_DOM_5, 'error', 'invariant', cpath, 'Constraint failed: dom-5: If a resource is contained in another resource, it SHALL NOT have a security label');
      const id = r.id;
      if (typeof id === 'string' && !scope.localRefs?.has(id) && !refersToContainer(r)) {
        this.issue('CONTAINED_ORPHAN_DOM3', 'error', 'invalid', cpath, `The contained resource '${clip(id)}' is not referenced to from elsewhere in the containing resource nor does it refer to the containing resource (dom-3)`);
      }
    });
  }

  // ---------------------------------------------------------------- objects

  /**
   * Validates a JSON object against the children of `node`. `type` is the FHIR type of the object.
   */
  private validateObject(node: ElementNode, value: unknown, path: string, type: string, isResource = false): void {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.issue('This_property_must_be_an_object_not_', 'error', 'structure', path, `The property must be a JSON object, not ${describe(value)}`);
      return;
    }
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      this.issue('ADSFHIR_TOO_DEEP', 'error', 'too-costly', path, `Elements are nested more than ${MAX_DEPTH} levels deep; deeper content was not validated`);
      return;
    }
    try {
      this.walkObject(node, value as Record<string, unknown>, path, type, isResource);
    } finally {
      this.depth--;
    }
  }

  private walkObject(node: ElementNode, obj: Record<string, unknown>, path: string, type: string, isResource: boolean): void {
    const savedHost = this.hostType;
    const savedObject = this.hostObject;
    this.hostType = type;
    this.hostObject = obj;
    try {
      this.walkProperties(node, obj, path, type, isResource);
    } finally {
      this.hostType = savedHost;
      this.hostObject = savedObject;
    }
  }

  /** FHIR type of the object whose properties are being walked (the host of any extension met). */
  private hostType = '';
  private hostObject: unknown = undefined;

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
        const excluded = isUnderscore ? undefined : this.excludedChoiceType(node, key);
        if (excluded) {
          (choiceSeen ??= new Map()).set(excluded.node, key);
          const allowed = excluded.node.types.map((t) => t.code);
          if (allowed.length === 1) this.issue('Extension_PROF_Type', 'error', 'structure', `${path}.${excluded.node.name}.ofType(${excluded.type})`, `The profile allows only the type ${allowed[0]} for ${excluded.node.path}, but found type ${excluded.type}`);
          else this.issue('Validation_VAL_Profile_NoType', 'error', 'structure', path, `The type of element ${clip(key)} is not allowed by the profile: valid types at this point are ${allowed.join(', ')}`);
          continue;
        }
        this.issue('Unrecognised_property_', 'error', 'structure', path, `Unrecognized property '${clip(key)}'`);
        continue;
      }
      if (isUnderscore && obj[entry.key] !== undefined) continue; // handled with its value
      if (entry.node.isChoice) {
        choiceSeen ??= new Map();
        const prev = choiceSeen.get(entry.node);
        if (prev !== undefined) {
          if (prev !== entry.key) this.issue('ADSFHIR_CHOICE_TWICE', 'error', 'structure', path, `Only one of ${prev} and ${entry.key} may be present: they are choices of ${entry.node.path}`);
          continue;
        }
        choiceSeen.set(entry.node, entry.key);
      }
      this.validateChild(entry.node, entry.type, entry.key, entry.ukey, obj, path);
    }
    if (nKeys === 0 && !isResource) this.issue('Object_must_have_some_content', 'error', 'structure', path, 'Object must have some content');
    // ElementDefinition ids are element paths, repeated by design between snapshot and differential.
    if (!isResource && typeof obj.id === 'string' && this.scope && type !== 'ElementDefinition') {
      const ids = (this.scope.elementIds ??= new Set());
      if (ids.has(obj.id)) this.issue('DUPLICATE_ID', 'error', 'value', path, `Duplicate id value '${clip(obj.id)}'`);
      else ids.add(obj.id);
    }
    const required = node.required;
    for (let i = 0; i < required.length; i++) {
      const r = required[i]!;
      let present = false;
      for (const k of r.keys) {
        if (obj[k] !== undefined) {
          present = true;
          break;
        }
      }
      if (present || choiceSeen?.has(r.node)) continue;
      if (r.node.min > 0) this.missing(r.node, path);
      for (const slice of r.node.slices) {
        if (slice.min > 0) this.issue('Validation_VAL_Profile_Minimum_SLICE', 'error', 'structure', path, `Slice '${slice.id || r.node.path}': a matching slice is required, but not found`);
      }
    }
    if (type === 'Extension') this.checkExt1(obj, path);
  }

  /**
   * `valueString` where a profile narrowed `value[x]` to other types: a choice of the base the profile
   * excluded, not an unknown property.
   */
  private excludedChoiceType(node: ElementNode, key: string): { node: ElementNode; type: string } | undefined {
    for (const child of node.children) {
      if (!child.isChoice || !key.startsWith(child.name) || key.length === child.name.length) continue;
      const suffix = key.slice(child.name.length);
      if (suffix.charCodeAt(0) > 90) continue;
      const candidates = [suffix, suffix.charAt(0).toLowerCase() + suffix.slice(1)];
      const type = candidates.find((c) => this.registry.get(c)?.url === `${CORE_SD}${c}`);
      if (type && !this.registry.resourceType(type)) return { node: child, type };
    }
    return undefined;
  }

  private missing(child: ElementNode, path: string): void {
    this.issue('Validation_VAL_Profile_Minimum', 'error', 'structure', path, `${child.id || child.path}: minimum required = ${child.min}, but only found 0`);
  }

  private checkExt1(obj: Record<string, unknown>, path: string): void {
    let hasValue = false;
    for (const k in obj) if (k.startsWith('value') || k.startsWith('_value')) hasValue = true;
    const ext = obj.extension;
    if (hasValue && Array.isArray(ext) && ext.length > 0) {
      this.issue(INV_EXT_1, 'error', 'invariant', path, "Constraint failed: ext-1: 'Must have either extensions or value[x], not both'");
    }
  }

  // ---------------------------------------------------------------- children

  private validateChild(child: ElementNode, t: CompiledType | undefined, key: string, ukey: string, obj: Record<string, unknown>, path: string): void {
    const code = t?.code ?? '';
    const primitive = t?.primitive === true;
    const raw = obj[key];
    if (!child.isArray && !child.slicing && raw !== undefined && raw !== null && !Array.isArray(raw) && (!primitive || obj[ukey] === undefined)) {
      // The common case: one value, no companion, no slicing. Same checks as below without the arrays.
      if (child.max === 0) {
        this.issue('Validation_VAL_Profile_Maximum', 'error', 'structure', path, `${child.id || child.path}: max allowed = 0, but found 1`);
        return;
      }
      if (child.min > 1) this.issue('Validation_VAL_Profile_Minimum', 'error', 'structure', path, `${child.id || child.path}: minimum required = ${child.min}, but only found 1`);
      this.validateValue(child, t, raw, child.isChoice ? `${path}.${child.name}.ofType(${code})` : `${path}.${child.name}`);
      return;
    }
    const ext = primitive ? obj[ukey] : undefined;
    const exprName = child.isChoice ? `${child.name}.ofType(${code})` : child.name;
    // Normalise to parallel item lists, checking array-ness as the definition demands.
    const values = this.asItems(child, raw, key, path);
    const exts = ext === undefined ? undefined : this.asItems(child, ext, ukey, path);
    if (!values && !exts) return;
    const n = Math.max(values?.length ?? 0, exts?.length ?? 0);
    if (n === 0) return;
    if (n < child.min) this.issue('Validation_VAL_Profile_Minimum', 'error', 'structure', path, `${child.id || child.path}: minimum required = ${child.min}, but only found ${n}`);
    if (n > child.max) this.issue('Validation_VAL_Profile_Maximum', 'error', 'structure', path, `${child.id || child.path}: max allowed = ${child.max}, but found ${n}`);
    if (child.max === 0) return;
    const items: unknown[] = new Array(n);
    const itemPaths: string[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const itemPath = child.isArray ? `${path}.${exprName}[${i}]` : `${path}.${exprName}`;
      itemPaths[i] = itemPath;
      const v = values?.[i];
      const x = exts?.[i];
      items[i] = v;
      if (primitive) {
        if ((v === null || v === undefined) && (x === null || x === undefined)) {
          this.issue('ELEMENT_CANNOT_BE_NULL', 'error', 'structure', itemPath, 'Array item cannot be null: the property should have a value or an extension');
          continue;
        }
        if ((v === null || v === undefined) && code === 'code' && child.binding?.strength === 'required' && this.opts.terminology) {
          // Extensions (data-absent-reason, ...) in place of a code still leave a required binding without a code.
          this.bind(child, { coding: [] }, itemPath);
        }
        if ((v === null || v === undefined) && child.mustHaveValue) {
          this.issue('PRIMITIVE_MUSTHAVEVALUE_MESSAGE', 'error', 'required', itemPath, `The element definition ${child.path} in the profile requires that a value be present in this element`);
        }
        if ((v === null || v === undefined) && child.valueAlternatives.length > 0) {
          const exts = x && typeof x === 'object' ? (x as { extension?: unknown }).extension : undefined;
          const urls = Array.isArray(exts) ? exts.map((e) => (e && typeof e === 'object' ? (e as { url?: unknown }).url : undefined)) : [];
          if (!child.valueAlternatives.some((a) => urls.includes(a))) {
            this.issue('PRIMITIVE_VALUE_ALTERNATIVES_MESSAGE', 'error', 'required', itemPath, `The element definition ${child.path} requires that if a value is not present, one of the extensions ${child.valueAlternatives.join(', ')} must be present`);
          }
        }
        if (x !== undefined && x !== null) {
          // ele-1: an id is an attribute, not content; a primitive with neither a value nor an extension is empty.
          if ((v === null || v === undefined) && typeof x === 'object' && !Array.isArray(x) && 'id' in x && !Array.isArray((x as { extension?: unknown }).extension)) {
            this.issue(INV_ELE_1, 'error', 'invariant', itemPath, "Constraint failed: ele-1: 'All FHIR elements must have a @value or children'");
          }
          const savedHost = this.hostType;
          this.hostType = code;
          try {
            this.validatePrimitiveElement(x, itemPath);
          } finally {
            this.hostType = savedHost;
          }
        }
      }
    }
    const assigned = child.slicing ? this.applySlicing(child, items, itemPaths, path, t) : undefined;
    for (let i = 0; i < n; i++) {
      const v = items[i];
      if (v === undefined || (primitive && v === null)) continue;
      const slice = assigned?.[i];
      this.validateValue(slice ?? child, t, v, itemPaths[i]!);
      // An item in a slice must also meet the sliced element's own constraints when the profile set any.
      if (slice && child.children.length > 0) this.validateValue(child, t, v, itemPaths[i]!);
    }
  }

  /** Returns the items of a property as an array, reporting JSON shape problems. */
  private asItems(child: ElementNode, raw: unknown, key: string, path: string): unknown[] | undefined {
    if (raw === undefined) return undefined;
    if (child.isArray) {
      if (!Array.isArray(raw)) {
        this.issue('This_property_must_be_an_Array_not_', 'error', 'invalid', `${path}.${child.name}`, `The property ${key} must be a JSON Array, not ${describe(raw)}`);
        return [raw];
      }
      if (raw.length === 0) {
        this.issue('ARRAY_CANNOT_BE_EMPTY', 'error', 'invalid', `${path}.${child.name}`, 'Array cannot be empty - the property should not be present if it has no values');
        return undefined;
      }
      return raw;
    }
    if (Array.isArray(raw)) {
      this.issue('This_property_must_be_an_simple_value_not_', 'error', 'invalid', `${path}.${child.name}`, `The property ${key} must be a single value, not a JSON Array`);
      return raw.length ? [raw[0]] : undefined;
    }
    return [raw];
  }

  /** The `_x` companion of a primitive: an Element (id and extensions only). */
  private validatePrimitiveElement(x: unknown, path: string): void {
    if (typeof x !== 'object' || Array.isArray(x)) {
      this.issue('This_property_must_be_an_object_not_', 'error', 'structure', path, `The primitive extension property must be a JSON object, not ${describe(x)}`);
      return;
    }
    const obj = x as Record<string, unknown>;
    let n = 0;
    for (const k in obj) {
      n++;
      if (!ELEMENT_ONLY.has(k)) this.issue('Unrecognised_property_', 'error', 'structure', path, `Unrecognized property '${clip(k)}'`);
    }
    if (n === 0) this.issue('Object_must_have_some_content', 'error', 'structure', path, 'Object must have some content');
    if (typeof obj.id === 'string' && obj.id.length > MAX_STRING_LENGTH) this.issue('Type_Specific_Checks_DT_String_Length', 'error', 'invalid', `${path}.id`, 'value is longer than permitted maximum length of 1 MB (1048576 bytes)');
    const element = this.registry.get('Element');
    if (element && Array.isArray(obj.extension)) {
      const extNode = element.root.childByKey.get('extension');
      if (extNode) this.validateChild(extNode.node, extNode.type, 'extension', '_extension', obj, path);
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
      this.issue('This_property_must_be_an_object_not_', 'error', 'structure', path, `The property must be a JSON object, not ${describe(v)}`);
      return;
    }
    const obj = v as Record<string, unknown>;
    if (code === 'Resource' || (code && this.registry.resourceType(code))) {
      // type.profile lists alternatives: keep those made for this resource's type.
      const rt = obj.resourceType;
      // Each type of the element may name its own profiles: the resource picks those of its type.
      const typeProfiles = t ? (node.types.length ? node.types : [t]).flatMap((x) => x.profiles) : [];
      const named = [...new Set(typeProfiles)].map((p) => this.registry.get(p)).filter((p): p is CompiledProfile => !!p);
      const profiles = named.filter((p) => p.type === rt);
      const allowed = (t && node.types.length) ? node.types.map((x) => x.code) : undefined;
      const typeAllowed = !allowed || allowed.some((a) => a === rt || a === 'Resource' || a === 'DomainResource');
      if (typeof rt === 'string' && typeAllowed && named.length > 0 && profiles.length === 0 && !named.some((p) => p.type === 'Resource' || p.type === 'DomainResource')) {
        const types = [...new Set(named.map((p) => p.type))].join(', ');
        this.issue('Bundle_BUNDLE_Entry_Type3', 'error', 'structure', path, `The type '${clip(rt)}' is not valid - the profile${named.length > 1 ? 's' : ''} on this element require${named.length > 1 ? '' : 's'} ${types}`);
      }
      this.validateResource(obj, path, profiles, allowed);
      return;
    }
    this.reportUnknownTypeProfiles(node.types.find((x) => x.code === code) ?? t, path);
    if (code === 'Extension' && def.children.length === 0) {
      this.validateExtension(obj, path);
    } else if (def.children.length > 0) {
      this.validateObject(def, obj, path, code);
    } else if (code) {
      const typeDef = this.registry.get(code);
      if (typeDef) {
        this.validateObject(typeDef.root, obj, path, code);
        this.evaluateConstraints(typeDef.root, obj, path, code);
      } else this.validateObject(def, obj, path, code);
      if (t && code !== 'Extension') this.validateTypeProfiles(t, obj, path, code, typeDef);
    }
    if (code === 'Quantity' && (def.minValue !== undefined || def.maxValue !== undefined)) this.checkQuantityRange(def, obj, path);
    if (def.fixed !== undefined) this.checkFixed(def.fixed, obj, path, true);
    if (def.pattern !== undefined) this.checkFixed(def.pattern, obj, path, false);
    if (code === 'Reference') this.checkReference(obj, path, t);
    if (code === 'Coding' && typeof obj.code === 'string' && obj.system === undefined && (def.binding === undefined || def.binding.strength === 'example' || def.binding.strength === 'preferred')) {
      this.issue('TERMINOLOGY_TX_SYSTEM_NO_CODE', 'warning', 'invalid', path, 'A code with no system has no defined meaning, and it cannot be validated. A system should be provided');
    }
    if (code === 'Identifier' && obj.system === 'urn:ietf:rfc:3986' && typeof obj.value === 'string' && !/^[a-z][a-z0-9+.-]*:/i.test(obj.value)) {
      this.issue('TYPE_SPECIFIC_CHECKS_DT_IDENTIFIER_IETF_SYSTEM_VALUE', 'error', 'invalid', path, `if identifier.system is 'urn:ietf:rfc:3986', then the identifier.value must be a full URI (e.g. start with a scheme), not '${clip(obj.value)}'`);
    }
    if (code === 'Attachment' && obj.data === undefined && obj.url === undefined && obj.contentType === undefined && obj.language === undefined) {
      this.issue('TYPE_SPECIFIC_CHECKS_DT_ATT_NO_CONTENT', 'warning', 'invalid', path, 'Attachments have data and/or url, or else SHOULD have either contentType and/or language');
    }
    if (code === 'Narrative' && typeof obj.div === 'string') {
      const problem = checkXhtml(obj.div);
      if (problem) this.issue(problem.rule, 'error', 'invalid', `${path}.div`, problem.message);
      const resource = this.scope?.resource;
      if (def.languageControl) {
        const lang = checkLanguageControl(obj.div, def.languageControl, resource?.language);
        if (lang) this.issue(lang.rule, 'error', 'business-rule', path, lang.message);
      }
      if (def.sourceControl) {
        for (const text of unsourcedText(obj.div)) {
          this.issue('XHTML_CONTROL_NO_SOURCE', 'error', 'business-rule', path, `The xhtml node at '${clip(text)}' does not have a class attribute to indicate its source (boilerplate, generated, or original) and this is required by the profile`);
        }
      }
      const mixed = contentOutsideLanguageSections(obj.div);
      if (mixed) this.issue('XHTML_XHTML_MIXED_LANG', 'warning', 'business-rule', `${path}.div`, `The xhtml has some language sections (${mixed.join(', ')}), and also has content that is not in a language section`);
      const first = resource && typeof resource.language === 'string' ? languageSections(`<div>${obj.div}`)[0] : undefined;
      if (resource && typeof resource.language === 'string' && first && first !== resource.language && this.scope) {
        const rpath = path.slice(0, path.lastIndexOf('.'));
        this.issue('Language_XHTML_Lang_Different1', 'warning', 'business-rule', rpath, `Resource has a language (${clip(resource.language)}), and the XHTML has a lang (${clip(first)}), but they differ`);
      }
      // Narrative links to '#id' count as references to contained resources (dom-3).
      if (this.hasContained()) for (const m of obj.div.matchAll(/(?:href|src)\s*=\s*["']#([^"']+)["']/g)) this.addLocalRef(m[1]!);
    }
    if (def.binding && this.opts.terminology && (code === 'CodeableConcept' || code === 'Coding' || code === 'Quantity')) {
      this.bind(def, obj as never, path);
    }
    this.evaluateConstraints(def, obj, path, code);
  }

  /**
   * type.profile lists alternatives: one profile is applied directly; with several, the value must
   * conform to at least one, else the mismatch is reported with every candidate's findings.
   */
  private validateTypeProfiles(t: CompiledType, obj: Record<string, unknown>, path: string, code: string, typeDef: CompiledProfile | undefined): void {
    const profiles: CompiledProfile[] = [];
    for (const url of t.profiles) {
      // Profiles that are not loaded were reported by reportUnknownTypeProfiles.
      const p = this.registry.get(url);
      if (p && p !== typeDef) profiles.push(p);
    }
    if (profiles.length === 1) {
      this.validateObject(profiles[0]!.root, obj, path, code);
      return;
    }
    if (profiles.length === 0) return;
    const matching = profiles.filter((p) => this.conformsTo(obj, p.url));
    if (matching.length > 1) this.issue('Validation_VAL_Profile_MultipleMatches', 'warning', 'structure', path, `Found multiple matching profiles among ${profiles.length} choices: ${matching.map((p) => p.url).join(', ')}`);
    if (matching.length > 0) return;
    this.issue('Validation_VAL_Profile_NoMatch', 'error', 'structure', path, `Unable to find a match for the specified profile among choices: ${profiles.map((p) => p.url).join(', ')}`);
    // Each candidate's findings name the candidate: the same rule broken in two profiles is two findings.
    const saved = this.messageSuffix;
    try {
      for (const p of profiles) {
        this.messageSuffix = `${saved} (validating against ${p.url})`;
        this.validateObject(p.root, obj, path, code);
      }
    } finally {
      this.messageSuffix = saved;
    }
  }

  /** A datatype profile the element names must be known for the value to be checked against it (extensions are found by URL). */
  private reportUnknownTypeProfiles(t: CompiledType | undefined, path: string): void {
    if (!t || t.code === 'Extension' || t.profiles.length === 0) return;
    for (const p of t.profiles) {
      if (!this.registry.get(p) && !this.registry.get(p.split('|')[0]!)) this.issue('Validation_VAL_Unknown_Profile', 'error', 'structure', path, `Unknown profile ${clip(p)}: the value cannot be checked against it`);
    }
  }

  /** Appended to every message while findings are attributed to one candidate profile. */
  private messageSuffix = '';

  private validatePrimitive(node: ElementNode, code: string, v: unknown, path: string): void {
    if (v === null || v === undefined) return;
    const kind = primitiveKind(code);
    if (typeof v !== kind) {
      this.issue(`Error_parsing_JSON_the_primitive_value_must_be_a_${kind}`, 'error', 'invalid', path, `Error parsing JSON: the primitive value must be a ${kind}, not ${describe(v)}`);
      return;
    }
    const problem = checkPrimitive(code, v as string | number | boolean);
    if (problem) {
      this.issue(problem.rule, 'error', 'invalid', path, upperFirst(problem.message));
      return;
    }
    if (node.maxLength !== undefined && typeof v === 'string' && v.length > node.maxLength) {
      this.issue('Type_Specific_Checks_DT_Primitive_Length', 'error', 'too-long', path, `The value is ${v.length} characters long, more than the maximum ${node.maxLength}`);
    }
    if (node.fixed !== undefined && !deepEqual(node.fixed, v)) {
      this.issue('_DT_Fixed_Wrong', 'error', 'value', path, `Value is '${clip(String(v))}' but is fixed to '${clip(String(node.fixed))}'`);
    }
    if (node.pattern !== undefined && !deepEqual(node.pattern, v)) {
      this.issue('_DT_Fixed_Wrong', 'error', 'value', path, `Value is '${clip(String(v))}' but must be '${clip(String(node.pattern))}'`);
    }
    if (typeof v === 'number' || typeof v === 'string') this.checkRange(node, v, path);
    if (code === 'markdown' && typeof v === 'string') {
      const tag = /<[a-zA-Z]/.exec(v);
      if (tag) {
        this.issue('TYPE_SPECIFIC_CHECKS_DT_MARKDOWN_HTML', this.opts.noHtmlInMarkdown ? 'error' : 'warning', 'invalid', path, `The markdown contains content that appears to be an embedded HTML tag starting at '${v.slice(tag.index, tag.index + 2)}'. This will (or SHOULD) be escaped by the presentation layer`);
      }
    }
    if ((code === 'uri' || code === 'url' || code === 'canonical' || code === 'uuid' || code === 'oid') && typeof v === 'string') {
      if (v.startsWith('urn:uuid:') && !/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v)) {
        this.issue('Type_Specific_Checks_DT_UUID_Valid', 'error', 'invalid', path, `UUIDs must be valid and lowercase (${clip(v.slice(9))})`);
      } else if (v.startsWith('urn:oid:') && !/^urn:oid:[0-2](\.(0|[1-9][0-9]*))+$/.test(v)) {
        this.issue('Type_Specific_Checks_DT_OID_Valid', 'error', 'invalid', path, `OIDs must be valid (${clip(v.slice(8))})`);
      }
    }
    if (node.minLength !== undefined && typeof v === 'string' && v.length < node.minLength) {
      this.issue('PRIMITIVE_TOO_SHORT', 'error', 'too-long', path, `Value '${clip(v)}' is shorter than permitted minimum length of ${node.minLength}`);
    }
    if ((code === 'canonical' || code === 'uri' || code === 'url') && (v as string).charCodeAt(0) === 35 /* # */) {
      // Canonical and uri values pointing at '#id' count as references to contained resources (dom-3).
      this.addLocalRef((v as string).slice(1));
    }
    if (node.binding && this.opts.terminology && (code === 'code' || code === 'string' || code === 'uri') && !this.namesLogicalModelType(node)) {
      this.bind(node, v as string, path);
    }
    if (node.constraints.length) this.evaluateConstraints(node, v, path, code);
  }

  /** A logical model's type is a name of its own, outside the FHIR types its binding lists by design. */
  private namesLogicalModelType(node: ElementNode): boolean {
    return node.path === 'StructureDefinition.type' && this.scope?.resource.resourceType === 'StructureDefinition' && this.scope.resource.kind === 'logical';
  }

  private checkRange(node: ElementNode, v: number | string, path: string): void {
    if (node.minValue !== undefined && typeof node.minValue === typeof v && (v as number) < (node.minValue as number)) {
      this.issue(rangeRule(v, 'LT'), 'error', 'value', path, `The value ${clip(String(v))} is less than the specified minValue ${String(node.minValue)}`);
    }
    if (node.maxValue !== undefined && typeof node.maxValue === typeof v && (v as number) > (node.maxValue as number)) {
      this.issue(rangeRule(v, 'GT'), 'error', 'value', path, `The value ${clip(String(v))} is greater than the specified maxValue ${String(node.maxValue)}`);
    }
  }

  private checkQuantityRange(node: ElementNode, obj: Record<string, unknown>, path: string): void {
    const actual = quantityInBase(obj);
    if (!actual) return;
    const min = quantityInBase(node.minValue);
    const max = quantityInBase(node.maxValue);
    if (min && min.unit === actual.unit && actual.value < min.value) {
      this.issue('TYPE_SPECIFIC_CHECKS_DT_QTY_MIN_VALUE_WRONG', 'error', 'value', path, `The value in the instance (${String(obj.value)} ${String(obj.code ?? '')}) is less than the specified minValue`);
    }
    if (max && max.unit === actual.unit && actual.value > max.value) {
      this.issue('TYPE_SPECIFIC_CHECKS_DT_QTY_MAX_VALUE_WRONG', 'error', 'value', path, `The value in the instance (${String(obj.value)} ${String(obj.code ?? '')}) is greater than the specified maxValue`);
    }
  }

  private checkFixed(expected: unknown, obj: unknown, path: string, exact: boolean): void {
    if (exact) {
      for (const problem of fixedMismatch(expected, obj, path)) this.issue(problem.rule, 'error', 'value', problem.path, problem.message);
    } else if (!matchesPattern(obj, expected)) {
      this.issue('ADSFHIR_PATTERN_MISMATCH', 'error', 'value', path, `The value does not match the required pattern ${clip(JSON.stringify(expected))}`);
    }
  }

  private bind(node: ElementNode, value: string | Record<string, unknown>, path: string): void {
    const b = node.binding!;
    const pass = this.bindingPass;
    if (pass?.mode === 'profile') (pass.profiled ??= new Set()).add(path);
    const checker = this.opts.terminology!;
    let found: ValidationIssue[];
    try {
      const displayLanguages = this.displayLanguages();
      // Most coded values repeat (status codes, the same codings): a value found clean once for this
      // compiled binding is clean again.
      const key = bindingKey(displayLanguages, value);
      const clean = key === undefined ? undefined : cleanBindings(checker, b);
      if (key !== undefined && clean?.has(key)) return;
      found = checker.check({
        valueSet: b.valueSet,
        strength: b.strength,
        value: value as never,
        path,
        ...(b.valueSetResource ? { valueSetResource: b.valueSetResource } : {}),
        ...(displayLanguages ? { displayLanguages } : {}),
      });
      if (key !== undefined && clean && found.length === 0) {
        if (clean.size >= MAX_CLEAN_BINDINGS) clean.clear();
        clean.add(key);
      }
    } catch {
      found = [{ rule: 'ADSFHIR_BINDING_NOT_CHECKED', severity: 'warning', code: 'exception', expression: path, message: `The binding to ${b.valueSet} could not be checked` }];
    }
    if (pass?.mode === 'base') {
      const deferred = (pass.deferred ??= new Map());
      const list = deferred.get(path) ?? [];
      list.push(...found);
      deferred.set(path, list);
      return;
    }
    for (const i of found) this.issue(i.rule, i.severity, i.code, i.expression || path, i.message);
  }

  /** Reports the base definition's binding findings for elements no profile binds. */
  private flushBaseBindings(pass: BindingPass): void {
    for (const [path, found] of pass.deferred ?? []) {
      if (pass.profiled?.has(path)) continue;
      for (const i of found) this.issue(i.rule, i.severity, i.code, i.expression || path, i.message);
    }
    pass.deferred?.clear();
  }

  /** The requested display language(s), else the language of the nearest resource that declares one. */
  private displayLanguages(): string[] | undefined {
    const scope = this.scope;
    if (scope?.displayLanguages !== undefined) return scope.displayLanguages ?? undefined;
    const found = this.findDisplayLanguages();
    if (scope) scope.displayLanguages = found ?? null;
    return found;
  }

  private findDisplayLanguages(): string[] | undefined {
    let text = this.opts.displayLanguage;
    for (let s = this.scope; text === undefined && s; s = s.parent) {
      if (typeof s.resource.language === 'string') text = s.resource.language;
    }
    if (text === undefined) return undefined;
    const tags = text.split(',').map((t) => (t.split(';')[0] ?? '').trim()).filter((t) => t !== '' && t !== '*');
    return tags.length > 0 ? tags : undefined;
  }

  /** One arguments object for every invariant call of the run (see InvariantEvaluator: it is not kept). */
  private invariantArgs: Parameters<InvariantEvaluator['evaluate']>[0] | undefined;

  private evaluateConstraints(node: ElementNode, value: unknown, path: string, elementType: string): void {
    const ev = this.opts.invariants;
    if (!ev || node.constraints.length === 0) return;
    const args = (this.invariantArgs ??= { key: '', rule: '', expression: '', severity: 'error', human: '', node: undefined, resource: undefined, root: undefined, path: '', elementType: '' });
    args.node = value;
    args.resource = this.scope?.resource;
    args.root = this.root;
    args.path = path;
    args.elementType = elementType;
    for (const c of node.constraints) {
      try {
        args.key = c.key;
        args.rule = c.rule;
        args.expression = c.expression;
        args.severity = c.severity;
        args.human = c.human;
        const found = ev.evaluate(args);
        for (const i of found) this.issue(i.rule, i.severity, i.code, i.expression || path, i.message);
      } catch (e) {
        if (e instanceof IssueLimit) throw e;
        this.issue('ADSFHIR_INVARIANT_NOT_EVALUATED', 'warning', 'exception', path, `The invariant ${c.key} could not be evaluated`);
      }
    }
  }

  // ---------------------------------------------------------------- extensions

  private validateExtension(obj: Record<string, unknown>, path: string): void {
    const url = obj.url;
    const base = this.registry.get('Extension');
    if (typeof url !== 'string') {
      this.issue('Extension_EXT_Url_NotFound', 'error', 'invalid', path, 'Extension.url is required in order to identify, use and validate the extension');
      if (base) this.validateObject(base.root, obj, path, 'Extension');
      return;
    }
    if (url.includes('|')) {
      this.issue('EXT_VER_URL_NOT_ALLOWED', 'error', 'invalid', path, 'The extension URL must not contain a version');
    }
    const def = /^[a-z][a-z0-9+.-]*:/i.test(url) ? this.registry.get(url.split('|')[0]!) : undefined;
    if (!def || def.type !== 'Extension') {
      if (/^[a-z][a-z0-9+.-]*:/i.test(url) && !this.allowedDomain(url)) {
        this.issue('Extension_EXT_Unknown_NotHere', 'error', 'structure', path, `The extension ${clip(url)} could not be found so is not allowed here`);
      }
      if (base) this.validateObject(base.root, obj, path, 'Extension');
      return;
    }
    this.checkExtensionContext(def, path);
    const modifierSlot = /\.modifierExtension\[\d+\]$/.test(path);
    if (modifierSlot && !def.root.isModifier) this.issue('Extension_EXT_Modifier_Y', 'error', 'structure', path, `The extension ${clip(def.url)} is not a modifier extension, so it cannot be used in modifierExtension`);
    if (!modifierSlot && def.root.isModifier) this.issue('Extension_EXT_Modifier_N', 'error', 'structure', path, `The extension ${clip(def.url)} is a modifier extension, so it must be used in modifierExtension`);
    this.validateObject(def.root, obj, path, 'Extension');
    this.evaluateConstraints(def.root, obj, path, 'Extension');
  }

  /** The extension definition's context must admit the element holding the extension. */
  private checkExtensionContext(def: CompiledProfile, path: string): void {
    this.checkContextInvariants(def, path);
    if (def.context.length === 0) return;
    const cut = path.lastIndexOf('.');
    const hostPath = cut < 0 ? path : path.slice(0, cut);
    const hostElement = hostPath.replace(/\[\d+\]/g, '').replace(/\.ofType\(\w+\)/g, '');
    const hostType = this.hostType;
    const isResource = !!this.registry.resourceType(hostType);
    for (const c of def.context) {
      if (c.type === 'fhirpath') {
        const head = /^[A-Za-z]+/.exec(c.expression)?.[0];
        const resourceType = this.scope?.resource.resourceType;
        if (!head || head === hostType || head === resourceType || !this.registry.get(head)) return;
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
        const resourceType = this.scope?.resource.resourceType;
        if (ctxType === hostType || ctxType === resourceType || ctxType === 'Resource' || ctxType === 'DomainResource' || this.registry.get(ctxType)?.kind !== 'resource') return;
      }
    }
    const allowed = def.context.map((c) => c.expression).join(', ');
    this.issue(/\.modifierExtension\[\d+\]$/.test(path) ? 'Extension_EXTM_Context_Wrong' : 'Extension_EXTP_Context_Wrong', 'error', 'structure', hostPath, `The extension ${clip(def.url)} is not allowed to be used at this point (allowed = ${clip(allowed)}; this element is [${hostType}, ${hostElement}])`);
  }

  private checkContextInvariants(def: CompiledProfile, path: string): void {
    const ev = this.opts.invariants;
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
          node: this.hostObject,
          resource: this.scope?.resource,
          root: this.root,
          path: hostPath,
          elementType: this.hostType,
        });
        for (const f of found) this.issue(f.rule, f.severity, f.code, f.expression || hostPath, f.message);
      } catch (e) {
        if (e instanceof IssueLimit) throw e;
      }
    });
  }

  private allowedDomain(url: string): boolean {
    return acceptedUnseen(url, this.opts.allowedExtensionDomains ?? []);
  }

  // ---------------------------------------------------------------- slicing

  /** Assigns each item to a slice; returns the slice node per item (undefined when unsliced). */
  private applySlicing(child: ElementNode, items: unknown[], itemPaths: string[], path: string, t: CompiledType | undefined): (ElementNode | undefined)[] {
    const slicing = child.slicing!;
    const assigned: (ElementNode | undefined)[] = new Array(items.length);
    const counts = new Map<ElementNode, number>();
    let lastSlice = -1;
    let sawUnmatched = false;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      let matched = -1;
      for (let s = 0; s < child.slices.length; s++) {
        if (this.matchesSlice(child.slices[s]!, slicing.discriminators, item, t)) {
          matched = s;
          break;
        }
      }
      if (matched < 0) {
        sawUnmatched = true;
        const url = item && typeof item === 'object' ? (item as { url?: unknown }).url : undefined;
        if (child.path === 'Extension.extension' && child.slices.length > 0 && typeof url === 'string' && !/^[a-z][a-z0-9+.-]*:/i.test(url) && slicing.rules !== 'closed') {
          this.issue('Extension_EXT_SubExtension_Invalid', 'error', 'structure', itemPaths[i]!, `Sub-extension url '${clip(url)}' is not defined by the extension`);
        }
        if (slicing.rules === 'closed') {
          this.issue('Validation_VAL_Profile_NotSlice', 'error', 'structure', itemPaths[i]!, `This element does not match any known slice defined in the profile ${child.path} and slicing is CLOSED`);
        }
        continue;
      }
      const slice = child.slices[matched]!;
      assigned[i] = slice;
      counts.set(slice, (counts.get(slice) ?? 0) + 1);
      if (slicing.ordered && matched < lastSlice) this.issue('Validation_VAL_Profile_SliceOrder', 'error', 'structure', itemPaths[i]!, `As specified by profile, elements must be in the order of the slices of ${child.path}`);
      if (slicing.rules === 'openAtEnd' && sawUnmatched) this.issue('ADSFHIR_SLICE_OPEN_AT_END', 'error', 'structure', itemPaths[i]!, `Unmatched elements must come after all slices of ${child.path} (openAtEnd)`);
      lastSlice = Math.max(lastSlice, matched);
    }
    for (const slice of child.slices) {
      const n = counts.get(slice) ?? 0;
      if (n < slice.min) this.issue('Validation_VAL_Profile_Minimum', 'error', 'structure', path, `${slice.id || child.path}: minimum required = ${slice.min}, but only found ${n}`);
      if (n > slice.max) this.issue('Validation_VAL_Profile_Maximum', 'error', 'structure', path, `${slice.id || child.path}: max allowed = ${slice.max}, but found ${n}`);
    }
    // Re-slicing: items of a slice that is itself sliced are assigned again within it.
    for (const slice of child.slices) {
      if (!slice.slicing || !(counts.get(slice) ?? 0)) continue;
      const idx: number[] = [];
      for (let i = 0; i < items.length; i++) if (assigned[i] === slice) idx.push(i);
      const sub = this.applySlicing(slice, idx.map((i) => items[i]), idx.map((i) => itemPaths[i]!), path, t);
      idx.forEach((i, k) => {
        if (sub[k]) assigned[i] = sub[k];
      });
    }
    return assigned;
  }

  private matchesSlice(slice: ElementNode, discriminators: { type: string; path: string }[], item: unknown, t: CompiledType | undefined): boolean {
    if (discriminators.length === 0) return false;
    for (const d of discriminators) {
      if (!this.matchesDiscriminator(slice, d.type, d.path, item, t)) return false;
    }
    return true;
  }

  private matchesDiscriminator(slice: ElementNode, type: string, dpath: string, item: unknown, t: CompiledType | undefined): boolean {
    const target = this.findDefinition(slice, dpath);
    const values = evaluatePath(item, dpath, this.resolveRef);
    switch (type) {
      case 'value':
      case 'pattern': {
        const extensionUrl = dpath === 'url' && target?.fixed === undefined ? slice.types.find((x) => x.code === 'Extension')?.profiles[0] : undefined;
        // An extension slice is told apart by its definition's URL, even when the definition is not at hand.
        if (extensionUrl) return values.some((v) => v === extensionUrl.split('|')[0]);
        if (!target) return false;
        const expected = target.fixed ?? target.pattern;
        if (target.max === 0) return values.length === 0;
        if (expected === undefined) {
          // A slice told apart by a required binding holds the values its value set admits (an unknown
          // value set admits none; without a terminology service any present value matches).
          const required = target.binding?.strength === 'required' ? target.binding.valueSet : undefined;
          if (required && this.opts.terminology) return values.some((v) => this.inValueSet(required, v));
          if (required) return values.length > 0;
          // The slice says nothing about this discriminator: it only asks for a value when it requires one.
          return target.min > 0 ? values.length > 0 : true;
        }
        return values.some((v) => (target.fixed !== undefined && type === 'value' ? deepEqual(expected, v) || matchesPattern(v, expected) : matchesPattern(v, expected)));
      }
      case 'exists': {
        const should = target ? target.min > 0 : false;
        const mustNot = target ? target.max === 0 : false;
        if (should) return values.length > 0;
        if (mustNot) return values.length === 0;
        return true;
      }
      case 'type': {
        if (dpath.endsWith('resolve()')) {
          const refNode = this.findDefinition(slice, dpath.slice(0, -'.resolve()'.length) || '$this');
          const allowedTargets = (refNode ?? slice).types.flatMap((x) => x.targetTypes);
          if (allowedTargets.length === 0) return false;
          return values.some((v) => !!v && typeof v === 'object' && allowedTargets.includes(String((v as { resourceType?: unknown }).resourceType)));
        }
        const node = target ?? slice;
        const allowed = node.types.map((x) => x.code.toLowerCase());
        if (allowed.length === 0) return false;
        if (dpath === '$this' && t) return allowed.includes(this.typeOfItem(item, t).toLowerCase());
        const actual = typesAtPath(item, dpath, this.resolveRef);
        return actual.length > 0 && actual.some((a) => allowed.includes(a.toLowerCase()));
      }
      case 'profile': {
        const node = target ?? slice;
        const profiles = node.types.flatMap((x) => (dpath.endsWith('resolve()') ? x.targetProfiles : x.profiles));
        // A slice that names no profile at this path says nothing about it (it asks for a value only when it requires one).
        if (profiles.length === 0) return target && target !== slice ? (target.min > 0 ? values.length > 0 : true) : false;
        return values.some((v) => profiles.some((p) => this.conformsTo(v, p)));
      }
      default:
        return false;
    }
  }

  /** True when the value set is known and admits the coded value (no error or warning when checked as required). */
  private inValueSet(valueSet: string, v: unknown): boolean {
    if (v === null || v === undefined || (typeof v !== 'string' && typeof v !== 'object')) return false;
    try {
      const found = this.opts.terminology!.check({ valueSet, strength: 'required', value: v as never, path: '' });
      return !found.some((i) => i.severity === 'error' || i.severity === 'fatal' || i.severity === 'warning');
    } catch {
      return false;
    }
  }

  private typeOfItem(item: unknown, t: CompiledType): string {
    if (item && typeof item === 'object' && typeof (item as { resourceType?: unknown }).resourceType === 'string') return (item as { resourceType: string }).resourceType;
    return t.code;
  }

  /** True when `v` validates without errors against the profile (used by profile discriminators). */
  private conformsTo(v: unknown, canonical: string): boolean {
    // A resource referenced from many places is checked against a profile once per validation, not
    // once per reference (and recursively per reference of its own): without this a bundle's cost grows
    // with the number of reference paths rather than the number of entries.
    const memo = v !== null && typeof v === 'object' ? this.conformanceMemo.get(v) : undefined;
    const known = memo?.get(canonical);
    if (known !== undefined) return known;
    const result = this.probeConformance(v, canonical);
    if (v !== null && typeof v === 'object') {
      if (memo) memo.set(canonical, result);
      else this.conformanceMemo.set(v, new Map([[canonical, result]]));
    }
    return result;
  }

  private conformanceMemoMap: WeakMap<object, Map<string, boolean>> | undefined;

  /** Profile verdicts per value already probed (made on first use; shared with probes). */
  private get conformanceMemo(): WeakMap<object, Map<string, boolean>> {
    return (this.conformanceMemoMap ??= new WeakMap());
  }

  private set conformanceMemo(memo: WeakMap<object, Map<string, boolean>>) {
    this.conformanceMemoMap = memo;
  }

  private probeConformance(v: unknown, canonical: string): boolean {
    const prof = this.registry.get(canonical);
    if (!prof) return false;
    const probe = new Run(this.registry, { ...this.opts, maxIssues: 50 });
    probe.root = this.root;
    probe.conformanceMemo = this.conformanceMemo;
    probe.checkingTargets = this.checkingTargets;
    probe.depth = this.depth;
    probe.bundle = this.bundle;
    // The constrained type decides how to check, not the declared kind (some profiles misstate it).
    if (this.registry.resourceType(prof.type)) probe.validateResource(v, prof.type, [prof], undefined);
    else if (v === null || typeof v !== 'object') probe.validatePrimitive(prof.root, prof.type, v, prof.type);
    else {
      try {
        probe.validateObject(prof.root, v, prof.type, prof.type);
      } catch {
        return false;
      }
    }
    return !probe.issues.some((i) => i.severity === 'error' || i.severity === 'fatal');
  }

  /** Finds the element definition a discriminator path points to, below a slice. */
  private findDefinition(slice: ElementNode, dpath: string): ElementNode | undefined {
    let node: ElementNode | undefined = slice;
    for (const seg of splitPath(dpath)) {
      if (!node) return undefined;
      if (seg === '$this') continue;
      if (seg.startsWith('ofType(')) continue;
      if (seg === 'resolve()') {
        const tp: string | undefined = node.types[0]?.targetProfiles[0];
        node = tp ? this.registry.get(tp)?.root : undefined;
        continue;
      }
      const ext = /^extension\('([^']*)'\)$/.exec(seg);
      const name = ext ? 'extension' : seg;
      let next: ElementNode | undefined = node.children.find((c) => c.name === name);
      if (!next) {
        const prof = node.types[0]?.profiles[0];
        const typeRoot = prof ? this.registry.get(prof)?.root : node.types[0] ? this.registry.get(node.types[0].code)?.root : undefined;
        next = typeRoot?.children.find((c) => c.name === name);
      }
      if (next && ext) {
        const url = ext[1]!;
        const candidates = allSlices(next).filter((s) => s.types.some((x) => x.profiles.includes(url)) || s.children.some((c) => c.name === 'url' && c.fixed === url));
        // A re-slice with its own children (e.g. extension:type/Single fixing the value) is the most specific.
        next = candidates.reverse().find((s) => s.children.length > 0) ?? candidates[0] ?? next;
        if (next.children.length === 0 && next.types[0]?.profiles[0]) next = this.registry.get(next.types[0].profiles[0])?.root ?? next;
      } else if (next && next.isChoice && next.fixed === undefined && next.pattern === undefined) {
        next = next.slices.find((s) => s.fixed !== undefined || s.pattern !== undefined) ?? next;
      } else if (next && next.slices.length === 1 && next.fixed === undefined && next.pattern === undefined) {
        // A path through an element sliced once (code.coding:SBPCode.code) reaches the values that slice fixes.
        next = next.slices[0]!;
      }
      node = next;
    }
    return node;
  }

  // ---------------------------------------------------------------- references

  private resolveReference(ref: string): Record<string, unknown> | undefined {
    if (ref.startsWith('#')) {
      let s = this.scope;
      while (s && s.contained.size === 0 && s.parent && !s.resource.contained) s = s.parent;
      if (ref === '#') return s?.parent?.resource ?? s?.resource;
      return s?.contained.get(ref.slice(1)) ?? this.scope?.parent?.contained.get(ref.slice(1));
    }
    return resolveInBundles(this.bundle, ref);
  }

  /** A relative reference that several entries match by Type/id but none by fullUrl: reported, true when so. */
  private reportAmbiguous(ref: string, path: string): boolean {
    const holders = ambiguousMatches(this.bundle, ref);
    if (!holders) return false;
    this.issue('BUNDLE_BUNDLE_ENTRY_NOTFOUND_APPARENT', 'error', 'not-found', path, `Can't find '${clip(ref)}' in the bundle. Note that there are ${holders.length} resources in the bundle with the same type and id, but they do not match because of the fullUrl based rules around matching relative references`);
    this.issue('BUNDLE_POSSSIBLE_MATCHES', 'warning', 'not-found', path, `The bundle contains no match for ${clip(ref)} by the rules of Bundle reference resolution, but it has multiple resources that match ${clip(ref)} by resource type and id`);
    for (const h of holders) {
      this.issue('BUNDLE_BUNDLE_POSSIBLE_MATCH_WRONG_FU', 'warning', 'not-found', path, `Entry ${h.index} matches the reference ${clip(ref)} by type and id but its fullUrl ${clip(h.fullUrl)} does not match by Bundle resolution rules`);
    }
    return true;
  }

  private fetch(ref: string): Record<string, unknown> | undefined {
    try {
      return this.opts.fetchReference?.(ref);
    } catch {
      return undefined;
    }
  }

  /** A resolved target must conform to one of the element's non-core target profiles for its type. */
  private checkTargetProfiles(target: Record<string, unknown>, t: CompiledType, path: string): void {
    const rt = target.resourceType;
    const candidates = t.targetProfiles.filter((p) => !p.startsWith('http://hl7.org/fhir/StructureDefinition/'));
    if (candidates.length === 0 || t.targetProfiles.some((p) => p === `http://hl7.org/fhir/StructureDefinition/${String(rt)}`)) return;
    const forType = candidates.filter((p) => this.registry.get(p)?.type === rt);
    if (forType.length === 0) return;
    if (this.checkingTargets.has(target)) return; // circular references: already being checked
    // A chain of references that leads back to the resource being validated (fetched again as a copy)
    // is a circle too: that resource's own findings are reported where it is validated.
    const key = resourceKey(target);
    if (key !== undefined && key === resourceKey(this.root)) return;
    this.checkingTargets.add(target);
    try {
      if (!forType.some((p) => this.conformsTo(target, p))) {
        this.issue('Reference_REF_CantMatchChoice', 'error', 'structure', path, `The referenced ${String(rt)} does not conform to the target profile ${forType.length === 1 ? forType[0] : `any of ${forType.join(', ')}`}`);
      }
    } finally {
      this.checkingTargets.delete(target);
    }
  }

  private checkingTargetsSet: Set<object> | undefined;

  /** Targets whose profile conformance is being checked (made on first use; shared with probes). */
  private get checkingTargets(): Set<object> {
    return (this.checkingTargetsSet ??= new Set());
  }

  private set checkingTargets(set: Set<object>) {
    this.checkingTargetsSet = set;
  }

  /**
   * type.aggregation says where a reference's target may be: contained in the resource, bundled
   * with it, or referenced from elsewhere (not contained). A target that cannot be found must be
   * allowed to live outside the resource and its bundle.
   */
  private checkAggregation(ref: string, modes: string[], found: 'contained' | 'bundled' | 'external' | undefined, path: string): void {
    if (found === undefined) {
      if (!modes.includes('referenced')) this.issue('Reference_REF_NotFound_Bundle', 'error', 'required', path, `Bundled or contained reference not found within the bundle/resource ${clip(ref)}`);
      return;
    }
    const allowed = modes.some((m) => m === (found === 'external' ? 'referenced' : found) || (m === 'referenced' && found === 'bundled'));
    if (!allowed) this.issue('Reference_REF_Aggregation', 'error', 'structure', path, `Reference is ${found === 'bundled' ? 'internal' : found} which isn't supported by the specified aggregation mode(s) for the reference (${modes.join(', ')})`);
  }

  /** Reports each target profile of the element that cannot be found; true when there was one. */
  private unresolvedTargetProfiles(t: CompiledType, path: string): boolean {
    let unresolved = false;
    for (const p of t.targetProfiles) {
      const bar = p.indexOf('|');
      const bare = bar < 0 ? p : p.slice(0, bar);
      if (bare.startsWith(CORE_SD) && bare.indexOf('/', CORE_SD.length) < 0) continue; // core definitions are always known
      if (this.registry.get(bare) ?? this.registry.get(p)) continue;
      unresolved = true;
      this.issue('Reference_REF_CantResolveProfile', 'error', 'not-found', path, `The target profile '${clip(p)}' of this reference could not be found, so the reference cannot be checked against it`);
    }
    return unresolved;
  }

  private checkReference(obj: Record<string, unknown>, path: string, t: CompiledType | undefined): void {
    const ref = obj.reference;
    if (typeof ref !== 'string') return;
    if (ref.startsWith('#')) {
      this.addLocalRef(ref.slice(1));
      if (ref !== '#' && !this.resolveReference(ref)) {
        this.issue('Reference_REF_NotFound_Bundle', 'error', 'structure', `${path}`, `Bundled or contained reference not found within the bundle/resource ${clip(ref)}`);
        return;
      }
    }
    if (looksMalformed(ref, (type) => !!this.registry.resourceType(type))) {
      this.issue('REFERENCE_REF_SUSPICIOUS', 'warning', 'structure', path, `The syntax of the reference '${clip(ref)}' looks incorrect, and it should be checked`);
    }
    const local = this.resolveReference(ref);
    if (!local && this.reportAmbiguous(ref, path)) return;
    const target = local ?? (ref.startsWith('#') ? undefined : this.fetch(ref));
    if (!target && this.bundle?.type === 'parameters' && this.bundle.byTypeId.size > 0 && /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(ref)) {
      this.issue('Reference_REF_CantResolve', 'error', 'not-found', path, `Unable to resolve resource with reference '${clip(ref)}'`);
    }
    if (t?.aggregation) this.checkAggregation(ref, t.aggregation, target ? (ref.startsWith('#') ? 'contained' : local ? 'bundled' : 'external') : undefined, path);
    if (target && t) this.checkTargetProfiles(target, t, path);
    if (target && t && this.unresolvedTargetProfiles(t, path) && t.targetTypes.length === 0 && typeof target.resourceType === 'string') {
      this.issue('ADSFHIR_REFERENCE_NO_TARGET_TYPE', 'error', 'structure', path, `The referenced ${clip(target.resourceType)} cannot be checked: none of the element's target profiles could be found, so no target type is allowed`);
    }
    const allowed = t?.targetTypes ?? [];
    if (allowed.length === 0 || allowed.includes('Resource')) return;
    let actual: string | undefined;
    if (target && typeof target.resourceType === 'string') actual = target.resourceType;
    else if (this.opts.assumeValidRestReferences) {
      const m = /(?:^|\/)([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(\/_history\/[^/]+)?$/.exec(ref);
      if (m && this.registry.resourceType(m[1]!)) actual = m[1];
    }
    if (actual && !allowed.includes(actual)) {
      this.issue('Reference_REF_BadTargetType2', 'error', 'structure', path, `The type '${actual}' implied by the reference URL ${clip(ref)} is not a valid Target for this element (must be one of [${allowed.join(', ')}])`);
    }
    if (!target && this.bundle && (this.bundle.type === 'document' || this.bundle.type === 'message') && !/^(https?|urn):/.test(ref) === false) {
      // Absolute references outside the bundle are allowed; relative ones are checked below.
    }
    if (!target && this.bundle && !ref.startsWith('#') && ref.startsWith('urn:uuid:')) {
      this.issue('Reference_REF_NotFound_Bundle', 'error', 'structure', path, `Bundled or contained reference not found within the bundle/resource ${clip(ref)}`);
    }
  }
}


/** `Type/id` of a resource, when it has both. */
function resourceKey(r: unknown): string | undefined {
  if (!r || typeof r !== 'object') return undefined;
  const { resourceType, id } = r as { resourceType?: unknown; id?: unknown };
  return typeof resourceType === 'string' && typeof id === 'string' ? `${resourceType}/${id}` : undefined;
}


/** The reference validator's rule for a value below minValue (`LT`) or above maxValue (`GT`), by the value's kind. */
function rangeRule(v: number | string, side: 'LT' | 'GT'): string {
  if (typeof v === 'string') return `TYPE_SPECIFIC_CHECKS_DT_DT_${side}`;
  return Number.isInteger(v) ? `Type_Specific_Checks_DT_Integer_${side}` : `Type_Specific_Checks_DT_Decimal_${side}`;
}

function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Names the JSON kind of a value for messages, without echoing content. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an Array';
  if (typeof v === 'object') return 'an Object';
  return `a ${typeof v}`;
}

