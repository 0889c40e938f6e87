import { r4Model } from './fhirpath-js.js';

const GENERIC_TYPES = new Set(['', 'Element', 'BackboneElement']);
const INDEX = /\[\d*\]/g;

/**
 * The FHIRPath base (a type name or a definition path such as `Patient.contact`) to evaluate an
 * invariant against, so that choice elements and nested backbone elements get their types.
 *
 * Named types are used as they are. Backbone elements are located by matching the longest tail of
 * the instance path below the nearest resource (`Bundle.entry[2].resource.contact[0]` for a Patient
 * gives `Patient.contact`).
 */
export function fhirPathBase(elementType: string, path: string, resourceType: string | undefined): string {
  if (!GENERIC_TYPES.has(elementType) && r4Model().availableTypes.has(elementType)) return elementType;
  if (!resourceType) return elementType;
  const shape = path.replace(INDEX, '');
  const cacheKey = `${elementType}|${resourceType}|${shape}`;
  let base = located.get(cacheKey);
  if (base === undefined) {
    base = locate(elementType, resourceType, shape);
    if (located.size >= MAX_LOCATED) located.clear();
    located.set(cacheKey, base);
  }
  return base;
}

const MAX_LOCATED = 5_000;
/** Instance path shape (indices removed) -> base, since the same shapes recur across resources. */
const located = new Map<string, string>();

function locate(elementType: string, resourceType: string, path: string): string {
  const segments = path.split('.');
  for (let start = 1; start < segments.length; start++) {
    const candidate = `${resourceType}.${segments.slice(start).join('.')}`;
    if (isKnownPath(candidate)) return candidate;
  }
  return elementType || resourceType;
}

function isKnownPath(path: string): boolean {
  const model = r4Model();
  if (model.path2Type[path] !== undefined || model.pathsDefinedElsewhere[path] !== undefined) return true;
  // Recursive structures (Questionnaire.item.item...) are defined once at their first level.
  for (const [prefix, target] of Object.entries(model.pathsDefinedElsewhere)) {
    if (path.startsWith(`${prefix}.`) && isKnownPath(target + path.slice(prefix.length))) return true;
  }
  return false;
}
