import type { Bundle, OperationOutcomeIssue } from 'fhir/r4';
import { checkAdsBundle as adsRules } from '../validation/domain-rules/ads/index.js';
import { collectInto } from '../validation/domain-rules/report.js';
import type { ValidationIssue } from '../plugin-types/index.js';
import { toOperationOutcome } from '../validation/validator.js';

/**
 * The ADS business rules on a whole bundle, as OperationOutcome issues with their rule ids (extension
 * `operationoutcome-message-id`): the same rules the validator runs on every bundle claiming the ADS Bundle profile
 * (time order, treatment type against conveyance, stop codes, triage kinds, shared NHS numbers, dose units; see
 * docs/builder.md). `structure` (default true) adds what the Bundle profile checks itself: exactly one call and
 * references that resolve, for when no profile validator runs. This is **not** profile validation: pass a
 * validator to `build()` for that.
 */
export function checkAdsBundle(bundle: Bundle, options: { readonly structure?: boolean } = {}): OperationOutcomeIssue[] {
  const issues: ValidationIssue[] = [];
  adsRules(bundle, collectInto(issues), { structure: options.structure ?? true });
  return issues.length ? toOperationOutcome(issues).issue : [];
}
