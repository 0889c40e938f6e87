import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4';
import { ResourceWalk, type EngineOptions } from './engine/index.js';
import { JsonLocator, placeIssues } from './json-locator.js';
import { countJsonStrings, takeCensus } from './json-census.js';
import { offsetOf, parseWithPositions } from './json-position.js';
import { lenientIssue, readLenientJson } from './json-lenient-issues.js';
import { LineIndex } from '../format/line-index.js';
import type { CompiledProfile } from './model.js';
import { MESSAGE_ID_EXTENSION, RULE_SYSTEM, type ValidationIssue } from '../plugin-types/index.js';
import { ProfileRegistry, type StructureDefinitionSource } from './registry.js';
import { coreResolver } from './core-resolver.js';
import { domainRuleIssues, domainRulesMayApply } from './domain-rules/post-pass.js';
import { LazyNumberTexts, type NumberTexts } from '../format/json-number-texts.js';

/**
 * Options of one validation: the engine's options (see {@link EngineOptions}) and the profiles to
 * validate against, in addition to the resource's meta.profile. Options left undefined fall back to
 * the Validator's defaults.
 */
export interface ValidateOptions extends Omit<EngineOptions, 'maxIssues'> {
  /** Profiles (canonical URLs) to validate against, in addition to the resource's meta.profile. */
  profiles?: string[];
}

/** Options fixed for the life of a Validator: the defaults of every validation, and the issue cap (default 1000). */
export type ValidatorOptions = EngineOptions;

/**
 * Validates FHIR R4 resources. Create one per set of conformance resources and reuse it: each
 * StructureDefinition is compiled to an element tree on first use and kept.
 */
export class Validator {
  private readonly registry: ProfileRegistry;

  constructor(
    resolver: StructureDefinitionSource,
    private readonly defaults: ValidatorOptions = {},
  ) {
    this.registry = new ProfileRegistry(resolver);
  }

  /** Canonical URLs of StructureDefinitions that were needed but had no snapshot. */
  missingSnapshots(): string[] {
    return [...this.registry.missingSnapshots];
  }

  /** Compiles the given profiles now rather than on first use; returns the URLs that did not resolve. */
  precompile(canonicals: string[]): string[] {
    return canonicals.filter((c) => !this.registry.get(c));
  }

  /** Validates a resource (parsed JSON) or JSON text. Never throws. */
  validate(input: unknown, options: ValidateOptions = {}): OperationOutcome {
    return toOperationOutcome(this.validateToIssues(input, options));
  }

  /** As validate, returning the bare issue list. */
  validateToIssues(input: unknown, options: ValidateOptions = {}): ValidationIssue[] {
    return this.validateJsonText(input, options).issues;
  }

  /**
   * As validateToIssues, also giving the payload as `JSON.parse` read it when the input is JSON text it accepts
   * (undefined otherwise), so a caller that needs the payload does not parse it again. The validator does not
   * change what it reads.
   */
  validateJsonText(input: unknown, options: ValidateOptions = {}): { issues: ValidationIssue[]; parsed: unknown } {
    const read: { parsed?: unknown } = {};
    try {
      return { issues: this.run(input, options, read), parsed: read.parsed };
    } catch {
      return { issues: [{ rule: 'ADSFHIR_VALIDATOR_FAILED', severity: 'fatal', code: 'exception', expression: '', message: 'The validator failed on this input; it could not be validated' }], parsed: read.parsed };
    }
  }

