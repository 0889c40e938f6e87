/**
 * ValueSet.compose include/exclude filters, as the reference validator's ValueSetValidator checks them:
 * the property must be one the system knows, the operator one the property allows, and the value of the
 * property's type (boolean, code of the system, date, decimal, integer, Coding, a valid regex, valid ECL
 * for SNOMED CT constraints); a value may instead come from a FHIRPath expression over the value set's
 * parameters.
 */
import { createRequire } from 'node:module';
import type { ValueSetComposeIncludeFilter } from 'fhir/r4';
import type { ValidationIssue } from '../plugin-types/index.js';
import { isAbsoluteUrl } from './absolute-url.js';
import { checkCode } from './code-check.js';
import { eclProblem } from './ecl.js';
import type { FilterRules, FilterVocabulary } from './filter-vocabulary.js';
import { clip, issue } from './issue.js';
import type { LocalTerminology } from './local-terminology.js';

/**
 * fhirpath.js's parser, required on the first filter expression met: loading it costs more than a whole validation,
 * and plain validation (`ads-fhir validate`) must not load it (test/cli/validate-modules.test.ts).
 */
const load = createRequire(import.meta.url);
let parser: { parse(expression: string): unknown } | undefined;
const fhirpathParser = (): { parse(expression: string): unknown } => (parser ??= load('fhirpath') as { parse(expression: string): unknown });

const CQF_EXPRESSION = 'http://hl7.org/fhir/StructureDefinition/cqf-expression';
const COMPARATOR_PREFIXES = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'];
const DATE_TIME = /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?)?)?)?$/;

/** A value set parameter (the valueset-parameter extension) and whether a filter uses it. */
export interface ParameterDeclaration {
  name: string;
  at: string;
  used: boolean;
}

export interface FilterContext {
  system: string;
  version: string | undefined;
  /** The system has a definition (loaded, or a system terminology services know). */
  knownSystem: boolean;
  vocabulary: FilterVocabulary;
  terminology: LocalTerminology;
  parameters: ParameterDeclaration[];
}

type Filter = ValueSetComposeIncludeFilter & { _value?: { extension?: { url?: string; valueExpression?: { language?: string; expression?: string } }[] } };

export function filterIssues(f: Filter, at: string, ctx: FilterContext): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const { property, op, value } = f;
  if (typeof property !== 'string') return out;
  const known = ctx.vocabulary.known.includes(property);
  if (!known) {
    const list = ctx.vocabulary.known.join(',');
    if (ctx.knownSystem) out.push(issue('VALUESET_UNKNOWN_FILTER_PROPERTY', 'warning', 'invalid', `The property '${clip(property)}' is not known for the system '${ctx.system}', so may not be understood by the terminology ecosystem. Known properties for this system: ${list}`, at));
    else out.push(issue('VALUESET_UNKNOWN_FILTER_PROPERTY_NO_CS', 'information', 'invalid', `No definition can be found for the system ${ctx.system}, and the property '${clip(property)}' is not a generally known property, so the property might not be valid, or understood by the terminology ecosystem. In case it's useful, the list of generally known properties for all systems is ${list}`, at));
    return out;
  }
  const rules = ctx.vocabulary.rules(property);
  if (!rules) return out;
  if (rules.ops.size > 0 && typeof op === 'string' && !rules.ops.has(op)) {
    out.push(issue('VALUESET_BAD_FILTER_OP', 'error', 'invalid', `The operation '${clip(op)}' is not allowed for property '${clip(property)}' in system '${ctx.system}'. Allowed ops: ${[...rules.ops].join(',')}`, at));
  }
  const exprIndex = (f._value?.extension ?? []).findIndex((e) => e?.url === CQF_EXPRESSION);
  const expr = exprIndex >= 0 ? f._value!.extension![exprIndex]!.valueExpression : undefined;
  if (typeof value !== 'string') {
    if (!expr) {
      out.push(issue('VALUESET_BAD_FILTER_EXPR_OR_VALUE', 'error', 'invalid', 'A filter needs a value and or an expression for the value', at));
      return out;
    }
    out.push(...expressionIssues(expr, `${at}.extension[${exprIndex}].value.ofType(Expression)`, ctx.parameters));
    return out;
  }
  if (exprIndex >= 0) out.push(issue('VALUESET_BAD_FILTER_EXPR_AND_VALUE', 'error', 'invalid', "A filter can't have both a value and and expression for the value at the same time", at));
  if (rules.active) {
    const why = eclProblem(value);
    if (why) out.push(issue('VALUESET_BAD_FILTER_VALUE_INVALID', 'error', 'invalid', `The value '${clip(value)}' for the filter ${clip(property)} is invalid: Invalid ECL expression: '${clip(value)}': (${why})`, at));
  } else if (op === 'exists') {
    out.push(...valueIssues(property, op, value, { type: 'Boolean', ops: new Set() }, at, ctx));
  } else if (op === 'regex') {
    try {
      new RegExp(value);
    } catch (e) {
      out.push(issue('VALUESET_BAD_FILTER_VALUE_VALID_REGEX', 'error', 'invalid', `The value for a filter based on property '${clip(property)}' should be a valid regex, not '${clip(value)}' (err = '${e instanceof Error ? clip(e.message) : 'invalid'}')`, at));
    }
    if (property === 'concept') out.push(issue('VALUESET_BAD_PROPERTY_NO_REGEX', 'error', 'invalid', `Cannot apply a regex filter to the property '${property}' (usually regex filters are applied to the codes, or a named property of the code system)`, at));
  } else if (op === 'in' || op === 'not-in') {
    for (const v of value.split(',')) out.push(...valueIssues(property, op, v, rules, at, ctx));
  } else {
    out.push(...valueIssues(property, op, value, rules, at, ctx));
  }
  return out;
}

