/**
 * ads-fhir's side of the comparison, through its public entry point `createValidationService`. The reference reports
 * what follows from a defect as well as the defect (a reference to a target that fails its profile, a slice left
 * short by it), so ads-fhir is asked to do the same (`reportConsequences`), and to leave out best-practice
 * recommendations as the reference run does (`bestPractice: 'ignore'`), so the counts compare like with like.
 *
 * Two kinds of ads-fhir finding have no counterpart the reference could give, so they are set aside (and counted
 * on the page), as the reference's own findings that need a terminology server are:
 * - the UK, UCUM and ADS rule modules (DOMAIN_RULES): rules of the ADS and NHS specifications, in no FHIR package;
 *   and the self-contained-bundle policy is turned off (`bundledUrnReferences: false`), an error where the reference
 *   only warns, whose consequences (profile matches, slices) could not be set aside afterwards;
 * - terminology findings on codes of systems (or value sets built on systems) the loaded packages do not hold
 *   complete: offline, the reference cannot judge those codes (it says so, and that is set aside), so ads-fhir's
 *   offline checks there (LOINC and SNOMED CT check digits, UCUM grammar, MIME types) are not compared either.
 */
import { createValidationService, DOMAIN_RULES, ruleOf, type ValidationService } from '../../src/index.js';
import { EXTERNAL_SYSTEMS } from '../../src/terminology/external-systems.js';
import type { SimpleIssue } from './score.js';
import { serverDependence } from './terminology-scope.js';

export interface AdsOutcome {
  ms: number;
  /** The issues that count. */
  issues: SimpleIssue[];
  /** Errors and warnings set aside (see above), with why. */
  setAside: (SimpleIssue & { why: string })[];
}

export async function createAdsValidator(): Promise<{ service: ValidationService; startupMs: number }> {
  const t0 = performance.now();
  // The reference runs with best-practice recommendations off and URLs resolved as the HL7 suite's runner resolves
  // them (OracleRunner), so ads-fhir runs with its defaults there: best practice off, URLs not judged (resolveUrls off).
  const service = await createValidationService({ reportConsequences: true, bestPractice: 'ignore', bundledUrnReferences: false });
  return { service, startupMs: performance.now() - t0 };
}

const DOMAIN_RULE_IDS = new Set(DOMAIN_RULES.map((r) => r.id));
/** ads-fhir rule ids that judge a code against a code system or value set. */
const TERMINOLOGY_RULE = /^(Unknown_Code_in|Display_Name_|Terminology_|TERMINOLOGY_|UNABLE_TO_INFER_CODESYSTEM|UNKNOWN_CODESYSTEM|CODE_)/;
const dependence = new WeakMap<ValidationService, ReturnType<typeof serverDependence>>();

/** Why an ads-fhir issue is not compared, or undefined when it counts. */
export function adsSetAsideReason(service: ValidationService, i: SimpleIssue): string | undefined {
  const rule = i.messageId ?? '';
  if (DOMAIN_RULE_IDS.has(rule)) return 'UK, UCUM or ADS rule module';
  if (!TERMINOLOGY_RULE.test(rule)) return undefined;
  let needsServer = dependence.get(service);
  if (!needsServer) dependence.set(service, (needsServer = serverDependence(service.store)));
  // ads-fhir names well-known systems by name ("in LOINC"): give the judgment their URLs too.
  const named = Object.entries(EXTERNAL_SYSTEMS)
    .filter(([, name]) => i.text.includes(` ${name}`))
    .map(([url]) => url);
  const text = named.length ? `${i.text} (${named.join(' ')})` : i.text;
  return needsServer({ messageId: 'Terminology_', text }) ? 'code of a system the loaded packages do not hold' : undefined;
}

/** Validates one payload as a QA tester would (text in, JSON or XML), never throwing. */
export function validateWithAds(service: ValidationService, text: string, format: 'json' | 'xml'): AdsOutcome {
  const t0 = performance.now();
  let all: SimpleIssue[];
  try {
    const { outcome } = service.validateText(text, { format });
    all = outcome.issue.map((i) => ({ severity: i.severity, expression: i.expression?.[0] ?? '', text: i.details?.text ?? i.diagnostics ?? '', messageId: ruleOf(i) ?? null }));
  } catch (e) {
    all = [{ severity: 'fatal', expression: '', text: `ads-fhir threw: ${e instanceof Error ? e.message : String(e)}` }];
  }
  const ms = performance.now() - t0;
  const issues: SimpleIssue[] = [];
  const setAside: AdsOutcome['setAside'] = [];
  for (const i of all) {
    const why = i.severity === 'information' ? undefined : adsSetAsideReason(service, i);
    if (why) setAside.push({ ...i, why });
    else issues.push(i);
  }
  return { ms, issues, setAside };
}
