import type { BindingChecker, InvariantEvaluator } from '../../plugin-types/index.js';

/** Per-run options of the engine. */
export interface EngineOptions {
  terminology?: BindingChecker;
  invariants?: InvariantEvaluator;
  /** Extension URLs starting with one of these are accepted without a definition. */
  allowedExtensionDomains?: string[];
  /**
   * Treat unresolved RESTful references (`Patient/1`) as existing, with the type their URL names,
   * and check that type against the element's target profiles.
   */
  assumeValidRestReferences?: boolean;
  /**
   * Looks up resources outside the instance for references that do not resolve locally (a server or a
   * folder). Must return the same object for the same reference, so circular links terminate.
   */
  fetchReference?: (ref: string) => Record<string, unknown> | undefined;
  /**
   * What to check of a reference outside the instance that `fetchReference` can look up (the reference
   * validator's ReferenceValidationPolicy): default `check-valid` (it must resolve, be of an allowed type
   * and conform to a target profile). Without `fetchReference` such references are not checked.
   */
  referencePolicy?: ReferencePolicy;
  /**
   * A `urn:` reference inside a Bundle must name one of its entries (an error, ADSFHIR_REFERENCE_URN_NOT_IN_BUNDLE).
   * The specification gives such a reference no meaning and the reference validator only warns
   * (Bundle_BUNDLE_Not_Local); the validation service turns this on, as a submission must be self-contained.
   */
  bundledUrnReferences?: boolean;
  /** Report HTML tags in markdown as errors (default: warnings). */
  noHtmlInMarkdown?: boolean;
  /** Bundle entries to validate against extra profiles: `Type:n` selects the n-th entry holding a Type. */
  bundleProfiles?: { rule: string; profile: string }[];
  /** Profiles applied to every resource of a type (ImplementationGuide.global). */
  globalProfiles?: { type: string; profile: string }[];
  /** Cap on issues kept per validation, to bound memory on hostile input. */
  maxIssues?: number;
  /**
   * Language(s) Coding.display is judged in (`en, de`); without it, each resource's own `language`
   * is used, and without that a display in any language is accepted.
   */
  displayLanguage?: string;
  /**
   * Report what follows from a defect as well as the defect, as the HL7 Java validator does: a resource conforms
   * to a profile only when the Bundle entries it refers to conform to theirs, every reference to a target that
   * fails the profile it claims is an error, a profile slice whose item fails that profile is short of its
   * minimum, and an element's count is a finding of each definition that constrains it. Default false: one
   * defect is reported once, where it is (docs/validation.md, "Root-cause reporting").
   */
  reportConsequences?: boolean;
  /**
   * How best-practice recommendations are reported (the reference validator's BestPracticeWarningLevel): the UCUM
   * annotation rules default to `warning`, as the reference's own default; the Observation recommendations (subject,
   * performer, effective[x]) are reported only when a level is given; `ignore` as the HL7 test suite runs it.
   */
  bestPractice?: BestPracticeLevel;
  /**
   * Judge uri and url values in the FHIR specification's own spaces (http://hl7.org/fhir, http://fhir.org/guides)
   * against the definitions loaded, as the HL7 validator command does: one that names nothing
   * known is an error (Type_Specific_Checks_DT_URL_Resolve). Default false, as the HL7 test suite's runner takes every
   * such URL as found: a definition from a package not loaded here would otherwise be reported. Extensions of the
   * HL7 test space (http://hl7.org/fhir/test/), which the suite's runner has and the command does not, are then
   * unknown too (Extension_EXT_Unknown_NotHere).
   */
  resolveUrls?: boolean;
}

/** How best-practice recommendations are reported: not at all, or as information, warnings or errors. */
export type BestPracticeLevel = 'ignore' | 'hint' | 'warning' | 'error';

/** What is checked of a reference that points outside the instance. */
export type ReferencePolicy = 'ignore' | 'check-type-if-exists' | 'check-exists' | 'check-exists-and-type' | 'check-valid';

/** Canonical URL prefix of the core R4 definitions. */
export const CORE_SD = 'http://hl7.org/fhir/StructureDefinition/';

/** Deepest nesting of elements the engine walks before giving up with an issue. */
export const MAX_DEPTH = 300;
/** Issues kept per validation unless `maxIssues` says otherwise. */
export const DEFAULT_MAX_ISSUES = 1000;
