/**
 * A MeasureReport against the Measure it reports on, as the reference validator's
 * MeasureValidator.validateMeasureReport has it (its R4 branch: groups, populations and stratifiers are
 * matched by code; linkId exists only from R5): the Measure resolves, report groups match measure groups,
 * populations and stratifiers match theirs, counts agree with subject lists, and scores fit the scoring.
 */
import { clip } from './primitives.js';
import type { Report } from '../plugin-types/index.js';
import { checkScore, scoringOf } from './measure-score.js';
import { codeDisplay, genCC, hasCoding, type Obj } from './measure-codes.js';
import { objectItems as list } from './values.js';

const KNOWN_SCORING = new Set(['proportion', 'ratio', 'continuous-variable', 'cohort']);
const MEASURE_OBSERVATION = { system: 'http://terminology.hl7.org/CodeSystem/measure-population', code: 'measure-observation' };

/** What the MeasureReport rules need from the validation run. */
export interface MeasureReportDeps {
  lookup: (url: string) => Obj | undefined;
  /** A reference resolved inside the instance (contained, or an entry of the enclosing Bundle). */
  resolveRef: (ref: string) => Obj | undefined;
  report: Report;
}

/** The report and its Measure, as the group rules see them. */
interface Ctx extends MeasureReportDeps {
  measure: Obj;
  reportType: string | undefined;
  scoring: string | undefined;
}

export function checkMeasureReport(mr: Obj, path: string, deps: MeasureReportDeps): void {
  const { report } = deps;
  // R4 has a canonical; like the reference, a Reference (as in STU3 content) is accepted for its reference.
  const given = mr.measure && typeof mr.measure === 'object' ? (mr.measure as Obj).reference : mr.measure;
  const ref = typeof given === 'string' && given.trim() !== '' ? given : undefined;
  if (ref === undefined) {
    report('Measure_MR_M_None', 'information', 'required', path, 'No Measure is identified, so no validation can be performed against the Measure');
    return;
  }
  const measure = ref.startsWith('#') ? containedMeasure(mr, ref.slice(1)) : resolveMeasure(ref, deps.lookup);
  if (!measure.found) {
    report('Measure_MR_M_NotFound', 'warning', 'required', path, `The Measure '${clip(ref)}' could not be resolved, so no validation can be performed against the Measure`);
    if (measure.otherVersion !== undefined) {
      const bar = ref.indexOf('|');
      report('CANONICAL_MULTIPLE_VERSIONS_KNOWN', 'information', 'informational', path,
        `The version ${clip(ref.slice(bar + 1))} for the Measure ${clip(ref)} is not known. These versions are known: ${clip(measure.otherVersion)}`);
    }
    return;
  }
  const scoring = scoringOf(measure.found);
  if (!scoring || !KNOWN_SCORING.has(scoring)) {
    report('MEASURE_MR_M_SCORING_UNK', 'information', 'business-rule', `${path}.measure`, 'The scoring system in this measure is unknown, so the measureScore values cannot be checked');
  }
  const ctx: Ctx = { ...deps, measure: measure.found, reportType: typeof mr.type === 'string' ? mr.type : undefined, scoring };
  checkGroups(mr, path, ctx);
}

function containedMeasure(mr: Obj, id: string): { found?: Obj; otherVersion?: string } {
  const hit = list(mr.contained).find((c) => c.id === id);
  return hit?.resourceType === 'Measure' ? { found: hit } : {};
}

/** A Measure by canonical; a `url|version` whose version is not the one known is not found. */
function resolveMeasure(ref: string, lookup: (url: string) => Obj | undefined): { found?: Obj; otherVersion?: string } {
  const hit = lookup(ref);
  if (!hit || hit.resourceType !== 'Measure') return {};
  const bar = ref.indexOf('|');
  if (bar < 0 || typeof hit.version !== 'string' || hit.version === ref.slice(bar + 1)) return { found: hit };
  return { otherVersion: hit.version };
}

