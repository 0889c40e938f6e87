import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { TerminologyBindingChecker } from '../src/terminology/binding-checker.js';
import { LocalTerminology } from '../src/terminology/local-terminology.js';
import { Validator } from '../src/validation/validator.js';
import type { CanonicalResource } from '../src/packages/types.js';
import { coreResources, MemoryResolver } from './support/memory-resolver.js';
import { describeWithShared, SHARED_ROOT } from './support/shared.js';

const SUITE = join(SHARED_ROOT, 'fhir-test-cases', 'validator');
const read = (file: string) => JSON.parse(readFileSync(join(SUITE, file), 'utf8')) as CanonicalResource & Record<string, unknown>;

/**
 * Java's expected issues (severity + location) for a case, messages ignored, excluding information and
 * the include-system rule, which the validation engine checks itself.
 */
function expected(name: string): string[] {
  const oo = JSON.parse(readFileSync(join(SUITE, 'outcomes', 'java', `R4.${name}-base.json`), 'utf8')) as { issue?: { severity: string; expression?: string[] }[] };
  return (oo.issue ?? [])
    .filter((i) => i.severity !== 'information' && !/^ValueSet\.compose\.(include|exclude)\[\d+\]$/.test(i.expression?.[0] ?? ''))
    .map((i) => `${i.severity} ${(i.expression?.[0] ?? '').replace(/\/\*.*?\*\//g, '')}`)
    .sort();
}

/** What the validator reports, core R4 and local terminology wired as the product wires them (invariants aside). */
function ours(file: string, supporting: string[] = []): string[] {
  const resource = read(file);
  const resolver = new MemoryResolver([...coreResources(), ...supporting.map(read), resource, ...((resource.contained as CanonicalResource[] | undefined) ?? [])]);
  const validator = new Validator(resolver, { terminology: new TerminologyBindingChecker(new LocalTerminology(resolver)) });
  return validator
    .validateToIssues(resource)
    .filter((i) => i.severity !== 'information' && !/^ValueSet\.compose\.(include|exclude)\[\d+\]$/.test(i.expression))
    .map((i) => `${i.severity} ${i.expression}`)
    .sort();
}

describeWithShared('CodeSystem and ValueSet authoring rules (validator with local terminology) agree with the HL7 validator suite', ['fhir-test-cases', 'validator'], () => {
  const cases: [string, string, string[]][] = [
    ['canonical-url', 'canonical-url.json', []],
    ['vs-canonical-good', 'vs-canonical-good.json', []],
    ['vs-canonical-bad-2', 'vs-canonical-bad-2.json', []],
    ['vs-canonical-urn', 'vs-canonical-urn.json', []],
    ['cs-bad-props', 'cs-bad-props.json', []],
    ['cs-filter-bad', 'cs-filter-bad.json', ['cs-sub-prop.json']],
    ['vs-filter-property', 'vs-filter-property.json', ['cs-filter.json', 'cs-sub-prop.json']],
    ['vs-filter-property-bad', 'vs-filter-property-bad.json', ['cs-filter.json', 'cs-sub-prop.json']],
    ['vs-filter-property-bad2', 'vs-filter-property-bad2.json', ['cs-filter.json', 'cs-sub-prop.json']],
    // Java asked a terminology server; the codes '1' and '2' are not SNOMED CT identifiers at all.
    ['vs-bad-code', 'vs-bad-code.json', []],
    // likewise 'test' is not a LOINC code
    ['supplement-2', 'supplement-cs.json', []],
  ];
  for (const [name, file, supporting] of cases) {
    it(name, () => {
      expect(ours(file, supporting)).toEqual(expected(name));
    });
  }

  it('expands a filter on a Coding property written as system#code', () => {
    const tx = new LocalTerminology(new MemoryResolver([...['cs-filter.json', 'cs-sub-prop.json', 'vs-filter-property.json'].map(read)]));
    const vs = read('vs-filter-property.json');
    expect(tx.expand(vs.url as string)?.contains?.map((c) => c.code)).toEqual(['code1']);
  });
});
