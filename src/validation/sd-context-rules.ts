/**
 * An extension's context of type 'element' names an element that exists (the reference validator's
 * StructureDefinitionValidator.checkElementDefinition, walked as its DefinitionNavigator does): the first
 * segment names a core type (or `url#path` a structure), each further segment a child of the previous element
 * by its name (`value` and `value[x]` both name `value[x]`; `valueString` names nothing), going through a
 * content reference or, for an element without children of its own, into its single type's definition.
 */
import type { Report } from '../plugin-types/index.js';
import { CORE_SD_BASE as CORE_SD } from '../systems/index.js';
import { objectItems as list } from './values.js';

type Obj = Record<string, unknown>;
type Resolve = (url: string) => Obj | undefined;

/** Contexts limited to some FHIR versions are checked by the reference against those versions' packages. */
const VERSION_SPECIFIC = 'http://hl7.org/fhir/StructureDefinition/version-specific-use';

const snapshotOf = (sd: Obj | undefined): Obj[] => list((sd?.snapshot as { element?: unknown } | undefined)?.element);
const lastSegment = (p: unknown): string => (typeof p === 'string' ? p.slice(p.lastIndexOf('.') + 1) : '');

interface Place {
  elements: Obj[];
  index: number;
}

export function checkContextElements(sd: Obj, path: string, resolve: Resolve, report: Report): void {
  list(sd.context).forEach((c, i) => {
    if (c.type !== 'element' || typeof c.expression !== 'string') return;
    if (list(c.extension).some((x) => typeof x.url === 'string' && x.url.startsWith(VERSION_SPECIFIC))) return;
    const found = elementExists(c.expression, resolve);
    if (found === false) report('SD_CONTEXT_SHOULD_ELEMENT_NOT_FOUND', 'error', 'invalid', `${path}.context[${i}]`, `The element ${c.expression.slice(0, 200)} is not valid`);
  });
}

/** true / false, or undefined when a structure named by URL is not loaded here (our packages may differ from the reference's). */
function elementExists(expression: string, resolve: Resolve): boolean | undefined {
  const hash = expression.indexOf('#');
  const local = hash >= 0 ? expression.slice(hash + 1) : expression;
  const segments = local.split('.');
  let url = hash >= 0 ? expression.slice(0, hash) : `${CORE_SD}${segments[0]}`;
  // R4 has no CanonicalResource nor MetadataResource: the reference stands in CodeSystem and PlanDefinition.
  if (url === `${CORE_SD}CanonicalResource` && !resolve(url)) url = `${CORE_SD}CodeSystem`;
  else if (url === `${CORE_SD}MetadataResource` && !resolve(url)) url = `${CORE_SD}PlanDefinition`;
  const structure = resolve(url);
  const elements = snapshotOf(structure);
  // The reference's R4 context defines Base (R4's package does not), so a context on it is left alone here.
  if (!structure || elements.length === 0) return hash >= 0 || url === `${CORE_SD}Base` ? undefined : false;
  let place: Place | 'unknown' | undefined = { elements, index: 0 };
  for (let k = 1; k < segments.length && place && place !== 'unknown'; k++) place = childByName(place, segments[k] ?? '', resolve);
  return place === 'unknown' ? undefined : place !== undefined;
}

/** The child named `name`, undefined when there is none, 'unknown' when a profile it goes through is not loaded here. */
function childByName(place: Place, name: string, resolve: Resolve): Place | 'unknown' | undefined {
  const { elements, index } = place;
  const current = elements[index];
  const currentPath = String(current?.path ?? '');
  const matches = (e: Obj) => {
    const n = lastSegment(e.path);
    return n === name || n.startsWith(`${name}[x]`);
  };
  const own: number[] = [];
  for (let i = index + 1; i < elements.length; i++) {
    const p = String(elements[i]?.path ?? '');
    if (!p.startsWith(`${currentPath}.`)) {
      if (p.length < currentPath.length + 1) break;
      continue;
    }
    if (!p.slice(currentPath.length + 1).includes('.') && elements[i]?.sliceName === undefined) own.push(i);
  }
  if (own.length > 0) {
    const hit = own.find((i) => matches(elements[i] ?? {}));
    return hit === undefined ? undefined : { elements, index: hit };
  }
  const ref = current?.contentReference;
  if (typeof ref === 'string') {
    // The reference lists every element under the referenced one, by its last segment.
    const target = ref.slice(ref.indexOf('#') + 1);
    const hit = elements.findIndex((e) => typeof e.path === 'string' && e.path.startsWith(`${target}.`) && matches(e));
    return hit < 0 ? undefined : { elements, index: hit };
  }
  const types = list(current?.type);
  if (types.length !== 1) return undefined;
  const t = types[0] ?? {};
  const profiles = Array.isArray(t.profile) ? t.profile : [];
  if (profiles.length > 1) return undefined;
  const typeDef = typeof profiles[0] === 'string' ? resolve(profiles[0]) : typeof t.code === 'string' ? resolve(t.code.includes(':') ? t.code : `${CORE_SD}${t.code}`) : undefined;
  const typeElements = snapshotOf(typeDef);
  if (typeElements.length === 0) return 'unknown';
  const hit = typeElements.findIndex((e) => typeof e.path === 'string' && e.path.split('.').length === 2 && matches(e));
  return hit < 0 ? undefined : { elements: typeElements, index: hit };
}
