import type { ValidationIssue } from '../plugin-types/index.js';
import { choiceAsJsonName, isChoiceJsonName } from './json-position.js';

/** Rules the XML reader gives a boolean or number value it keeps as text. */
const KEPT_AS_TEXT = new Set(['Type_Specific_Checks_DT_Boolean_Value', 'Type_Specific_Checks_DT_Integer_Valid', 'Type_Specific_Checks_DT_Decimal_Valid']);
/** Rules of the XML reader that the engine also applies to the converted JSON. */
const ALSO_BY_ENGINE = new Set(['Type_Specific_Checks_DT_Primitive_NotEmpty']);
/** The JSON validator's findings on such text: a boolean or number written as a string. */
const JSON_KIND_RULES = new Set(['Error_parsing_JSON_the_primitive_value_must_be_a_boolean', 'Error_parsing_JSON_the_primitive_value_must_be_a_number']);

/**
 * The findings on an XML payload: the XML reader's and the engine's on the JSON it converted, with the engine's
 * findings that belong to JSON only taken out and findings both make kept once. The product's XML path and the
 * suite runner both use it, so the suite scores what the product reports.
 */
export function mergeXmlIssues(readerIssues: ValidationIssue[], engineIssues: ValidationIssue[]): { reader: ValidationIssue[]; engine: ValidationIssue[] } {
  let formatIssues = readerIssues;
  // `Object_must_have_some_content` is the reference's JSON reader's rule; on XML its reader says
  // `Element_must_have_some_content` where the element is empty, and the engine's finding on the converted `{}` goes.
  let issues = engineIssues.filter((i) => i.rule !== 'Object_must_have_some_content');
  if (formatIssues.some((i) => KEPT_AS_TEXT.has(i.rule))) {
    // A value the XML reader could not read as a boolean or number is kept as text. The JSON kind of that
    // text (a string where a boolean is due) is not a finding of the XML; the text's form is, and the engine
    // judges it, as the reference's InstanceValidator does (its XML reader reports nothing there): where the
    // engine saw the text, its finding (the rule the form breaks: `05` breaks the integer pattern, `abc` is
    // no integer) is the one kept, at the engine's location.
    // The engine places these as the JSON reader does (reader-findings.ts): a choice element as `value[x]`.
    const judged = issues.filter((i) => JSON_KIND_RULES.has(i.rule)).map((i) => i.expression);
    issues = issues.filter((i) => !JSON_KIND_RULES.has(i.rule));
    formatIssues = formatIssues.filter((i) => !(KEPT_AS_TEXT.has(i.rule) && judged.some((at) => samePlace(at, i.expression))));
  }
  // A finding both the XML reader and the engine make (an empty value) is one finding, at the engine's location.
  const byEngine = new Set(issues.map((i) => `${i.rule} ${choiceAsJsonName(i.expression)}`));
  formatIssues = formatIssues.filter((i) => !(ALSO_BY_ENGINE.has(i.rule) && byEngine.has(`${i.rule} ${i.expression}`)));
  return { reader: formatIssues, engine: issues };
}

/**
 * Whether a JSON reader's location (a choice element written `value[x]`, as that reader names it) and the XML reader's
 * (`valueInteger`, the element's XML name) are the same place.
 */
function samePlace(readerAt: string, xmlAt: string): boolean {
  if (readerAt === xmlAt) return true;
  const choice = readerAt.indexOf('[x]');
  if (choice < 0) return false;
  const base = readerAt.slice(0, choice);
  if (!isChoiceJsonName(xmlAt, base)) return false;
  // What follows the choice is the same in both: `value[x].system` against `valueQuantity.system`.
  const rest = readerAt.slice(choice + 3);
  const dot = xmlAt.indexOf('.', base.length);
  return rest === (dot < 0 ? '' : xmlAt.slice(dot));
}
