/**
 * Rules on a StructureDefinition's differential that need its base: whether a snapshot can be
 * generated from it (and every differential element lands in it), slicing at the root, and
 * bindings on elements whose types cannot carry one.
 */
import type { StructureDefinition } from 'fhir/r4';
import { checkDifferential } from '../packages/snapshot/check.js';
import type { Report } from './resource-rules.js';

/** Types a terminology binding applies to. */
const BINDABLE = new Set(['code', 'Coding', 'CodeableConcept', 'CodeableReference', 'Quantity', 'string', 'uri', 'url', 'canonical']);

type Definitions = (canonicalOrType: string) => StructureDefinition | undefined;

export function checkDifferentialRules(sd: Record<string, unknown>, path: string, definitions: Definitions, report: Report): void {
  const differential = sd.differential as { element?: unknown } | undefined;
  const elements = Array.isArray(differential?.element) ? (differential.element as Record<string, unknown>[]) : [];
  elements.forEach((e, i) => {
    if (!e || typeof e !== 'object') return;
    const at = `${path}.differential.element[${i}]`;
    if (typeof e.path === 'string' && !e.path.includes('.') && e.slicing !== undefined) report('error', 'invalid', at, 'Slicing is not allowed at the root of a profile');
    const types = Array.isArray(e.type) ? (e.type as { code?: unknown }[]).map((t) => t?.code).filter((c): c is string => typeof c === 'string') : [];
    if (e.binding !== undefined && types.length > 0 && !types.some((c) => BINDABLE.has(c))) {
      report('error', 'business-rule', at, `This element has a Binding but the types [${types.join(', ')}] do not make this kind of constraint relevant`);
    }
  });
  checkInheritedObligations(sd, path, definitions, report);
  checkPathsStartWithType(sd, path, definitions, report);
  checkSlicingRedefinition(elements, path, report);
  checkSliceMustSupport(elements, path, report);
  checkDiscriminatorPaths(sd, elements, path, definitions, report);
  checkSnapshotGeneration(sd, path, definitions, report);
}

const INHERIT_OBLIGATIONS = 'http://hl7.org/fhir/StructureDefinition/inherit-obligations';
const OBLIGATION_PROFILE = 'http://hl7.org/fhir/StructureDefinition/obligation-profile';

/** Obligations are inherited from obligation profiles on the same base as the profile inheriting them. */
function checkInheritedObligations(sd: Record<string, unknown>, path: string, definitions: Definitions, report: Report): void {
  const extensions = Array.isArray(sd.extension) ? (sd.extension as { url?: unknown; valueCanonical?: unknown }[]) : [];
  extensions.forEach((x, i) => {
    if (x?.url !== INHERIT_OBLIGATIONS || typeof x.valueCanonical !== 'string') return;
    const source = definitions(x.valueCanonical);
    if (!source) return;
    const marked = (source.extension ?? []).some((e) => e.url === OBLIGATION_PROFILE && e.valueBoolean === true);
    const at = `${path}.extension[${i}]`;
    if (!marked) report('error', 'business-rule', at, `The profile '${x.valueCanonical}' is not marked as an obligation profile`);
    else if (typeof sd.baseDefinition === 'string' && source.baseDefinition !== sd.baseDefinition) {
      report('error', 'business-rule', at, `The profile '${x.valueCanonical}' has a different base '${String(source.baseDefinition)}' from that expected '${sd.baseDefinition}'`);
    }
  });
}

/**
 * Element paths start with the name of the type the structure defines (the last part of a logical
 * model's type URL), and a specialisation defines a type of its own, not its base's.
 */
function checkPathsStartWithType(sd: Record<string, unknown>, path: string, definitions: Definitions, report: Report): void {
  const type = sd.type;
  if (typeof type !== 'string' || type === '') return;
  if (sd.derivation === 'specialization' && typeof sd.baseDefinition === 'string') {
    const base = definitions(sd.baseDefinition);
    if (base?.type === type) report('error', 'invalid', path, `The type ${type} must not be the same as the type in the base structure ${sd.baseDefinition} that is being specialised`);
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(type) && typeof sd.url === 'string') {
    const ns = (u: string): string => (u.includes('/') ? u.slice(0, u.lastIndexOf('/')) : u);
    const own = ns(sd.url);
    if (sd.derivation !== 'constraint' && ns(type) !== own && ns(type) !== own.replace('StructureDefinition/', '')) {
      report('warning', 'invalid', `${path}.type`, `The type namespace of ${type} SHOULD match the url namespace of ${sd.url} for the definition of the type`);
    }
    if (sd.kind !== 'logical') report('error', 'invalid', `${path}.type`, `The type ${type} is a URL, which only logical models may use as a type (this is a ${String(sd.kind)})`);
  }
  const name = type.slice(type.lastIndexOf('/') + 1);
  for (const part of ['differential', 'snapshot'] as const) {
    const list = (sd[part] as { element?: unknown } | undefined)?.element;
    if (!Array.isArray(list)) continue;
    list.forEach((e: Record<string, unknown>, i) => {
      if (!e || typeof e.path !== 'string') return;
      const head = e.path.split('.')[0];
      if (head !== name) report('error', 'invalid', `${path}.${part}.element[${i}]`, `The path ${e.path} must start with the type of the structure ${name}`);
    });
  }
}

interface Slicing {
  discriminator?: { type?: unknown; path?: unknown }[];
  rules?: unknown;
  ordered?: unknown;
}