function checkGroups(mr: Obj, path: string, ctx: Ctx): void {
  const defs = list(ctx.measure.group);
  if (defs.length === 0) return; // only a Measure with groups says what the report's groups must be
  const groups = list(mr.group);
  if (groups.length === 1 && defs.length === 1) {
    // A single group may be (and usually is) anonymous; when both carry codes, they must agree.
    const g = groups[0]!;
    const d = defs[0]!;
    const gpath = `${path}.group[0]`;
    if (cc(d.code) && cc(g.code)) {
      if (!list(cc(g.code)!.coding).some((c) => typeof c.system === 'string' && c.system !== '' && typeof c.code === 'string' && c.code !== '')) {
        ctx.report('MEASURE_MR_GRP_NO_USABLE_CODE', 'error', 'business-rule', gpath, 'None of the codes provided are usable for comparison - need both system and code on at least one code');
      } else if (!list(cc(g.code)!.coding).some((c) => hasCoding(d.code, c.system, c.code))) {
        ctx.report('MEASURE_MR_GRP_NO_WRONG_CODE', 'error', 'business-rule', gpath,
          `The code provided (${clip(codeDisplay(g.code))}) does not match the code specified in the measure report (${clip(codeDisplay(d.code))})`);
      }
    }
    checkGroup(g, d, gpath, ctx);
    return;
  }
  const matched = new Set<Obj>();
  groups.forEach((g, i) => {
    const gpath = `${path}.group[${i}]`;
    const code = cc(g.code);
    if (!code) {
      ctx.report('MEASURE_MR_GRP_NO_CODE', 'error', 'business-rule', gpath, 'Group should have a code that matches the group definition in the measure');
      return;
    }
    const d = defs.find((t) => list(cc(t.code)?.coding).some((c) => hasCoding(code, c.system, c.code)));
    if (!d) {
      ctx.report('MEASURE_MR_GRP_UNK_CODE', 'error', 'business-rule', gpath, `The code '${clip(genCC(code))}' for this group has no match in the measure definition`);
    } else if (matched.has(d)) {
      ctx.report('MEASURE_MR_GRP_DUPL_CODE', 'error', 'business-rule', gpath, 'The code for this group is duplicated with another group');
    } else {
      matched.add(d);
      checkGroup(g, d, gpath, ctx);
    }
  });
  if (mr.type === 'data-collection') return; // a data collection need not report every group
  for (const d of defs) {
    if (!matched.has(d)) ctx.report('MEASURE_MR_GRP_MISSING_BY_CODE', 'error', 'business-rule', path, `The MeasureReport does not include a group for the group with code '${clip(genCC(cc(d.code)))}'`);
  }
}

function checkGroup(g: Obj, d: Obj, gpath: string, ctx: Ctx): void {
  checkPopulations(g, d, gpath, ctx);
  checkScore(g, gpath, ctx);
  checkStratifiers(g, d, gpath, ctx);
}

function checkPopulations(g: Obj, d: Obj, gpath: string, ctx: Ctx): void {
  const defs = list(d.population);
  const matched = new Set<Obj>();
  list(g.population).forEach((p, j) => {
    const ppath = `${gpath}.population[${j}]`;
    const code = cc(p.code);
    if (!code) {
      ctx.report('MEASURE_MR_GRP_POP_NO_CODE', 'error', 'business-rule', ppath, 'Group should have a code that matches the group population definition in the measure');
      return;
    }
    const dp = defs.find((t) => list(cc(t.code)?.coding).some((c) => hasCoding(code, c.system, c.code)));
    if (!dp) {
      ctx.report('MEASURE_MR_GRP_POP_UNK_CODE', 'error', 'business-rule', ppath, 'The code for this group population has no match in the measure definition');
    } else if (matched.has(dp)) {
      ctx.report('MEASURE_MR_GRP_POP_DUPL_CODE', 'error', 'business-rule', ppath, 'The code for this group population is duplicated with another group');
    } else {
      matched.add(dp);
      checkPopulation(p, ppath, ctx);
    }
  });
  for (const dp of defs) {
    if (matched.has(dp) || hasCoding(dp.code, MEASURE_OBSERVATION.system, MEASURE_OBSERVATION.code)) continue;
    ctx.report('MEASURE_MR_GRP_POP_MISSING_BY_CODE', 'error', 'business-rule', gpath, `The MeasureReport does not include a population for the population with code '${clip(codeDisplay(dp.code))}'`);
  }
}

