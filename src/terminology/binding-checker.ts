import type { CodeableConcept, Coding, ValueSet } from 'fhir/r4';
import { anyCodingKept, codingsAsRead } from './coding-read.js';
import type { BindingChecker, BindingStrength, ValidationIssue } from '../plugin-types/index.js';
import type { Membership } from './code-sets.js';
import { conceptIssues, isInactive, noCodeIssues, unknownCodeIssues } from './concept-issues.js';
import { externalCodeProblem, hasServerSideCoding, systemName } from './external-systems.js';
import { boundVersionIssues } from './coding-version.js';
import { type Inference, inferenceIssues, inferSystem } from './infer-system.js';
import { CIRCULARITY, type CompiledValueSet, type LocalTerminology } from './local-terminology.js';
import { unresolvedImport } from './unresolved-import.js';
import type { RemoteTerminology } from './remote-terminology.js';
import { isConcept, maxValueSetIssues, noCodeForMaximum } from './max-value-set.js';
import { terminologyResourceIssues } from './resource-rules.js';
import { UCUM_SYSTEM, ucumProblem } from './ucum.js';
import { deprecatedInValueSet, flagsConcepts } from './value-set-concept-status.js';
import { displayIssues, normaliseDisplay } from './display-issues.js';

export interface TerminologyBindingCheckerOptions {
  /** Answers for codes the local packages cannot settle; see {@link RemoteTerminology}. */
  remote?: RemoteTerminology;
}

interface CodedItem {
  system: string | undefined;
  code: string | undefined;
  display: string | undefined;
  version: string | undefined;
  /** True for a Coding (or a coding of a CodeableConcept), false for a bare code value. */
  fromCoding: boolean;
  /** True for a coding of a CodeableConcept (the reference judges those through its terminology layer). */
  inConcept: boolean;
  /** Location of this coding (the value's path, or `path.coding[i]`); code-system issues point at its `.code`/`.display`, as the Java validator does. */
  path: string;
}

type BindingCheckArgs = Parameters<BindingChecker['check']>[0];

type Verdict = { kind: 'member'; serverDisplay?: string } | { kind: 'absent'; hint?: string } | { kind: 'unknown'; reason: string };

/**
 * Checks coded values against value set bindings with {@link LocalTerminology}, the way the HL7 Java
 * validator reports them:
 * - not in the value set: required -> error, extensible -> warning, preferred -> information, example -> nothing;
 * - a CodeableConcept passes when any of its codings is in the value set;
 * - a code of a complete local code system that the system does not define -> error, whatever the strength;
 * - a display that matches neither the display nor a designation (in the display languages, when given) -> error,
 *   and the coding then does not count as a member of the value set;
 * - codes that need SNOMED CT, dm+d, LOINC, ... -> "not checkable offline" (information, required and
 *   extensible bindings only) unless a {@link RemoteTerminology} has the answer.
 */
export class TerminologyBindingChecker implements BindingChecker {
  private readonly remote: RemoteTerminology | undefined;
  private readonly inferences = new WeakMap<ValueSet, Map<string, Inference>>();

  constructor(
    readonly terminology: LocalTerminology,
    options: TerminologyBindingCheckerOptions = {},
  ) {
    this.remote = options.remote;
  }

  check(args: BindingCheckArgs): ValidationIssue[] {
    try {
      return this.checkBinding(args);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return [issue('ADSFHIR_BINDING_NOT_CHECKED', 'warning', 'exception', `The binding to ${args.valueSet} could not be checked: ${why}`, args.path)];
    }
  }

