import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { coreResolver } from './core-resolver.js';
import { Validator } from './validator.js';

const validator = new Validator(coreResolver());
const fatalOrError = (input: unknown) => validator.validateToIssues(input).filter((i) => i.severity === 'error' || i.severity === 'fatal');

describe('hostile input never throws and is reported', () => {
  it('malformed JSON gives a fatal issue with line and column', () => {
    const [issue] = validator.validateToIssues('{\n "resourceType": "Patient",\n "name": [ }');
    expect(issue).toMatchObject({ severity: 'fatal', line: 3, column: 12 });
  });

  it('10 000-deep nesting', () => {
    const deep = `{"resourceType":"Patient","extension":${'[{"url":"http://example.org/x","extension":'.repeat(10000)}[]${'}]'.repeat(10000)}}`;
    expect(validator.validateToIssues(deep).map((i) => i.rule)).toContain('ADSFHIR_TOO_DEEP');
    let obj: Record<string, unknown> = { url: 'http://example.org/x' };
    for (let i = 0; i < 10000; i++) obj = { url: 'http://example.org/x', extension: [obj] };
    expect(fatalOrError({ resourceType: 'Patient', extension: [obj] }).map((i) => i.rule)).toContain('ADSFHIR_TOO_DEEP');
  });

  it('50 MB strings', () => {
    const big = 'a'.repeat(50 * 1024 * 1024);
    const found = fatalOrError({ resourceType: 'Patient', name: [{ family: big }] });
    expect(found.map((i) => `${i.rule} ${i.expression}`)).toEqual(['Type_Specific_Checks_DT_String_Length Patient.name[0].family']);
    expect(found[0]!.message.length).toBeLessThan(200);
  });

  it('a million-item array keeps the issue list bounded', () => {
    const found = validator.validateToIssues({ resourceType: 'Patient', name: Array.from({ length: 1_000_000 }, () => ({ family: 1 })) });
    expect(found.length).toBeLessThanOrEqual(1001);
  });

  it('__proto__ and constructor keys are plain unknown properties', () => {
    const found = fatalOrError('{"resourceType":"Patient","__proto__":{"polluted":1},"constructor":1}');
    expect(found.map((i) => `${i.rule} ${i.message}`)).toEqual(["Unrecognised_property_ Unrecognized property '__proto__'", "Unrecognised_property_ Unrecognized property 'constructor'"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('non-object roots, unknown and abstract resource types', () => {
    for (const input of [null, 7, []]) expect(fatalOrError(input).map((i) => i.rule)).toEqual(['This_property_must_be_an_object_not_']);
    // JSON text holding no object does not get past the reader: a fatal parse error, as the reference's reader gives.
    for (const input of ['[]', '42', 'null', '"x"', ' [{"resourceType":"Patient"}]']) expect(fatalOrError(input).map((i) => `${i.severity} ${i.rule}`)).toEqual(['fatal Error_parsing_JSON_']);
    // A name with no definition is the reader's fatal finding; an abstract type has a definition but cannot be an instance.
    expect(fatalOrError({ resourceType: 'Nope' }).map((i) => i.rule)).toEqual(['This_does_not_appear_to_be_a_FHIR_resource_unknown_name_']);
    expect(fatalOrError({ resourceType: 'DomainResource' }).map((i) => i.rule)).toEqual(['Validation_VAL_Profile_NoDefinition']);
    expect(fatalOrError({}).map((i) => i.rule)).toEqual(['Unable_to_find_resourceType_property']);
  });

  it('random and mutated resources always give an OperationOutcome', () => {
    const seed = { resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '1' }] }, valueQuantity: { value: 1 } };
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom('status', 'code', 'valueQuantity', 'subject', 'component', 'extension', '_status', 'contained'), (junk, key) => {
        const mutated = { ...seed, [key]: junk };
        for (const input of [junk, mutated, JSON.stringify(mutated)]) {
          const out = validator.validate(input);
          expect(out.resourceType).toBe('OperationOutcome');
          // Every finding names its rule, whatever the input (the one issue of a clean outcome is not a finding).
          const clean = out.issue.length === 1 && out.issue[0]!.code === 'informational';
          if (!clean) expect(out.issue.filter((i) => !i.details?.coding?.[0]?.code)).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('objects that inherit enumerable properties are read by their own keys', () => {
  const patient = { resourceType: 'Patient', id: 'p1', active: true, name: [{ family: 'Smith', given: ['Ann'] }] };
  const plainIssues = () => validator.validateToIssues(JSON.parse(JSON.stringify(patient)));

  it('an instance of a class whose prototype has an enumerable property', () => {
    class Resource {}
    Object.defineProperty(Resource.prototype, 'inheritedProperty', { value: 'x', enumerable: true });
    const built = Object.assign(new Resource(), JSON.parse(JSON.stringify(patient))) as Record<string, unknown>;
    // for-in would list it; Object.keys does not, and the reader never sees it.
    expect(Object.keys(built)).not.toContain('inheritedProperty');
    expect(validator.validateToIssues(built)).toEqual(plainIssues());
  });

  it('plain objects while something enumerable has been added to Object.prototype', () => {
    const expected = plainIssues();
    const proto = Object.prototype as Record<string, unknown>;
    proto.addedEverywhere = 'x';
    try {
      expect(validator.validateToIssues(JSON.parse(JSON.stringify(patient)))).toEqual(expected);
    } finally {
      delete proto.addedEverywhere;
    }
  });

  it('an unknown own property is still reported', () => {
    const rules = validator.validateToIssues({ ...patient, madeUp: 1 }).map((i) => `${i.rule} ${i.expression}`);
    expect(rules).toContain('Unrecognised_property_ Patient');
  });
});
