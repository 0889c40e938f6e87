import type { CodeableConcept, Coding } from 'fhir/r4';
import type { BindingChecker, BindingStrength, ValidationIssue } from '../validation/plugins.js';
import type { Membership } from './code-sets.js';
import { externalCodeProblem, systemName } from './external-systems.js';
import type { CompiledValueSet, LocalTerminology } from './local-terminology.js';
import type { RemoteTerminology } from './remote-terminology.js';
import { terminologyResourceIssues } from './resource-rules.js';

export interface TerminologyBindingCheckerOptions {
  /** Answers for codes the local packages cannot settle; see {@link RemoteTerminology}. */
  remote?: RemoteTerminology;
}

interface CodedItem {
  system?: string;
  code?: string;
  display?: string;
  /** True for a Coding (or a coding of a CodeableConcept), false for a bare code value. */
  fromCoding?: boolean;
  /** Location of this coding (the value's path, or `path.coding[i]`); code-system issues point at its `.code`/`.display`, as the Java validator does. */
  path: string;
}

type Verdict = { kind: 'member'; serverDisplay?: string } | { kind: 'absent'; hint?: string } | { kind: 'unknown'; reason: string };

/**
 * Checks coded values against value set bindings with {@link LocalTerminology}, the way the HL7 Java
 * validator reports them:
 * - not in the value set: required -> error, extensible -> warning, preferred -> information, example -> nothing;
 * - a CodeableConcept passes when any of its codings is in the value set;
 * - a code of a complete local code system that the system does not define -> error, whatever the strength;
 * - a display that matches neither the display nor a designation -> warning;
 * - codes that need SNOMED CT, dm+d, LOINC, ... -> "not checkable offline" (information, required and
 *   extensible bindings only) unless a {@link RemoteTerminology} has the answer.
 */
export class TerminologyBindingChecker implements BindingChecker {
  private readonly remote: RemoteTerminology | undefined;

  constructor(
    readonly terminology: LocalTerminology,
    options: TerminologyBindingCheckerOptions = {},
  ) {
    this.remote = options.remote;
  }

  check(args: { valueSet: string; strength: BindingStrength; value: Coding | CodeableConcept | string; path: string }): ValidationIssue[] {
    try {
      return this.checkBinding(args.valueSet, args.strength, args.value, args.path);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return [issue('warning', 'exception', `The binding to ${args.valueSet} could not be checked: ${why}`, args.path)];
    }
  }

  /**
   * Checks a Coding against its code system alone (unknown code, wrong display), for codings that have
   * no binding. {@link check} already does this for bound values.
   */
  checkCoding(coding: Coding, path: string): ValidationIssue[] {
    try {
      return this.codeSystemIssues({ ...codingFields(coding), fromCoding: true, path }, undefined);
    } catch {
      return [];
    }
  }

  /**
   * Authoring rules for a CodeSystem or ValueSet resource (contained ones included): concept lists,
   * filter values, concept properties, supplements, HL7 code system expectations. Call once per resource;
   * other resource types give no issues. Never throws.
   */
  checkResource(resource: unknown, path: string): ValidationIssue[] {
    try {
      return terminologyResourceIssues(resource, path, this.terminology);
    } catch {
      return [];
    }
  }

  private checkBinding(valueSet: string, strength: BindingStrength, value: Coding | CodeableConcept | string, path: string): ValidationIssue[] {
    const items = codedItems(value, path);
    const vs = strength === 'example' ? undefined : this.terminology.valueSet(valueSet);
    const verdicts = items.map((item) => this.verdict(vs, item));
    const issues: ValidationIssue[] = [];
    items.forEach((item, i) => {
      const v = verdicts[i];
      issues.push(...this.codeSystemIssues(item, v?.kind === 'member' ? v.displays : undefined));
    });
    if (strength === 'example') return issues;
    if (!vs) {
      if (strength !== 'preferred') issues.push(issue('warning', 'not-found', `The value set ${valueSet} is not known, so the ${strength} binding at ${path} cannot be checked`, path));
      return issues;
    }
    if (items.length === 0) {
      const text = typeof value === 'object' && value !== null && 'text' in value && value.text ? ` (text only: '${value.text}')` : '';
      if (strength === 'required') issues.push(issue('error', 'code-invalid', `No code provided${text}, and a code is required from the value set ${label(vs)}`, path));
      else if (strength === 'extensible') issues.push(issue('warning', 'code-invalid', `No code provided${text}, and a code should be provided from the value set ${label(vs)}`, path));
      return issues;
    }
    const settled = verdicts.map((v, i) => (v.kind === 'unknown' ? this.askRemote(valueSet, items[i] as CodedItem, v) : v));
    settled.forEach((v, i) => {
      const item = items[i] as CodedItem;
      const server = v.kind === 'member' && 'serverDisplay' in v ? v.serverDisplay : undefined;
      if (server !== undefined && item.display !== undefined && normaliseDisplay(item.display) !== normaliseDisplay(server)) {
        issues.push(issue('warning', 'invalid', `Wrong display '${item.display}' for ${item.system ?? ''}#${item.code ?? ''}: the terminology server's display is '${server}'`, `${item.path}.display`));
      }
    });
    if (settled.some((v) => v.kind === 'member')) return issues;
    const unknown = settled.find((v): v is Extract<Verdict, { kind: 'unknown' }> => v.kind === 'unknown');
    if (unknown) {
      if (strength !== 'preferred') {
        issues.push(issue('information', 'informational', `${describe(value, items)} could not be checked against the value set ${label(vs)} offline: ${unknown.reason}`, path));
      }
      return issues;
    }
    const hints = settled.flatMap((v) => (v.kind === 'absent' && v.hint ? [v.hint] : []));
    const hint = hints.length > 0 ? ` (${hints.join('; ')})` : '';
    const what = items.length > 1 ? `${describe(value, items)} is in the value set ${label(vs)}` : `${describe(value, items)} is not in the value set ${label(vs)}`;
    if (strength === 'required' && typeof value === 'string') {
      // As the Java validator does for a bare code: no system of the value set defines it.
      issues.push(issue('error', 'code-invalid', `The system URI could not be determined for the code '${value}' in the value set ${label(vs)}`, path));
    }
    if (strength === 'required') issues.push(issue('error', 'code-invalid', `${what}, and a code is required from this value set${hint}`, path));
    else if (strength === 'extensible') issues.push(issue('warning', 'code-invalid', `${what}, and a code should come from this value set unless it has no suitable code (the validator cannot judge what is suitable)${hint}`, path));
    else issues.push(issue('information', 'code-invalid', `${what}, and a code is recommended to come from this value set${hint}`, path));
    return issues;
  }

