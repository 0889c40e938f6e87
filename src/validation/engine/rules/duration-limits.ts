/**
 * minValue/maxValue given as a Quantity (a Duration) on a date, dateTime or instant element: the value may lie at
 * most that long after now (maxValue) or before now (minValue). As the reference's checkMinMaxValueDate(Time): the
 * quantity must have no comparator (TYPE_SPECIFIC_CHECKS_DT_QTY_COMP) and be an exact UCUM time (a, mo and ms in
 * whole numbers; wk, d, h, min, s) (TYPE_SPECIFIC_CHECKS_DT_QTY_VALUE); then the value is compared with now plus
 * or minus the quantity (TYPE_SPECIFIC_CHECKS_DT_QTY_GT_MAX, TYPE_SPECIFIC_CHECKS_DT_QTY_GT_MIN). A negative
 * quantity cannot be added there: the value is reported as not readable (Type_Specific_Checks_DT_Date(Time)_Valid).
 */
import { clip } from '../../primitives.js';
import type { RuleContext } from '../context.js';

const UCUM = 'http://unitsofmeasure.org';
const WHOLE_UNITS = new Set(['a', 'mo', 'ms']);
const MILLIS: Record<string, number> = { wk: 604_800_000, d: 86_400_000, h: 3_600_000, min: 60_000, s: 1000 };

interface Duration {
  value?: unknown;
  comparator?: unknown;
  system?: unknown;
  code?: unknown;
}

/** True when `limit` is a Quantity (an object), the form this module checks. */
export function isDurationLimit(limit: unknown): limit is Duration {
  return !!limit && typeof limit === 'object' && !Array.isArray(limit);
}

/**
 * Checks a date, dateTime or instant value (already known to be well formed) against Duration limits; `now` is
 * the moment the limits count from. Returns false when the value is reported.
 */
export function checkDurationLimits(code: string, text: string, max: unknown, min: unknown, path: string, ctx: RuleContext, now = Date.now()): boolean {
  const value = momentOf(text);
  if (value === undefined) return true;
  for (const [limit, sign] of [[max, 1], [min, -1]] as const) {
    if (!isDurationLimit(limit)) continue;
    const shown = durationText(limit);
    if (limit.comparator !== undefined) {
      ctx.report('TYPE_SPECIFIC_CHECKS_DT_QTY_COMP', 'error', 'invalid', path, `Comparators are not supported for min/maxValue when restricting date/time values with a Duration ('${clip(shown)}')`);
      continue;
    }
    if (!isExactTime(limit)) {
      ctx.report('TYPE_SPECIFIC_CHECKS_DT_QTY_VALUE', 'error', 'invalid', path, `The quantity value '${clip(shown)}' is not supported for min/maxValue when restricting date/time values with a Duration`);
      continue;
    }
    const bound = shift(now, Number(limit.value), String(limit.code), sign);
    if (bound === undefined) {
      // The reference's date arithmetic throws on a negative (or unrepresentable) quantity: the value is reported as unreadable.
      if (code === 'date') ctx.report('Type_Specific_Checks_DT_Date_Valid', 'error', 'invalid', path, `Not a valid date format: '${clip(text)}'`);
      else ctx.report('Type_Specific_Checks_DT_DateTime_Valid', 'error', 'invalid', path, `Not a valid date/time format: '${clip(text)}'`);
      return false;
    }
    if (sign > 0 && value > bound) {
      ctx.report('TYPE_SPECIFIC_CHECKS_DT_QTY_GT_MAX', 'error', 'invalid', path, `The date/time value '${clip(text)}' is not legal: maxValue is ${shown} after now (which is ${new Date(bound).toISOString()})`);
    } else if (sign < 0 && value < bound) {
      ctx.report('TYPE_SPECIFIC_CHECKS_DT_QTY_GT_MIN', 'error', 'invalid', path, `The date/time value '${clip(text)}' is not legal: minValue is ${shown} before now (which is ${new Date(bound).toISOString()})`);
    }
  }
  return true;
}

/** The quantity as the reference shows it: comparator, value, then the code (with `system#` when not UCUM). */
function durationText(q: Duration): string {
  const comparator = typeof q.comparator === 'string' ? q.comparator : '';
  return `${comparator}${String(q.value)}${q.system === UCUM ? '' : ` ${String(q.system)}#`}${String(q.code)}`;
}

/** Quantity.isExactTime: a UCUM time unit, with a whole number for the calendar units (a, mo) and ms. */
function isExactTime(q: Duration): boolean {
  if (typeof q.value !== 'number' || typeof q.code !== 'string' || q.system !== UCUM) return false;
  if (WHOLE_UNITS.has(q.code)) return Number.isInteger(q.value);
  return q.code in MILLIS;
}

/** now plus (sign 1) or minus (sign -1) the quantity, in milliseconds; undefined where the reference's arithmetic throws. */
function shift(now: number, value: number, unit: string, sign: 1 | -1): number | undefined {
  if (value < 0) return undefined;
  if (unit === 'ms') return now + sign * value;
  if (unit === 'a' || unit === 'mo') {
    const d = new Date(now);
    const months = sign * value * (unit === 'a' ? 12 : 1);
    const day = d.getUTCDate();
    // Calendar.add: the day of month is kept, or clamped to the last day of the target month.
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + months);
    const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, last));
    return d.getTime();
  }
  const millis = value * MILLIS[unit]!;
  if (!Number.isInteger(Math.round(millis * 1e6) / 1e6)) return undefined;
  return now + sign * Math.round(millis);
}

/** The moment a date, dateTime or instant names (its start when partial; no zone read as UTC). */
function momentOf(text: string): number | undefined {
  let s = text;
  if (/^\d{4}$/.test(s)) s += '-01-01';
  else if (/^\d{4}-\d{2}$/.test(s)) s += '-01';
  // A leap second (:60) rolls over, as the reference's calendar does.
  const leap = /T\d{2}:\d{2}:60/.test(s);
  if (leap) s = s.replace(/(T\d{2}:\d{2}:)60/, '$159');
  const t = Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s);
  return Number.isNaN(t) ? undefined : t + (leap ? 1000 : 0);
}