  /**
   * Checks a Coding against its code system alone (unknown code, wrong display), for codings that have
   * no binding. {@link check} already does this for bound values.
   */
  checkCoding(coding: Coding, path: string, displayLanguages?: string[]): ValidationIssue[] {
    try {
      return this.codeSystemIssues(codedItem(coding, true, false, path), undefined, displayLanguages);
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

  private checkBinding(args: BindingCheckArgs): ValidationIssue[] {
    const { valueSet, strength, value, path } = args;
    const items = codedItems(value, path);
    const vs = strength === 'example' ? undefined : this.boundValueSet(args);
    const verdicts: Membership[] = [];
    for (const item of items) verdicts.push(this.verdict(vs, item));
    const inactiveFindings = vs?.activeOnly ? this.inactiveMembers(items, verdicts) : [];
    const issues: ValidationIssue[] = [];
    // Without a server, the reference checks nothing of a CodeableConcept with a server-only system: not even that
    // another of its codings has no system (SERVER_SIDE_SYSTEMS).
    // Read only for a coding without a system, the one case it decides (most codings have one).
    let unchecked: boolean | undefined;
    let versioned = false;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (item.version !== undefined) versioned = true;
      if (item.inConcept && !item.system && (unchecked ??= !this.remote && typeof value === 'object' && hasServerSideCoding(value))) continue;
      const v = verdicts[i];
      const found = this.codeSystemIssues(item, v?.kind === 'member' ? v.displays : undefined, args.displayLanguages);
      if (found.length === 0) continue;
      issues.push(...found);
      // As the Java validator does, a coding with a wrong display does not count as a valid code of the value set.
      if (v?.kind === 'member' && found.some((f) => f.severity === 'error' && f.expression === `${item.path}.display`)) verdicts[i] = { kind: 'absent', hint: `the display of ${item.system ?? ''}#${item.code ?? ''} is wrong` };
    }
    if (strength === 'example') return issues;
    if (inactiveFindings.length > 0) issues.push(...inactiveFindings);
    if (versioned) issues.push(...boundVersionIssues(items, isConcept(value), this.boundResource(args), strength, this.terminology, verdicts));
    // A Coding (not of a CodeableConcept) without a system is not checked against the value set at all: the
    // reference warns that it cannot be validated (TERMINOLOGY_TX_SYSTEM_NO_CODE) and goes no further.
    if (items.length === 1 && items[0]!.fromCoding && !items[0]!.inConcept && !items[0]!.system) return issues;
    if (vs?.missingSupplements) {
      // As the reference does, the value set cannot be used for validation at all without them.
      const n = vs.missingSupplements.length;
      return [issue('VALUESET_SUPPLEMENT_MISSING', 'error', 'not-found', `Required supplement${n > 1 ? 's' : ''} not found: ${vs.missingSupplements.join(', ')}`, path)];
    }
    if (vs?.filterErrors) {
      // The value set cannot be expanded, so no code can be judged against it.
      return [...issues, ...vs.filterErrors.map((e) => issue(e.rule, 'error', 'processing', e.message, path))];
    }
    if (!vs) {
      if (this.terminology.codeSystem(valueSet)) {
        // As the reference does: the binding names a code system where a value set belongs.
        issues.push(issue('Terminology_TX_ValueSet_NotFound_CS', 'error', 'code-invalid', `Found a reference to a CodeSystem '${valueSet}' where a ValueSet belongs`, path));
        return issues;
      }
      if (strength !== 'preferred') issues.push(issue('Terminology_TX_ValueSet_NotFound', 'warning', 'not-found', `The value set ${valueSet} is not known, so the ${strength} binding at ${path} cannot be checked`, path));
      return issues;
    }
    if (items.length === 0) {
      const text = typeof value === 'object' && value !== null && 'text' in value && value.text ? ` (text only: '${value.text}')` : '';
      if (strength === 'required') issues.push(issue('Terminology_TX_Code_ValueSet', 'error', 'code-invalid', `No code provided${text}, and a code is required from the value set ${label(vs)}`, path));
      else if (strength === 'extensible' && args.maxValueSet && noCodeForMaximum(value, args.maxValueSet, valueSet, path)) issues.push(noCodeForMaximum(value, args.maxValueSet, valueSet, path)!);
      else if (strength === 'extensible') issues.push(issue('Terminology_TX_Code_ValueSet_Ext', 'warning', 'code-invalid', `No code provided${text}, and a code should be provided from the value set ${label(vs)}`, path));
      return issues;
    }
    // As the reference does, a bare code's system is inferred from the value set first: when that fails, it is in none of its systems.
    const inference = typeof value === 'string' && items[0]?.code ? this.inferSystem(args, items[0].code) : undefined;
    if (inference?.kind === 'failed') verdicts[0] = { kind: 'absent' };
    const settled: Verdict[] = [];
    let anyMember = false;
    for (let i = 0; i < verdicts.length; i++) {
      const local = verdicts[i]!;
      const v = local.kind === 'unknown' ? this.askRemote(valueSet, items[i] as CodedItem, local) : local;
      settled.push(v);
      if (v.kind !== 'member') continue;
      anyMember = true;
      const item = items[i] as CodedItem;
      const server = 'serverDisplay' in v ? v.serverDisplay : undefined;
      if (server !== undefined && item.display !== undefined && normaliseDisplay(item.display) !== normaliseDisplay(server)) {
        issues.push(issue('Display_Name_for__should_be_one_of__instead_of', 'warning', 'invalid', `Wrong display '${item.display}' for ${item.system ?? ''}#${item.code ?? ''}: the terminology server's display is '${server}'`, `${item.path}.display`));
      }
    }
    this.deprecatedMembers(args, items, verdicts, issues);
    if (anyMember) return issues;
    const unknown = settled.find((v): v is Extract<Verdict, { kind: 'unknown' }> => v.kind === 'unknown');
    // A value set that imports itself: the reference stops at the import, whatever the strength, and the code is in no value set.
    const circular = unknown !== undefined && settled.every((v) => v.kind !== 'unknown' || v.reason.startsWith(CIRCULARITY));
    if (circular) issues.push(issue('VALUESET_CIRCULAR_REFERENCE', 'error', 'processing', unknown.reason, path));
    const unresolved = unknown && !circular ? unresolvedImport(value, items[0], settled[0], strength, path, this.terminology) : undefined;
    if (unresolved) return [...issues, unresolved];
    if (unknown && !circular) {
      if (strength !== 'preferred') {
        // As the reference does, a CodeableConcept on an extensible binding with a maximum value set counts as required here.
        issues.push(issue(noServerRule(value, args.maxValueSet && strength === 'extensible' ? 'required' : strength), 'information', 'informational', `${describe(value, items)} could not be checked against the value set ${label(vs)} offline: ${unknown.reason}`, path));
      }
      return issues;
    }
    const hints: string[] = [];
    for (const v of settled) if (v.kind === 'absent' && v.hint) hints.push(v.hint);
    const hint = hints.length > 0 ? ` (${hints.join('; ')})` : '';
    const what = typeof value === 'object' && !isConcept(value)
      ? `The Coding provided (${items[0]?.system ?? ''}#${items[0]?.code ?? ''}) was not found in the value set ${label(vs)}`
      : items.length > 1 ? `${describe(value, items)} is in the value set ${label(vs)}` : `${describe(value, items)} is not in the value set ${label(vs)}`;
    if (strength === 'required' && typeof value === 'string' && !circular) {
      // As the Java validator does for a bare code: why its system could not be inferred from the value set.
      issues.push(...inferenceIssues(inference, { rule: 'UNABLE_TO_INFER_CODESYSTEM', message: `The system URI could not be determined for the code '${value}' in the value set ${label(vs)}` }, path));
    }
    if (strength === 'required') issues.push(issue(notInValueSetRule(value, strength), 'error', 'code-invalid', `${what}, and a code is required from this value set${hint}`, path));
    else if (strength === 'extensible' && args.maxValueSet) {
      issues.push(...maxValueSetIssues(args.maxValueSet, value, path, notInValueSetRule(value, 'required'), (vs, v, p) => this.checkBinding({ valueSet: vs, strength: 'required', value: v, path: p })));
      // The reference keeps the extensible warning of a CodeableConcept, and drops that of a Coding or code.
      if (isConcept(value)) issues.push(issue(notInValueSetRule(value, strength), 'warning', 'code-invalid', `${what}, and a code should come from this value set unless it has no suitable code (the validator cannot judge what is suitable)${hint}`, path));
    } else if (strength === 'extensible' && isOkExtension(value, valueSet)) return issues;
    else if (strength === 'extensible') issues.push(issue(notInValueSetRule(value, strength), 'warning', 'code-invalid', `${what}, and a code should come from this value set unless it has no suitable code (the validator cannot judge what is suitable)${hint}`, path));
    else issues.push(issue(notInValueSetRule(value, strength), 'information', 'code-invalid', `${what}, and a code is recommended to come from this value set${hint}`, path));
    return issues;
  }

  /** Codes the value set itself lists as withdrawn or deprecated (CONCEPT_DEPRECATED_IN_VALUESET), added to `issues`. */
  private deprecatedMembers(args: BindingCheckArgs, items: CodedItem[], verdicts: Membership[], issues: ValidationIssue[]): void {
    // Most values checked here are in no value set (clean ones are remembered by the caller): nothing to look up then.
    if (!verdicts.some((v) => v.kind === 'member')) return;
    const resource = this.boundResource(args);
    if (!resource || !flagsConcepts(resource)) return;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (verdicts[i]?.kind !== 'member' || !item.system || !item.code) continue;
      const found = deprecatedInValueSet(resource, item.system, item.code, item.path, this.terminology);
      if (found) issues.push(found);
    }
  }

