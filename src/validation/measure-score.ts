/**
 * A MeasureReport group's measureScore against the Measure's scoring, as the reference validator's
 * MeasureValidator.validateScore has it: no score in a data collection or for a cohort; a proportion is a
 * unitless value from 0 to 1; a ratio or continuous variable has a value and the unit the Measure fixes
 * (its questionnaire-unit extension), and a ratio without any unit is warned about.
 */
import { clip } from './primitives.js';
import type { Report } from '../plugin-types/index.js';
import { codeDisplay, type Obj } from './measure-codes.js';
import { objectItems as list } from './values.js';

const ALTERNATE_SCORE = 'http://hl7.org/fhir/us/davinci-deqm/StructureDefinition/extension-alternateScoreType';
const Q_UNIT = 'http://hl7.org/fhir/StructureDefinition/questionnaire-unit';

interface ScoreCtx {
  measure: Obj;
  reportType: string | undefined;
  scoring: string | undefined;
  report: Report;
}

/** The Measure's scoring code (its first coding), as the reference reads it. */
export function scoringOf(measure: Obj): string | undefined {
  const code = list((measure.scoring as Obj | undefined)?.coding)[0]?.code;
  return typeof code === 'string' ? code : undefined;
}

export function checkScore(g: Obj, gpath: string, ctx: ScoreCtx): void {
  const { report, scoring } = ctx;
  const ms = g.measureScore && typeof g.measureScore === 'object' ? (g.measureScore as Obj) : undefined;
  const ns = `${gpath}.measureScore`;
  if (ctx.reportType === 'data-collection') {
    if (ms) report('MEASURE_MR_SCORE_PROHIBITED_RT', 'error', 'business-rule', ns, "No measureScore when the type of the report is 'data-collection'");
    return;
  }
  if (scoring === 'cohort') {
    if (ms) report('MEASURE_MR_SCORE_PROHIBITED_MS', 'error', 'business-rule', ns, "No measureScore when the scoring of the message is 'cohort'");
    return;
  }
  if (scoring !== 'proportion' && scoring !== 'ratio' && scoring !== 'continuous-variable') return; // hinted at the Measure
  if (!ms) {
    report('MEASURE_MR_SCORE_REQUIRED', 'error', 'required', gpath, `A measureScore is required when the Measure.scoring=${scoring}`);
    return;
  }
  const value = ms.value !== undefined ? ms.value : alternateScore(ms);
  if (scoring === 'proportion') {
    for (const name of ['unit', 'system', 'code']) {
      if (ms[name] !== undefined) report('MEASURE_MR_SCORE_UNIT_PROHIBITED', 'error', 'business-rule', `${ns}.${name}`, 'A measureScore for this Measure Scoring (proportion) should not have units');
    }
  }
  if (value === undefined) {
    report('MEASURE_MR_SCORE_VALUE_REQUIRED', 'error', 'required', ns, `A value is required when the Measure.scoring = ${scoring}`);
    return;
  }
  if (scoring === 'proportion') {
    if (typeof value === 'number' && (value < 0 || value > 1)) report('MEASURE_MR_SCORE_VALUE_INVALID_01', 'error', 'required', `${ns}.value`, 'The value is invalid - it must be between 0 and 1');
    return;
  }
  const fixed = fixedUnit(ctx.measure);
  if (ms.code !== undefined) {
    if (!fixed) return;
    if (fixed.code !== ms.code) report('MEASURE_MR_SCORE_FIXED', 'error', 'code-invalid', `${ns}.code`, `This value is fixed by the Measure to '${clip(String(fixed.code ?? ''))}'`);
    // The reference fails on a code without a system (it reads the absent system); it compares a present one.
    if (ms.system !== undefined && fixed.system !== ms.system) report('MEASURE_MR_SCORE_FIXED', 'error', 'code-invalid', ns, `This value is fixed by the Measure to '${clip(String(fixed.system ?? ''))}'`);
  } else if (fixed) {
    report('MEASURE_MR_SCORE_FIXED', 'error', 'not-found', ns, `This value is fixed by the Measure to '${clip(codeDisplay(fixed))}'`);
  } else if (scoring === 'ratio') {
    report('MEASURE_MR_SCORE_UNIT_REQUIRED', 'warning', 'not-found', ns, 'A unit should be present when the scoring type is ratio');
  }
}

/** The DEQM alternate score (an extension on measureScore) stands in for a missing value. */
function alternateScore(ms: Obj): unknown {
  const ext = list(ms.extension).find((e) => e.url === ALTERNATE_SCORE);
  if (!ext) return undefined;
  const key = Object.keys(ext).find((k) => k.startsWith('value'));
  return key ? ext[key] : undefined;
}

/** The unit a Measure fixes for its scores: the Coding of its questionnaire-unit extension. */
function fixedUnit(measure: Obj): Obj | undefined {
  const ext = list(measure.extension).find((e) => e.url === Q_UNIT);
  const c = ext?.valueCoding;
  return c && typeof c === 'object' ? (c as Obj) : undefined;
}