function describeSlicing(s: Slicing): string {
  const order = s.ordered === true ? 'ordered' : s.ordered === false ? 'unordered' : '??';
  const rules = typeof s.rules === 'string' ? s.rules : '??';
  return `${order}/${rules} [${(s.discriminator ?? []).map((d) => `${String(d.type)}=${String(d.path)}`).join(', ')}]`;
}

/**
 * A slice stated in the same differential as the slicing of its element may not set a different
 * slicing on that element: the discriminators belong to the sliced element.
 */
function checkSlicingRedefinition(elements: Record<string, unknown>[], path: string, report: Report): void {
  const slicingById = new Map<string, Slicing>();
  for (const e of elements) {
    if (!e || typeof e.id !== 'string' || !e.slicing || typeof e.slicing !== 'object') continue;
    const slicing = e.slicing as Slicing;
    const colon = e.id.lastIndexOf(':');
    const slicedId = typeof e.sliceName === 'string' && colon > e.id.lastIndexOf('.') ? e.id.slice(0, colon) : undefined;
    const sliced = slicedId !== undefined ? slicingById.get(slicedId) : undefined;
    if (sliced && describeSlicing(sliced) !== describeSlicing(slicing)) {
      report('error', 'invalid', path, `The element at ${slicedId} defines the slicing ${describeSlicing(sliced)} but then an element in the slicing ${e.id} tries to redefine the slicing to ${describeSlicing(slicing)}`);
    }
    slicingById.set(e.id, slicing);
  }
}

/** Slices of a must-support element are expected to be must-support too. */
function checkSliceMustSupport(elements: Record<string, unknown>[], path: string, report: Report): void {
  const mustSupport = new Map<string, boolean>();
  for (const e of elements) {
    if (!e || typeof e.id !== 'string') continue;
    mustSupport.set(e.id, e.mustSupport === true);
    const colon = e.id.lastIndexOf(':');
    if (typeof e.sliceName !== 'string' || colon < e.id.lastIndexOf('.')) continue;
    const slicedId = e.id.slice(0, colon);
    if (mustSupport.get(slicedId) === true && e.mustSupport !== true) {
      report('warning', 'business-rule', `${path}.differential`, `The slice '${e.sliceName}' on path '${String(e.path)}' is not marked as 'must-support' which is not consistent with the element that defines the slicing, where 'must-support' is true`);
    }
  }
}

/** A discriminator path must start at a child of the element being sliced. */
function checkDiscriminatorPaths(sd: Record<string, unknown>, elements: Record<string, unknown>[], path: string, definitions: Definitions, report: Report): void {
  const base = typeof sd.baseDefinition === 'string' ? definitions(sd.baseDefinition) : undefined;
  if (!base?.snapshot?.element?.length) return;
  elements.forEach((e, i) => {
    const slicing = e?.slicing as Slicing | undefined;
    if (!slicing || typeof e.path !== 'string') return;
    const children = childNames(e.path, e.type, base, definitions);
    if (children.length === 0) return;
    (slicing.discriminator ?? []).forEach((d, j) => {
      if (typeof d.path !== 'string') return;
      const first = d.path.split('.')[0] ?? '';
      if (first === '$this' || first.includes('(') || first === '') return;
      const known = children.some((c) => c === first || (c.endsWith('[x]') && first.startsWith(c.slice(0, -3))));
      if (!known) {
        report('error', 'invalid', `${path}.differential.element[${i}].slicing.discriminator[${j}]`, `The discriminator path '${d.path}' does not appear to be valid for the element that is being sliced '${e.path}'`);
      }
    });
  });
}

/** Names of an element's children: from its datatype, or from the base when it is a backbone element. */
function childNames(elementPath: string, diffTypes: unknown, base: StructureDefinition, definitions: Definitions): string[] {
  const inBase = base.snapshot!.element.find((x) => x.path === elementPath);
  const stated = Array.isArray(diffTypes) ? (diffTypes as { code?: unknown }[]).map((t) => t?.code).filter((c): c is string => typeof c === 'string') : [];
  const codes = stated.length ? stated : (inBase?.type ?? []).map((t) => t.code);
  if (codes.length !== 1) return [];
  const code = codes[0]!;
  if (code === 'BackboneElement' || code === 'Element') {
    if (!inBase) return [];
    const depth = elementPath.split('.').length + 1;
    return base.snapshot!.element.filter((x) => x.path.startsWith(`${elementPath}.`) && x.path.split('.').length === depth).map((x) => x.path.split('.').pop()!);
  }
  const typeDef = /^[A-Za-z]+$/.test(code) ? definitions(code) : undefined;
  const root = typeDef?.snapshot?.element[0]?.path;
  if (!root) return [];
  return typeDef!.snapshot!.element.filter((x) => x.path.split('.').length === 2 && x.path.startsWith(`${root}.`)).map((x) => x.path.split('.')[1]!);
}

/** A profile shipped without a snapshot must yield one from its differential, as the HL7 generator would. */
function checkSnapshotGeneration(sd: Record<string, unknown>, path: string, definitions: Definitions, report: Report): void {
  const snapshot = sd.snapshot as { element?: unknown[] } | undefined;
  if (snapshot?.element?.length || sd.differential === undefined || sd.derivation !== 'constraint') return;
  if (typeof sd.baseDefinition !== 'string' || sd.baseDefinition === sd.url) return;
  const base = definitions(sd.baseDefinition);
  if (!base?.snapshot?.element?.length) return;
  let problems;
  try {
    problems = checkDifferential(sd as unknown as StructureDefinition, base, { structureDefinition: definitions });
  } catch {
    return; // malformed beyond what the structural rules already report
  }
  for (const p of problems) report('error', 'invalid', p.element === undefined ? path : `${path}.differential.element[${p.element}]`, p.message);
}
