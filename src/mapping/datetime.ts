/**
 * Local date-times of an extract, read with a pattern and placed in a time zone (for example Europe/London)
 * using the offsets of `Intl.DateTimeFormat`, so the clock changes are handled without a date library.
 *
 * Rules at the clock changes (docs/mapping.md):
 * - a wall-clock time that happens twice (autumn, 01:00 to 01:59 in London) is read as the **earlier**
 *   instant (summer time) unless the mapping says `"ambiguous": "later"` or `"reject"`;
 * - a wall-clock time that never happens (spring, 01:00 to 01:59 in London) is an invalid value.
 */

/** What to do with a wall-clock time that happens twice. */
export type AmbiguousRule = 'earlier' | 'later' | 'reject';

/** Why a value could not be read; never holds the value. */
export class DateTimeValueError extends Error {
  override readonly name = 'DateTimeValueError';
}

/** A date and time as written in the extract, before it is placed in a time zone. */
export interface WallClockTime {
  year: number; month: number; day: number; hour: number; minute: number; second: number; fraction: string;
  /** Offset in minutes when the value carries one (`Z`, `+01:00`). */
  offset?: number;
}

type Field = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'fraction';
const TOKENS: readonly (readonly [string, Field, string])[] = [
  ['yyyy', 'year', '(\\d{4})'], ['MM', 'month', '(\\d{2})'], ['M', 'month', '(\\d{1,2})'], ['dd', 'day', '(\\d{2})'],
  ['d', 'day', '(\\d{1,2})'], ['HH', 'hour', '(\\d{2})'], ['H', 'hour', '(\\d{1,2})'], ['mm', 'minute', '(\\d{2})'],
  ['ss', 'second', '(\\d{2})'], ['SSS', 'fraction', '(\\d{3})'],
];

/** A pattern compiled once: a regular expression and which group holds which field. */
export interface CompiledPattern {
  readonly pattern: string;
  readonly date: boolean;
  parse(text: string): WallClockTime | undefined;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Throws with a message naming the problem in the pattern (mapping errors are about the mapping, not data). */
export function compilePattern(pattern: string, kind: 'dateTime' | 'date'): CompiledPattern {
  if (pattern === 'iso') {
    return {
      pattern, date: kind === 'date',
      parse(text) {
        const m = ISO.exec(text);
        if (!m) return undefined;
        if (kind === 'date' && m[4] !== undefined) return undefined;
        const off = m[8];
        const offset = off === undefined ? undefined : off === 'Z' ? 0 : (off[0] === '-' ? -1 : 1) * (Number(off.slice(1, 3)) * 60 + Number(off.slice(-2)));
        return {
          year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4] ?? 0), minute: Number(m[5] ?? 0),
          second: Number(m[6] ?? 0), fraction: m[7] ?? '', ...(offset === undefined ? {} : { offset }),
        };
      },
    };
  }
  const fields: Field[] = [];
  let source = '';
  let rest = pattern;
  while (rest.length) {
    const token = TOKENS.find(([t]) => rest.startsWith(t));
    if (token) {
      if (fields.includes(token[1])) throw new Error(`the pattern gives ${token[1]} twice`);
      fields.push(token[1]);
      source += token[2];
      rest = rest.slice(token[0].length);
    } else if (/[A-Za-z]/.test(rest[0]!)) {
      throw new Error(`the pattern has an unknown letter "${rest[0]}" (use yyyy MM M dd d HH H mm ss SSS; 'iso' for ISO 8601)`);
    } else {
      source += rest[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      rest = rest.slice(1);
    }
  }
  const needed: Field[] = kind === 'date' ? ['year', 'month', 'day'] : ['year', 'month', 'day', 'hour', 'minute'];
  const lacking = needed.filter((f) => !fields.includes(f));
  if (lacking.length) throw new Error(`the pattern lacks ${lacking.join(', ')}`);
  if (kind === 'date' && fields.some((f) => f === 'hour' || f === 'minute' || f === 'second' || f === 'fraction')) throw new Error('a date pattern has no time fields');
  const re = new RegExp(`^${source}$`);
  return {
    pattern, date: kind === 'date',
    parse(text) {
      const m = re.exec(text);
      if (!m) return undefined;
      const wall: WallClockTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, fraction: '' };
      fields.forEach((f, i) => {
        if (f === 'fraction') wall.fraction = m[i + 1]!;
        else wall[f] = Number(m[i + 1]);
      });
      return wall;
    },
  };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();
const QUARTER_HOUR = 15 * 60_000;

/** Throws when the runtime does not know the zone. */
export function checkTimeZone(zone: string): void {
  formatter(zone);
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/**
 * Offset from UTC in minutes of `zone` at `epochMs`. Cached per quarter hour: zones change offset on quarter
 * hours of UTC, and an extract has many timestamps in the same quarter hour.
 */
export function timeZoneOffsetAt(zone: string, epochMs: number): number {
  const bucket = Math.floor(epochMs / QUARTER_HOUR);
  const key = `${zone}|${bucket}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const at = bucket * QUARTER_HOUR;
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(at))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wallMs = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  const offset = Math.round((wallMs - at) / 60_000);
  if (offsetCache.size > 50_000) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const offsetText = (minutes: number) => (minutes === 0 ? '+00:00' : `${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`);

function realDay(w: WallClockTime): boolean {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day));
  return w.month >= 1 && w.month <= 12 && d.getUTCFullYear() === w.year && d.getUTCMonth() === w.month - 1 && d.getUTCDate() === w.day;
}

/**
 * The instant a wall-clock time names in `zone`, as a FHIR dateTime with the local offset
 * (`2026-10-25T01:30:00+01:00`). Throws DateTimeValueError for an impossible calendar day or time, a time
 * skipped by the clock change, or (rule `reject`) a time that happens twice.
 */
export function zonedDateTime(w: WallClockTime, zone: string, ambiguous: AmbiguousRule): string {
  if (!realDay(w) || w.hour > 23 || w.minute > 59 || w.second > 59) throw new DateTimeValueError('is not a real date and time');
  const frac = w.fraction ? `.${w.fraction}` : '';
  const local = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${frac}`;
  if (w.offset !== undefined) return `${local}${offsetText(w.offset)}`;
  const wallMs = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const around = [timeZoneOffsetAt(zone, wallMs - 12 * 3_600_000), timeZoneOffsetAt(zone, wallMs + 12 * 3_600_000)];
  const candidates = [...new Set(around)]
    .map((o) => ({ o, t: wallMs - o * 60_000 }))
    .filter(({ o, t }) => timeZoneOffsetAt(zone, t) === o)
    .sort((a, b) => a.t - b.t);
  if (candidates.length === 0) throw new DateTimeValueError(`is a local time skipped by the clock change in ${zone}`);
  if (candidates.length > 1 && ambiguous === 'reject') throw new DateTimeValueError(`is a local time that happens twice at the clock change in ${zone}`);
  const chosen = candidates.length > 1 && ambiguous === 'later' ? candidates[1]! : candidates[0]!;
  return `${local}${offsetText(chosen.o)}`;
}

/** A calendar date YYYY-MM-DD; throws DateTimeValueError when the day does not exist. */
export function calendarDate(w: WallClockTime): string {
  if (!realDay(w)) throw new DateTimeValueError('is not a real calendar date');
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}
