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
  checkSnapshotGeneration(sd, path, definitions, report);
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
