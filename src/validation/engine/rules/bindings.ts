/**
 * Terminology bindings, through the BindingChecker plug-in: each bound coded value is checked once per
 * compiled binding and display language (clean results are memoised); the base definition's findings give way
 * to a profile's binding of the same element as the reference's do (see flushBaseBindings).
 */
import type { BindingChecker, ValidationIssue } from '../../../plugin-types/index.js';
import { CLEAN, CLEAN_NO_HINTS, type CleanValues, cleanBindings, NOT_SEEN } from '../../binding-memo.js';
import type { ElementNode } from '../../model.js';
import { readPrimitiveText } from '../../primitives.js';
import type { BindingPass, RuleContext } from '../context.js';
import { type BoundStatus, boundStatus, terminologyStatusIssues } from './definition-status.js';

type Binding = NonNullable<ElementNode['binding']>;
type BindingCheckArgs = Parameters<BindingChecker['check']>[0];

/** What checking a value against one binding needs that depends on the binding alone: worked out once per binding. */
interface BindingPlan {
  checker: BindingChecker;
  registry: RuleContext['registry'];
  /** The bound ValueSet resource and its status, for the status hints of the value set and its code systems (none for an example binding). */
  status: BoundStatus | undefined;
  /** Values found clean for this binding (see binding-memo.ts). */
  clean: CleanValues;
}

/** Per compiled binding: worked out once, then read for every coded value the binding applies to. */
const plans = new WeakMap<Binding, BindingPlan>();

function planOf(b: Binding, checker: BindingChecker, ctx: RuleContext): BindingPlan {
  const known = plans.get(b);
  // A binding belongs to one registry's compiled profile; a plan made for another checker or registry is remade.
  if (known && known.checker === checker && known.registry === ctx.registry) return known;
  const vs = b.strength === 'example' ? undefined : (b.valueSetResource as Record<string, unknown> | undefined) ?? ctx.lookup(b.valueSet);
  const plan: BindingPlan = { checker, registry: ctx.registry, status: vs?.resourceType === 'ValueSet' ? boundStatus(vs, ctx) : undefined, clean: cleanBindings(checker, b) };
  plans.set(b, plan);
  return plan;
}

/**
 * A CodeableConcept with neither codings nor text (empty, or extensions only) is still a CodeableConcept without
 * a code, and its binding says so as the reference's does (validateBindingCodeableConcept: no coding, so
 * Terminology_TX_Code_ValueSet for a required binding, Terminology_TX_Code_ValueSet_Ext for an extensible one). The
 * checker tells the kinds of coded value apart by their properties, and would take it for a Coding without a system.
 */
export function asCodeableConcept(obj: Record<string, unknown>): Record<string, unknown> {
  return 'coding' in obj || 'text' in obj ? obj : { ...obj, coding: [] };
}

/**
 * The terminology checks of a complex value: against its element's binding; the hint for a binding that names no
 * value set; and, where no value set is bound, a CodeableConcept or a Coding (not one of a CodeableConcept, which its
 * CodeableConcept stands for) against its code systems alone, as the reference's checkCodeableConcept and
 * checkCodedElement do when no binding was checked ("we just check the CodeableConcept generally"): an unknown
 * code or a wrong display of a code system at hand is reported wherever the value is.
 */
export function checkValueTerminology(def: ElementNode, code: string, obj: Record<string, unknown>, path: string, ctx: RuleContext): void {
  if (!ctx.options.terminology) return;
  // A Coding of a CodeableConcept goes with its CodeableConcept.
  const loneCoding = code === 'Coding' && ctx.hostType !== 'CodeableConcept';
  // A Coding without a code is not judged (checkCodedElement: a system and a code; a code without a system has its own
  // warning, given on the way).
  if (loneCoding && readPrimitiveText(obj.code) === undefined) return;
  if (def.binding && (code === 'CodeableConcept' || code === 'Coding' || code === 'Quantity')) {
    checkBinding(def, code === 'CodeableConcept' ? asCodeableConcept(obj) : obj, path, ctx);
    return;
  }
  if (def.bindingNoSource !== undefined && bindingNoSourceApplies(code, obj, ctx.hostType)) reportBindingNoSource(def, path, ctx);
  if (!def.binding && (loneCoding || (code === 'CodeableConcept' && Array.isArray(obj.coding) && obj.coding.length > 0))) {
    checkAgainst(UNBOUND, obj, path, ctx);
  }
}

