import type { ValidationIssue } from '../../plugin-types/index.js';
import type { ExpectedOutcome } from './suite.js';

const SERVER_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-server';

export interface StepScore {
  L1: boolean;
  L2: boolean;
  L3: boolean;
  expected: { errors: number; warnings: number; locations: string[] };
  actual: { errors: number; warnings: number; locations: string[] };
}

/** Removes `/*Type/id*\/` comments and normalises `Bundle.entry[n].resource` prefixes for comparison. */
export function normaliseLocation(expr: string): string {
  return expr.replace(/\/\*.*?\*\//g, '').replace(/\[url='[^']*'\]/g, '');
}

function summarise(issues: { severity: string; expression?: string }[]): StepScore['expected'] {
  const errors = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
  return {
    errors: errors.length,
    warnings: issues.filter((i) => i.severity === 'warning').length,
    locations: errors.map((i) => normaliseLocation(i.expression ?? '')).sort(),
  };
}

/** Scores one validation step against the reference outcome (README: L1 verdict, L2 counts, L3 locations). */
export function scoreStep(expected: ExpectedOutcome, actual: ValidationIssue[]): StepScore {
  const exp = summarise(
    (expected.issue ?? [])
      .filter((i) => !(i.extension ?? []).some((e) => e.url === SERVER_EXTENSION))
      .map((i) => ({ severity: i.severity, expression: i.expression?.[0] })),
  );
  const act = summarise(actual);
  const L1 = (exp.errors === 0) === (act.errors === 0);
  const L2 = L1 && exp.errors === act.errors && exp.warnings === act.warnings;
  const L3 = exp.locations.join('\n') === act.locations.join('\n');
  return { L1, L2, L3, expected: exp, actual: act };
}
