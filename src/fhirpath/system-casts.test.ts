import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4/index.js';
import { describe, expect, it } from 'vitest';
import { lenientSystemCasts } from './system-casts.js';

describe('casts to System primitives, as R4 FHIRPath read them', () => {
  it('rewrites the left operand of the cast, up to a looser operator or bracket', () => {
    expect(lenientSystemCasts("(a.b.value as String) = 'x'")).toBe("((a.b.value).ofType(String)) = 'x'");
    expect(lenientSystemCasts("a = b.value as String")).toBe('a = (b.value).ofType(String)');
    expect(lenientSystemCasts("x.where(value as Integer > 2)")).toBe('x.where((value).ofType(Integer) > 2)');
    expect(lenientSystemCasts("f('as String') and g as Boolean")).toBe("f('as String') and (g).ofType(Boolean)");
  });

  it('leaves casts to FHIR types and expressions without casts alone', () => {
    expect(lenientSystemCasts('value as Quantity')).toBe('value as Quantity');
    expect(lenientSystemCasts('name.exists()')).toBe('name.exists()');
  });

  it('lets a FHIR string extension value match `as String`', () => {
    const patient = { resourceType: 'Patient', extension: [{ url: 'u', valueString: 'Musterstr.' }] };
    const expression = "(extension('u').value as String) = 'Musterstr.'";
    expect(fhirpath.evaluate(patient, expression, {}, r4 as never)).toEqual([]);
    expect(fhirpath.evaluate(patient, lenientSystemCasts(expression), {}, r4 as never)).toEqual([true]);
  });
});
