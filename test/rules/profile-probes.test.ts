/**
 * Whether a value conforms to a profile (a `profile` slice discriminator, a reference's target profiles) is judged
 * on what the JSON reader kept, as the reference validator's conformsToProfile judges the element model its reader
 * loaded: the reader's own findings (an unknown property, a value of the wrong JSON shape) are reported where they
 * are, once, and do not make the resource fail its profile elsewhere. Payloads of our own (an ADS example bundle
 * with one defect), through createValidationService with every consequence reported, as the reference does.
 */
import type { Bundle, Communication } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../examples/index.js';
import { createValidationService, type ValidationService } from '../../src/validation/index.js';
import { found, service } from './helpers.js';

let consequences: ValidationService;
beforeAll(async () => {
  consequences = await createValidationService({ reuse: (await service()).store, reportConsequences: true });
});

const bundle = (): Bundle => structuredClone(EXAMPLES['conveyed-to-ed']!().bundle);
const call = (b: Bundle) => b.entry!.findIndex((e) => e.resource?.resourceType === 'Communication');
const errors = (b: Bundle) => found(consequences.validate(b)).filter((f) => f.severity === 'error' || f.severity === 'fatal');

describe("the JSON reader's findings in profile probes", () => {
  it('the example bundle is clean', () => {
    expect(errors(bundle())).toEqual([]);
  });

  it('an unknown property in the call is reported once, where it is; the call still fills the Bundle.entry:call slice', () => {
    const b = bundle();
    const i = call(b);
    (b.entry![i]!.resource as Communication & { notes?: string }).notes = 'typed by hand';
    expect(errors(b)).toEqual([{ severity: 'error', rule: 'Unrecognised_property_', at: `Bundle.entry[${i}].resource` }]);
  });

  it('a value of the wrong JSON shape in the call is reported once; the call still fills its slice', () => {
    const b = bundle();
    const i = call(b);
    (b.entry![i]!.resource as unknown as { language: unknown }).language = ['en-GB'];
    expect(errors(b)).toEqual([{ severity: 'error', rule: 'This_property_must_be_an_simple_value_not_', at: `Bundle.entry[${i}].resource.language` }]);
  });

  it('what the reader drops counts as absent: a required element of the wrong shape leaves the call out of its slice', () => {
    const b = bundle();
    const i = call(b);
    (b.entry![i]!.resource as unknown as { status: unknown }).status = ['completed'];
    const rules = errors(b).map((f) => f.rule);
    expect(rules).toContain('This_property_must_be_an_simple_value_not_');
    expect(rules).toContain('Validation_VAL_Profile_Minimum_SLICE');
  });

  it('a defect the profile judges still keeps the call out of its slice (Validation_VAL_Profile_Minimum_SLICE)', () => {
    const b = bundle();
    const i = call(b);
    delete (b.entry![i]!.resource as Partial<Communication>).status;
    expect(errors(b)).toContainEqual({ severity: 'error', rule: 'Validation_VAL_Profile_Minimum_SLICE', at: 'Bundle' });
  });
});