  /** The bound ValueSet resource itself (given with the binding, or by its canonical URL, looked up once per URL). */
  private boundResource(args: BindingCheckArgs): ValueSet | undefined {
    const given = args.valueSetResource;
    if (given && given.resourceType === 'ValueSet') return given as unknown as ValueSet;
    let found = this.boundResources.get(args.valueSet);
    if (found === undefined) this.boundResources.set(args.valueSet, (found = this.terminology.resolver.valueSet(args.valueSet) ?? null));
    return found ?? undefined;
  }

  private readonly boundResources = new Map<string, ValueSet | null>();

  /** The system of a bare code as inferred from the bound ValueSet resource, memoised per value set and code. */
  private inferSystem(args: BindingCheckArgs, code: string): Inference | undefined {
    const vs = this.boundResource(args);
    if (!vs) return undefined;
    let byCode = this.inferences.get(vs);
    if (!byCode) this.inferences.set(vs, (byCode = new Map()));
    let found = byCode.get(code);
    if (!found) byCode.set(code, (found = inferSystem(vs, code, this.terminology)));
    return found;
  }

  private boundValueSet(args: BindingCheckArgs): CompiledValueSet | undefined {
    const given = args.valueSetResource;
    if (given && given.resourceType === 'ValueSet') return this.terminology.valueSetResource(given as unknown as ValueSet);
    return this.terminology.valueSet(args.valueSet);
  }

