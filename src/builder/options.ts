import type { Bundle, OperationOutcome } from 'fhir/r4';
import type { AuditOption } from '../audit/option.js';
import type { BundleType } from './codes.js';
import { AdsBuilderError } from './errors.js';
import type { OrganisationInput } from './parties.js';

/** Checks a whole bundle, e.g. `service.validate.bind(service)` for a `ValidationService`. */
export type ValidateFn = (bundle: Bundle) => OperationOutcome;

/**
 * Anything with a `validate(bundle)` method returning an OperationOutcome: a `ValidationService` from
 * `createValidationService()` fits as is. The builder never loads packages itself; the caller creates the
 * validator once and passes it in.
 */
export interface BundleValidator {
  validate(bundle: Bundle): OperationOutcome;
}

/** What `build()` validates with: a validate function, or `{ validator }` / `{ validate }`. */
export type BuildValidation = ValidateFn | { readonly validator?: BundleValidator; readonly validate?: ValidateFn };

/** The validate function a build uses: a function as given, else the validator's method bound to it. */
export function validateFnOf(v: BuildValidation | undefined, field: 'build' | 'options'): ValidateFn | undefined {
  if (v === undefined || typeof v === 'function') return v;
  if (v.validate && v.validator) throw new AdsBuilderError(field, 'takes a validator or a validate function, not both');
  if (v.validate) return v.validate;
  const validator = v.validator;
  if (validator && typeof validator.validate !== 'function') throw new AdsBuilderError(`${field}.validator`, 'has no validate(bundle) method');
  return validator ? (bundle) => validator.validate(bundle) : undefined;
}

/** How a builder starts. */
export interface AdsBuilderOptions {
  /** Submitting organisation (ADS0, the Header section). */
  readonly submitter: OrganisationInput;
  /** Provider ambulance service (ADS1); defaults to the submitter, sharing one Organization resource. */
  readonly provider?: OrganisationInput;
  /** ADS phase the bundle carries; default `epr`. */
  readonly bundleType?: BundleType;
  /** Returns a fresh UUID for each entry; inject for deterministic output. Default: random UUIDs. */
  readonly ids?: () => string;
  /** The time used for `Bundle.timestamp` and to reject future birth dates. Default: the system clock. */
  readonly clock?: () => Date;
  /** Identifier system of the CAD call id; default `SYSTEMS.cadCallIdentifier` (docs/decisions/002). */
  readonly cadSystem?: string;
  /** Whole-bundle validation run by `build()` after the builder's own checks (see `AdsBundleBuilder.build`). */
  readonly validate?: ValidateFn;
  /** A validator (e.g. a `ValidationService`) that `build()` runs after the builder's own checks; the same as `validate`. */
  readonly validator?: BundleValidator;
  /** Audit trail: every `build()` records a `build` entry (see `AdsBundleBuilder.build`). */
  readonly audit?: AuditOption;
}

/** What `build()` returns. */
export interface BuildResult {
  readonly bundle: Bundle;
  readonly outcome: OperationOutcome;
}