/** A filter value of the property's type (the reference's checkFilterValue). */
function valueIssues(property: string, op: string | undefined, raw: string, rules: FilterRules, at: string, ctx: FilterContext): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  if (!rules.type) return out;
  const bad = (rule: string, what: string): void => void out.push(issue(rule, 'error', 'invalid', `The value for a filter based on property '${clip(property)}' must be ${what}, not '${clip(raw)}'`, at));
  if (op !== 'in' && op !== 'not-in' && raw.includes(',')) {
    out.push(issue('VALUESET_BAD_FILTER_VALUE_HAS_COMMA', 'information', 'invalid', `The filter value has a comma, but the operation is different to 'in' and 'not-in', so the comma will be interpreted as part of the ${rules.type} value`, at));
  }
  const value = ['DateTime', 'Decimal', 'Integer'].includes(rules.type) && COMPARATOR_PREFIXES.some((p) => raw.startsWith(p)) ? raw.slice(2) : raw;
  switch (rules.type) {
    case 'Boolean':
      if (value !== 'true' && value !== 'false') out.push(issue('VALUESET_BAD_FILTER_VALUE_BOOLEAN', 'error', 'invalid', `The value for a filter based on property '${clip(property)}' must be either 'true' or 'false', not '${clip(value)}'`, at));
      break;
    case 'Code':
      if (value.trim() !== value) bad('VALUESET_BAD_FILTER_VALUE_CODE', 'a valid code');
      if (rules.codeValidation === 'error' || rules.codeValidation === 'warning') out.push(...codeValueIssues(property, value, rules, at, ctx));
      break;
    case 'CodeList':
      if (!(rules.codes ?? []).includes(value)) bad('VALUESET_BAD_FILTER_VALUE_DATETIME', 'a valid date(/time)');
      break;
    case 'DateTime':
      if (!DATE_TIME.test(value)) bad('VALUESET_BAD_FILTER_VALUE_DATETIME', 'a valid date(/time)');
      break;
    case 'Decimal':
      if (!/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(value)) bad('VALUESET_BAD_FILTER_VALUE_DECIMAL', 'a decimal value');
      break;
    case 'Integer':
      if (!/^[-+]?\d+$/.test(value)) bad('VALUESET_BAD_FILTER_VALUE_INTEGER', 'integer value');
      break;
    case 'Coding':
      out.push(...codingValueIssues(property, value, at, ctx));
      break;
    default:
      break;
  }
  return out;
}

