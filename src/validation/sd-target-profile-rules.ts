/**
 * A constraint may narrow the target profiles of a reference only to profiles that are, or derive from, one of
 * the base element's targets (the reference validator's ProfileUtilities.checkTypeDerivation, run while it
 * generates the snapshot of the StructureDefinition being validated; StructureDefinitionValidator reports its
 * messages at the structure). Snapshot generation stops at a type the base does not allow, losing the messages,
 * so the check is left out for a differential that has one.
 */
import type { Report } from '../plugin-types/index.js';
import { objectItems as list } from './values.js';

type Obj = Record<string, unknown>;
type Resolve = (url: string) => Obj | undefined;

const IMPOSE_PROFILE = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-imposeProfile';
const FHIR_TYPE = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';

const str = (v: unknown): string => (typeof v === 'string' ? v.slice(0, 100) : String(v ?? ''));

function workingCode(t: Obj): string | undefined {
  const ext = list(t.extension).find((x) => x.url === FHIR_TYPE);
  const v = ext ? (ext.valueUrl ?? ext.valueUri ?? ext.valueString) : undefined;
  const code = typeof v === 'string' ? v : t.code;
  return typeof code === 'string' ? code : undefined;
}

const targetsOf = (t: Obj): string[] => (Array.isArray(t.targetProfile) ? t.targetProfile.filter((p): p is string => typeof p === 'string') : []);

/** The base element a differential element is laid over: the same id, else the unsliced element of its path. */
function baseElementFor(e: Obj, baseElements: Obj[]): Obj | undefined {
  return baseElements.find((b) => typeof e.id === 'string' && b.id === e.id) ?? baseElements.find((b) => typeof e.path === 'string' && b.id === e.path);
}

/** Whether `url` is one of the targets, or derives from one (through baseDefinition or an imposed profile); an unknown profile passes. */
function conformsToTargets(url: string, targets: string[], resolve: Resolve, seen: Set<string>): boolean {
  if (targets.includes(url) || (url.includes('|') && targets.includes(url.slice(0, url.indexOf('|'))))) return true;
  if (seen.has(url) || seen.size > 30) return true;
  seen.add(url);
  const sd = resolve(url);
  if (!sd) return true;
  if (typeof sd.baseDefinition === 'string' && conformsToTargets(sd.baseDefinition, targets, resolve, seen)) return true;
  return list(sd.extension).some((x) => x.url === IMPOSE_PROFILE && typeof x.valueCanonical === 'string' && conformsToTargets(x.valueCanonical, targets, resolve, seen));
}

export function checkTargetProfileDerivation(sd: Obj, baseElements: Obj[], path: string, resolve: Resolve, report: Report): void {
  if (sd.derivation !== 'constraint' || baseElements.length === 0) return;
  const diff = list((sd.differential as { element?: unknown } | undefined)?.element);
  const pairs = diff.flatMap((e) => {
    const b = list(e.type).length > 0 ? baseElementFor(e, baseElements) : undefined;
    return b ? [{ e, b }] : [];
  });
  // A type the base does not have stops snapshot generation: the reference then reports that instead.
  const illegal = pairs.some(({ e, b }) => {
    const allowed = list(b.type).map(workingCode);
    return list(e.type).some((t) => !allowed.includes(workingCode(t)));
  });
  if (illegal) return;
  const purl = str(sd.url);
  for (const { e, b } of pairs) {
    if (JSON.stringify(e.type) === JSON.stringify(b.type)) continue;
    for (const ts of list(e.type)) {
      const code = workingCode(ts);
      for (const td of list(b.type)) {
        const baseTargets = targetsOf(td);
        if (workingCode(td) !== code || baseTargets.length === 0) continue;
        for (const url of targetsOf(ts)) {
          if (conformsToTargets(url, baseTargets, resolve, new Set())) continue;
          report('Error_at__The_target_profile__is_not__valid_constraint_on_the_base_', 'error', 'business-rule', path, `Error at ${purl}#${str(e.path)}: The target profile ${str(url)} is not a valid constraint on the base (${baseTargets.join(', ')})`);
        }
      }
    }
  }
}
