/** ads-fhir's side of the comparison, through its public entry point `createValidationService`. */
import { createValidationService, type ValidationService } from '../../src/index.js';
import type { SimpleIssue } from './score.js';

export interface AdsOutcome {
  ms: number;
  issues: SimpleIssue[];
}

export async function createAdsValidator(): Promise<{ service: ValidationService; startupMs: number }> {
  const t0 = performance.now();
  const service = await createValidationService();
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
