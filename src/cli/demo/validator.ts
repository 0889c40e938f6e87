/** The one validator the demo uses, both before submitting and inside the ADS stand-in. */
import type { Bundle, OperationOutcome } from 'fhir/r4';
import { checkAdsBundle } from '../../builder/index.js';

/** Checks a whole bundle, returning an OperationOutcome (errors and fatals reject it). */
export type DemoValidate = (bundle: unknown) => OperationOutcome;

/**
 * The demo's validator. For now the builder's whole-bundle checks (`checkAdsBundle`): one call,
 * references that resolve, time order, treatment type against conveyance.
 */
export function demoValidator(): DemoValidate {
  // wired to the profile validator at merge: return a validator bound to a package store loaded with profiles/ads.
  const check = (bundle: Bundle): OperationOutcome => ({ resourceType: 'OperationOutcome', issue: checkAdsBundle(bundle) });
  return (bundle) => {
    if (typeof bundle !== 'object' || bundle === null || (bundle as { resourceType?: unknown }).resourceType !== 'Bundle') {
      return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'structure', diagnostics: 'Not a FHIR Bundle' }] };
    }
    try {
      return check(bundle as Bundle);
    } catch {
      // A shape the checks cannot walk is itself an error in the bundle, never a crash of the service.
      return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'structure', diagnostics: 'The bundle could not be checked' }] };
    }
  };
}
