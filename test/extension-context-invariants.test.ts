/**
 * An extension definition's context invariants (StructureDefinition.contextInvariant) are evaluated on the element
 * holding the extension, with `%extension` the extension itself: R4's questionnaire-minOccurs and -maxOccurs say
 * `type!='display' and (required=true or %extension.valueInteger=0)` and the like. Before, `%extension` was unknown to
 * both FHIRPath engines, so these invariants were never judged (a "could not be evaluated" warning instead).
 * Payloads of our own, through the public validation service; the reference validator gives the same verdicts where
 * its newer extension definitions keep R4's invariant (minOccurs, and maxOccurs on a display item).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createValidationService, type ValidationService } from '../src/validation/index.js';
import { errorsAndWarnings } from './support/rule-ids.js';
import { FhirPathInvariantEvaluator } from '../src/fhirpath/index.js';

const EXT = 'http://hl7.org/fhir/StructureDefinition/questionnaire-';

const questionnaire = (item: Record<string, unknown>): Record<string, unknown> => ({ resourceType: 'Questionnaire', status: 'draft', item: [{ linkId: '1', text: 'Q', ...item }] });

let service: ValidationService;
beforeAll(async () => {
  service = await createValidationService();
});

/** `severity rule@location` of every error and warning the public service reports for the JSON text of `resource`. */
function found(resource: unknown): string[] {
  return errorsAndWarnings(service.validateText(JSON.stringify(resource), { format: 'json' }).outcome);
}

describe('extension context invariants with %extension', () => {
  it('holds when the extension fits the item (maxOccurs on a repeating item)', () => {
    expect(found(questionnaire({ type: 'integer', repeats: true, extension: [{ url: `${EXT}maxOccurs`, valueInteger: 3 }] }))).toEqual([]);
  });

  it('fails where %extension says otherwise (minOccurs 2 on an item not required)', () => {
    expect(found(questionnaire({ type: 'string', required: false, extension: [{ url: `${EXT}minOccurs`, valueInteger: 2 }] }))).toEqual(['error Profile_EXT_Not_Here@Questionnaire.item[0]']);
  });

  it('minOccurs 0 on an item not required is allowed', () => {
    expect(found(questionnaire({ type: 'string', required: false, extension: [{ url: `${EXT}minOccurs`, valueInteger: 0 }] }))).toEqual([]);
  });

  it('maxOccurs 1 on a non-repeating item is allowed; 3 is not (R4 definition)', () => {
    expect(found(questionnaire({ type: 'integer', extension: [{ url: `${EXT}maxOccurs`, valueInteger: 1 }] }))).toEqual([]);
    expect(found(questionnaire({ type: 'integer', repeats: false, extension: [{ url: `${EXT}maxOccurs`, valueInteger: 3 }] }))).toEqual(['error Profile_EXT_Not_Here@Questionnaire.item[0]']);
  });

  it('each extension is judged by its own value, not its neighbour', () => {
    const items = [
      { linkId: 'a', type: 'string', extension: [{ url: `${EXT}minOccurs`, valueInteger: 0 }] },
      { linkId: 'b', type: 'string', extension: [{ url: `${EXT}minOccurs`, valueInteger: 5 }] },
    ];
    expect(found({ resourceType: 'Questionnaire', status: 'draft', item: items })).toEqual(['error Profile_EXT_Not_Here@Questionnaire.item[1]']);
  });
});

describe('%extension in the invariant evaluator', () => {
  const args = { key: 'x-1', severity: 'error' as const, human: 'x', node: { type: 'string' }, resource: undefined, root: undefined, path: 'Questionnaire.item[0]', elementType: 'BackboneElement' };

  it('is the extension given, in the fast engine and in fhirpath.js', () => {
    const ev = new FhirPathInvariantEvaluator();
    const ext = { url: 'http://example.org/x', valueInteger: 1 };
    expect(ev.evaluate({ ...args, expression: '%extension.valueInteger = 1', extension: ext })).toEqual([]);
    expect(ev.evaluate({ ...args, expression: '%extension.valueInteger = 2', extension: ext }).map((i) => i.rule)).toEqual(['x-1']);
    // toString() is outside the fast subset: fhirpath.js reads the same variable
    expect(ev.evaluate({ ...args, expression: "%extension.valueInteger.toString() = '1'", extension: ext })).toEqual([]);
    expect(ev.evaluate({ ...args, expression: "%extension.valueInteger.toString() = '5'", extension: ext }).map((i) => i.rule)).toEqual(['x-1']);
  });

  it('stays unknown where no extension is given', () => {
    const ev = new FhirPathInvariantEvaluator();
    expect(ev.evaluate({ ...args, expression: '%extension.valueInteger = 1' }).map((i) => i.rule)).toEqual(['ADSFHIR_INVARIANT_NOT_EVALUATED']);
  });
});
