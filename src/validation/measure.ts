/**
 * MeasureReport rules that depend on the Measure it reports on: scoring, groups and stratifiers
 * matched by code, and population counts against their subject lists.
 */
import { clip } from './primitives.js';
import type { Report } from '../plugin-types/index.js';
import { objectItems as list } from './values.js';

type Obj = Record<string, unknown>;


/** The comparable form of a CodeableConcept: its codings as system|code, else its text. */
function codeKeys(cc: unknown): string[] {
  if (Array.isArray(cc)) return cc.flatMap(codeKeys);
  if (!cc || typeof cc !== 'object') return [];
  const c = cc as { coding?: unknown; text?: unknown };
  const keys = list(c.coding).map((x) => `${String(x.system ?? '')}|${String(x.code ?? '')}`);
  if (keys.length === 0 && typeof c.text === 'string') keys.push(c.text);
  return keys;
}

function codeLabel(cc: unknown): string {
  if (Array.isArray(cc)) return codeLabel(cc[0]);
  const c = (cc ?? {}) as { coding?: unknown; text?: unknown };
  return String(list(c.coding)[0]?.code ?? c.text ?? '');
}

/**
 * Pairs report parts with definition parts: by shared code, or one-to-one when each side has a single
 * part. Returns the definition index per report part (-1 when unmatched).
 */
function pair(reportParts: Obj[], defParts: Obj[]): number[] {
  if (reportParts.length === 1 && defParts.length === 1) {
    const r = codeKeys(reportParts[0]!.code);
    const d = codeKeys(defParts[0]!.code);
    if (r.length === 0 && d.length === 0) return [0];
  }
  return reportParts.map((rp) => {
    const keys = codeKeys(rp.code);
    return keys.length === 0 ? -1 : defParts.findIndex((dp) => codeKeys(dp.code).some((k) => keys.includes(k)));
  });
}

export function checkMeasureReport(mr: Obj, measure: Obj, path: string, contained: Map<string, Obj>, report: Report): void {
  const scoring = list((measure.scoring as { coding?: unknown } | undefined)?.coding)[0]?.code;
  const groups = list(mr.group);
  const defGroups = list(measure.group);
  groups.forEach((g, i) => {
    if (scoring === 'cohort' && g.measureScore !== undefined) {
      report('MEASURE_MR_SCORE_PROHIBITED_MS', 'error', 'business-rule', `${path}.group[${i}].measureScore`, "No measureScore when the scoring of the message is 'cohort'");
    }
  });
  const matched = pair(groups, defGroups);
  matched.forEach((d, i) => {
    if (d < 0) report('MEASURE_MR_GRP_NO_CODE', 'error', 'business-rule', `${path}.group[${i}]`, 'Group should have a code that matches the group definition in the measure');
  });
  defGroups.forEach((dg, d) => {
    if (!matched.includes(d)) report('MEASURE_MR_GRP_MISSING_BY_CODE', 'error', 'business-rule', path, `The MeasureReport does not include a group for the group with code '${clip(codeLabel(dg.code))}'`);
  });
  matched.forEach((d, i) => {
    const gpath = `${path}.group[${i}]`;
    const g = groups[i]!;
    list(g.population).forEach((p, j) => checkPopulationCount(p, `${gpath}.population[${j}]`, contained, report));
    if (d < 0) return;
    const strats = list(g.stratifier);
    const defStrats = list(defGroups[d]!.stratifier);
    const sm = pair(strats, defStrats);
    sm.forEach((s, k) => {
      if (s < 0) report('MEASURE_MR_GRP_STRAT_NO_CODE', 'error', 'business-rule', `${gpath}.stratifier[${k}]`, 'Group should have a code that matches the group stratifier definition in the measure');
    });
    defStrats.forEach((ds, s) => {
      if (!sm.includes(s)) {
        report('MEASURE_MR_GRP_STRAT_MISSING_BY_CODE', 'error', 'business-rule', gpath, `The MeasureReport does not include a stratifier for the stratifier with code '${clip(codeLabel(ds.code))}'${typeof ds.id === 'string' ? ` (id = '${clip(ds.id)}')` : ''}`);
      }
    });
  });
}

/** A population's count must equal the number of subjects its subjectResults names. */
function checkPopulationCount(p: Obj, path: string, contained: Map<string, Obj>, report: Report): void {
  const ref = (p.subjectResults as { reference?: unknown } | undefined)?.reference;
  if (typeof p.count !== 'number' || typeof ref !== 'string') return;
  let n: number;
  if (ref.startsWith('#')) {
    const target = contained.get(ref.slice(1));
    if (!target) return;
    n = target.resourceType === 'List' ? list(target.entry).length : 1;
  } else {
    // A reference straight to a subject (not to a List of them) names exactly one subject.
    const type = /(?:^|\/)([A-Z][A-Za-z]+)\/[^/]+$/.exec(ref)?.[1];
    if (!type || type === 'List') return;
    n = 1;
  }
  if (n !== p.count) report('MEASURE_MR_GRP_POP_COUNT_MISMATCH', 'error', 'business-rule', path, `Mismatch between count ${p.count} and number of subjects ${n}`);
}
