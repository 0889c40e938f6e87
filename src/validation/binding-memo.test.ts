import { describe, expect, it } from 'vitest';
import { readCoreR4 } from '../packages/core-r4.js';
import { LocalTerminology, TerminologyBindingChecker } from '../terminology/index.js';
import { CLEAN, CLEAN_NO_HINTS, CleanValues, NOT_SEEN } from './binding-memo.js';
import { MemoryResolver } from './core-resolver.js';
import { Validator } from './validator.js';

const resolver = new MemoryResolver(readCoreR4());
const validator = new Validator(resolver, { terminology: new TerminologyBindingChecker(new LocalTerminology(resolver)) });
const codeIssues = (r: unknown) => validator.validateToIssues(r).filter((i) => i.code === 'code-invalid' || i.code === 'invalid' || i.code === 'not-found').map((i) => `${i.severity} ${i.expression}`);

describe('remembered clean binding checks', () => {
  it('never hides a finding: a value checked clean once does not excuse a different one', () => {
    expect(codeIssues({ resourceType: 'Patient', gender: 'male' })).toEqual([]);
    expect(codeIssues({ resourceType: 'Patient', gender: 'mail' })).toEqual(['error Patient.gender', 'error Patient.gender']);
    expect(codeIssues({ resourceType: 'Patient', gender: 'male' })).toEqual([]);
  });

  it('tells codings apart by display and by the display language in force', () => {
    const contact = (display: string, language?: string) => ({
      resourceType: 'Patient',
      ...(language ? { language } : {}),
      contact: [{ relationship: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'C', display }] }] }],
    });
    expect(codeIssues(contact('Emergency Contact'))).toEqual([]);
    expect(codeIssues(contact('Wrong display')).length).toBeGreaterThan(0);
    expect(codeIssues(contact('Emergency Contact'))).toEqual([]);
    expect(codeIssues(contact('Emergency Contact', 'en'))).toEqual([]);
  });
});

describe('CleanValues', () => {
  const coding = { system: 'http://example.org/cs', code: 'a', display: 'A' };
  it('holds a value as clean only for the same parts and display languages', () => {
    const clean = new CleanValues();
    clean.add(undefined, coding);
    clean.add(['en'], 'final');
    expect(clean.has(undefined, { ...coding })).toBe(true);
    expect(clean.has(undefined, { ...coding, display: 'B' })).toBe(false);
    expect(clean.has(undefined, { ...coding, version: '1' })).toBe(false);
    expect(clean.has(['de'], coding)).toBe(false);
    expect(clean.has(undefined, { coding: [coding] })).toBe(false);
    expect(clean.has(undefined, 'final')).toBe(false);
    expect(clean.has(['en'], 'final')).toBe(true);
    clean.add(undefined, { coding: [coding], text: 't' });
    expect(clean.has(undefined, { coding: [coding], text: 't' })).toBe(true);
    expect(clean.has(undefined, { coding: [coding, coding], text: 't' })).toBe(false);
    expect(clean.has(undefined, { coding: [coding] })).toBe(false);
  });

  it('remembers no Quantity and no coding with an object where a string belongs', () => {
    const clean = new CleanValues();
    const quantity = { value: 1, system: 'http://unitsofmeasure.org', code: 'mg' };
    const odd = { system: { nested: true }, code: 'a' };
    clean.add(undefined, quantity);
    clean.add(undefined, odd);
    expect(clean.has(undefined, quantity)).toBe(false);
    expect(clean.has(undefined, odd)).toBe(false);
  });

  it('tells a value found with no status hints only where the hints follow from the parts compared', () => {
    const clean = new CleanValues();
    clean.add(undefined, coding, true);
    clean.add(undefined, { coding: [coding], text: 't' }, true);
    clean.add(undefined, { text: 'only text' }, true);
    clean.add(undefined, 'final', false);
    expect(clean.lookup(undefined, { ...coding })).toBe(CLEAN_NO_HINTS);
    expect(clean.lookup(undefined, { coding: [{ ...coding }], text: 't' })).toBe(CLEAN_NO_HINTS);
    // A CodeableConcept without codings may carry a code of its own that the status rule reads: never without hints.
    expect(clean.lookup(undefined, { text: 'only text' })).toBe(CLEAN);
    expect(clean.lookup(undefined, 'final')).toBe(CLEAN);
    expect(clean.lookup(undefined, 'other')).toBe(NOT_SEEN);
  });
});
