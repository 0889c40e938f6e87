/**
 * Comparing FHIR date-times as ADS rules need: the same instant written in two time zones compares equal, and a
 * partial value (a date, a month) is compared only as far as it is precise, so `2026-11-23` is neither before
 * nor after `2026-11-23T14:02:00Z`.
 */

const FULL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const PARTIAL = /^\d{4}(-\d{2}(-\d{2})?)?$/;

/**
 * Negative when `a` is surely before `b`, positive when surely after, 0 when equal or when the precision of
 * either cannot tell; `undefined` when either is not a FHIR date or date-time.
 */
export function compareTimes(a: unknown, b: unknown): number | undefined {
  if (typeof a !== 'string' || typeof b !== 'string') return undefined;
  const fullA = FULL.test(a);
  const fullB = FULL.test(b);
  if (fullA && fullB) {
    const d = Date.parse(a) - Date.parse(b);
    return Number.isNaN(d) ? undefined : Math.sign(d);
  }
  if (!(fullA || PARTIAL.test(a)) || !(fullB || PARTIAL.test(b))) return undefined;
  // A partial value: compare the calendar parts both have, as written (local to where they were recorded).
  const n = Math.min(fullA ? 10 : a.length, fullB ? 10 : b.length);
  const x = a.slice(0, n);
  const y = b.slice(0, n);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** True when `a` is surely before `b`. */
export const isBefore = (a: unknown, b: unknown): boolean => (compareTimes(a, b) ?? 0) < 0;

/** True when `a` is surely after `b`. */
export const isAfter = (a: unknown, b: unknown): boolean => (compareTimes(a, b) ?? 0) > 0;

/**
 * The response times in the order they happen (UK Core DateTimeType codes, and the ADS code for allocation).
 * Stood down ends a response instead of the later steps, so it is not in the sequence.
 */
export const RESPONSE_TIME_SEQUENCE = [
  'time-resource-allocated',
  'time-resource-mobilised',
  'time-resource-arrived-on-scene',
  'time-resource-left-scene',
  'time-arrived-receiving-location',
  'time-patient-handover',
  'time-clear',
] as const;

export const TIME_STOOD_DOWN = 'time-stood-down';

/** One time of a response, as given (typed date-time code and value). */
export interface TypedTime {
  readonly code: string;
  readonly value: string;
}

/**
 * The steps of a response that come before an earlier step: for each, the step and the one it should follow.
 * Also a stood-down time before allocation. One implementation for the builder (which throws at the call) and
 * the validator rule `ADS_RESPONSE_TIME_ORDER`.
 */
export function responseTimesOutOfOrder<T extends TypedTime>(times: readonly T[]): { time: T; after: T }[] {
  const rank = (code: string) => (RESPONSE_TIME_SEQUENCE as readonly string[]).indexOf(code);
  const ordered = times.filter((t) => rank(t.code) >= 0).sort((x, y) => rank(x.code) - rank(y.code));
  const out: { time: T; after: T }[] = [];
  // Step against the step before it only: one time out of place breaks one pair, so it is reported once.
  for (let i = 1; i < ordered.length; i++) {
    if (isBefore(ordered[i]!.value, ordered[i - 1]!.value)) out.push({ time: ordered[i]!, after: ordered[i - 1]! });
  }
  const stood = times.find((t) => t.code === TIME_STOOD_DOWN);
  const allocated = times.find((t) => t.code === 'time-resource-allocated');
  if (stood && allocated && isBefore(stood.value, allocated.value)) out.push({ time: stood, after: allocated });
  return out;
}
