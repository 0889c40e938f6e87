/**
 * Rules on complex values of particular datatypes: codes without a system, and the fixed/pattern values any complex
 * element may carry (Identifier: identifier.ts; Attachment: attachment.ts; Quantity: quantity.ts).
 */
import { clip, readPrimitiveText } from '../../primitives.js';
import { anyCodingKept } from '../../../terminology/coding-read.js';
import { hasServerSideCoding } from '../../../terminology/external-systems.js';
import { fixedMismatch, matchesPattern } from '../../values.js';
import type { ElementNode } from '../../model.js';
import type { RuleContext } from '../context.js';
import { addressPatternFindings, codeableConceptPatternFindings, codingPatternFindings, humanNamePatternFindings, type PatternFinding } from '../../pattern-checks.js';
import { walkedProfile } from './cardinality.js';

/** fixed[x] and pattern[x] of the element definition, for any complex value. */
export function checkFixedAndPattern(obj: Record<string, unknown>, path: string, def: ElementNode, ctx: RuleContext): void {
  if (def.fixed !== undefined) {
    for (const problem of fixedMismatch(def.fixed, obj, path)) ctx.report(problem.rule, 'error', 'value', problem.path, problem.message);
  }
  const namePattern = humanNamePattern(obj, def, path);
  if (namePattern) {
    // The reference compares a HumanName pattern part by part (counts and order included), not by pattern matching.
    for (const f of namePattern) ctx.report(f.rule, 'error', 'value', f.path, f.message);
  } else if (def.pattern !== undefined && !matchesPattern(obj, def.pattern)) {
    const findings = patternFindings(obj, def, path, ctx);
    if (findings && findings.length > 0) for (const f of findings) ctx.report(f.rule, 'error', 'value', f.path, f.message);
    else ctx.report('ADSFHIR_PATTERN_MISMATCH', 'error', 'value', path, `The value does not match the required pattern ${clip(JSON.stringify(def.pattern))}`);
  }
}

/** The findings of a HumanName pattern, when the element is a HumanName and its pattern is one the parts cover. */
function humanNamePattern(obj: Record<string, unknown>, def: ElementNode, path: string): PatternFinding[] | undefined {
  const pattern = def.pattern;
  if (!pattern || typeof pattern !== 'object' || Array.isArray(pattern)) return undefined;
  if (def.types.length !== 1 || def.types[0]!.code !== 'HumanName') return undefined;
  return humanNamePatternFindings(obj, pattern as Record<string, unknown>, path);
}

/** A CodeableConcept, Coding or Address pattern is reported part by part, as the reference does; other types as a whole. */
function patternFindings(obj: Record<string, unknown>, def: ElementNode, path: string, ctx: RuleContext): PatternFinding[] | undefined {
  const pattern = def.pattern;
  if (!pattern || typeof pattern !== 'object' || Array.isArray(pattern)) return undefined;
  const types = def.types.map((t) => t.code);
  const profile = walkedProfile(ctx) ?? def.path;
  const p = pattern as Record<string, unknown>;
  if (types.includes('CodeableConcept') && (p.coding !== undefined || p.text !== undefined)) return codeableConceptPatternFindings(obj, p, path, profile);
  if (types.length === 1 && types[0] === 'Address') return addressPatternFindings(obj, p, path, profile);
  if (types.length === 1 && types[0] === 'Coding') return codingPatternFindings(obj, p, path);
  return undefined;
}
const CODING_WITHOUT_SYSTEM = 'Coding has no system. A code with no system has no defined meaning, and it cannot be validated. A system should be provided';

/** A primitive the JSON reader keeps (an array or object in its place is dropped: the Coding has no system, or code). */
const isRead = (v: unknown): boolean => readPrimitiveText(v) !== undefined;

/** A code with no system means nothing; where a binding is required or extensible the binding check says so instead. */
export function checkCodingSystem(obj: Record<string, unknown>, path: string, def: ElementNode, ctx: RuleContext): void {
  if (ctx.hostType === 'CodeableConcept' && def.binding === undefined) {
    // A coding of a CodeableConcept is judged by the reference's terminology layer, bound or not (the binding
    // check gives the same finding, kept once).
    // Unless a coding beside it is of a system only a terminology server checks: the reference, without one, then
    // checks nothing of the CodeableConcept (hasServerSideCoding).
    // Codings the reader kept nothing of (each property dropped for its shape) are no coding when all are (coding-read.ts).
    const host = ctx.hostObject as { coding?: unknown } | undefined;
    if (!isRead(obj.system) && anyCodingKept(host?.coding) && !hasServerSideCoding(ctx.hostObject)) ctx.report('Coding_has_no_system__cannot_validate', 'warning', 'invalid', path, CODING_WITHOUT_SYSTEM);
    return;
  }
  if (isRead(obj.code) && !isRead(obj.system) && (def.binding === undefined || def.binding.strength === 'example' || def.binding.strength === 'preferred')) {
    ctx.report('TERMINOLOGY_TX_SYSTEM_NO_CODE', 'warning', 'invalid', path, 'A code with no system has no defined meaning, and it cannot be validated. A system should be provided');
  }
}