/** No value set: the checker judges each coding against its code system only (an example binding's checks). */
const UNBOUND: Binding = { strength: 'example', valueSet: '' } as Binding;

/** Checks a coded value (a bare code, Coding, CodeableConcept or Quantity) against node's binding. */
export function checkBinding(node: ElementNode, value: string | Record<string, unknown>, path: string, ctx: RuleContext): void {
  checkAgainst(node.binding!, value, path, ctx);
}

function checkAgainst(b: Binding, value: string | Record<string, unknown>, path: string, ctx: RuleContext): void {
  const pass = ctx.bindingPass;
  if (pass?.mode === 'profile') {
    (pass.profiled ??= new Set()).add(path);
    if (b.strength === 'required') (pass.replacing ??= new Set()).add(path);
  }
  const plan = planOf(b, ctx.options.terminology!, ctx);
  const bound = plan.status;
  // Most coded values repeat (status codes, the same codings): a value found clean once for this compiled binding is
  // clean again, and one found with no status hints (as the most are) needs no look at them either.
  let displayLanguages: string[] | undefined;
  let seen = NOT_SEEN;
  let found: ValidationIssue[] | undefined;
  try {
    displayLanguages = displayLanguagesOf(ctx);
    seen = plan.clean.lookup(displayLanguages, value);
  } catch {
    found = notChecked(b, path);
  }
  if (seen === CLEAN_NO_HINTS) return passedExtensible(b, value, path, pass);
  const status = statusHints(bound, value, path, ctx);
  if (seen === CLEAN) {
    passedExtensible(b, value, path, pass);
    if (status.length > 0) deliver([...status], path, pass, ctx);
    return;
  }
  if (found === undefined) {
    try {
      const args: BindingCheckArgs = { valueSet: b.valueSet, strength: b.strength, value: value as never, path };
      if (b.valueSetResource) args.valueSetResource = b.valueSetResource;
      if (displayLanguages) args.displayLanguages = displayLanguages;
      if (b.maxValueSet && b.strength === 'extensible') args.maxValueSet = b.maxValueSet;
      found = plan.checker.check(args);
      // The status hints follow from the codings' systems alone when the value set's own status is worth none.
      if (found.length === 0) {
        plan.clean.add(displayLanguages, value, status.length === 0 && !bound?.flagged);
        passedExtensible(b, value, path, pass);
      }
    } catch {
      found = notChecked(b, path);
    }
  }
  deliver(status.length > 0 ? [...status, ...found] : found, path, pass, ctx);
}

function notChecked(b: Binding, path: string): ValidationIssue[] {
  return [{ rule: 'ADSFHIR_BINDING_NOT_CHECKED', severity: 'warning', code: 'exception', expression: path, message: `The binding to ${b.valueSet} could not be checked` }];
}

/** The status hints of the bound value set and the value's code systems (a bare code can only meet the value set's own). */
function statusHints(bound: BoundStatus | undefined, value: string | Record<string, unknown>, path: string, ctx: RuleContext): readonly ValidationIssue[] {
  return bound === undefined || (typeof value === 'string' && !bound.flagged) ? NONE : terminologyStatusIssues(bound, value, path, ctx);
}

const NONE: readonly ValidationIssue[] = [];

/** Reports a binding's findings, or defers them while the base definition is walked (see BindingPass). */
function deliver(found: ValidationIssue[], path: string, pass: BindingPass | undefined, ctx: RuleContext): void {
  if (pass?.mode !== 'base') {
    // Most coded values have no findings: nothing to hand over.
    if (found.length > 0) ctx.addIssues(found, path);
    return;
  }
  const deferred = (pass.deferred ??= new Map());
  const list = deferred.get(path) ?? [];
  list.push(...found);
  deferred.set(path, list);
}

/**
 * How one definition's walk of a resource reports its binding findings: the base definition's wait while there are
 * profiles to walk (see flushBaseBindings). The reference validator walks a resource against its base definition and
 * then each profile it claims (InstanceValidator.start), except the root when profiles are asked for
 * (InstanceValidator.validate: validateResource with each of them in place of the base).
 */
export function bindingPassMode(pass: BindingPass, isBase: boolean, definitions: number, rootWithProfilesAsked: boolean): BindingPass['mode'] {
  pass.baseWalkedByReference = !rootWithProfilesAsked;
  if (definitions === 1) return 'direct';
  return isBase ? 'base' : 'profile';
}