  private verdict(vs: CompiledValueSet | undefined, item: CodedItem): Membership {
    if (!vs) return { kind: 'absent' };
    if (!item.code) return { kind: 'absent', hint: 'a coding without a code' };
    // A Coding without a system has no defined meaning, so it is in no value set (a bare code is matched by code alone).
    if (item.fromCoding && !item.system) return { kind: 'absent', hint: 'a coding without a system' };
    return vs.codes.test(item.system, item.code);
  }

  /**
   * A value set that excludes inactive codes (`compose.inactive = false`): a member whose concept is inactive in its
   * local code system is an error (the reference's STATUS_CODE_WARNING_CODE) and counts as outside the value set.
   */
  private inactiveMembers(items: CodedItem[], verdicts: Membership[]): ValidationIssue[] {
    const found: ValidationIssue[] = [];
    items.forEach((item, i) => {
      if (verdicts[i]?.kind !== 'member' || !item.system || !item.code) return;
      const concept = this.terminology.codeSystem(item.system)?.lookup(item.code);
      if (!concept || !isInactive(concept)) return;
      verdicts[i] = { kind: 'absent', hint: `${item.code} is not active` };
      found.push(issue('STATUS_CODE_WARNING_CODE', 'error', 'business-rule', `The concept '${item.code}' is valid but is not active`, `${item.path}.code`));
    });
    return found;
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
  private codeSystemIssues(item: CodedItem, valueSetDisplays: string[] | undefined, languages: string[] | undefined): ValidationIssue[] {
    if (item.inConcept && !item.system) {
      return [issue('Coding_has_no_system__cannot_validate', 'warning', 'invalid', CODING_WITHOUT_SYSTEM, item.path)];
    }
    if (item.fromCoding && item.code && !item.system) {
      return [issue('TERMINOLOGY_TX_SYSTEM_NO_CODE', 'warning', 'code-invalid', 'A code with no system has no defined meaning, and it cannot be validated. A system should be provided', item.path)];
    }
    if (item.inConcept && item.system && !item.code) return noCodeIssues(this.terminology.codeSystem(item.system), item);
    if (!item.system || !item.code) return [];
    const malformed = externalCodeProblem(item.system, item.code);
    if (malformed) return [issue('Unknown_Code_in', 'error', 'code-invalid', `Unknown code '${item.code}' in ${systemName(item.system)}: it is ${malformed}`, `${item.path}.code`)];
    const badUnit = item.system === UCUM_SYSTEM ? ucumProblem(item.code) : undefined;
    if (badUnit) return [issue('Unknown_Code_in', 'error', 'code-invalid', `Unknown code '${item.code}' in the CodeSystem '${UCUM_SYSTEM}': ${badUnit}`, `${item.path}.code`)];
    const cs = this.terminology.codeSystem(item.system);
    const concept = cs?.lookup(item.code);
    if (cs && cs.hasContent && !concept) return unknownCodeIssues(cs, item);
    const found: ValidationIssue[] = [];
    if (cs && concept) found.push(...conceptIssues(cs, concept, item));
    // Only a complete local code system knows every designation; other displays are judged less firmly.
    const authoritative = cs !== undefined && cs.isComplete && concept !== undefined;
    found.push(...displayIssues(item, concept, valueSetDisplays, languages, authoritative));
    return found;
  }
}


function codedItems(value: Coding | CodeableConcept | string, path: string): CodedItem[] {
  if (typeof value === 'string') return [{ system: undefined, code: value, display: undefined, version: undefined, fromCoding: false, inConcept: false, path }];
  if (value === null || typeof value !== 'object') return [];
  if ('coding' in value || 'text' in value) {
    const codings = codingsAsRead((value as CodeableConcept).coding);
    const items: CodedItem[] = [];
    if (!codings || !anyCodingKept(codings)) return items;
    for (let i = 0; i < codings.length; i++) {
      const c = codings[i];
      // A coding that is not a JSON object is a structural error of its own, not a coding to judge.
      if (c && typeof c === 'object' && !Array.isArray(c)) items.push(codedItem(c, true, true, `${path}.coding[${i}]`));
    }
    return items;
  }
  // A Quantity is checked as the Coding of its system and code, but a unit without a system is normal.
  return [codedItem(value as Coding, !('value' in value || 'unit' in value), false, path)];
}

/**
 * A Coding's system, code, display and version as the reference's JSON reader reads them: a number or boolean where a
 * string is due is reported (Error_parsing_JSON_the_primitive_value_must_be_a_string) and kept as its text, so
 * `"code": 42` is the code '42'; an array or object is not read at all. Every item has the same fields (absent ones
 * undefined), so the checks that read them see one shape.
 */
function codedItem(c: Coding, fromCoding: boolean, inConcept: boolean, path: string): CodedItem {
  const fields = c && typeof c === 'object' ? c : undefined;
  const display = readText(fields?.display);
  return {
    system: readText(fields?.system),
    code: readText(fields?.code),
    // An empty display is no display (its own finding, Type_Specific_Checks_DT_Primitive_NotEmpty); blanks are one.
    display: display === '' ? undefined : display,
    version: readText(fields?.version),
    fromCoding,
    inConcept,
    path,
  };
}

function readText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

function describe(value: Coding | CodeableConcept | string, items: CodedItem[]): string {
  if (typeof value === 'string') return `The code '${value}'`;
  let codes = '';
  for (let i = 0; i < items.length; i++) {
    const { system, code } = items[i]!;
    codes += `${i > 0 ? ', ' : ''}${system ? `${systemName(system)}#${code ?? ''}` : `'${code ?? ''}'`}`;
  }
  return items.length > 1 ? `None of the codings (${codes})` : `The coding ${codes}`;
}

function label(vs: CompiledValueSet): string {
  return vs.title === vs.url ? vs.url : `'${vs.title}' (${vs.url})`;
}

const CODING_WITHOUT_SYSTEM = 'Coding has no system. A code with no system has no defined meaning, and it cannot be validated. A system should be provided';

/** The reference's rule for a value it cannot check without a terminology service, by kind of value. */
function noServerRule(value: BindingCheckArgs['value'], strength: BindingStrength): string {
  if (typeof value === 'string') return 'Terminology_TX_NoValid_15';
  if ('coding' in value || 'text' in value) return strength === 'required' ? 'TERMINOLOGY_TX_NOSVC_BOUND_REQ' : 'TERMINOLOGY_TX_NOSVC_BOUND_EXT';
  return 'Terminology_TX_Binding_NoServer';
}

/**
 * The reference validator's rule for a value not in a bound value set, by the kind of value (a bare
 * code, a Coding, a CodeableConcept) and the binding strength.
 */
function notInValueSetRule(value: BindingCheckArgs['value'], strength: BindingStrength): string {
  const n = strength === 'required' ? 0 : strength === 'extensible' ? 1 : 2;
  if (typeof value === 'string') return ['Terminology_TX_NoValid_16', 'Terminology_TX_NoValid_17', 'Terminology_TX_NoValid_18'][n]!;
  if ('coding' in value || 'text' in value) return ['Terminology_TX_NoValid_1_CC', 'Terminology_TX_NoValid_2_CC', 'Terminology_TX_NoValid_3_CC'][n]!;
  // A Coding (or a Quantity's unit) is judged by the reference's checkCodedElement, whose keys are _12/_13/_14
  // (_4/_5/_6 belong to its CDA coding path).
  return ['Terminology_TX_NoValid_12', 'Terminology_TX_NoValid_13', 'Terminology_TX_NoValid_14'][n]!;
}

function issue(rule: string, severity: ValidationIssue['severity'], code: string, message: string, expression: string): ValidationIssue {
  return { rule, severity, code, message, expression };
}

/**
 * Values an extensible binding accepts beyond its value set, as the reference's isOkExtension: a FHIRPath
 * system type (`http://hl7.org/fhirpath/System.String`) where FHIR types are bound (ElementDefinition.type.code).
 */
const DEFINED_TYPES = 'http://hl7.org/fhir/ValueSet/defined-types';

function isOkExtension(value: unknown, valueSet: string): boolean {
  // The value first: it is rarely a string of that form, and the URL is then not read at all.
  if (typeof value !== 'string' || !value.startsWith('http://hl7.org/fhirpath/System.')) return false;
  return valueSet === DEFINED_TYPES || valueSet.startsWith(`${DEFINED_TYPES}|`);
}
