import type { FhirResource, OperationOutcome, StructureDefinition } from 'fhir/r4';
// Only the pure audit modules: the core never loads the SQLite store.
import { recordAuditSync, type AuditOption } from '../audit/option.js';
import { auditRecordIdOf, patientIdsOf } from '../audit/patient-ids.js';
import { FhirPathInvariantEvaluator } from '../fhirpath/index.js';
import { parseFhirXml, type SourcePosition } from '../format/index.js';
import { fromFormatIssue, unreadableXmlIssue } from './format-issues.js';
import { choiceAsJsonName } from './json-position.js';
import { mergeXmlIssues } from './xml-issues.js';
import { bundledPackage, PackageStore, type PackageStoreOptions } from '../packages/index.js';
import { LocalTerminology, memberOfHook, TerminologyBindingChecker, ukFhirPathFunctions } from '../terminology/index.js';
import type { ValidationIssue } from '../plugin-types/index.js';
import { toOperationOutcome, Validator } from './validator.js';
import type { BestPracticeLevel } from './engine/options.js';

/** How to set up a {@link ValidationService}. */
export interface ValidationServiceOptions {
  /** Extra FHIR packages (folders or `.tgz`), e.g. the official ADS package. */
  packages?: readonly string[];
  /** Load the ADS package reconstructed by this project (`profiles/ads`). Default true; turn it off to use the official one. */
  ads?: boolean;
  /** Passed to the package store (UK Core, cache folder, search paths). */
  store?: Omit<PackageStoreOptions, 'packages'>;
  /** An already loaded store to validate against instead of loading one. */
  reuse?: PackageStore;
  /** Report every consequence of a defect, as the HL7 Java validator does (`EngineOptions.reportConsequences`). */
  reportConsequences?: boolean;
  /**
   * How best-practice recommendations are reported (`EngineOptions.bestPractice`): default `warning` for UCUM
   * annotations, the reference validator's default (the Observation recommendations only when a level is given);
   * `ignore` to compare with runs that turn them off (the HL7 test suite, the oracle).
   */
  bestPractice?: BestPracticeLevel;
  /**
   * A `urn:` reference inside a Bundle must name one of its entries (`EngineOptions.bundledUrnReferences`, an error
   * where the reference validator only warns). Default true, a submission being self-contained; the oracle turns it
   * off to compare with the reference validator rule for rule.
   */
  bundledUrnReferences?: boolean;
  /**
   * Judge uri and url values in the FHIR specification's own spaces against the loaded definitions, as the HL7
   * validator command does (`EngineOptions.resolveUrls`: Type_Specific_Checks_DT_URL_Resolve). Default false.
   */
  resolveUrls?: boolean;
}

/** The options of the service that are the engine's. */
type ServiceEngineOptions = Pick<ValidationServiceOptions, 'reportConsequences' | 'bestPractice' | 'bundledUrnReferences' | 'resolveUrls'>;

/** What validating one text payload gives: the outcome, and the payload as FHIR JSON when it could be read. */
export interface TextValidation {
  outcome: OperationOutcome;
  resource?: unknown;
}

/** A profile a tester may pick: the constraint profiles of every package but core R4. */
export interface ProfileChoice {
  url: string;
  name: string;
  type: string;
}

/**
 * The validator with everything wired: core R4, UK Core and ADS packages (plus any the user adds),
 * local terminology for bindings, FHIRPath invariants and the UK identifier rules. Create it once
 * (loading takes a moment; compiled profiles are cached on disk and in memory) and validate many
 * payloads with it.
 */
export class ValidationService {
  readonly validator: Validator;

  private constructor(
    readonly store: PackageStore,
    { reportConsequences = false, bestPractice, bundledUrnReferences = true, resolveUrls = false }: ServiceEngineOptions,
  ) {
    const terminology = new LocalTerminology(store);
    const invariants = new FhirPathInvariantEvaluator({ memberOf: memberOfHook(terminology), functions: ukFhirPathFunctions });
    // A submission is self-contained: its urn: references must name entries of the Bundle.
    this.validator = new Validator(store, {
      terminology: new TerminologyBindingChecker(terminology),
      invariants,
      bundledUrnReferences,
      ...(reportConsequences ? { reportConsequences } : {}),
      ...(bestPractice ? { bestPractice } : {}),
      ...(resolveUrls ? { resolveUrls } : {}),
    });
  }

  /** Loads the packages and builds the validator. Throws a PackageError when a package cannot be loaded. */
  static async create(options: ValidationServiceOptions = {}): Promise<ValidationService> {
    if (options.reuse) return new ValidationService(options.reuse, options);
    const packages = [...(options.ads === false ? [] : [bundledPackage('ads')]), ...(options.packages ?? [])];
    const store = await PackageStore.create({ ...options.store, packages });
    return new ValidationService(store, options);
  }