  private run(input: unknown, options: ValidateOptions, read: { parsed?: unknown }): ValidationIssue[] {
    if (typeof input !== 'string') return this.validateValue(input, options);
    const text = input;
    let parsed: unknown;
    let strict = true;
    try {
      parsed = JSON.parse(text);
    } catch {
      strict = false;
    }
    if (strict) {
      read.parsed = parsed;
      const notAnObject = textNotAnObject(parsed, text);
      if (notAnObject) return [notAnObject];
      const census = takeCensus(parsed, domainRulesMayApply);
      const issues = this.validateValue(parsed, options, new LazyNumberTexts(text, parsed), census.noted);
      if (issues.length === 0) {
        // Nothing to place: the strings of the text, counted quote to quote, tell a repeated name.
        if (countJsonStrings(text) === census.keys + census.strings) return issues;
      } else {
        // One pass over the text places the issues and counts the property names, duplicates included.
        const locator = new JsonLocator(text, issues.map((i) => i.expression));
        if (locator.keyCount === census.keys) {
          placeIssues(issues, locator);
          return issues;
        }
      }
      // A name repeated in one object: JSON.parse kept the last value, the reference keeps the first and reports
      // the others. Read again as the lenient reader does, which keeps and reports as the reference.
    }
    // The reference reads comments, extra or missing commas and unquoted names as findings, then validates.
    const lenientRead = readLenientJson(text);
    if (!lenientRead) {
      const positioned = parseWithPositions(text);
      const err = positioned.error ?? { message: 'The JSON could not be parsed', line: 1, column: 1 };
      return [{ rule: 'Error_parsing_JSON_', severity: 'fatal', code: 'structure', expression: '', message: `Error parsing JSON: ${err.message}`, line: err.line, column: err.column }];
    }
    const notAnObject = textNotAnObject(lenientRead.value, text);
    if (notAnObject) return [notAnObject];
    const lines = new LineIndex(text);
    const lenient = lenientRead.findings.map((f) => lenientIssue(f, lines));
    if (strict) read.parsed = lenientRead.value;
    const issues = this.validateValue(lenientRead.value, options, lenientRead.numbers);
    // Placed where the lenient reading found each value (the first of a repeated name: the one kept).
    for (const issue of issues) {
      const { line, column } = lines.locate((issue.expression ? offsetOf(lenientRead, issue.expression) : undefined) ?? 0);
      issue.line = line;
      issue.column = column;
    }
    issues.unshift(...lenient);
    return issues;
  }

  /**
   * The walk, then the UK, UCUM and ADS rule modules, on one parsed value. `numbers`: where the walk finds the
   * numbers of the JSON text read as written (format/json-number-texts.ts); none for a value given parsed.
   * `domainRulesApply`: whether some string of the value may make a UK, UCUM or ADS rule apply (looked for here when
   * the caller has not).
   */
  private validateValue(value: unknown, options: ValidateOptions, numbers?: NumberTexts, domainRulesApply?: boolean): ValidationIssue[] {
    let issues: ValidationIssue[] = [];
    const profiles: CompiledProfile[] = [];
    for (const url of options.profiles ?? []) {
      const p = this.registry.get(url);
      if (p) profiles.push(p);
      else if (this.registry.lacksSnapshot(url)) {
        issues.push({ rule: 'Validation_VAL_Profile_NoSnapshot', severity: 'error', code: 'not-supported', expression: '', message: `The profile ${url} has no snapshot, so it could not be used for validation` });
      } else {
        // The reference's validate(..., profile) throws this where the profile asked for is not known; here it is an issue.
        issues.push({ rule: 'Unable_to_locate_the_profile__in_order_to_validate_against_it', severity: 'error', code: 'not-found', expression: '', message: `Unable to locate the profile '${url}' in order to validate against it` });
      }
    }
    const engineOpts = onlyProfiles(options) ? (this.defaultEngineOpts ??= this.engineOptions({})) : this.engineOptions(options);
    const run = new ResourceWalk(this.registry, engineOpts);
    run.numberTexts = numbers;
    run.validateRoot(value, profiles);
    if (issues.length === 0) issues = run.issues;
    else issues.push(...run.issues);
    // The UK, UCUM and ADS rule modules run after the walk, on the same input (see domain-rules/post-pass.ts).
    const mayApply = domainRulesApply ?? takeCensus(value, domainRulesMayApply).noted;
    issues.push(...domainRuleIssues(value, { reported: issues, mayApply }));
    return issues;
  }

  /** Engine options for validations that set nothing but profiles, made once. */
  private defaultEngineOpts: EngineOptions | undefined;

