/**
 * Primitive values, as the HL7 Java validator checks them (InstanceValidator.checkPrimitive): a blank value counts
 * as no value (an empty one is an error, whitespace only a warning); otherwise the value's form by type
 * (primitives.ts), then what the element definition adds (lengths, minValue/maxValue, fixed and pattern values),
 * canonical URLs of canonical resources, URLs in the FHIR space that name nothing known (url-resolve.ts), markdown
 * that embeds HTML, and '#id' links to contained resources (they count for dom-3).
 */
import { definitionRegex } from '../../../fhirpath/index.js';
import { INV_ELE_1 } from '../../../plugin-types/index.js';
import type { ElementNode } from '../../model.js';
import { BASE64_ALPHABET_ONLY, clip, formIsQuiet, isBase64AlphabetOnly, isBlankValue, isUriType, isValidBase64, NO_CONTROL_CHARACTERS, primitiveFindings } from '../../primitives.js';
import { isAbsoluteUrl } from '../../reference-syntax.js';
import { deepEqual } from '../../values.js';
import type { RuleContext } from '../context.js';
import { checkDurationLimits, isDurationLimit } from './duration-limits.js';
import { checkInternalUrl } from './internal-urls.js';
import { checkUrlResolves } from './url-resolve.js';
import { checkCharacters } from './string-safety.js';

/** What the `_x` companion of a primitive holds: any property at all, and extensions. */
export interface PrimitiveCompanion {
  children: boolean;
  extensions: boolean;
  extensionUrls: readonly unknown[];
}

const NO_COMPANION: PrimitiveCompanion = { children: false, extensions: false, extensionUrls: [] };

/** What a primitive's `_x` companion holds (anything that is not an object holds nothing). */
export function companionOf(x: unknown): PrimitiveCompanion {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return NO_COMPANION;
  const ext = (x as { extension?: unknown }).extension;
  const extensions = Array.isArray(ext) && ext.length > 0;
  const extensionUrls = extensions ? (ext as unknown[]).map((e) => (e && typeof e === 'object' ? (e as { url?: unknown }).url : undefined)) : [];
  return { children: extensions || (x as { id?: unknown }).id !== undefined, extensions, extensionUrls };
}

/**
 * A primitive value read from JSON, as text. Blank values are reported and count as absent: nothing else is checked
 * on them (returns false). Otherwise every check of the value runs, and the binding is for the caller.
 */
