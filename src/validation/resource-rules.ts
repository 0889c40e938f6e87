/**
 * Resource-level rules that need no element definitions: code systems, capability
 * statements, and the reference scan behind dom-3. Each reports through
 * a callback so the engine keeps one issue list.
 */
import { checkCodeSystemMeta } from './code-system-meta.js';
import { checkCodeSystemProperties } from './code-system-rules.js';
import { clip } from './primitives.js';

import type { Report } from '../plugin-types/index.js';

export function refersToContainer(r: unknown): boolean {
  const stack: unknown[] = [r];
  let budget = 10000;
  while (stack.length && budget-- > 0) {
    const v = stack.pop();
    if (!v || typeof v !== 'object') continue;
    if (!Array.isArray(v) && (v as { reference?: unknown }).reference === '#') return true;
    for (const k in v as object) stack.push((v as Record<string, unknown>)[k]);
  }
  return false;
}


/**
 * CodeSystem authoring rules that need no terminology: the resource as a whole (code-system-meta.ts) and
 * its properties and designations (code-system-rules.ts). `containedIn` is the type of the resource
 * holding it when the code system is contained.
 */
export function checkCodeSystem(cs: Record<string, unknown>, path: string, lookup: Lookup, report: Report, containedIn?: string): void {
  checkCodeSystemMeta(cs, path, lookup, report, containedIn);
  checkCodeSystemProperties(cs, path, lookup, report);
}

/** Looks up a canonical resource (SearchParameter, CodeSystem...) by URL. */
export type Lookup = (url: string) => Record<string, unknown> | undefined;

/** CapabilityStatement search parameters must have the type of the SearchParameter they cite. */
export function checkCapabilityStatement(cs: Record<string, unknown>, path: string, lookup: Lookup, report: Report): void {
  const rests = Array.isArray(cs.rest) ? cs.rest : [];
  rests.forEach((rest, r) => {
    const resources = rest && typeof rest === 'object' && Array.isArray((rest as { resource?: unknown }).resource) ? ((rest as { resource: unknown[] }).resource) : [];
    resources.forEach((res, i) => {
      const params = res && typeof res === 'object' && Array.isArray((res as { searchParam?: unknown }).searchParam) ? (res as { searchParam: unknown[] }).searchParam : [];
      params.forEach((p, j) => {
        const { definition, type } = (p ?? {}) as { definition?: unknown; type?: unknown };
        if (typeof definition !== 'string' || typeof type !== 'string') return;
        const sp = lookup(definition);
        if (sp && sp.resourceType === 'SearchParameter' && typeof sp.type === 'string' && sp.type !== type) {
          report('CapabalityStatement_CS_SP_WrongType', 'error', 'invalid', `${path}.rest[${r}].resource[${i}].searchParam[${j}]`, `Type mismatch - SearchParameter '${clip(definition)}' type is ${sp.type}, but type here is ${type}`);
        }
      });
    });
  });
}
