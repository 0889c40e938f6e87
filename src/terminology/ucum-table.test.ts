/**
 * The UCUM shortcut must never change a verdict: every code of each shape it accepts is checked here against
 * the UCUM library itself (every unit of the library's table, with each prefix, alone, after `/` and with an
 * annotation; quotients of two table units, a fixed spread of them). And it only ever accepts: codes it does
 * not vouch for still get the library's verdict and message through the validator (test/quantity-rules.test.ts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { knownValidUcum } from './ucum-table.js';

const require = createRequire(import.meta.url);
const library = (require('@lhncbc/ucum-lhc') as { UcumLhcUtils: { getInstance(): { validateUnitString(u: string): { status: string } } } }).UcumLhcUtils.getInstance();
const defs = JSON.parse(readFileSync(require.resolve('@lhncbc/ucum-lhc/data/ucumDefs.min.json'), 'utf8')) as { units: { config: unknown[]; data: unknown[][] }; prefixes: { data: unknown[][] } };
const units = defs.units.data.map((row) => row[defs.units.config.indexOf('csCode_')]).filter((c): c is string => typeof c === 'string');
const prefixes = defs.prefixes.data.map((row) => row[0] as string);

/** The accepted codes among `codes` that the library does not call valid (should be none). */
function disagreements(codes: Iterable<string>): { accepted: number; wrong: string[] } {
  let accepted = 0;
  const wrong: string[] = [];
  for (const code of codes) {
    if (!knownValidUcum(code)) continue;
    accepted++;
    if (library.validateUnitString(code).status !== 'valid') wrong.push(code);
  }
  return { accepted, wrong };
}

describe('UCUM table shortcut', () => {
  it('accepts only what the UCUM library accepts: each unit, prefixed or not, alone, after / and annotated', () => {
    const components = [...units, ...prefixes.flatMap((p) => units.map((u) => p + u))];
    const r = disagreements(components.flatMap((c) => [c, `/${c}`, `${c}{per_item}`]));
    expect(r.wrong).toEqual([]);
    expect(r.accepted).toBeGreaterThan(10_000);
  });

  it('accepts only what the library accepts among quotients of two units and annotations', () => {
    const pairs: string[] = [];
    for (let i = 0; i < units.length; i++) for (let j = i % 13; j < units.length; j += 13) pairs.push(`${units[i]}/${units[j]}`, `m${units[i]}/${units[j]}{x}`);
    for (const a of ['{}', '{score}', '{ScoreOf}']) pairs.push(a, `/${a}`, `${a}/min`, `mg/${a}`);
    const r = disagreements(pairs);
    expect(r.wrong).toEqual([]);
    expect(r.accepted).toBeGreaterThan(5_000);
  });

  it('vouches for the common clinical units and leaves everything else to the library', () => {
    for (const u of ['mg', '/min', 'mm[Hg]', '%', 'kg', 'Cel', 'mmol/L', 'L/min', '{score}', '10*3/uL', 'kg/m2']) expect(knownValidUcum(u), u).toBe(true);
    // Not valid (the library says why), or valid but of a shape the table cannot vouch for: never accepted here.
    for (const u of ['mmHg', 'Ecm', 'kg.m/s2', 'mg/dL/h', '(mg)', 'Cel/min', '{a b}', 'mg{', '']) expect(knownValidUcum(u), u).toBe(false);
  });
});
