import { describe, expect, it } from 'vitest';
import { readCoreR4 } from '../packages/core-r4.js';
import { LocalTerminology, TerminologyBindingChecker } from '../terminology/index.js';
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