export function checkPrimitiveText(node: ElementNode, code: string, text: string, path: string, ctx: RuleContext, companion: PrimitiveCompanion = NO_COMPANION): boolean {
  if (isBlankValue(text)) {
    if (text.length === 0) {
      if (!companion.children) ctx.report('Type_Specific_Checks_DT_Primitive_NotEmpty', 'error', 'invalid', path, 'value cannot be empty');
      // ele-1: an empty string is not a value, and an id is not content.
      if (!companion.extensions) ctx.report(INV_ELE_1, 'error', 'invariant', path, "Constraint failed: ele-1: 'All FHIR elements must have a @value or children'");
    } else if (!companion.children) {
      ctx.report('Type_Specific_Checks_DT_Primitive_WS', 'warning', 'invalid', path, 'Primitive types should not only be whitespace');
    }
    checkAbsentValue(node, path, ctx, companion.extensionUrls);
    return false;
  }
  if (code === 'xhtml') return true;
  // Base64 data is long and nearly always the alphabet alone, which holds none of the characters checkCharacters
  // looks at: one scan then does for both.
  const known = code === 'base64Binary' && isBase64AlphabetOnly(text) ? BASE64_ALPHABET_ONLY | NO_CONTROL_CHARACTERS : checkCharacters(text, code, path, ctx);
  if (node.minLength !== undefined && text.length < node.minLength) {
    ctx.report('PRIMITIVE_TOO_SHORT', 'error', 'invalid', path, `Value '${clip(text)}' is shorter than permitted minimum length of ${node.minLength}`);
  }
  if (node.regex !== undefined && matchesWhole(text, node.regex) === false) {
    ctx.report('Type_Specific_Checks_DT_Primitive_Regex', 'error', 'invalid', path, `Element value '${clip(text)}' does not meet regex '${clip(node.regex)}'`);
  }
  let wellFormed = true;
  if (!formIsQuiet(code, text, known) && !(code === 'id' && isResourceId(node))) {
    for (const f of primitiveFindings(code, text, known)) {
      ctx.report(f.rule, f.severity, 'invalid', path, f.message);
      if (f.severity === 'error') wellFormed = false;
    }
  }
  if (node.maxLength !== undefined && node.maxLength > 0 && text.length > node.maxLength && LENGTH_CHECKED.has(code)) {
    ctx.report('Type_Specific_Checks_DT_Primitive_Length', 'error', 'invalid', path, `value is longer than permitted maximum length of ${node.maxLength}`);
  }
  if (node.minValue !== undefined || node.maxValue !== undefined) checkRange(node, code, text, path, ctx, wellFormed);
  if (code === 'decimal' && node.maxDecimalPlaces !== undefined) {
    // Digits after the point as written (JSON numbers reach us as JavaScript wrote them: trailing zeros may be gone).
    const dp = text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
    if (dp > node.maxDecimalPlaces) ctx.report('TYPE_SPECIFIC_CHECKS_DT_DECIMAL_CHARS', 'error', 'structure', path, `Found ${dp} decimal places which exceeds the stated limit of ${node.maxDecimalPlaces} digits`);
  }
  if (code === 'base64Binary' && node.maxSize !== undefined && isValidBase64(text)) {
    const size = base64Bytes(text);
    if (size > node.maxSize) ctx.report('TYPE_SPECIFIC_CHECKS_DT_BASE64_TOO_LONG', 'error', 'structure', path, `Base64 size is ${size} bytes which exceeds the stated limit of ${node.maxSize} bytes`);
  }
  if (isUriType(code)) checkUri(node, code, text, path, ctx);
  if (code === 'markdown') checkMarkdown(text, path, ctx);
  return true;
}

/** fixed[x] and pattern[x] on a primitive (compared as the reference does, on the value's text). */
export function checkFixedPrimitive(v: string | number | boolean, _code: string, path: string, node: ElementNode, ctx: RuleContext): void {
  if (node.fixed !== undefined && !sameValue(node.fixed, v)) {
    ctx.report('_DT_Fixed_Wrong', 'error', 'value', path, `Value is '${clip(String(v))}' but is fixed to '${clip(String(node.fixed))}'${fixedIn(node, ctx)}`);
  }
  if (node.pattern !== undefined && !sameValue(node.pattern, v)) {
    ctx.report('_DT_Fixed_Wrong', 'error', 'value', path, `Value is '${clip(String(v))}' but is fixed to '${clip(String(node.pattern))}'${fixedIn(node, ctx)}`);
  }
}

/**
 * With `reportConsequences`, the profile and element that fix the value, as the reference's message names them
 * (`in the profile url|version#id`): two profiles that fix one element (a UK profile and the core vital signs
 * profile its code requires) are two findings there. By default one differing value is one finding.
 */
function fixedIn(node: ElementNode, ctx: RuleContext): string {
  if (!ctx.options.reportConsequences || !ctx.passProfile) return '';
  const p = ctx.registry.get(ctx.passProfile);
  // An element of another definition met on the way (an extension's own content) is that definition's finding.
  if (!p || node.path.split('.')[0] !== p.type) return '';
  return ` in the profile ${p.url}${p.version ? `|${p.version}` : ''}#${node.id || node.path}`;
}

function sameValue(expected: unknown, v: string | number | boolean): boolean {
  return deepEqual(expected, v) || (typeof expected !== 'object' && String(expected) === String(v));
}

