/**
 * Authoring rules for StructureDefinitions being validated as resources: a logical model's type must
 * be namespaced unless FHIR defines it, element paths start with the structure's type, each
 * type.profile must be a profile of that type, slicing is defined once and discriminates on paths the
 * sliced element has, and inherited obligation profiles fit.
 */
import type { Report } from '../plugin-types/index.js';
import { objectItems as list } from './values.js';
import { CORE_SD_BASE as CORE_SD } from '../systems/index.js';
import { checkElementLists } from './sd-element-rules.js';
import { checkStructure } from './sd-structure-rules.js';
import { checkObligationElements } from './sd-obligation-rules.js';
import { checkContextElements } from './sd-context-rules.js';
import { checkSliceMustSupport, slicingEntry } from './sd-slice-consistency.js';
import { checkContextInvariants } from './sd-expression-rules.js';
import { checkTypeValue } from './sd-type-value-rules.js';
import { checkTargetProfileDerivation } from './sd-target-profile-rules.js';
import { checkTypesAgainstGenerated } from './sd-generated-type-rules.js';

type Obj = Record<string, unknown>;
/** The constrained type of a profile, or undefined when the profile is unknown. */
export type ProfileType = (canonical: string) => string | undefined;


/** A canonical resource (e.g. a StructureDefinition) by URL, or undefined when unknown. */
export type Resolve = (url: string) => Obj | undefined;

/** Fixed values of the base definition's snapshot, by element id. */
export type BaseFixed = (baseUrl: string) => Map<string, unknown> | undefined;

/** Lookups beyond the canonical resolver, as the reference's context offers them. */
export interface StructureDefinitionLookups {
  /** A StructureDefinition with its snapshot generated when it has none (as the reference holds them). */
  withSnapshot?: Resolve;
  /** Whether a loaded StructureDefinition derives from the url; undefined when that cannot be told. */
  hasDerived?: (url: string) => boolean | undefined;
}

export function checkStructureDefinition(
  sd: Obj,
  path: string,
  isKnownType: (name: string) => boolean,
  profileType: ProfileType,
  baseFixed: BaseFixed,
  resolve: Resolve,
  report: Report,
  more: StructureDefinitionLookups = {},
): void {
  const withSnapshot = more.withSnapshot ?? resolve;
  const base = sd.baseDefinition;
  if (typeof base === 'string' && sd.differential !== undefined && (base === sd.url || !resolve(base))) {
    report('Unable_to_find_base__for_', 'warning', 'not-found', path, `Unable to find base ${base.slice(0, 100)} for StructureDefinition, so can't check the differential`);
  } else checkFixedAgainstBase(sd, baseFixed, report);
  if (sd.type === 'Extension') {
    list(sd.context).forEach((c, i) => {
      if (c.type === 'element' && c.expression === 'Element') {
        report('SD_CONTEXT_SHOULD_NOT_BE_ELEMENT', 'warning', 'business-rule', `${path}.context[${i}]`, `Review the extension type for ${String(sd.id ?? sd.name ?? '')}: extensions should not have a context of Element unless it's really intended that they can be used anywhere`);
      }
    });
    checkContextElements(sd, path, resolve, report);
  }
  const type = sd.type;
  if (sd.kind === 'logical' && typeof type === 'string' && !type.includes(':') && !isKnownType(type)) {
    report('SD_TYPE_NOT_LOCAL', 'error', 'invalid', `${path}.type`, `The type ${type.slice(0, 60)} is not legal because it is not defined in the FHIR specification. Other types must have a namespace on them`);
  }
  checkTypeNamespace(sd, path, report);
  checkTypeValue(sd, path, resolve, report);
  checkStructure(sd, path, resolve, report);
  const baseSd = typeof base === 'string' ? resolve(base) : undefined;
  if (baseSd?.resourceType === 'StructureDefinition') {
    checkElementLists(sd, baseSd, path, resolve, report, () => withSnapshot(String(base)));
    checkConcreteDescendants(sd, path, more.hasDerived, report);
    checkContextInvariants(sd, path, report);
    const generated = elementsOf(baseSd, 'snapshot').length > 0 ? baseSd : withSnapshot(String(base));
    if (generated) {
      checkTargetProfileDerivation(sd, elementsOf(generated, 'snapshot'), path, resolve, report);
      if (more.withSnapshot) checkTypesAgainstGenerated(sd, generated, path, more.withSnapshot, report);
    }
  }
  checkSpecialisedType(sd, path, resolve, report);
  checkElementPaths(sd, path, report);
  checkSlicing(sd, path, resolve, report);
  // The reference checks inherited obligations only once it has found the base.
  if (baseSd?.resourceType === 'StructureDefinition') checkInheritedObligations(sd, path, resolve, report);
  if (isObligationProfile(sd)) checkObligationElements(sd, path, resolve, report);
  checkBindingsApply(sd, path, report);
  if (elementsOf(sd, 'snapshot').length === 0) checkDifferentialBuildsSnapshot(sd, path, resolve, report);
  for (const part of ['differential', 'snapshot'] as const) {
    const elements = list((sd[part] as { element?: unknown } | undefined)?.element);
    elements.forEach((e, i) => {
      list(e.type).forEach((t, j) => {
        if (typeof t.code !== 'string' || !Array.isArray(t.profile)) return;
        t.profile.forEach((p: unknown, k: number) => {
          if (typeof p !== 'string') return;
          const actual = profileType(p);
          if (actual !== undefined && actual !== t.code) {
            report('SD_ED_TYPE_PROFILE_WRONG', 'error', 'invalid', `${path}.${part}.element[${i}].type[${j}].profile[${k}]`, `Profile ${p.slice(0, 100)} is for type ${actual}, but the ${String(e.path ?? '')} element has type ${t.code}`);
          }
        });
      });
    });
  }
}

