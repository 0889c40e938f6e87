/**
 * Quantity rules, as the reference validator's checkQuantity has them: a UCUM code must be a valid UCUM
 * unit, UCUM annotations are flagged as a best-practice matter, and a profile's minValue/maxValue is
 * compared with the value, after UCUM conversion when the units differ.
 */
import { convertUcum, UCUM_SYSTEM, ucumAnnotation, ucumProblem } from '../../../terminology/ucum.js';
import { clip } from '../../primitives.js';
import type { ElementNode } from '../../model.js';
import type { RuleContext } from '../context.js';

type Obj = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function checkQuantity(obj: Obj, path: string, def: ElementNode, ctx: RuleContext): void {
  const code = str(obj.code);
  if (code !== undefined && obj.system === UCUM_SYSTEM) {
    // A bound Quantity has its code judged by the binding check (the terminology plug-in); an unbound one here.
    if (def.binding === undefined && ctx.options.terminology) checkUcumCode(code, path, ctx);
    checkAnnotations(code, str(obj.unit), path, ctx);
  }
  if (def.minValue !== undefined) checkLimit(obj, def.minValue, 'MIN', path, ctx);
  if (def.maxValue !== undefined) checkLimit(obj, def.maxValue, 'MAX', path, ctx);
}

function checkUcumCode(code: string, path: string, ctx: RuleContext): void {
  const why = ucumProblem(code);
  if (why) ctx.report('Unknown_Code_in', 'error', 'code-invalid', `${path}.code`, `Unknown code '${clip(code)}' in the CodeSystem '${UCUM_SYSTEM}': ${clip(why)}`);
}

/** The severity of a best-practice finding at the run's level (the reference's bpCheck), or undefined when ignored. */
export function bestPracticeSeverity(ctx: RuleContext): 'error' | 'warning' | 'information' | undefined {
  const level = ctx.options.bestPractice ?? 'warning';
  return level === 'ignore' ? undefined : level === 'hint' ? 'information' : level;
}

function checkAnnotations(code: string, unit: string | undefined, path: string, ctx: RuleContext): void {
  const found = ucumAnnotation(code);
  const severity = bestPracticeSeverity(ctx);
  if (!found || !severity) return;
  const why = 'UCUM Codes that contain human readable annotations like ' + found.annotation + ' can be misleading (e.g. they are ignored when comparing units). Best Practice is not to depend on annotations in the UCUM code, so this usage should be checked';
  if (unit === undefined) {
    ctx.report('TYPE_SPECIFIC_CHECKS_DT_QTY_UCUM_ANNOTATIONS_NO_UNIT', severity, 'business-rule', path, `${why}, and the Quantity.unit SHOULD contain the annotation`);
  } else if (!unit.toLowerCase().includes(found.text.toLowerCase())) {
    ctx.report('TYPE_SPECIFIC_CHECKS_DT_QTY_UCUM_ANNOTATIONS_NOT_IN_UNIT', severity, 'business-rule', path, `${why}, and the Quantity.unit '${clip(unit)}' SHOULD contain the annotation (it does not)`);
  } else {
    ctx.report('TYPE_SPECIFIC_CHECKS_DT_QTY_UCUM_ANNOTATIONS', severity, 'business-rule', path, why);
  }
}

type LimitRules = Record<'VALUE_NO_VALUE' | 'MIN_NO_SYSTEM' | 'VALUE_NO_SYSTEM' | 'SYSTEM_MISMATCH' | 'MIN_NO_CODE' | 'VALUE_NO_CODE' | 'MIN_NO_VALUE' | 'VALUE_WRONG' | 'CODE_MISMATCH' | 'MIN_NO_CONVERT' | 'VALUE_WRONG_UCUM', string>;

/** The reference's message keys for each check of a minValue (MIN) or maxValue (MAX). */
const RULES: Record<'MIN' | 'MAX', LimitRules> = {
  MIN: {
    VALUE_NO_VALUE: 'TYPE_SPECIFIC_CHECKS_DT_QTY_MIN_VALUE_NO_VALUE',
    MIN_NO_SYSTEM: 'TYPE_SPECIFIC_CHECKS_DT_QTY_MIN_MIN_NO_SYSTEM',
    VALUE_NO_SYSTEM: 'TYPE_SPECIFIC_CHECKS_DT_QTY_MIN_VALUE_NO_SYSTEM',
    SYSTEM_MISMATCH: 'TYPE_SPECIFIC_CHECKS_DT_QTY_MIN_SYSTEM_MISMATCH',
    MIN_NO_CODE: 'TYPE_SPECIFIC_CHECKS_DT_QTY_MIN_MIN_NO_CODE',
    VALUE_NO_CODE: 'TYPE_SPECIFIC_CHECKS_DT_QTY_MIN_VALUE_NO_CODE',
    MIN_NO_VALUE: 'TYPE_SPECIFIC_CHECKS_DT_QTY_MIN_MIN_NO_VALUE',
    VALUE_WRONG: 'TYPE_SPECIFIC_CHECKS_DT_QTY_MIN_VALUE_WRONG',
    CODE_MISMATCH: 'TYPE_SPECIFIC_CHECKS_DT_QTY_MIN_CODE_MISMATCH',
    MIN_NO_CONVERT: 'TYPE_SPECIFIC_CHECKS_DT_QTY_MIN_MIN_NO_CONVERT',
    VALUE_WRONG_UCUM: 'TYPE_SPECIFIC_CHECKS_DT_QTY_MIN_VALUE_WRONG_UCUM',
  },
  MAX: {
    VALUE_NO_VALUE: 'TYPE_SPECIFIC_CHECKS_DT_QTY_MAX_VALUE_NO_VALUE',
    MIN_NO_SYSTEM: 'TYPE_SPECIFIC_CHECKS_DT_QTY_MAX_MIN_NO_SYSTEM',
    VALUE_NO_SYSTEM: 'TYPE_SPECIFIC_CHECKS_DT_QTY_MAX_VALUE_NO_SYSTEM',
    SYSTEM_MISMATCH: 'TYPE_SPECIFIC_CHECKS_DT_QTY_MAX_SYSTEM_MISMATCH',
    MIN_NO_CODE: 'TYPE_SPECIFIC_CHECKS_DT_QTY_MAX_MIN_NO_CODE',
    VALUE_NO_CODE: 'TYPE_SPECIFIC_CHECKS_DT_QTY_MAX_VALUE_NO_CODE',
    MIN_NO_VALUE: 'TYPE_SPECIFIC_CHECKS_DT_QTY_MAX_MIN_NO_VALUE',
    VALUE_WRONG: 'TYPE_SPECIFIC_CHECKS_DT_QTY_MAX_VALUE_WRONG',
    CODE_MISMATCH: 'TYPE_SPECIFIC_CHECKS_DT_QTY_MAX_CODE_MISMATCH',
    MIN_NO_CONVERT: 'TYPE_SPECIFIC_CHECKS_DT_QTY_MAX_MIN_NO_CONVERT',
    VALUE_WRONG_UCUM: 'TYPE_SPECIFIC_CHECKS_DT_QTY_MAX_VALUE_WRONG_UCUM',
  },
};

