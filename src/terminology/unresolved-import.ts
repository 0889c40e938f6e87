import type { CodeableConcept, Coding } from 'fhir/r4';
import type { BindingStrength, ValidationIssue } from '../plugin-types/index.js';
import { issue } from './issue.js';
import { type LocalTerminology, UNRESOLVED_VALUE_SET } from './local-terminology.js';
import { isConcept } from './max-value-set.js';

/**
 * A Coding of a complete local code system that no include holds, in a value set that imports one that cannot
 * be found: the reference's terminology layer notes the missing import (Unable_to_resolve_value_Set_, graded as a
 * not-found issue: an error on a required binding when it names an HL7 value set, else a warning) and, unable to
 * say no, does not report the code as outside the value set.
 */
export function unresolvedImport(value: Coding | CodeableConcept | string, item: { system?: string; code?: string } | undefined, verdict: { kind: string; reason?: string } | undefined, strength: BindingStrength, path: string, terminology: LocalTerminology): ValidationIssue | undefined {
  if (typeof value === 'string' || isConcept(value) || !item?.system || !item.code || verdict?.kind !== 'unknown' || !verdict.reason?.startsWith(UNRESOLVED_VALUE_SET)) return undefined;
  const cs = terminology.codeSystem(item.system);
  if (!cs?.isComplete || !cs.lookup(item.code)) return undefined;
  const reason = verdict.reason;
  const hl7 = reason.includes('http://hl7.org/fhir') || reason.includes('http://terminology.hl7.org');
  return issue('Unable_to_resolve_value_Set_', strength === 'required' && hl7 ? 'error' : 'warning', 'not-found', reason, path);
}

