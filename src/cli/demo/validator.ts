/** The one validator the demo uses, both before submitting and inside the ADS stand-in. */
import type { OperationOutcome } from 'fhir/r4';
import { createValidationService, type ValidationService } from '../../validation/index.js';

/** Checks a whole bundle, returning an OperationOutcome (errors and fatals reject it). */
export type DemoValidate = (bundle: unknown) => OperationOutcome;

/**
 * The demo's validator: the profile validator (core R4, UK Core, the ADS package), which also runs the ADS
 * business rules (time order, treatment type against conveyance, stop codes) on every ADS bundle.
 */
export async function demoValidator(service?: ValidationService): Promise<DemoValidate> {
  const profiles = service ?? (await createValidationService());
  return (bundle) => {
    if (typeof bundle !== 'object' || bundle === null || (bundle as { resourceType?: unknown }).resourceType !== 'Bundle') {
      return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'structure', diagnostics: 'Not a FHIR Bundle' }] };
    }
    return profiles.validate(bundle);
  };
}