  private verdict(vs: CompiledValueSet | undefined, item: CodedItem): Membership {
    if (!vs) return { kind: 'absent' };
    if (!item.code) return { kind: 'absent', hint: 'a coding without a code' };
    return vs.codes.test(item.system, item.code);
  }

  private askRemote(valueSet: string, item: CodedItem, local: Extract<Membership, { kind: 'unknown' }>): Verdict {
    if (!this.remote || !item.code) return local;
    const request = { valueSet, code: item.code, ...(item.system ? { system: item.system } : {}), ...(item.display ? { display: item.display } : {}) };
    const answer = this.remote.lookup(request);
    if (!answer) return { kind: 'unknown', reason: `${local.reason}; it is queued for the terminology server` };
    if ('failed' in answer) return { kind: 'unknown', reason: `${local.reason}, and the terminology server could not answer (${answer.failed})` };
    if (answer.result) return answer.display === undefined ? { kind: 'member' } : { kind: 'member', serverDisplay: answer.display };
    return { kind: 'absent', ...(answer.message ? { hint: `terminology server: ${answer.message}` } : {}) };
  }

  /** Unknown code in a complete local code system; display that matches nothing known for the code. */
  private codeSystemIssues(item: CodedItem, valueSetDisplays: string[] | undefined): ValidationIssue[] {
    if (item.fromCoding && item.code && !item.system) {
      return [issue('warning', 'code-invalid', 'A code with no system has no defined meaning, and it cannot be validated. A system should be provided', item.path)];
    }
    if (!item.system || !item.code) return [];
    const malformed = externalCodeProblem(item.system, item.code);
    if (malformed) return [issue('error', 'code-invalid', `Unknown code '${item.code}' in ${systemName(item.system)}: it is ${malformed}`, `${item.path}.code`)];
    const cs = this.terminology.codeSystem(item.system);
    const concept = cs?.lookup(item.code);
    if (cs && cs.isComplete && cs.hasContent && !concept) {
      const other = cs.lookupIgnoringCase(item.code);
      const hint = other ? ` (codes of this system are case-sensitive: did you mean '${other.code}'?)` : '';
      return [issue('error', 'code-invalid', `Unknown code '${item.code}' in the code system '${cs.title}' (${item.system})${hint}`, `${item.path}.code`)];
    }
    const displays = [...(concept?.displays ?? []), ...(valueSetDisplays ?? [])];
    if (item.display === undefined || displays.length === 0) return [];
    const given = normaliseDisplay(item.display);
    if (displays.some((d) => normaliseDisplay(d) === given)) return [];
    const valid = concept?.display ?? displays[0];
    const others = displays.length > 1 ? ` (or one of ${displays.length - 1} other designations)` : '';
    return [issue('warning', 'invalid', `Wrong display '${item.display}' for ${item.system}#${item.code}: the valid display is '${valid}'${others}`, `${item.path}.display`)];
  }
}

function codedItems(value: Coding | CodeableConcept | string, path: string): CodedItem[] {
  if (typeof value === 'string') return [{ code: value, path }];
  if (value === null || typeof value !== 'object') return [];
  if ('coding' in value || 'text' in value) {
    const codings = Array.isArray((value as CodeableConcept).coding) ? ((value as CodeableConcept).coding as Coding[]) : [];
    return codings.map((c, i) => ({ ...codingFields(c), fromCoding: true, path: `${path}.coding[${i}]` }));
  }
  // A Quantity is checked as the Coding of its system and code, but a unit without a system is normal.
  return [{ ...codingFields(value as Coding), fromCoding: !('value' in value || 'unit' in value), path }];
}

function codingFields(c: Coding): Omit<CodedItem, 'path'> {
  const out: Omit<CodedItem, 'path'> = {};
  if (c && typeof c === 'object') {
    if (typeof c.system === 'string') out.system = c.system;
    if (typeof c.code === 'string') out.code = c.code;
    if (typeof c.display === 'string') out.display = c.display;
  }
  return out;
}

function describe(value: Coding | CodeableConcept | string, items: CodedItem[]): string {
  if (typeof value === 'string') return `The code '${value}'`;
  const codes = items.map((i) => (i.system ? `${systemName(i.system)}#${i.code ?? ''}` : `'${i.code ?? ''}'`));
  return items.length > 1 ? `None of the codings (${codes.join(', ')})` : `The coding ${codes[0] ?? ''}`;
}

function label(vs: CompiledValueSet): string {
  return vs.title === vs.url ? vs.url : `'${vs.title}' (${vs.url})`;
}

function normaliseDisplay(d: string): string {
  return d.trim().replace(/\s+/g, ' ').toLowerCase();
}

function issue(severity: ValidationIssue['severity'], code: string, message: string, expression: string): ValidationIssue {
  return { severity, code, message, expression };
}
