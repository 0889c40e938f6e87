/**
 * ads-fhir's side of the comparison, through its public entry point `createValidationService`. The reference reports
 * what follows from a defect as well as the defect (a reference to a target that fails its profile, a slice left
 * short by it), so ads-fhir is asked to do the same (`reportConsequences`), and to leave out best-practice
 * recommendations as the reference run does (`bestPractice: 'ignore'`), so the counts compare like with like.
 */
import { createValidationService, type ValidationService } from '../../src/index.js';
import type { SimpleIssue } from './score.js';

export interface AdsOutcome {
  ms: number;
  issues: SimpleIssue[];
}

export async function createAdsValidator(): Promise<{ service: ValidationService; startupMs: number }> {
  const t0 = performance.now();
  // The reference runs with best-practice recommendations off (OracleRunner), so ads-fhir does too.
  const service = await createValidationService({ reportConsequences: true, bestPractice: 'ignore' });
  return { service, startupMs: performance.now() - t0 };
}

/** Validates one payload as a QA tester would (text in, JSON or XML), never throwing. */
export function validateWithAds(service: ValidationService, text: string, format: 'json' | 'xml'): AdsOutcome {
  const t0 = performance.now();
  let issues: SimpleIssue[];
  try {
    const { outcome } = service.validateText(text, { format });
    issues = outcome.issue.map((i) => ({ severity: i.severity, expression: i.expression?.[0] ?? '', text: i.details?.text ?? i.diagnostics ?? '' }));
  } catch (e) {
    issues = [{ severity: 'fatal', expression: '', text: `ads-fhir threw: ${e instanceof Error ? e.message : String(e)}` }];
  }
  return { ms: performance.now() - t0, issues };
}