  /** The canonical URLs among `profiles` that name no StructureDefinition loaded. */
  unknownProfiles(profiles: readonly string[]): string[] {
    return profiles.filter((p) => !this.store.structureDefinition(p));
  }

  /**
   * Validates a parsed resource or JSON text. Never throws, except when `audit` is given and its sink fails:
   * then one `validate` entry (outcome `valid` or `invalid`, patient NHS numbers as keyed hashes) is recorded.
   */
  validate(input: unknown, options: { profiles?: string[]; audit?: AuditOption } = {}): OperationOutcome {
    const { issues, parsed } = this.validator.validateJsonText(input, options.profiles ? { profiles: options.profiles } : {});
    const outcome = toOperationOutcome(issues);
    // The audit trail reads the ids of the payload the validator read (text is not parsed a second time).
    if (options.audit) auditValidation(options.audit, typeof input === 'string' ? parsed : input, outcome);
    return outcome;
  }

  /**
   * Validates a JSON or XML payload given as text. XML is converted to JSON first: what cannot be
   * converted is reported, and issues carry XML line and column where the element is known.
   * `withResource` also returns the payload as FHIR JSON (for reports that show it).
   * Never throws, except when `audit` is given and its sink fails (see {@link ValidationService.validate}).
   */
  validateText(text: string, options: { format?: 'json' | 'xml'; profiles?: string[]; withResource?: boolean; audit?: AuditOption } = {}): TextValidation {
    const { result, read } = this.validateTextUnaudited(text, options);
    // The trail needs the payload's ids: those of the JSON the validator read, or of the converted XML.
    if (options.audit) auditValidation(options.audit, read, result.outcome);
    return result;
  }

  private validateTextUnaudited(text: string, options: { format?: 'json' | 'xml'; profiles?: string[]; withResource?: boolean }): { result: TextValidation; read: unknown } {
    const format = options.format ?? (/^\s*</.test(text) ? 'xml' : 'json');
    const profiles = options.profiles ? { profiles: options.profiles } : {};
    if (format === 'json') {
      const { issues, parsed } = this.validator.validateJsonText(text, profiles);
      // The payload as the validator read it (it is not changed by validation): no second parse for a report that shows it.
      const resource = options.withResource && !issues.some((i) => i.severity === 'fatal' && !i.expression) ? parsed : undefined;
      return { result: { outcome: toOperationOutcome(issues), resource }, read: parsed };
    }
    let parsed: ReturnType<typeof parseFhirXml>;
    try {
      parsed = parseFhirXml(text, { locations: true });
    } catch (e) {
      return { result: { outcome: toOperationOutcome([unreadableXmlIssue(e)]) }, read: undefined };
    }
    const { reader: formatIssues, engine: issues } = mergeXmlIssues(parsed.issues.map(fromFormatIssue), this.validator.validateToIssues(parsed.resource, profiles));
    if (parsed.locations) for (const i of issues) placeInXml(i, parsed.locations);
    return { result: { outcome: toOperationOutcome([...formatIssues, ...issues]), resource: parsed.resource }, read: parsed.resource };
  }

  /** Constraint profiles of every loaded package except core R4, for a profile picker. */
  profiles(): ProfileChoice[] {
    const out: ProfileChoice[] = [];
    for (const sd of this.store.all<StructureDefinition & FhirResource>('StructureDefinition')) {
      if (sd.derivation !== 'constraint' || sd.type === 'Extension' || !sd.url || sd.url.startsWith('http://hl7.org/fhir/StructureDefinition/')) continue;
      if (sd.kind !== 'resource') continue;
      out.push({ url: sd.url, name: sd.title ?? sd.name ?? sd.url, type: sd.type });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }
}

/** Loads the validator with the default packages (and any given). See {@link ValidationService}. */
export function createValidationService(options: ValidationServiceOptions = {}): Promise<ValidationService> {
  return ValidationService.create(options);
}

/** Records one `validate` entry: the resource's id, the keyed hashes of its NHS numbers, valid or invalid. */
function auditValidation(audit: AuditOption, resource: unknown, outcome: OperationOutcome): void {
  const invalid = (outcome.issue ?? []).some((i) => i.severity === 'error' || i.severity === 'fatal');
  recordAuditSync(audit, { action: 'validate', recordId: auditRecordIdOf(resource), outcome: invalid ? 'invalid' : 'valid', patientIds: patientIdsOf(resource) });
}

/** Gives an issue found on converted XML the line and column of its element (or nearest ancestor) in the XML. */
function placeInXml(issue: ValidationIssue, locations: Map<string, SourcePosition>): void {
  // The reader keys elements by their XML names (valueQuantity), the engine writes choices as value.ofType(Quantity).
  let path = choiceAsJsonName(issue.expression);
  while (path) {
    const at = locations.get(path);
    if (at) {
      issue.line = at.line;
      issue.column = at.column;
      return;
    }
    const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    if (cut <= 0) return;
    path = path.slice(0, cut);
  }
}