/**
 * What the reference checks when a primitive has no value (only extensions, or a blank one): a required binding
 * still wants a code, and a profile may demand a value or one of some extensions in its place.
 */
export function checkAbsentValue(node: ElementNode, path: string, ctx: RuleContext, extensionUrls: readonly unknown[]): void {
  if (node.binding?.strength === 'required' && ctx.options.terminology) {
    ctx.report('Terminology_TX_Code_ValueSet_MISSING', 'error', 'code-invalid', path, 'No code provided, and a code is required from the value set');
  }
  if (node.mustHaveValue) {
    ctx.report('PRIMITIVE_MUSTHAVEVALUE_MESSAGE', 'error', 'required', path, `The element definition ${node.path} in the profile requires that a value be present in this element`);
  }
  if (node.valueAlternatives.length > 0 && !node.valueAlternatives.some((a) => extensionUrls.includes(a))) {
    ctx.report('PRIMITIVE_VALUE_ALTERNATIVES_MESSAGE', 'error', 'required', path, `The element definition ${node.path} requires that if a value is not present, one of the extensions ${node.valueAlternatives.join(', ')} must be present`);
  }
}

/** Types whose maxLength the reference enforces (the others are not checked against it there). */
const LENGTH_CHECKED = new Set(['string', 'code', 'uri', 'url', 'canonical', 'oid', 'uuid', 'date', 'dateTime']);

/** Resource.id has rules of its own (resource-ids.ts); ElementDefinition.id is a string. */
function isResourceId(node: ElementNode): boolean {
  return node.name === 'id' && node.path.indexOf('.') === node.path.lastIndexOf('.');
}

function checkMarkdown(text: string, path: string, ctx: RuleContext): void {
  const tag = /<[a-zA-Z]/.exec(text);
  if (!tag) return;
  ctx.report('TYPE_SPECIFIC_CHECKS_DT_MARKDOWN_HTML', ctx.options.noHtmlInMarkdown ? 'error' : 'warning', 'invalid', path, `The markdown contains content that appears to be an embedded HTML tag starting at '${text.slice(tag.index, tag.index + 2)}'. This will (or SHOULD) be escaped by the presentation layer. The content should be checked to confirm that this is the desired behaviour`);
}

/** minValue/maxValue of the element definition (one of them given), by the value's type. */
function checkRange(node: ElementNode, code: string, text: string, path: string, ctx: RuleContext, wellFormed: boolean): void {
  const min = node.minValue;
  const max = node.maxValue;
  if (code === 'integer' || code === 'unsignedInt' || code === 'positiveInt' || code === 'decimal') {
    const n = Number(text);
    if (Number.isNaN(n)) return;
    const kind = code === 'decimal' ? 'decimal' : 'integer';
    const [gt, lt] = code === 'decimal' ? ['Type_Specific_Checks_DT_Decimal_GT', 'Type_Specific_Checks_DT_Decimal_LT'] : ['Type_Specific_Checks_DT_Integer_GT', 'Type_Specific_Checks_DT_Integer_LT'];
    if (typeof max === 'number' && n > max) ctx.report(gt, 'error', 'invalid', path, `${kind} value is greater than permitted maximum value of ${max}`);
    if (typeof min === 'number' && n < min) ctx.report(lt, 'error', 'invalid', path, `${kind} value is less than permitted minimum value of ${min}`);
    return;
  }
  if (code === 'date' || code === 'dateTime' || code === 'instant' || code === 'time') {
    // A Duration (Quantity) limit counts from now; the reference reads it only on a well-formed date, dateTime or instant.
    if ((isDurationLimit(max) || isDurationLimit(min)) && code !== 'time' && wellFormed) checkDurationLimits(code, text, max, min, path, ctx);
    if (typeof max === 'string' && compareMoments(text, max) > 0) ctx.report('TYPE_SPECIFIC_CHECKS_DT_DT_GT', 'error', 'invalid', path, `date/time value is greater than permitted maximum value of ${max}`);
    if (typeof min === 'string' && compareMoments(text, min) < 0) ctx.report('TYPE_SPECIFIC_CHECKS_DT_DT_LT', 'error', 'invalid', path, `date/time value is less than permitted minimum value of ${min}`);
  }
}

