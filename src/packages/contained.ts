import type { CanonicalResource } from './types.js';

/**
 * `http://x/StructureDefinition/p#vs` names the resource with id `vs` contained in the resource
 * `http://x/StructureDefinition/p` (as a binding to `#vs` in that profile does).
 */
export function containedByFragment(canonical: string, resolve: (url: string) => CanonicalResource | undefined): CanonicalResource | undefined {
  const hash = canonical.indexOf('#');
  if (hash <= 0) return undefined;
  const container = resolve(canonical.slice(0, hash)) as (CanonicalResource & { contained?: unknown }) | undefined;
  const id = canonical.slice(hash + 1).split('|')[0];
  if (!container || !Array.isArray(container.contained)) return undefined;
  return (container.contained as CanonicalResource[]).find((c) => c && (c as { id?: unknown }).id === id);
}
