/**
 * Resource-level rules that need no element definitions: ValueSet include systems, code systems,
 * search parameters, capability statements, and the reference scan behind dom-3. Each reports through
 * a callback so the engine keeps one issue list.
 */
import { checkCodeSystemProperties } from './code-system-rules.js';
import { clip } from './primitives.js';

import type { Report } from '../plugin-types/index.js';

/** ValueSet.compose include/exclude systems must be absolute URIs (a '#id' is not a code system URL). */
export function checkValueSetSystems(obj: Record<string, unknown>, path: string, report: Report): void {
  const compose = obj.compose as Record<string, unknown> | undefined;
  if (!compose || typeof compose !== 'object') return;
  for (const part of ['include', 'exclude'] as const) {
    const list = compose[part];
    if (!Array.isArray(list)) continue;
    list.forEach((inc, i) => {
      const system = inc && typeof inc === 'object' ? (inc as { system?: unknown }).system : undefined;
      if (typeof system === 'string' && !/^[a-z][a-z0-9+.-]*:/i.test(system)) {
        report('VALUESET_INCLUDE_SYSTEM_ABSOLUTE', 'error', 'invalid', `${path}.compose.${part}[${i}]`, `URI values in ValueSet.compose.${part}.system must be absolute ('${clip(system)}' is not)`);
      }
    });
  }
}

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


/** Best-practice warnings the reference validator gives on code systems, HL7-published ones in particular. */
export function checkCodeSystem(cs: Record<string, unknown>, path: string, lookup: Lookup, report: Report): void {
  const url = typeof cs.url === 'string' ? cs.url : '';
  const hl7 = url.startsWith('http://hl7.org/fhir') || url.startsWith('http://terminology.hl7.org');
  const concepts = Array.isArray(cs.concept) ? cs.concept : [];
  if (cs.content === 'not-present' && concepts.length > 0) {
    report('CODESYSTEM_CS_COUNT_NO_CONTENT_ALLOWED', 'error', 'invalid', `${path}.concept[0]`, 'The code system says it has no content present, but concepts are found');
  }
  checkCodeSystemProperties(cs, path, lookup, report);
  // A supplement takes its case sensitivity from the code system it supplements.
  if (hl7 && cs.caseSensitive === undefined && cs.supplements === undefined) {
    report('CODESYSTEM_CS_HL7_MISSING_ELEMENT_SHOULD', 'warning', 'business-rule', path, 'HL7 Defined CodeSystems SHOULD have a stated value for the caseSensitive element so that users know the status and meaning of the code system clearly');
  }
  if (cs.content === 'complete' && concepts.length === 0) {
    report('CODESYSTEM_CS_COMPLETE_AND_EMPTY', 'warning', 'business-rule', path, "When a CodeSystem has content = 'complete', it doesnt make sense for there to be no concepts defined");
  }
  if (!hl7) return;
  // Reported once, at the first concept without a definition.
  const find = (list: unknown[], base: string): string | undefined => {
    for (let i = 0; i < list.length; i++) {
      const concept = list[i] as { definition?: unknown; concept?: unknown } | null;
      if (!concept || typeof concept !== 'object') continue;
      if (concept.definition === undefined) return `${base}.concept[${i}]`;
      const inner = Array.isArray(concept.concept) ? find(concept.concept, `${base}.concept[${i}]`) : undefined;
      if (inner) return inner;
    }
    return undefined;
  };
  const at = find(concepts, path);
  if (at) report('CODESYSTEM_CONCEPT_NO_DEFINITION', 'warning', 'business-rule', at, 'HL7 Defined CodeSystems should ensure that every concept has a definition');
}

/** Looks up a canonical resource (SearchParameter, CodeSystem...) by URL. */
export type Lookup = (url: string) => Record<string, unknown> | undefined;

/** A SearchParameter derived from another keeps its type. */
export function checkSearchParameter(sp: Record<string, unknown>, path: string, lookup: Lookup, report: Report): void {
  if (typeof sp.derivedFrom !== 'string' || typeof sp.type !== 'string') return;
  const base = lookup(sp.derivedFrom);
  if (base && base.resourceType === 'SearchParameter' && typeof base.type === 'string' && base.type !== sp.type) {
    report('SEARCHPARAMETER_TYPE_WRONG', 'error', 'invalid', path, `The type ${sp.type} is different to the type ${base.type} of ${clip(sp.derivedFrom)} in the derivedFrom SearchParameter`);
  }
}

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