/** Compares two dates, times or dateTimes: as instants when both carry a time and zone, else by their text. */
function compareMoments(a: string, b: string): number {
  const ta = a.includes('T') ? Date.parse(a) : NaN;
  const tb = b.includes('T') ? Date.parse(b) : NaN;
  if (!Number.isNaN(ta) && !Number.isNaN(tb)) return ta - tb;
  const n = Math.min(a.length, b.length);
  return a.slice(0, n) < b.slice(0, n) ? -1 : a.slice(0, n) > b.slice(0, n) ? 1 : 0;
}

/** The canonical resource types of R4 (their `url` is the resource's identity and must be absolute). */
export const CANONICAL_RESOURCES = new Set([
  'ActivityDefinition', 'CapabilityStatement', 'ChargeItemDefinition', 'CodeSystem', 'CompartmentDefinition', 'ConceptMap',
  'EffectEvidenceSynthesis', 'EventDefinition', 'Evidence', 'EvidenceVariable', 'ExampleScenario', 'GraphDefinition',
  'ImplementationGuide', 'Library', 'Measure', 'MessageDefinition', 'NamingSystem', 'OperationDefinition', 'PlanDefinition',
  'Questionnaire', 'ResearchDefinition', 'ResearchElementDefinition', 'RiskEvidenceSynthesis', 'SearchParameter',
  'StructureDefinition', 'StructureMap', 'TerminologyCapabilities', 'TestScript', 'ValueSet',
]);

/** `ValueSet.url` and the like: the defining URL of a canonical resource. */
function isCanonicalUrlElement(node: ElementNode): boolean {
  const path = node.path;
  const dot = path.indexOf('.');
  // Told from the end first: most uri elements are not a '.url' one step below the resource (no strings made then).
  return dot > 0 && path.length === dot + 4 && path.endsWith('.url') && CANONICAL_RESOURCES.has(path.slice(0, dot));
}

function checkUri(node: ElementNode, code: string, text: string, path: string, ctx: RuleContext): void {
  if (text.charCodeAt(0) === 35 /* # */) {
    const id = text.slice(1);
    // Canonical and uri values pointing at '#id' count as references to contained resources (dom-3).
    ctx.addLocalRef(id);
    checkInternalUrl(node, code, text, path, ctx);
    return;
  }
  if (isCanonicalUrlElement(node)) {
    if (!isAbsoluteUrl(text)) {
      const contained = ctx.scope?.parent !== undefined && ctx.scope.parent.resource.contained !== undefined && ctx.scope.parent.contained.get(String(ctx.scope.resource.id)) === ctx.scope.resource;
      if (contained) ctx.report('TYPE_SPECIFIC_CHECKS_CANONICAL_CONTAINED', 'error', 'invalid', path, `Canonical URLs in contained resources must be absolute URLs if present (${clip(text)})`);
      else ctx.report('TYPE_SPECIFIC_CHECKS_CANONICAL_ABSOLUTE', 'error', 'invalid', path, `Canonical URLs must be absolute URLs if they are not fragment references (${clip(text)})`);
    }
    return;
  }
  checkUrlResolves(node, code, text, path, ctx);
}

/** Whole-value match (Java's String.matches); undefined when the pattern cannot be compiled here. */
function matchesWhole(text: string, pattern: string): boolean | undefined {
  try {
    return definitionRegex(`^(?:${pattern})$`).test(text);
  } catch {
    return undefined;
  }
}

/** Bytes a base64 text decodes to (Base64Util.countBase64DecodedBytes): whitespace aside, 3 per 4 characters, less the padding. */
function base64Bytes(text: string): number {
  const s = text.replace(/\s/g, '');
  const padding = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return Math.floor((s.length * 3) / 4) - padding;
}
