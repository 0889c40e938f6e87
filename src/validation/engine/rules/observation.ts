/**
 * Best-practice recommendations on every Observation (the reference validator's ObservationValidator): an
 * observation should say whom it is about (subject), who made it (performer) and when it holds (effective[x]).
 * Reported at the Observation itself, at the best-practice level the run asks for (`EngineOptions.bestPractice`).
 * Unlike the UCUM annotation recommendations, these are off unless a level is given: the reference's own default
 * (warning) would add three warnings to nearly every Observation of a feed (the HL7 suite runs with them off).
 */
import type { ResourceRule } from '../context.js';
import { bestPracticeSeverity } from './quantity.js';

const EFFECTIVE = ['effectiveDateTime', 'effectivePeriod', 'effectiveTiming', 'effectiveInstant'] as const;

export const checkObservationBestPractice: ResourceRule = (obs, path, ctx) => {
  if (ctx.options.bestPractice === undefined) return;
  const severity = bestPracticeSeverity(ctx);
  if (!severity) return;
  if (obs.subject === undefined) {
    ctx.report('All_observations_should_have_a_subject', severity, 'invalid', path, 'Best Practice Recommendation: In general, all observations should have a subject');
  }
  if (!Array.isArray(obs.performer) || obs.performer.length === 0) {
    ctx.report('All_observations_should_have_a_performer', severity, 'invalid', path, 'Best Practice Recommendation: In general, all observations should have a performer');
  }
  if (!EFFECTIVE.some((name) => obs[name] !== undefined)) {
    ctx.report('All_observations_should_have_an_effectiveDateTime_or_an_effectivePeriod', severity, 'invalid', path, 'Best Practice Recommendation: In general, all observations should have an effective[x] (dateTime, Period, Timing, instant)');
  }
};