/** A CodeableConcept in a profile's extensible value set removes the base's warnings there too (validateBindingCodeableConcept). */
function passedExtensible(b: Binding, value: string | Record<string, unknown>, path: string, pass: BindingPass | undefined): void {
  if (pass?.mode === 'profile' && b.strength === 'extensible' && typeof value === 'object' && 'coding' in value) (pass.replacing ??= new Set()).add(path);
}

/**
 * The warnings of an extensible binding the reference reports "for later removal" (BaseValidator.txWarningForLaterRemoval);
 * its others there say a terminology server could not confirm a code, which ads-fhir never reports.
 */
const REMOVABLE = new Set(['Terminology_TX_NoValid_2_CC', 'Terminology_TX_NoValid_13', 'Terminology_TX_NoValid_17']);

/**
 * Reports the base definition's binding findings. Where the reference would not walk the base at all, a profile's
 * binding of the same element replaces the base's findings there. Otherwise they stay, but for the base's extensible
 * warnings at an element a profile binds as required, or whose CodeableConcept is in the profile's extensible value
 * set: the reference removes those (removeTrackedMessagesForLocation). The base's hints there (the status of its
 * value set and code systems) are left to the profile's binding: the reference gives none for the base's.
 */
export function flushBaseBindings(pass: BindingPass, ctx: RuleContext): void {
  for (const [path, found] of pass.deferred ?? []) {
    if (!pass.profiled?.has(path)) ctx.addIssues(found, path);
    else if (pass.baseWalkedByReference) ctx.addIssues(found.filter((i) => i.severity !== 'information' && !(pass.replacing?.has(path) && REMOVABLE.has(i.rule))), path);
  }
  pass.deferred?.clear();
}

/** The requested display language(s), else the language of the nearest resource that declares one. */
function displayLanguagesOf(ctx: RuleContext): string[] | undefined {
  const scope = ctx.scope;
  if (scope?.displayLanguages !== undefined) return scope.displayLanguages ?? undefined;
  let text = ctx.options.displayLanguage;
  for (let s = scope; text === undefined && s; s = s.parent) {
    if (typeof s.resource.language === 'string') text = s.resource.language;
  }
  const tags = text === undefined ? [] : text.split(',').map((t) => (t.split(';')[0] ?? '').trim()).filter((t) => t !== '' && t !== '*');
  const found = tags.length > 0 ? tags : undefined;
  if (scope) scope.displayLanguages = found ?? null;
  return found;
}

/** True when the value set is known and admits the coded value (no error or warning when checked as required). */
export function inValueSet(valueSet: string, v: unknown, ctx: RuleContext): boolean {
  if (v === null || v === undefined || (typeof v !== 'string' && typeof v !== 'object')) return false;
  try {
    const found = ctx.options.terminology!.check({ valueSet, strength: 'required', value: v as never, path: '' });
    return !found.some((i) => i.severity === 'error' || i.severity === 'fatal' || i.severity === 'warning');
  } catch {
    return false;
  }
}

/**
 * A binding that names no value set cannot be checked: a hint, as the reference gives it (InstanceValidator's
 * checkCodeableConcept, checkCodedElement and checkPrimitiveBinding), for a CodeableConcept, a Coding or
 * Quantity with both system and code (a Coding of a CodeableConcept only through the CodeableConcept), and a
 * primitive of type code with a value. Delivered like a binding's findings, so a profile's binding of the
 * same element replaces the base definition's.
 */
export function reportBindingNoSource(node: ElementNode, path: string, ctx: RuleContext): void {
  const pass = ctx.bindingPass;
  if (pass?.mode === 'profile') (pass.profiled ??= new Set()).add(path);
  const issue: ValidationIssue = {
    rule: 'Terminology_TX_Binding_NoSource',
    severity: 'information',
    code: 'code-invalid',
    expression: path,
    message: `Binding for path ${path} in profile StructureDefinition[${node.bindingNoSource ?? ''}] has no source, so can't be checked`,
  };
  deliver([issue], path, pass, ctx);
}

/** Whether a complex value of type `code` is one the reference checks against a binding without a value set. */
export function bindingNoSourceApplies(code: string | undefined, obj: Record<string, unknown>, hostType: string | undefined): boolean {
  if (code === 'CodeableConcept') return true;
  const coded = typeof obj.system === 'string' && typeof obj.code === 'string';
  if (code === 'Coding') return coded && hostType !== 'CodeableConcept';
  return code === 'Quantity' && coded;
}
