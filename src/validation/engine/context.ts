import type { NumberTexts } from '../../format/json-number-texts.js';
import type { Report, ValidationIssue } from '../../plugin-types/index.js';
import type { BundleScope } from '../bundle-scope.js';
import type { CompiledType, ElementNode } from '../model.js';
import type { ProfileRegistry } from '../registry.js';
import type { EngineOptions } from './options.js';
import type { HostFrame } from './frames.js';
import type { HeldResources } from './root-cause.js';

/** The resource being walked, and what rules need to know about it. */
export interface ResourceScope {
  resource: Record<string, unknown>;
  /** '#id' references seen anywhere inside the resource, for dom-3; made on first use (most have none). */
  localRefs: Set<string> | undefined;
  /** Element ids seen in this resource (they must be unique within it). */
  elementIds: Set<string> | undefined;
  contained: Map<string, Record<string, unknown>>;
  parent: ResourceScope | undefined;
  /** Display languages for coded values in this resource, once worked out (null: any language). */
  displayLanguages?: string[] | null;
}

const NO_CONTAINED: Map<string, Record<string, unknown>> = new Map();

/** The scope of a resource the walk enters inside `parent`, its contained resources indexed by id. */
export function openResourceScope(resource: Record<string, unknown>, parent: ResourceScope | undefined): ResourceScope {
  const scope: ResourceScope = { resource, localRefs: undefined, elementIds: undefined, contained: NO_CONTAINED, parent };
  if (Array.isArray(resource.contained)) {
    scope.contained = new Map();
    for (const c of resource.contained) {
      if (c && typeof c === 'object' && typeof (c as { id?: unknown }).id === 'string') scope.contained.set((c as { id: string }).id, c as Record<string, unknown>);
    }
  }
  return scope;
}

/**
 * Binding findings of one resource. The base definition's binding findings wait until the profiles have been
 * walked, and where a profile binds the same element some give way to it (bindingPassMode, flushBaseBindings).
 */
export interface BindingPass {
  mode: 'direct' | 'base' | 'profile';
  /** Made on first use: only resources validated against a profile as well as the base defer anything. */
  deferred?: Map<string, ValidationIssue[]>;
  profiled?: Set<string>;
  /** Elements whose extensible-binding warnings a profile's binding removes (see flushBaseBindings). */
  replacing?: Set<string>;
  /** False where the reference validator would not walk the base at all: the root, with profiles asked for. */
  baseWalkedByReference?: boolean;
}

/**
 * What a rule module sees of the walk: where it is, how to report, and the lookups it may need.
 * The walk ({@link ResourceWalk}) implements it; rules never hold on to it beyond the call.
 */
export interface RuleContext {
  readonly registry: ProfileRegistry;
  readonly options: EngineOptions;
  /** Reports one finding under a rule id (see docs/validation.md, "Rule ids"). */
  readonly report: Report;
  /** Copies issues a plug-in (terminology, invariants) returned, at `path` where they name no location. */
  addIssues(found: readonly ValidationIssue[], path: string): void;
  /** A canonical resource (ValueSet, CodeSystem, Questionnaire, ...) by URL. */
  readonly lookup: (url: string) => Record<string, unknown> | undefined;
  /** A reference resolved inside the instance: contained (`#id`), or in the enclosing Bundle/Parameters. */
  readonly resolveRef: (ref: string) => Record<string, unknown> | undefined;
  /** The outermost resource validated. */
  readonly root: unknown;
  /** The nearest enclosing resource and its state. */
  readonly scope: ResourceScope | undefined;
  /** The nearest enclosing Bundle or Parameters, indexed for reference resolution. */
  readonly bundle: BundleScope | undefined;
  /** FHIR type and JSON object whose properties are being walked (the host of an extension met). */
  readonly hostType: string;
  readonly hostObject: unknown;
  /** The texts of the numbers of the JSON text validated, as written (json-number-texts.ts); undefined for a parsed value. */
  readonly numberTexts: NumberTexts | undefined;
  /** The objects the walk is inside, outermost first; valid during the call only (the walk reuses them). */
  hostFrames(): readonly HostFrame[];
  readonly bindingPass: BindingPass | undefined;
  /**
   * True when `v` validates without errors against the profile (memoised per value and profile). `forReference`:
   * `v` is a reference's target judged against the element's target profiles, as the reference validator's
   * checkReference validates it (validateResource with forReference): whether its contained resources are all
   * referenced (dom-3) is then left to the target's own validation and decides no match.
   */
  conformsTo(v: unknown, canonical: string, forReference?: boolean): boolean;
  /** The errors `v` gives against the profile (for a finding that names them as its reason); `forReference` as above. */
  profileFindings(v: unknown, canonical: string, forReference?: boolean): ValidationIssue[];
  /**
   * The profile a resource inside another is being walked against, while it is (undefined for its base type
   * and for the top-level resource): cardinality findings name it, as the reference validator's do.
   */
  readonly passProfile: string | undefined;
  /** In a profile probe (a walk that only decides whether a value conforms), the value probed; else undefined. */
  readonly probeSubject: unknown;
  /** True in a probe of a reference's target against a target profile (see conformsTo). */
  readonly probeForReference: boolean;
  /** What the profile probes of one validation work out about the resources inside a value (shared by them). */
  readonly probeHeld: WeakMap<object, HeldResources>;
  /**
   * Reports a count finding (min/max of an element or slice). One element's count seen through several
   * definitions at one location (the extension's own profile and the resource profile's slice of it, a base
   * type and a profile) is one defect: `sameAs` names the element as each sees it (its last name and slice,
   * the counts), and the first report is kept. With `reportConsequences`, each definition's finding is kept,
   * as the reference validator reports them.
   */
  reportCount(sameAs: string, rule: string, path: string, message: string): void;
  /** Where a finding that follows from `cause` was first reported in this walk: `path` when this is the first time. */
  firstReport(cause: object, path: string): string;
  /** Records a '#id' reference; it reaches enclosing resources when the current one is left. */
  addLocalRef(id: string): void;
  /** True when the current resource or an enclosing one has contained resources ('#id' targets). */
  hasContained(): boolean;
  /** Walks a JSON object against the children of `node` (for rules that validate against a definition they found). */
  validateObject(node: ElementNode, value: unknown, path: string, type: string): void;
  /** Evaluates the FHIRPath constraints of `node` on `value`. */
  evaluateConstraints(node: ElementNode, value: unknown, path: string, elementType: string): void;
}

/** A rule on a whole resource, registered by resourceType in the rule table. */
export type ResourceRule = (resource: Record<string, unknown>, path: string, ctx: RuleContext) => void;

/**
 * A rule on a complex value of one datatype (Reference, Coding, Narrative, ...), registered by type
 * code in the rule table. `def` is the element definition the value is checked against, `type` the
 * element's type entry for this value (target profiles, aggregation, ...).
 */
export type DatatypeRule = (value: Record<string, unknown>, path: string, def: ElementNode, ctx: RuleContext, type: CompiledType | undefined) => void;

/** A rule on a primitive value that passed its JSON kind and format check. */
export type PrimitiveRule = (value: string | number | boolean, code: string, path: string, def: ElementNode, ctx: RuleContext) => void;
