/**
 * A typed walk of a FHIR JSON resource: every property value with the core ElementDefinition that governs it,
 * so mutation families can pick "a required element", "a date", "a Coding with a required binding" and so on.
 * It reads core definitions only (a profile's constraints are the families' business, see profile-sites.ts).
 */
import type { ElementDefinition, StructureDefinition } from 'fhir/r4';

/** Where definitions come from (the package store of ads-fhir satisfies it). */
export interface Definitions {
  structureDefinition(canonicalOrType: string): StructureDefinition | undefined;
}

export type JsonObject = Record<string, unknown>;

export interface Site {
  /** The object that holds the property. */
  parent: JsonObject;
  /** The JSON property name (`valueQuantity`, `birthDate`). */
  key: string;
  /** Index within the property's array, when it is one. */
  index?: number;
  /** The value itself. */
  value: unknown;
  /** FHIR path of the element in its type (`Patient.contact.name`), without indexes. */
  elementPath: string;
  /** Instance path with indexes (`Patient.contact[0].name`), the way validators report locations. */
  instancePath: string;
  def: ElementDefinition;
  /** The type the property name selects. */
  type: string;
  /** True when the resource of this site is nested (contained, a Bundle entry, a Parameters resource). */
  nested: boolean;
}

/** An object whose children can be inspected: a resource, a datatype or a backbone element. */
export interface ObjectSite {
  obj: JsonObject;
  /** Definitions of the object's children, by element name (`value[x]` kept as is). */
  children: ElementDefinition[];
  elementPath: string;
  instancePath: string;
  /** The resource type when the object is a resource. */
  resourceType?: string;
}

export interface Walk {
  sites: Site[];
  objects: ObjectSite[];
}

const FHIRPATH_SYSTEM = 'http://hl7.org/fhirpath/System.';

export function isPrimitiveType(code: string): boolean {
  return /^[a-z]/.test(code) || code.startsWith(FHIRPATH_SYSTEM);
}

/** Walks a resource; unknown properties and unknown types are skipped (they are what some families create). */
export function walkResource(resource: JsonObject, defs: Definitions): Walk {
  const walk: Walk = { sites: [], objects: [] };
  walkAsResource(resource, defs, walk, '', false, 0);
  return walk;
}

function walkAsResource(obj: JsonObject, defs: Definitions, walk: Walk, prefix: string, nested: boolean, depth: number): void {
  const type = obj.resourceType;
  if (typeof type !== 'string' || depth > 12) return;
  const sd = defs.structureDefinition(type);
  if (!sd?.snapshot) return;
  const instancePath = prefix ? `${prefix}` : type;
  walkObject(obj, sd, type, instancePath, defs, walk, nested, depth, type);
}

function childDefinitions(sd: StructureDefinition, path: string): ElementDefinition[] {
  const depth = path.split('.').length + 1;
  return (sd.snapshot?.element ?? []).filter((e) => e.path.startsWith(`${path}.`) && e.path.split('.').length === depth && !(e.id ?? '').includes(':'));
}

/** The definition and type a JSON property name selects among the children, if any. */
export function matchChild(children: ElementDefinition[], key: string): { def: ElementDefinition; type: string } | undefined {
  for (const def of children) {
    const name = def.path.slice(def.path.lastIndexOf('.') + 1);
    if (name === key) return { def, type: def.type?.[0]?.code ?? (def.contentReference ? 'BackboneElement' : 'Element') };
    if (name.endsWith('[x]') && key.startsWith(name.slice(0, -3))) {
      const rest = key.slice(name.length - 3);
      const t = def.type?.find((x) => x.code.charAt(0).toUpperCase() + x.code.slice(1) === rest);
      if (t) return { def, type: t.code };
    }
  }
  return undefined;
}

function walkObject(obj: JsonObject, sd: StructureDefinition, elementPath: string, instancePath: string, defs: Definitions, walk: Walk, nested: boolean, depth: number, resourceType?: string): void {
  const children = childDefinitions(sd, elementPath);
  walk.objects.push({ obj, children, elementPath, instancePath, ...(resourceType ? { resourceType } : {}) });
  for (const key of Object.keys(obj)) {
    if (key === 'resourceType' || key.startsWith('_')) continue;
    const m = matchChild(children, key);
    if (!m) continue;
    const value = obj[key];
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, i) => {
      const index = Array.isArray(value) ? i : undefined;
      const childElementPath = `${elementPath}.${key}`;
      const childInstancePath = `${instancePath}.${key}${index === undefined ? '' : `[${index}]`}`;
      walk.sites.push({ parent: obj, key, ...(index === undefined ? {} : { index }), value: item, elementPath: childElementPath, instancePath: childInstancePath, def: m.def, type: m.type, nested });
      if (!item || typeof item !== 'object' || Array.isArray(item) || isPrimitiveType(m.type)) return;
      const child = item as JsonObject;
      if (m.type === 'Resource' || (typeof child.resourceType === 'string' && /^[A-Z]/.test(m.type) && defs.structureDefinition(m.type)?.kind === 'resource')) {
        walkAsResource(child, defs, walk, childInstancePath, true, depth + 1);
        return;
      }
      const inlinePath = m.def.contentReference ? m.def.contentReference.replace(/^.*#/, '') : m.def.path;
      if (m.def.contentReference || childDefinitions(sd, m.def.path).length > 0) {
        walkObject(child, sd, inlinePath, childInstancePath, defs, walk, nested, depth + 1);
        return;
      }
      const typeSd = defs.structureDefinition(m.type);
      if (typeSd?.snapshot && typeSd.kind !== 'primitive-type') walkObject(child, typeSd, typeSd.type, childInstancePath, defs, walk, nested, depth + 1);
    });
  }
}

/** Sets a site's value (or removes it when `value` is undefined), keeping arrays tidy. */
export function replaceSite(site: Site, value: unknown): void {
  const current = site.parent[site.key];
  if (site.index !== undefined && Array.isArray(current)) {
    if (value === undefined) {
      current.splice(site.index, 1);
      if (current.length === 0) delete site.parent[site.key];
    } else current[site.index] = value;
    return;
  }
  if (value === undefined) delete site.parent[site.key];
  else site.parent[site.key] = value;
}
