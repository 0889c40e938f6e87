/**
 * Authoring rules for StructureDefinitions being validated as resources: a logical model's type must
 * be namespaced unless FHIR defines it, and each type.profile must be a profile of that type.
 */
import type { Report } from './resource-rules.js';

type Obj = Record<string, unknown>;
/** The constrained type of a profile, or undefined when the profile is unknown. */
export type ProfileType = (canonical: string) => string | undefined;

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Obj[]) : [];
}

/** Fixed values of the base definition's snapshot, by element id. */
export type BaseFixed = (baseUrl: string) => Map<string, unknown> | undefined;

export function checkStructureDefinition(
  sd: Obj,
  path: string,
  isKnownType: (name: string) => boolean,
  profileType: ProfileType,
  baseFixed: BaseFixed,
  exists: (url: string) => boolean,
  report: Report,
): void {
  const base = sd.baseDefinition;
  if (typeof base === 'string' && sd.differential !== undefined && (base === sd.url || !exists(base))) {
    report('warning', 'not-found', path, `Unable to find base ${base.slice(0, 100)} for StructureDefinition, so can't check the differential`);
  } else checkFixedAgainstBase(sd, baseFixed, report);
  if (sd.type === 'Extension') {
    list(sd.context).forEach((c, i) => {
      if (c.type === 'element' && c.expression === 'Element') {
        report('warning', 'business-rule', `${path}.context[${i}]`, `Review the extension type for ${String(sd.id ?? sd.name ?? '')}: extensions should not have a context of Element unless it's really intended that they can be used anywhere`);
      }
    });
  }
  const type = sd.type;
  if (sd.kind === 'logical' && typeof type === 'string' && !type.includes(':') && !isKnownType(type)) {
    report('error', 'invalid', `${path}.type`, `The type ${type.slice(0, 60)} is not legal because it is not defined in the FHIR specification. Other types must have a namespace on them`);
  }
  for (const part of ['differential', 'snapshot'] as const) {
    const elements = list((sd[part] as { element?: unknown } | undefined)?.element);
    elements.forEach((e, i) => {
      list(e.type).forEach((t, j) => {
        if (typeof t.code !== 'string' || !Array.isArray(t.profile)) return;
        t.profile.forEach((p: unknown, k: number) => {
          if (typeof p !== 'string') return;
          const actual = profileType(p);
          if (actual !== undefined && actual !== t.code) {
            report('error', 'invalid', `${path}.${part}.element[${i}].type[${j}].profile[${k}]`, `Profile ${p.slice(0, 100)} is for type ${actual}, but the ${String(e.path ?? '')} element has type ${t.code}`);
          }
        });
      });
    });
  }
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
      report('error', 'value', id, `Value is '${String(mine).slice(0, 100)}' but is fixed to '${String(theirs).slice(0, 100)}' in the base profile ${String(sd.baseDefinition).slice(0, 100)}`);
    }
  }
}
