import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FhirPathInvariantEvaluator } from '../src/fhirpath/invariant-evaluator.js';
import { TerminologyBindingChecker } from '../src/terminology/binding-checker.js';
import { LocalTerminology } from '../src/terminology/local-terminology.js';
import { checkUkIdentifier } from '../src/terminology/uk/apply.js';
import { ukFhirPathFunctions } from '../src/terminology/uk/rules.js';
import { coreResources, MemoryResolver } from './support/memory-resolver.js';

const anyJson = fc.jsonValue({ maxDepth: 4 });
const hostileKeys = fc.constantFrom('__proto__', 'constructor', 'coding', 'system', 'code', 'display', 'text', 'reference', 'contained', 'id', 'value', 'extension');
const objects = fc.dictionary(hostileKeys, anyJson, { maxKeys: 6 });

describe('the plug-ins never throw on arbitrary input', () => {
  const checker = new TerminologyBindingChecker(new LocalTerminology(new MemoryResolver(coreResources())));
  const evaluator = new FhirPathInvariantEvaluator({ functions: ukFhirPathFunctions });

  it('binding checks', () => {
    fc.assert(
      fc.property(fc.oneof(anyJson, objects), fc.constantFrom('required', 'extensible', 'preferred', 'example'), fc.constantFrom('http://hl7.org/fhir/ValueSet/administrative-gender', 'http://hl7.org/fhir/ValueSet/marital-status', 'http://example.org/none'), (value, strength, valueSet) => {
        const issues = checker.check({ valueSet, strength: strength as 'required', value: value as never, path: 'X' });
        expect(Array.isArray(issues)).toBe(true);
        expect(Array.isArray(checker.checkCoding(value as never, 'X'))).toBe(true);
        expect(Array.isArray(checker.checkResource(value, 'X'))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('invariants, including the UK identifier rules', () => {
    const expressions = ['name.exists()', "reference.startsWith('#').not()", 'contained.where(id.exists()).count() < 3', 'htmlChecks()', 'value.nhsNumberValid()', 'descendants().count() >= 0'];
    fc.assert(
      fc.property(fc.oneof(anyJson, objects), fc.constantFrom(...expressions), fc.constantFrom('Patient', 'HumanName', 'string', 'BackboneElement', 'xhtml'), (node, expression, elementType) => {
        const resource = { resourceType: 'Patient', contained: [node] };
        const issues = evaluator.evaluate({ key: 'p-1', expression, severity: 'error', human: 'h', node, resource, root: resource, path: 'Patient.contact[0]', elementType });
        expect(issues.every((i) => typeof i.message === 'string')).toBe(true);
        expect(Array.isArray(checkUkIdentifier(evaluator, { identifier: node, resource, root: resource, path: 'Patient.identifier[0]' }))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
