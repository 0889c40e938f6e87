/**
 * An obligation profile (a constraint flagged with the obligation-profile extension) only lays obligations over
 * its base (the reference validator's StructureDefinitionValidator.validateObligationProfileElement and
 * validateObligationProfileElementBinding): each differential element matches an element of the base snapshot
 * by id, keeps its path, and states nothing but id, path, min, max, mustSupport, obligation extensions and a
 * binding the base already has, of which only the strength (unchanged) and additional bindings of a purpose
 * that does not tighten it may be given.
 */
import type { Report } from '../plugin-types/index.js';
import { objectItems as list } from './values.js';

type Obj = Record<string, unknown>;
type Resolve = (url: string) => Obj | undefined;

const OBLIGATION = /^http:\/\/hl7\.org\/fhir\/(tools\/)?StructureDefinition\/obligation$/;
const ADDITIONAL_BINDING = 'http://hl7.org/fhir/tools/StructureDefinition/additional-binding';
const ALLOWED = new Set(['id', 'path', 'min', 'max', 'mustSupport', 'extension', 'binding']);
const TIGHTENING_PURPOSES = new Set(['maximum', 'required', 'extensible']);

const snapshotOf = (sd: Obj): Obj[] => list((sd.snapshot as { element?: unknown } | undefined)?.element);

/** A JSON property's children as the reference walks them: `name` and `_name` are one child, arrays are one child per item. */
function children(e: Obj): [string, number][] {
  const seen = new Map<string, number>();
  for (const key of Object.keys(e)) {
    const name = key.startsWith('_') ? key.slice(1) : key;
    const value = e[key];
    const count = Array.isArray(value) ? value.length : 1;
    seen.set(name, Math.max(seen.get(name) ?? 0, count));
  }
  return [...seen];
}

const firstValue = (x: Obj): unknown => Object.keys(x).filter((k) => k.startsWith('value')).map((k) => x[k])[0];

export function checkObligationElements(sd: Obj, path: string, resolve: Resolve, report: Report): void {
  if (sd.derivation !== 'constraint') return;
  const base = typeof sd.baseDefinition === 'string' ? resolve(sd.baseDefinition) : undefined;
  const baseElements = base ? snapshotOf(base) : [];
  // A base without a snapshot cannot be compared with (the reference always has one).
  if (!base || baseElements.length === 0) return;
  const baseById = new Map(baseElements.map((b) => [String(b.id ?? b.path), b]));
  const baseUrl = `${String(base.url)}${typeof base.version === 'string' ? `|${base.version}` : ''}`;
  list((sd.differential as { element?: unknown } | undefined)?.element).forEach((e, i) => {
    const where = `${path}.differential.element[${i}]`;
    const id = String(e.id ?? e.path ?? '');
    const bed = baseById.get(id);
    if (!bed) {
      if (typeof e.id === 'string') report('SD_OBGLIGATION_PROFILE_UNMATCHED', 'error', 'invalid', where, `The element '${id}' has no equivalent in the profile '${baseUrl}' on which this Obligation Profile is based`);
      return;
    }
    for (const [name, count] of children(e)) {
      if (ALLOWED.has(name)) continue;
      for (let k = 0; k < count; k++) report('SD_OBGLIGATION_PROFILE_ILLEGAL', 'error', 'business-rule', `${where}.${name}[${k}]`, `The element '${id}' has a property '${name}' which is not allowed in Obligation profiles`);
    }
    list(e.extension).forEach((x, j) => {
      if (typeof x.url === 'string' && OBLIGATION.test(x.url)) return;
      report('SD_OBGLIGATION_PROFILE_ILLEGAL', 'error', 'business-rule', `${where}.extension[${j}]`, `The element '${id}' has a property 'extension#${String(x.url ?? '')}' which is not allowed in Obligation profiles`);
    });
    if (typeof e.path === 'string' && e.path !== bed.path) {
      report('SD_OBGLIGATION_PROFILE_PATH_WRONG', 'error', 'invalid', `${where}.path[0]`, `The element '${id}' path value of '${e.path}' doesn't match the base path '${String(bed.path)}'`);
    }
    const binding = e.binding as Obj | undefined;
    if (!binding || typeof binding !== 'object') return;
    if (!bed.binding) {
      report('SD_OBGLIGATION_PROFILE_ILLEGAL_BINDING', 'error', 'invalid', `${where}.binding[0]`, `The element '${id}' has a binding when the base element does not, and this is not allowed in Obligation profiles`);
      return;
    }
    checkBinding(binding, bed.binding as Obj, id, `${where}.binding[0]`, report);
  });
}

function checkBinding(binding: Obj, baseBinding: Obj, id: string, where: string, report: Report): void {
  const baseStrength = baseBinding.strength;
  if (binding.strength !== undefined && binding.strength !== baseStrength) {
    report('SD_OBGLIGATION_PROFILE_INVALID_BINDING_STRENGTH', 'error', 'business-rule', `${where}.strength[0]`, `The element '${id}' has a different binding strength ('${String(binding.strength)}') from the base ('${String(baseStrength ?? 'none')}') which is not allowed in Obligation profiles`);
  }
  list(binding.extension).forEach((x, j) => {
    if (x.url !== ADDITIONAL_BINDING) {
      report('SD_OBGLIGATION_PROFILE_ILLEGAL', 'error', 'business-rule', `${where}.extension[${j}]`, `The element '${id}' has a property 'extension#${String(x.url ?? '')}' which is not allowed in Obligation profiles`);
      return;
    }
    const purpose = list(x.extension).find((p) => p.url === 'purpose');
    const code = purpose ? firstValue(purpose) : undefined;
    if (typeof code === 'string' && TIGHTENING_PURPOSES.has(code)) {
      report('SD_OBGLIGATION_PROFILE_INVALID_BINDING_CODE', 'error', 'invalid', `${where}.extension[${j}]`, `The element '${id}' has an additional binding purpose of '${code}' which is not allowed in Obligation profiles`);
    }
  });
  for (const [name] of children(binding)) {
    if (name === 'extension' || name === 'strength') continue;
    report('SD_OBGLIGATION_PROFILE_ILLEGAL_ON_BINDING', 'error', 'business-rule', `${where}.${name}[0]`, `The element '${id}' has a binding property '${name}' which is not allowed in Obligation profiles`);
  }
}