/** An abstract structure is expected to have concrete descendants among the loaded definitions. */
function checkConcreteDescendants(sd: Obj, path: string, hasDerived: ((url: string) => boolean | undefined) | undefined, report: Report): void {
  if (sd.abstract !== true || typeof sd.url !== 'string' || hasDerived?.(sd.url) !== false) return;
  const typeName = typeof sd.type === 'string' ? rootName(sd.type) : String(sd.type ?? null);
  report('SD_DERIVATION_NO_CONCRETE', 'warning', 'not-found', path, `${typeName.slice(0, 100)} is labeled as an abstract type, but no concrete descendants were found (check definitions - this is usually an error unless concrete definitions are in some other package)`);
}

/** A constraining profile cannot change a value its base fixes (e.g. a derived extension's url). */
function checkFixedAgainstBase(sd: Obj, baseFixed: BaseFixed, report: Report): void {
  if (sd.derivation !== 'constraint' || typeof sd.baseDefinition !== 'string' || sd.baseDefinition === sd.url) return;
  const fixed = baseFixed(sd.baseDefinition);
  if (!fixed) return;
  for (const e of list((sd.differential as { element?: unknown } | undefined)?.element)) {
    const id = typeof e.id === 'string' ? e.id : typeof e.path === 'string' ? e.path : undefined;
    if (!id || !fixed.has(id)) continue;
    const key = Object.keys(e).find((k) => k.startsWith('fixed'));
    if (!key) continue;
    const mine = e[key];
    const theirs = fixed.get(id);
    if (JSON.stringify(mine) !== JSON.stringify(theirs)) {
      report('_DT_Fixed_Wrong', 'error', 'value', id, `Value is '${String(mine).slice(0, 100)}' but is fixed to '${String(theirs).slice(0, 100)}' in the base profile ${String(sd.baseDefinition).slice(0, 100)}`);
    }
  }
}

function elementsOf(sd: Obj, part: 'differential' | 'snapshot'): Obj[] {
  return list((sd[part] as { element?: unknown } | undefined)?.element);
}

