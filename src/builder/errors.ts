/**
 * Thrown by a builder call given an impossible value. `field` names the input at fault
 * (for example `patient.nhsNumber`). The message never repeats the value itself, because the value may be
 * patient data.
 */
export class AdsBuilderError extends Error {
  override readonly name = 'AdsBuilderError';
  constructor(
    /** Dotted name of the offending input, e.g. `response.times.clear`. */
    readonly field: string,
    /** What is wrong, without the value. */
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}
