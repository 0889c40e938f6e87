/**
 * Findings of the JSON reader: the HL7 Java validator's JSON parser (elementmodel JsonParser) reports these while it
 * reads the text into its element tree, once, before any validation. What it could not read is left out of the tree
 * (an unknown property, a value of the wrong shape) or kept as text (a primitive of the wrong JSON kind), so the
 * validation that follows, including the checks of a referenced resource or a Bundle entry against a profile,
 * never sees these findings: a resource with an unknown property still conforms to a profile it otherwise meets.
 * ads-fhir reports them in its walk; a profile probe (probe.ts) leaves them out of its verdict.
 */
export const READER_FINDINGS: ReadonlySet<string> = new Set([
  'Unrecognised_property_',
  'Object_must_have_some_content',
  'Error_parsing_JSON_the_primitive_value_must_be_a_string',
  'Error_parsing_JSON_the_primitive_value_must_be_a_number',
  'Error_parsing_JSON_the_primitive_value_must_be_a_boolean',
  'This_property_must_be__not_',
  'This_property_must_be_an_Array_not_',
  'This_base_property_must_be_an_Array_not_',
  'This_property_must_be_an_object_not_',
  'This_property_must_be_an_simple_value_not_',
  'ARRAY_CANNOT_BE_EMPTY',
  'JSON_PROPERTY_INVALID_ARRAY',
]);

/**
 * A location as the JSON reader writes it: a choice element by its definition's name (`Observation.value[x]`, and
 * `Observation.value[x].system` below it), where the walk writes the type read (`Observation.value.ofType(Quantity)`).
 * The reader builds its paths from the element definitions' names (JsonParser: path + "." + property.getName()).
 */
export function readerPath(path: string): string {
  return path.includes('.ofType(') ? path.replace(/\.ofType\([^)]*\)/g, '[x]') : path;
}
