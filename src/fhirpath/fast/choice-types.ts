/**
 * `x.value is T` and `x.value as T` on a choice element, decided from the JSON key that holds the value
 * (`valueQuantity`, `probabilityDecimal`). The key names the value's exact type, which answers a type test
 * only for a type no other FHIR type derives from: a `positiveInt` is also an `integer`, an `Age` a
 * `Quantity`, so those (and the System types, `Boolean`, `String`...) stay with fhirpath.js and its model.
 */
import type { Eval } from './eval.js';
import { bool, childName, EMPTY, member, NeedsFullEngine } from './values.js';
import { R4_CHOICE_NAMES } from './choice-names.js';

/**
 * The R4 types a choice element can hold, that no other type derives from (src/fhirpath/fast/fallbacks.test.ts
 * checks them against the R4 model of fhirpath.js): primitive types by their FHIR name, in lower camel case.
 */
export const LEAF_CHOICE_TYPES: ReadonlySet<string> = new Set([
  'base64Binary', 'boolean', 'canonical', 'code', 'date', 'dateTime', 'decimal', 'id', 'instant', 'markdown', 'oid',
  'positiveInt', 'time', 'unsignedInt', 'url', 'uuid', 'Address', 'Age', 'Annotation', 'Attachment', 'CodeableConcept',
  'Coding', 'ContactPoint', 'Count', 'Distance', 'Duration', 'HumanName', 'Identifier', 'Money', 'Period', 'Range',
  'Ratio', 'Reference', 'SampledData', 'Signature', 'Timing', 'ContactDetail', 'Contributor', 'DataRequirement',
  'Expression', 'ParameterDefinition', 'RelatedArtifact', 'TriggerDefinition', 'UsageContext', 'Dosage', 'Meta',
]);

/**
 * `is` / `as` over a choice element `name` of what `parent` gives; undefined when the test is not of that shape
 * (the caller compiles it otherwise or leaves it to fhirpath.js).
 */
export function choiceTypeTest(op: 'is' | 'as', parent: Eval, name: string, type: string): Eval | undefined {
  if (!R4_CHOICE_NAMES.has(name) || !LEAF_CHOICE_TYPES.has(type)) return undefined;
  const any = childName(name);
  const typed = childName(`${name}${type[0]!.toUpperCase()}${type.slice(1)}`);
  return (f, s, e) => {
    const p = parent(f, s, e);
    const all = member(p, any);
    if (all.length === 0) return EMPTY;
    if (all.length > 1) throw new NeedsFullEngine(`${op} on a collection`);
    const match = member(p, typed);
    return op === 'is' ? bool(match.length > 0) : match;
  };
}