function codeValueIssues(property: string, value: string, rules: FilterRules, at: string, ctx: FilterContext): ValidationIssue[] {
  const found = checkCode(ctx.terminology, ctx.system, value, ctx.version);
  if (found.ok) {
    return found.inactive ? [issue('VALUESET_BAD_FILTER_VALUE_VALID_CODE_INACTIVE', 'warning', 'invalid', `The code for the filter '${clip(property)}' is inactive ('${clip(value)}')`, at)] : [];
  }
  const rule = rules.change ? 'VALUESET_BAD_FILTER_VALUE_VALID_CODE_CHANGE' : 'VALUESET_BAD_FILTER_VALUE_VALID_CODE';
  const note = rules.change ? '. Note that this is change from the past; terminology servers are expected to still continue to support this filter' : '';
  const message = `The value for a filter based on property '${clip(property)}' must be a valid code from the system '${ctx.system}', and '${clip(value)}' is not (${found.message ?? 'unknown code'})${note}`;
  return [issue(rule, rules.codeValidation === 'error' ? 'error' : 'warning', 'invalid', message, at)];
}

/** `system(|version)#code`, or the legacy `system|code` of search parameters (accepted with a warning). */
function codingValueIssues(property: string, value: string, at: string, ctx: FilterContext): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  let system: string | undefined;
  let code: string | undefined;
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s|]+\|\S+$/.test(value) && !value.includes('#')) {
    out.push(issue('VALUESET_BAD_FILTER_VALUE_CODED_LEGACY', 'warning', 'invalid', `The value for a filter based on property '${clip(property)}' should be in the format system(|version)#code, not the coding search pattern '${clip(value)}'`, at));
    system = value.slice(0, value.lastIndexOf('|'));
    code = value.slice(value.lastIndexOf('|') + 1);
  } else {
    const hash = value.indexOf('#');
    const sv = hash >= 0 ? value.slice(0, hash) : value;
    code = hash >= 0 ? value.slice(hash + 1) : undefined;
    system = sv.includes('|') ? sv.slice(0, sv.indexOf('|')) : sv;
    if (!isAbsoluteUrl(system) && code === undefined) {
      out.push(issue('VALUESET_BAD_FILTER_VALUE_CODED', 'error', 'invalid', `The value for a filter based on property '${clip(property)}' must be in the format system(|version)#code, not '${clip(value)}'`, at));
      return out;
    }
  }
  const found = code === undefined || code === '' ? { ok: false, message: 'No code provided' } : checkCode(ctx.terminology, system, code);
  if (!found.ok) out.push(issue('VALUESET_BAD_FILTER_VALUE_CODED_INVALID', 'error', 'invalid', `The value for a filter based on property '${clip(property)}' is '${clip(value)}' which is not a valid code (${found.message ?? 'unknown code'})`, at));
  return out;
}

/** A filter value given as a FHIRPath expression over the value set's parameters. */
function expressionIssues(expr: { language?: string; expression?: string }, at: string, parameters: ParameterDeclaration[]): ValidationIssue[] {
  if (expr.language !== 'text/fhirpath') {
    return [issue('VALUESET_BAD_FILTER_EXPR_LANG', 'error', 'invalid', `A ValueSet expression language must be 'text/fhirpath' not '${clip(String(expr.language ?? ''))}'`, at)];
  }
  const text = expr.expression ?? '';
  try {
    // Parameter names may hold '-' (%p-code), as the reference's FHIRPath lexer reads them.
    fhirpathParser().parse(text.replace(/%([A-Za-z_][A-Za-z0-9_-]*)/g, '%\x60$1\x60'));
  } catch (e) {
    return [issue('VALUESET_BAD_FILTER_EXPR_VALUE', 'error', 'exception', `The value of the expression '${clip(text)}' is not a valid FHIRPath: ${e instanceof Error ? clip(e.message) : 'unreadable'}`, at)];
  }
  const out: ValidationIssue[] = [];
  // \x60 is the backquote that delimits a FHIRPath identifier (%`p-code`).
  for (const m of text.matchAll(/%(?:\x60([^\x60]+)\x60|([A-Za-z_][A-Za-z0-9_-]*))/g)) {
    const name = m[1] ?? m[2]!;
    const p = parameters.find((d) => d.name === name);
    if (p) p.used = true;
    else out.push(issue('VALUESET_BAD_FILTER_EXPR_PARAM_NAME', 'error', 'exception', `The filter parameter expression '${clip(text)}' refers to the unknown parameter '${clip(name)}'`, at));
  }
  return out;
}

export { isAbsoluteUrl };
