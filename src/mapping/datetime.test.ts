import { describe, expect, it } from 'vitest';
import { compilePattern, zonedDateTime, type AmbiguousRule } from './datetime.js';

const LONDON = 'Europe/London';
const read = (text: string, rule: AmbiguousRule = 'earlier', pattern = 'dd/MM/yyyy HH:mm') => {
  const wall = compilePattern(pattern, 'dateTime').parse(text);
  if (!wall) throw new Error('pattern did not match');
  return zonedDateTime(wall, LONDON, rule);
};
const utc = (fhir: string) => new Date(fhir).toISOString();

describe('Europe/London across the clock changes', () => {
  it.each([
    // [spring day, autumn day]
    ['30/03/2025', '26/10/2025'],
    ['29/03/2026', '25/10/2026'],
  ])('spring %s: 00:59 is GMT, 01:00-01:59 does not exist, 02:00 is BST', (spring) => {
    expect(read(`${spring} 00:59`)).toMatch(/T00:59:00\+00:00$/);
    expect(() => read(`${spring} 01:30`)).toThrow(/skipped by the clock change/);
    expect(() => read(`${spring} 01:00`)).toThrow(/skipped/);
    expect(read(`${spring} 02:00`)).toMatch(/T02:00:00\+01:00$/);
    // One real minute apart: 00:59 GMT and 02:00 BST.
    expect(Date.parse(read(`${spring} 02:00`)) - Date.parse(read(`${spring} 00:59`))).toBe(60_000);
  });

  it.each([['26/10/2025', '2025-10-26'], ['25/10/2026', '2026-10-25']])('autumn %s: 01:30 happens twice; earlier by default', (day, iso) => {
    expect(read(`${day} 00:30`)).toBe(`${iso}T00:30:00+01:00`);
    expect(read(`${day} 01:30`)).toBe(`${iso}T01:30:00+01:00`);
    expect(utc(read(`${day} 01:30`))).toBe(`${iso}T00:30:00.000Z`);
    expect(read(`${day} 01:30`, 'later')).toBe(`${iso}T01:30:00+00:00`);
    expect(utc(read(`${day} 01:30`, 'later'))).toBe(`${iso}T01:30:00.000Z`);
    expect(() => read(`${day} 01:30`, 'reject')).toThrow(/happens twice/);
    expect(read(`${day} 02:00`, 'reject')).toBe(`${iso}T02:00:00+00:00`);
  });

  it('summer and winter days take their offsets', () => {
    expect(read('01/07/2026 14:02')).toBe('2026-07-01T14:02:00+01:00');
    expect(read('23/11/2026 14:02')).toBe('2026-11-23T14:02:00+00:00');
  });
});

describe('patterns', () => {
  it('reads ISO with or without an offset; an offset is kept as given', () => {
    expect(read('2026-07-01T14:02:11', 'earlier', 'iso')).toBe('2026-07-01T14:02:11+01:00');
    expect(read('2026-07-01T14:02:11Z', 'earlier', 'iso')).toBe('2026-07-01T14:02:11+00:00');
    expect(read('2026-07-01 14:02:11.250+02:00', 'earlier', 'iso')).toBe('2026-07-01T14:02:11.250+02:00');
  });

  it('rejects impossible days and times, and text that does not match', () => {
    expect(() => read('30/02/2026 10:00')).toThrow(/not a real date/);
    expect(() => read('01/01/2026 24:10')).toThrow(/not a real date/);
    expect(compilePattern('dd/MM/yyyy HH:mm', 'dateTime').parse('2026-01-01 10:00')).toBeUndefined();
  });

  it('refuses bad patterns when the mapping loads', () => {
    expect(() => compilePattern('dd/MM/yyyy', 'dateTime')).toThrow(/lacks hour, minute/);
    expect(() => compilePattern('dd/MM/yyyy HH:mm', 'date')).toThrow(/no time fields/);
    expect(() => compilePattern('dd/MM', 'date')).toThrow(/lacks year/);
    expect(() => compilePattern('dd/QQ/yyyy', 'date')).toThrow(/unknown letter/);
  });
});
