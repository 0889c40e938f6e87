/** What the validator asks a terminology service about one code. */
export interface ValidateCodeRequest {
  /** Canonical URL of the value set (`url` or `url|version`). */
  valueSet: string;
  system?: string;
  code: string;
  display?: string;
}

/** A terminology service's answer. */
export interface ValidateCodeResult {
  /** True when the code is in the value set. */
  result: boolean;
  /** The display the service holds for the code, when it returned one. */
  display?: string;
  /** The service's explanation, when it gave one. */
  message?: string;
}

/**
 * A source of terminology answers the local packages cannot give (SNOMED CT, dm+d, LOINC, ...).
 * Implementations must not throw for a negative answer; a rejected promise means "could not ask".
 */
export interface TerminologyAdapter {
  validateCode(request: ValidateCodeRequest): Promise<ValidateCodeResult>;
}

/** The cache key of a request: `system|code|valueSet`. */
export function validateCodeKey(r: Pick<ValidateCodeRequest, 'system' | 'code' | 'valueSet'>): string {
  return `${r.system ?? ''}|${r.code}|${r.valueSet}`;
}