  /** The defaults, overridden by each option the validation sets; the issue cap stays the Validator's. */
  private engineOptions(options: ValidateOptions): EngineOptions {
    const merged: Record<string, unknown> = { ...this.defaults };
    for (const [key, value] of Object.entries(options)) if (key !== 'profiles' && key !== 'maxIssues' && value !== undefined) merged[key] = value;
    return merged as EngineOptions;
  }
}

/**
 * JSON text whose value is not an object holds no resource: the reference's JSON reader stops there with a fatal
 * parse error ("Unexpected content at start of JSON"), at the value's first character. (A parsed value that is
 * not an object is the walk's finding, This_property_must_be_an_object_not_.)
 */
function textNotAnObject(value: unknown, text: string): ValidationIssue | undefined {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return undefined;
  const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
  const { line, column } = new LineIndex(text).locate(Math.max(0, text.search(/[^\s\ufeff]/)));
  return { rule: 'Error_parsing_JSON_', severity: 'fatal', code: 'structure', expression: '', message: `Error parsing JSON: the JSON text holds ${kind}, not an object (a resource)`, line, column };
}

/** True when the options set nothing that changes the engine (only `profiles`, or nothing). */
function onlyProfiles(options: ValidateOptions): boolean {
  for (const key in options) if (key !== 'profiles' && (options as Record<string, unknown>)[key] !== undefined) return false;
  return true;
}

/** The rule id of an OperationOutcome issue (its `operationoutcome-message-id` extension), if it has one. */
export function ruleOf(issue: OperationOutcomeIssue): string | undefined {
  return issue.extension?.find((e) => e.url === MESSAGE_ID_EXTENSION)?.valueString;
}

/**
 * Turns issues into a FHIR R4 OperationOutcome. The rule id goes where the Java validator puts its
 * message id (the operationoutcome-message-id extension) and in `details.coding` (system
 * `urn:ads-fhir:rule`); line/column go in the standard issue-line/col extensions.
 */
export function toOperationOutcome(issues: ValidationIssue[]): OperationOutcome {
  const out: OperationOutcomeIssue[] = issues.map((i) => {
    const issue: OperationOutcomeIssue = {
      extension: [{ url: MESSAGE_ID_EXTENSION, valueString: i.rule }],
      severity: i.severity,
      code: i.code as OperationOutcomeIssue['code'],
      details: { coding: [{ system: RULE_SYSTEM, code: i.rule }], text: i.message },
    };
    if (i.expression) issue.expression = [i.expression];
    if (i.line !== undefined) {
      issue.extension!.push(
        { url: 'http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-line', valueInteger: i.line },
        { url: 'http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-col', valueInteger: i.column ?? 1 },
      );
      issue.diagnostics = `[${i.line},${i.column ?? 1}]`;
    }
    return issue;
  });
  if (out.length === 0) {
    // The reference validator's own key for a clean result, so a clean outcome names its rule as well.
    out.push({
      extension: [{ url: MESSAGE_ID_EXTENSION, valueString: 'ALL_OK' }],
      severity: 'information',
      code: 'informational',
      details: { coding: [{ system: RULE_SYSTEM, code: 'ALL_OK' }], text: 'No issues found' },
    });
  }
  return { resourceType: 'OperationOutcome', issue: out };
}

/** True when an OperationOutcome holds no error or fatal issue. */
export function isValid(outcome: OperationOutcome): boolean {
  return !outcome.issue.some((i) => i.severity === 'error' || i.severity === 'fatal');
}

/**
 * One-shot validation, against core R4 unless a resolver is given. Prefer a long-lived {@link Validator}: this compiles profiles for every call
 * unless the same resolver is passed again (validators are cached per resolver).
 */
export function validate(input: unknown, options: ValidateOptions & { resolver?: StructureDefinitionSource } = {}): OperationOutcome {
  const resolver = options.resolver ?? coreResolver();
  let v = cache.get(resolver);
  if (!v) {
    v = new Validator(resolver);
    cache.set(resolver, v);
  }
  return v.validate(input, options);
}

const cache = new WeakMap<StructureDefinitionSource, Validator>();