/** In a subject list the count is the number of subjects listed; other reports give a count and list none. */
function checkPopulation(p: Obj, ppath: string, ctx: Ctx): void {
  const sr = p.subjectResults && typeof p.subjectResults === 'object' ? (p.subjectResults as Obj) : undefined;
  if (ctx.reportType !== 'subject-list') {
    if (sr) ctx.report('MEASURE_MR_GRP_POP_NO_SUBJECTS', 'error', 'business-rule', ppath, "Reports where type is not 'subject-list' don't have subjects listed");
    if (p.count === undefined) ctx.report('MEASURE_MR_GRP_POP_NO_COUNT', 'warning', 'business-rule', ppath, "Count should be present for reports where type is not 'subject-list'");
    return;
  }
  if (typeof p.count !== 'number' || !Number.isInteger(p.count)) return; // a bad count is reported elsewhere
  const counted = sr ? subjectCount(sr, ctx) : { n: 0 };
  if ('n' in counted) {
    if (counted.n !== p.count) ctx.report('MEASURE_MR_GRP_POP_COUNT_MISMATCH', 'error', 'business-rule', ppath, `Mismatch between count ${p.count} and number of subjects ${counted.n}`);
  } else {
    ctx.report('MEASURE_MR_GRP_POP_COUNT_CANT_CHECK', 'information', 'business-rule', ppath, `Unable to check the stated count ${p.count} because the subject list cannot be fully processed (${clip(counted.why)})`);
  }
}

const SUBJECT_TYPES = new Set(['Patient', 'Practitioner', 'Person', 'PractitionerRole', 'RelatedPerson']);

/** How many subjects a subjectResults reference stands for: one subject, or the entries of a List. */
function subjectCount(sr: Obj, ctx: Ctx): { n: number } | { why: string } {
  const ref = sr.reference;
  if (typeof ref !== 'string') return { why: 'Subject reference has no actual reference' };
  const target = ctx.resolveRef(ref);
  if (target) {
    const type = String(target.resourceType);
    if (SUBJECT_TYPES.has(type)) return { n: 1 };
    if (type === 'List') return { n: list(target.entry).length };
    return { why: `Subject reference ${ref} resolved to a ${type}, which could not be processed` };
  }
  // Unresolved: judged from the literal Type/id where that names a subject.
  const parts = ref.split('/');
  if (parts.length === 2 && /^[A-Z][A-Za-z]+$/.test(parts[0]!)) {
    if (SUBJECT_TYPES.has(parts[0]!)) return { n: 1 };
    return { why: `Subject reference ${ref} could not be resolved, and the apparent type is ${parts[0]} which could not be processed` };
  }
  return { why: `Subject reference ${ref} could not be resolved, and so could not be processed` };
}

function checkStratifiers(g: Obj, d: Obj, gpath: string, ctx: Ctx): void {
  const defs = list(d.stratifier);
  const matched = new Set<Obj>();
  list(g.stratifier).forEach((s, k) => {
    const spath = `${gpath}.stratifier[${k}]`;
    const code = cc(s.code); // R4: 0..* on the report; the reference reads the first
    if (!code) {
      ctx.report('MEASURE_MR_GRP_STRAT_NO_CODE', 'error', 'business-rule', spath, 'Group should have a code that matches the group stratifier definition in the measure');
      return;
    }
    const ds = defs.find((t) => stratifierMatches(code, cc(t.code)));
    if (!ds) {
      ctx.report('MEASURE_MR_GRP_STRAT_UNK_CODE', 'error', 'business-rule', spath, 'The code for this group stratifier has no match in the measure definition');
    } else if (matched.has(ds)) {
      ctx.report('MEASURE_MR_GRP_STRAT_DUPL_CODE', 'error', 'business-rule', spath, 'The code for this group stratifier is duplicated with another group');
    } else {
      matched.add(ds);
    }
  });
  for (const ds of defs) {
    if (matched.has(ds)) continue;
    const id = typeof d.id === 'string' && typeof ds.id === 'string' ? ds.id : '';
    ctx.report('MEASURE_MR_GRP_STRAT_MISSING_BY_CODE', 'error', 'business-rule', gpath,
      `The MeasureReport does not include a stratifier for the stratifier with code '${clip(genCC(cc(ds.code)))}' (id = '${clip(id)}')`);
  }
}

/** A stratifier matches by a shared coding, or, when neither side has codings, by equal text. */
function stratifierMatches(code: Obj, def: Obj | undefined): boolean {
  if (!def) return false;
  if (list(def.coding).some((c) => hasCoding(code, c.system, c.code))) return true;
  return list(code.coding).length === 0 && list(def.coding).length === 0 && typeof code.text === 'string' && code.text === def.text;
}

/** The CodeableConcept of a `code` element (the first one where it repeats), if any. */
function cc(v: unknown): Obj | undefined {
  const one = Array.isArray(v) ? v[0] : v;
  return one && typeof one === 'object' ? (one as Obj) : undefined;
}
