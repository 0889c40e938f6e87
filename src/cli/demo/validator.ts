/** The one validator the demo uses, both before submitting and inside the ADS stand-in. */
import type { Bundle, OperationOutcome } from 'fhir/r4';
import { checkAdsBundle } from '../../builder/index.js';
import { createValidationService, type ValidationService } from '../../validation/index.js';

/** Checks a whole bundle, returning an OperationOutcome (errors and fatals reject it). */
export type DemoValidate = (bundle: unknown) => OperationOutcome;

/**
 * The demo's validator: the profile validator (core R4, UK Core, the ADS package) plus the builder's
 * whole-bundle business checks (one call, time order, treatment type against conveyance) that no
 * profile can express. An issue both report at the same place is kept once.
 */
export async function demoValidator(service?: ValidationService): Promise<DemoValidate> {
  const profiles = service ?? (await createValidationService());
  return (bundle) => {
    if (typeof bundle !== 'object' || bundle === null || (bundle as { resourceType?: unknown }).resourceType !== 'Bundle') {
      return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'structure', diagnostics: 'Not a FHIR Bundle' }] };
    }
    const outcome = profiles.validate(bundle);
    const seen = new Set(outcome.issue.map((i) => `${i.severity}|${i.expression?.[0] ?? ''}`));
    let extra: OperationOutcome['issue'] = [];
    try {
      extra = checkAdsBundle(bundle as Bundle).filter((i) => !seen.has(`${i.severity}|${i.expression?.[0] ?? ''}`));
    } catch {
      // A shape the checks cannot walk is already an error the profile validator reported.
    }
    const issue = [...outcome.issue.filter((i) => i.code !== 'informational' || i.expression), ...extra];
    return { resourceType: 'OperationOutcome', issue: issue.length ? issue : outcome.issue };
  };
}
