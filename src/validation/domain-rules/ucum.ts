import { isValidUcum, UCUM_SYSTEM } from '../../terminology/ucum.js';
import type { ReportIssue } from './report.js';
import type { TypedNode } from './walk.js';

/** R4 types that are a Quantity (SimpleQuantity and MoneyQuantity are profiles of Quantity, not model types). */
const QUANTITY_TYPES = new Set(['Quantity', 'Age', 'Count', 'Distance', 'Duration']);

/**
 * A Quantity that claims UCUM (`system` http://unitsofmeasure.org) must have a `code` that is a valid UCUM
 * expression (`mcg` and `milligram` are not). The profile walk reports that with the reference validator's key
 * (Unknown_Code_in, from the Quantity rule or a binding), and the post-pass drops this finding where the walk already
 * reported the code: rule `ADSFHIR_UCUM_CODE_INVALID` is the fallback for a code the walk did not judge (Age, Count,
 * Distance, Duration, which the reference's Quantity rule skips; a binding that accepted it; a Validator without
 * terminology), so a bad unit is one finding. A UCUM Quantity without a code is left to qty-3 and the profiles.
 */
export function checkUcumQuantity(n: TypedNode, report: ReportIssue): void {
  if (!QUANTITY_TYPES.has(n.type) || n.node.system !== UCUM_SYSTEM) return;
  const code = n.node.code;
  if (typeof code !== 'string' || code === '') return;
  if (!isValidUcum(code)) {
    report('ADSFHIR_UCUM_CODE_INVALID', 'error', 'code-invalid', `${n.path}.code`, 'The unit code is not a valid UCUM expression (http://unitsofmeasure.org): write it in UCUM, e.g. mg, ug, mL, /min, mm[Hg]');
  }
}