/** The name element paths start with: the type itself, or the last segment of a logical model's type URL. */
function rootName(type: string): string {
  return type.includes('/') ? type.slice(type.lastIndexOf('/') + 1) : type;
}

/** A logical model named by URL should live in the namespace of the structure that defines it. */
function checkTypeNamespace(sd: Obj, path: string, report: Report): void {
  const { type, url } = sd;
  if (sd.kind !== 'logical' || typeof type !== 'string' || typeof url !== 'string' || !/^[a-z][a-z0-9+.-]*:\/\//i.test(type)) return;
  const marker = url.indexOf('/StructureDefinition/');
  const namespace = marker > 0 ? url.slice(0, marker) : url.slice(0, url.lastIndexOf('/'));
  if (namespace && !type.startsWith(`${namespace}/`)) {
    report('SD_TYPE_NOT_MATCH_NS', 'warning', 'invalid', `${path}.type`, `The type namespace ${type.slice(0, 100)} SHOULD match the url namespace ${url.slice(0, 100)} for the definition of the type`);
  }
}

/** A specialisation defines a new type, so it cannot keep the type of the structure it specialises. */
function checkSpecialisedType(sd: Obj, path: string, resolve: Resolve, report: Report): void {
  if (sd.derivation !== 'specialization' || typeof sd.type !== 'string' || typeof sd.baseDefinition !== 'string') return;
  const base = resolve(sd.baseDefinition);
  if (base && base.type === sd.type) {
    report('SD_SPECIALIZED_TYPE_MATCHES', 'error', 'invalid', path, `The type ${sd.type.slice(0, 100)} must not be the same as the type in the base structure ${String(base.type).slice(0, 100)} that is being specialised`);
  }
}

function checkElementPaths(sd: Obj, path: string, report: Report): void {
  if (typeof sd.type !== 'string' || sd.type === '') return;
  const root = rootName(sd.type);
  for (const part of ['differential', 'snapshot'] as const) {
    elementsOf(sd, part).forEach((e, i) => {
      const p = e.path;
      if (typeof p !== 'string' || p === root || p.startsWith(`${root}.`)) return;
      report('SD_PATH_TYPE_MISMATCH', 'error', 'business-rule', `${path}.${part}.element[${i}]`, `The path ${p.slice(0, 100)} must start with the type of the structure ${root.slice(0, 100)}`);
    });
  }
}

type Slicing = { discriminator?: unknown; rules?: unknown; ordered?: unknown };

function describeSlicing(s: Slicing): string {
  const order = s.ordered === true ? 'ordered' : s.ordered === false ? 'unordered' : '??';
  const rules = typeof s.rules === 'string' ? s.rules : '??';
  const discriminators = list(s.discriminator).map((d) => `${String(d.type ?? '??')}=${String(d.path ?? '??')}`);
  return `${order}/${rules} [${discriminators.join(', ')}]`;
}

/**
 * Slicing in the differential: a slice may not redefine the slicing its slicing entry set up, and each
 * discriminator path must name something the sliced element has.
 */
function checkSlicing(sd: Obj, path: string, resolve: Resolve, report: Report): void {
  const diff = elementsOf(sd, 'differential');
  const byId = new Map<string, Obj>();
  for (const e of diff) if (typeof e.id === 'string') byId.set(e.id, e);
  checkSliceMustSupport(diff, byId, path, report);
  diff.forEach((e, i) => {
    const slicing = e.slicing as Slicing | undefined;
    if (!slicing || typeof slicing !== 'object') return;
    const entry = slicingEntry(e, byId);
    const entrySlicing = entry?.slicing as Slicing | undefined;
    if (entry && entrySlicing && describeSlicing(entrySlicing) !== describeSlicing(slicing)) {
      report('ATTEMPT_TO_CHANGE_SLICING', 'error', 'invalid', path, `The element at ${String(entry.id)} defines the slicing ${describeSlicing(entrySlicing)} but then an element in the slicing ${String(e.id)} tries to redefine the slicing to ${describeSlicing(slicing)}`);
    }
    list(slicing.discriminator).forEach((d, k) => {
      if (typeof d.path !== 'string' || discriminatorPathFits(sd, e, d.path, resolve) !== 'missing') return;
      report('SD_PATH_NOT_VALID', 'error', 'invalid', `${path}.differential.element[${i}].slicing.discriminator[${k}]`, `The discriminator path '${d.path.slice(0, 100)}' does not appear to be valid for the element that is being sliced '${String(e.path ?? '')}'`);
    });
  });
}

type Fit = 'found' | 'missing' | 'unknown';
const SIMPLE_PATH = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;

/** Whether a plain dotted discriminator path resolves from the sliced element; 'unknown' when it cannot be told. */
function discriminatorPathFits(sd: Obj, e: Obj, discriminatorPath: string, resolve: Resolve): Fit {
  if (discriminatorPath === '$this') return 'found';
  if (!SIMPLE_PATH.test(discriminatorPath) || typeof e.path !== 'string') return 'unknown';
  const steps = discriminatorPath.split('.');
  const ownTypes = list(e.type);
  if (ownTypes.length > 0) return ownTypes.length === 1 ? typeFits(ownTypes[0] as Obj, steps, resolve, 0) : 'unknown';
  const base = typeof sd.baseDefinition === 'string' ? resolve(sd.baseDefinition) : undefined;
  if (!base) return 'unknown';
  const elements = elementsOf(base, 'snapshot');
  const at = elements.find((x) => x.path === e.path);
  return at ? childFits(elements, at, steps, resolve, 0) : 'unknown';
}

/** Resolves `steps` under element `at` of a snapshot: among its children there, else inside its type. */
function childFits(elements: Obj[], at: Obj, steps: string[], resolve: Resolve, depth: number): Fit {
  const [step, ...rest] = steps;
  if (step === undefined) return 'found';
  const atPath = String(at.path);
  const hasChildren = elements.some((x) => typeof x.path === 'string' && x.path.startsWith(`${atPath}.`));
  if (!hasChildren) {
    if (at.contentReference !== undefined) return 'unknown';
    const types = list(at.type);
    return types.length === 1 ? typeFits(types[0] as Obj, steps, resolve, depth) : 'unknown';
  }
  const child = elements.find((x) => typeof x.path === 'string' && namesChild(x.path, atPath, step));
  if (!child) return 'missing';
  return rest.length === 0 ? 'found' : String(child.path).endsWith('[x]') ? 'unknown' : childFits(elements, child, rest, resolve, depth);
}

/** True when `path` is the child `step` of `parent`, a choice element's typed spelling (`valueQuantity`) included. */
function namesChild(path: string, parent: string, step: string): boolean {
  if (path === `${parent}.${step}`) return true;
  if (!path.endsWith('[x]') || !path.startsWith(`${parent}.`)) return false;
  const stem = path.slice(parent.length + 1, -3);
  return step === stem || (step.startsWith(stem) && /^[A-Z]/.test(step.slice(stem.length)));
}

/** Resolves `steps` inside a type (its profile when known, else the base type's definition). */
function typeFits(t: Obj, steps: string[], resolve: Resolve, depth: number): Fit {
  if (depth > 8 || typeof t.code !== 'string') return 'unknown';
  const profile = Array.isArray(t.profile) && typeof t.profile[0] === 'string' ? resolve(t.profile[0]) : undefined;
  const def = profile && elementsOf(profile, 'snapshot').length > 0 ? profile : resolve(t.code.includes(':') ? t.code : `${CORE_SD}${t.code}`);
  const elements = def ? elementsOf(def, 'snapshot') : [];
  const root = elements[0];
  if (!root || typeof root.path !== 'string' || root.path.includes('.')) return 'unknown';
  return childFits(elements, root, steps, resolve, depth + 1);
}

const INHERIT_OBLIGATIONS = /^http:\/\/hl7\.org\/fhir\/(tools\/)?StructureDefinition\/inherit-obligations$/;
const OBLIGATION_PROFILE = /^http:\/\/hl7\.org\/fhir\/(tools\/)?StructureDefinition\/obligation-profile$/;

function isObligationProfile(sd: Obj): boolean {
  return list(sd.extension).some((f) => typeof f.url === 'string' && OBLIGATION_PROFILE.test(f.url) && f.valueBoolean === true);
}

/**
 * A profile inheriting obligations from another must name an obligation profile on the same base, since
 * the obligations are laid over the same elements. As in the reference, a target that cannot be found reads as
 * one not marked as an obligation profile (its existence check tests the structure being validated instead).
 */
function checkInheritedObligations(sd: Obj, path: string, resolve: Resolve, report: Report): void {
  list(sd.extension).forEach((x, i) => {
    if (typeof x.url !== 'string' || !INHERIT_OBLIGATIONS.test(x.url)) return;
    const where = `${path}.extension[${i}]`;
    const valueKey = Object.keys(x).find((k) => k.startsWith('value'));
    const url = valueKey ? x[valueKey] : undefined;
    if (typeof url !== 'string') {
      report('SD_OBGLIGATION_INHERITS_PROFILE_NO_TARGET', 'error', 'invalid', where, 'Unable to read a value from this extension');
      return;
    }
    const target = resolve(url);
    if (!target || !list(target.extension).some((f) => typeof f.url === 'string' && OBLIGATION_PROFILE.test(f.url) && f.valueBoolean === true)) {
      report('SD_OBGLIGATION_INHERITS_PROFILE_NOT_RIGHT_TYPE', 'error', 'invalid', where, `The profile '${url.slice(0, 100)}' is not marked as an obligation profile`);
    } else if (target.baseDefinition !== sd.baseDefinition) {
      report('SD_OBGLIGATION_INHERITS_PROFILE_NOT_RIGHT_BASE', 'error', 'invalid', where, `The profile '${url.slice(0, 100)}' has a different base '${String(target.baseDefinition).slice(0, 100)}' from that expected '${String(sd.baseDefinition).slice(0, 100)}'`);
    }
  });
}

/** Types whose values a binding can constrain. */
const BINDABLE = new Set(['code', 'Coding', 'CodeableConcept', 'CodeableReference', 'Quantity', 'string', 'uri', 'url', 'canonical']);

/** A binding on an element whose types are all non-coded constrains nothing. */
function checkBindingsApply(sd: Obj, path: string, report: Report): void {
  elementsOf(sd, 'differential').forEach((e, i) => {
    const codes = list(e.type).map((t) => t.code);
    if (e.binding === undefined || codes.length === 0 || codes.some((c) => typeof c !== 'string' || BINDABLE.has(c))) return;
    report('SD_ILLEGAL_CHARACTERISTICS', 'error', 'business-rule', `${path}.differential.element[${i}]`, `This element has a Binding but the types [${codes.join(', ')}] do not make this kind of constraint relevant`);
  });
}

const DISCRIMINATOR_TYPES = new Set(['value', 'exists', 'pattern', 'type', 'profile']);

/**
 * Problems that stop a snapshot being generated from the differential (checked when the
 * StructureDefinition has no snapshot of its own): the first one is reported, as generation stops there.
 */
function checkDifferentialBuildsSnapshot(sd: Obj, path: string, resolve: Resolve, report: Report): void {
  const diff = elementsOf(sd, 'differential');
  diff.forEach((e, i) => {
    if (typeof e.path === 'string' && !e.path.includes('.') && e.slicing !== undefined) {
      report('SD_NO_SLICING_ON_ROOT', 'error', 'invalid', `${path}.differential.element[${i}]`, 'Slicing is not allowed at the root of a profile');
    }
  });
  const problem = snapshotBlocker(sd, diff);
  if (problem) report('ERROR_GENERATING_SNAPSHOT', 'error', 'exception', path, `Error generating Snapshot: ${problem} (this usually arises from a problem in the differential)`);
  else checkDifferentialOrder(sd, diff, path, resolve, report);
}

function snapshotBlocker(sd: Obj, diff: Obj[]): string | undefined {
  for (const e of diff) {
    const p = e.path;
    if (typeof p !== 'string') continue;
    if (p.split('.').some((part) => part === '')) return `Invalid path '${p.slice(0, 100)}' in differential in ${String(sd.url ?? '').slice(0, 100)}: name portion missing ('..')`;
    if (!p.includes('.') && e.slicing !== undefined) return `The profile has slicing at the root ('${p.slice(0, 100)}'), which is illegal`;
    const slicing = e.slicing as Slicing | undefined;
    const unknown = list(slicing?.discriminator).find((d) => typeof d.type === 'string' && !DISCRIMINATOR_TYPES.has(d.type));
    if (unknown) return `Unknown DiscriminatorType code '${String(unknown.type).slice(0, 60)}'`;
  }
  return undefined;
}

/**
 * Snapshot generation walks the base in order and consumes the differential as it goes, so an element
 * listed after one that comes later in the base is never matched. Slices, elements inside data types
 * and elements without ids are left out: their place cannot be told from the base snapshot alone.
 */
function checkDifferentialOrder(sd: Obj, diff: Obj[], path: string, resolve: Resolve, report: Report): void {
  if (sd.derivation !== 'constraint' || typeof sd.baseDefinition !== 'string') return;
  const base = resolve(sd.baseDefinition);
  const baseElements = base ? elementsOf(base, 'snapshot') : [];
  const position = new Map<string, number>();
  baseElements.forEach((b, k) => {
    if (typeof b.path === 'string' && !isSliceElement(b) && !position.has(b.path)) position.set(b.path, k);
  });
  const placed = diff.flatMap((e, i) => {
    // Without ids, an element inside a slice cannot be told from one of the unsliced element.
    const k = typeof e.id !== 'string' || isSliceElement(e) || typeof e.path !== 'string' ? undefined : basePosition(e.path, position);
    return k === undefined ? [] : [{ e, i, k }];
  });
  let cursor = 0;
  const matched = new Set<number>();
  for (const k of [...new Set(placed.map((x) => x.k))].sort((a, b) => a - b)) {
    for (const x of placed) {
      if (x.k !== k || x.i < cursor) continue;
      matched.add(x.i);
      cursor = x.i + 1;
    }
  }
  const unmatched = placed.filter((x) => !matched.has(x.i));
  if (unmatched.length === 0) return;
  for (const x of unmatched) {
    report('ADSFHIR_SNAPSHOT_UNMATCHED_ELEMENT', 'error', 'business-rule', `${path}.differential.element[${x.i}]`, `No match found for ${String(x.e.path)} in the generated snapshot: check that the path and definitions are legal in the differential (including order)`);
  }
  const ids = unmatched.map((x) => String(x.e.id ?? x.e.path)).join(', ');
  report('ADSFHIR_SNAPSHOT_UNMATCHED_DIFFERENTIAL', 'error', 'business-rule', path, `The profile ${String(sd.url ?? '')} has ${unmatched.length} ${unmatched.length === 1 ? 'element' : 'elements'} in the differential (id: ${ids}) that don't have a matching element in the snapshot: check that the path and definitions are legal in the differential (including order)`);
}

function isSliceElement(e: Obj): boolean {
  return e.sliceName !== undefined || (typeof e.id === 'string' && e.id.includes(':'));
}

/** Where an element path sits in the base snapshot; a choice element's typed spelling finds its `[x]`. */
function basePosition(elementPath: string, position: Map<string, number>): number | undefined {
  const exact = position.get(elementPath);
  if (exact !== undefined) return exact;
  const cut = elementPath.lastIndexOf('.');
  if (cut < 0) return undefined;
  const parent = elementPath.slice(0, cut);
  for (const [p, k] of position) {
    if (p.endsWith('[x]') && p.lastIndexOf('.') === cut && namesChild(p, parent, elementPath.slice(cut + 1))) return k;
  }
  return undefined;
}
