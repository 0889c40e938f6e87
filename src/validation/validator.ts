import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4';
import { Run, type EngineOptions } from './engine.js';
import { offsetOf, parseWithPositions } from './json-position.js';
import type { CompiledProfile } from './model.js';
import type { BindingChecker, InvariantEvaluator, ValidationIssue } from './plugins.js';
import { ProfileRegistry, type StructureDefinitionSource } from './registry.js';
import { coreResolver } from './core-resolver.js';
import { domainRuleIssues } from './domain-rules/post-pass.js';

/** Options of one validation. */
export interface ValidateOptions {
  /** Profiles (canonical URLs) to validate against, in addition to the resource's meta.profile. */
  profiles?: string[];
  terminology?: BindingChecker;
  invariants?: InvariantEvaluator;
  /** Extension URL prefixes accepted without a definition. */
  allowedExtensionDomains?: string[];
  /** Check the type named by unresolved RESTful references (`Patient/1`) against target profiles. */
  assumeValidRestReferences?: boolean;
  /** Resolves references outside the instance (same object for the same reference). */
  fetchReference?: (ref: string) => Record<string, unknown> | undefined;
  /** Report HTML tags in markdown as errors rather than warnings. */
  noHtmlInMarkdown?: boolean;
  /** Extra profiles for Bundle entries: rule `Type:n` selects the n-th entry holding a Type (`Type:*` all). */
  bundleProfiles?: { rule: string; profile: string }[];
  /** Profiles applied to every resource of a type, as ImplementationGuide.global declares. */
  globalProfiles?: { type: string; profile: string }[];
  /** Language(s) Coding.display values are judged in (`en, de`); default: each resource's `language`. */
  displayLanguage?: string;
}

/** Options fixed for the life of a Validator. */
export interface ValidatorOptions extends Omit<ValidateOptions, 'profiles'> {
  /** Cap on issues per validation (default 1000). */
  maxIssues?: number;
}

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
    try {
      return this.run(input, options);
    } catch {
      return [{ severity: 'fatal', code: 'exception', expression: '', message: 'The validator failed on this input; it could not be validated' }];
    }
  }

  private run(input: unknown, options: ValidateOptions): ValidationIssue[] {
    let value: unknown = input;
    const text = typeof input === 'string' ? input : undefined;
    if (text !== undefined) {
      try {
        value = JSON.parse(text);
      } catch {
        const parsed = parseWithPositions(text);
        const err = parsed.error ?? { message: 'The JSON could not be parsed', line: 1, column: 1 };
        return [{ severity: 'fatal', code: 'structure', expression: '', message: `Error parsing JSON: ${err.message}`, line: err.line, column: err.column }];
      }
    }
    let issues: ValidationIssue[] = [];
    const profiles: CompiledProfile[] = [];
    for (const url of options.profiles ?? []) {
      const p = this.registry.get(url);
      if (p) profiles.push(p);
      else if (this.registry.lacksSnapshot(url)) {
        issues.push({ severity: 'error', code: 'not-supported', expression: '', message: `The profile ${url} has no snapshot, so it could not be used for validation` });
      } else issues.push({ severity: 'error', code: 'not-found', expression: '', message: `The profile ${url} could not be found, so the resource could not be validated against it` });
    }
    const engineOpts = onlyProfiles(options) ? (this.defaultEngineOpts ??= this.engineOptions({})) : this.engineOptions(options);
    const run = new Run(this.registry, engineOpts);
    run.validateRoot(value, profiles);
    if (issues.length === 0) issues = run.issues;
    else issues.push(...run.issues);
    // The UK, UCUM and ADS rule modules run after the walk, on the same input (see domain-rules/post-pass.ts).
    issues.push(...domainRuleIssues(value, { invariants: engineOpts.invariants, reported: issues }));
    if (text !== undefined && issues.length > 0) addLocations(text, issues);
    return issues;
  }

  /** Engine options for validations that set nothing but profiles, made once. */
  private defaultEngineOpts: EngineOptions | undefined;

  private engineOptions(options: ValidateOptions): EngineOptions {
    return {
      terminology: options.terminology ?? this.defaults.terminology,
      invariants: options.invariants ?? this.defaults.invariants,
      allowedExtensionDomains: options.allowedExtensionDomains ?? this.defaults.allowedExtensionDomains,
      maxIssues: this.defaults.maxIssues,
      assumeValidRestReferences: options.assumeValidRestReferences ?? this.defaults.assumeValidRestReferences,
      noHtmlInMarkdown: options.noHtmlInMarkdown ?? this.defaults.noHtmlInMarkdown,
      globalProfiles: options.globalProfiles ?? this.defaults.globalProfiles,
      bundleProfiles: options.bundleProfiles ?? this.defaults.bundleProfiles,
      fetchReference: options.fetchReference ?? this.defaults.fetchReference,
      displayLanguage: options.displayLanguage ?? this.defaults.displayLanguage,
    };
  }
}

/** True when the options set nothing that changes the engine (only `profiles`, or nothing). */
function onlyProfiles(options: ValidateOptions): boolean {
  for (const key in options) if (key !== 'profiles' && (options as Record<string, unknown>)[key] !== undefined) return false;
  return true;
}

/** Adds line/column to issues found in JSON text, and reports duplicate property names. */
function addLocations(text: string, issues: ValidationIssue[]): void {
  const parsed = parseWithPositions(text);
  if (parsed.error) return;
  for (const i of issues) {
    const offset = i.expression ? offsetOf(parsed, i.expression) : undefined;
    const loc = parsed.locate(offset ?? 0);
    i.line = loc.line;
    i.column = loc.column;
  }
}

/** The standard extension that carries an issue's rule id (`ValidationIssue.rule`). */
export const MESSAGE_ID_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/operationoutcome-message-id';

/** The rule id of an OperationOutcome issue (its `operationoutcome-message-id` extension), if it has one. */
export function ruleOf(issue: OperationOutcomeIssue): string | undefined {
  return issue.extension?.find((e) => e.url === MESSAGE_ID_EXTENSION)?.valueString;
}

/** Turns issues into a FHIR R4 OperationOutcome; line/column go in the standard issue-line/col extensions. */
export function toOperationOutcome(issues: ValidationIssue[]): OperationOutcome {
  const out: OperationOutcomeIssue[] = issues.map((i) => {
    const issue: OperationOutcomeIssue = {
      severity: i.severity,
      code: i.code as OperationOutcomeIssue['code'],
      details: { text: i.message },
    };
    if (i.expression) issue.expression = [i.expression];
    if (i.line !== undefined) {
      issue.extension = [
        { url: 'http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-line', valueInteger: i.line },
        { url: 'http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-col', valueInteger: i.column ?? 1 },
      ];
      issue.diagnostics = `[${i.line},${i.column ?? 1}]`;
    }
    if (i.rule) (issue.extension ??= []).push({ url: MESSAGE_ID_EXTENSION, valueString: i.rule });
    return issue;
  });
  if (out.length === 0) out.push({ severity: 'information', code: 'informational', details: { text: 'No issues found' } });
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