/**
 * One limit of the profile against the value. As the reference does, each precondition that fails is a
 * warning and stops the check: a value, a Quantity limit, systems on both sides and the same system,
 * codes on both sides, a limit with a value; then the same code compares values directly, UCUM
 * converts the value to the limit's unit, and other systems cannot be compared.
 */
function checkLimit(obj: Obj, limit: unknown, kind: 'MIN' | 'MAX', path: string, ctx: RuleContext): void {
  const id = RULES[kind];
  const name = kind === 'MIN' ? 'minValue' : 'maxValue';
  const word = kind === 'MIN' ? 'minimum' : 'maximum';
  const warn = (rule: keyof LimitRules, message: string): void => ctx.report(id[rule], 'warning', 'invalid', path, message);
  if (typeof obj.value !== 'number') {
    warn('VALUE_NO_VALUE', `The quantity doesn't have an actual value, so the ${word} value can't be checked`);
    return;
  }
  if (!limit || typeof limit !== 'object' || Array.isArray(limit)) {
    ctx.report('TYPE_SPECIFIC_CHECKS_DT_QTY_NO_QTY', 'error', 'invalid', path, `Found ${name} of type ${typeof limit === 'number' ? 'decimal' : typeof limit} in the profile validating a Quantity (so it must be a Quantity)`);
    return;
  }
  const lim = limit as Obj;
  const system = str(obj.system);
  const code = str(obj.code);
  const limSystem = str(lim.system);
  const limCode = str(lim.code);
  if (limSystem === undefined) return warn('MIN_NO_SYSTEM', `The ${name} in the profile has no system so the ${word} value cannot be checked`);
  if (system === undefined) return warn('VALUE_NO_SYSTEM', `The value has no system so the ${word} value cannot be checked`);
  if (system !== limSystem) return warn('SYSTEM_MISMATCH', `The ${name} in the profile has a system of ${clip(limSystem)} which is different to the system in the value ${clip(system)} so the ${word} value cannot be checked`);
  if (limCode === undefined) return warn('MIN_NO_CODE', `The ${name} in the profile has no code so the ${word} value cannot be checked`);
  if (code === undefined) return warn('VALUE_NO_CODE', `The value has no code so the ${word} value cannot be checked`);
  if (typeof lim.value !== 'number') {
    ctx.report(id.MIN_NO_VALUE, 'error', 'invalid', path, `The ${name} in the profile doesn't have an actual value, so the ${word} value can't be checked`);
    return;
  }
  const value = obj.value;
  const bound = lim.value;
  const beyond = (v: number): boolean => (kind === 'MIN' ? v < bound && !close(v, bound) : v > bound && !close(v, bound));
  const relation = kind === 'MIN' ? 'less than' : 'greater than';
  if (code === limCode) {
    if (beyond(value)) ctx.report(id.VALUE_WRONG, 'error', 'invalid', path, `The value in the instance (${value}) is ${relation} the specified ${word} value (${bound})`);
    return;
  }
  if (system !== UCUM_SYSTEM) return warn('CODE_MISMATCH', `The ${name} in the profile has a system code of ${clip(limCode)} which is different to the system code in the value ${clip(code)} so the ${word} value cannot be checked`);
  const converted = convertUcum(value, code, limCode);
  if (converted === undefined) {
    ctx.report(id.MIN_NO_CONVERT, 'error', 'invalid', path, `Unable to convert value ${value} from unit ${clip(code)} to ${name} unit ${clip(limCode)} based on UCUM definitions; ${word} value is not valid`);
    return;
  }
  if (beyond(converted)) ctx.report(id.VALUE_WRONG_UCUM, 'error', 'invalid', path, `The value in the instance (${value} ${clip(code)}) is ${relation} the specified ${name} (${bound} ${clip(limCode)}) after UCUM conversion`);
}

/** Equal within floating-point error: a converted 1000 mg must not fall below a 1 g limit. */
function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}
