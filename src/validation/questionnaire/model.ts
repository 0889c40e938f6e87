/**
 * What the Questionnaire and QuestionnaireResponse rules share: reading items, extensions and `value[x]`
 * choices of R4 JSON, and the run state of one response check. The reference validator (QuestionnaireValidator)
 * works on the Questionnaire converted to R5; `itemKind` gives the R5 item type an R4 item converts to.
 */
import type { BindingChecker, Report, ValidationIssue } from '../../plugin-types/index.js';
import type { EnableWhenExpression } from './enable-when.js';

export type Json = Record<string, unknown>;

/** The objects of a JSON array (anything else is no item). */
export function objects(v: unknown): Json[] {
  return Array.isArray(v) ? (v.filter((x) => x !== null && typeof x === 'object' && !Array.isArray(x)) as Json[]) : [];
}

/** The number of entries of a JSON array property (0 when it is not an array). */
export function count(v: unknown): number {
  return Array.isArray(v) ? v.length : 0;
}

export function text(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The extensions of `o` with this url. */
export function extensionsOf(o: Json, url: string): Json[] {
  return objects(o.extension).filter((e) => e.url === url);
}

/** The value of the first extension of `o` with this url, as [type, value]. */
export function extensionValue(o: Json, url: string): Choice | undefined {
  const e = extensionsOf(o, url)[0];
  return e ? choiceOf(e, 'value') : undefined;
}

/** An integer extension (the reference also reads a decimal one, truncated), or undefined. */
export function integerExtension(o: Json, url: string): number | undefined {
  const v = extensionValue(o, url);
  if (!v || (v.type !== 'integer' && v.type !== 'decimal') || typeof v.value !== 'number') return undefined;
  return Math.trunc(v.value);
}

/** A choice element (`valueString`, `answerCoding`): its FHIR type (primitives in lower camel case) and value. */
export interface Choice {
  type: string;
  value: unknown;
  /** The JSON property name. */
  key: string;
}

const PRIMITIVE_TYPES = new Set([
  'base64Binary', 'boolean', 'canonical', 'code', 'date', 'dateTime', 'decimal', 'id', 'instant', 'integer', 'markdown',
  'oid', 'positiveInt', 'string', 'time', 'unsignedInt', 'uri', 'url', 'uuid',
]);

export function choiceOf(o: Json, prefix: string): Choice | undefined {
  for (const key of Object.keys(o)) {
    if (key.length <= prefix.length || !key.startsWith(prefix)) continue;
    const suffix = key.slice(prefix.length);
    if (!/^[A-Z]/.test(suffix)) continue;
    const lower = suffix.charAt(0).toLowerCase() + suffix.slice(1);
    return { type: PRIMITIVE_TYPES.has(lower) ? lower : suffix, value: o[key], key };
  }
  return undefined;
}

export function isPrimitiveType(type: string): boolean {
  return PRIMITIVE_TYPES.has(type);
}

/** A primitive value as the reference's primitiveValue() gives it (numbers and booleans as their text). */
export function primitiveText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** The location of a choice value, as the reference writes it: `value.ofType(string)`. */
export function choicePath(base: string, c: Choice, prefix = 'value'): string {
  return `${base}.${prefix}.ofType(${c.type})`;
}

/**
 * The R5 item type an R4 item converts to (choice and open-choice become coding, question becomes group);
 * `null` for a code R5 does not know (no answer checks), undefined when the item has no type.
 */
export function itemKind(def: Json): string | undefined {
  const t = def.type;
  if (typeof t !== 'string') return undefined;
  switch (t) {
    case 'choice':
    case 'open-choice':
      return 'coding';
    case 'question':
      return 'group';
    case 'group': case 'display': case 'boolean': case 'decimal': case 'integer': case 'date': case 'dateTime':
    case 'time': case 'string': case 'text': case 'url': case 'attachment': case 'reference': case 'quantity':
      return t;
    default:
      return 'null';
  }
}

/** The first item with this linkId at any depth, in document order (Questionnaire.getQuestion). */
export function findItem(items: unknown, linkId: string): Json | undefined {
  for (const item of objects(items)) {
    if (item.linkId === linkId) return item;
    const inner = findItem(item.item, linkId);
    if (inner) return inner;
  }
  return undefined;
}

/** What the response rules need from the validator. */
export interface QuestionnaireEnv {
  report: Report;
  /** Adds issues of other severities (fatal) or passed through from the terminology plug-in. */
  addIssues(found: readonly ValidationIssue[]): void;
  /** A canonical resource by URL (the loaded packages and supporting resources). */
  lookup(url: string): Json | undefined;
  terminology?: BindingChecker | undefined;
  /** Evaluates an enable-when FHIRPath expression on the response. */
  expression?: EnableWhenExpression | undefined;
  /** The reference validator's assume-valid-rest-references setting: references name their target type. */
  assumeValidRestReferences?: boolean | undefined;
}

/** One response check: the questionnaire, where it came from, and the response's state. */
export interface ResponseRun extends QuestionnaireEnv {
  q: Json;
  /** The response, when the questionnaire is contained in it ('#id' value sets are then its contained ones). */
  container: Json | undefined;
  /** The response root (enableWhen answers are looked for from here). */
  root: Json;
  /** Status other than completed or amended: missing required answers are warnings. */
  notCompleted: boolean;
}
