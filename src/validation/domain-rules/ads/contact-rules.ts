import { NHS_NUMBER_SYSTEM } from '../../../terminology/uk/rules.js';
import type { ReportIssue } from '../report.js';
import { objects, str, type AdsBundleView } from './bundle-view.js';
import { UCUM_SYSTEM } from '../../../terminology/ucum.js';

/**
 * Rules on the people and medicines of the patient contacts:
 * - `ADS_DUPLICATE_NHS_NUMBER` (warning): two Patient entries with the same NHS number. One patient seen by two
 *   crews is one Patient that both patient contacts reference.
 * - `ADS_MEDICATION_DOSE_UCUM`: a medication dose without a unit, or with a unit that is not a UCUM code
 *   (`Quantity.system` http://unitsofmeasure.org and a valid `code`; `mcg` and `milligram` are not UCUM).
 */
export function checkAdsContacts(view: AdsBundleView, report: ReportIssue): void {
  const seen = new Map<string, string>();
  for (const e of view.entries) {
    if (e.resource.resourceType !== 'Patient') continue;
    objects(e.resource.identifier).forEach((id, i) => {
      const value = str(id.value);
      if (id.system !== NHS_NUMBER_SYSTEM || !value) return;
      const first = seen.get(value);
      if (first) report('ADS_DUPLICATE_NHS_NUMBER', 'warning', 'business-rule', `${e.path}.identifier[${i}]`, `Another Patient (${first}) has the same NHS number: reference that one from every patient contact that sees the patient`);
      else seen.set(value, e.path);
    });
  }
  for (const e of view.entries) {
    if (e.resource.resourceType !== 'MedicationAdministration') continue;
    const dosage = e.resource.dosage;
    const dose = dosage && typeof dosage === 'object' ? (dosage as { dose?: unknown }).dose : undefined;
    if (!dose || typeof dose !== 'object') continue;
    const q = dose as { system?: unknown; code?: unknown };
    const path = `${e.path}.dosage.dose`;
    if (q.code === undefined && q.system === undefined) report('ADS_MEDICATION_DOSE_UCUM', 'error', 'required', path, 'A medication dose needs a UCUM unit (system http://unitsofmeasure.org and code, e.g. mg, ug, mL)');
    else if (q.system !== UCUM_SYSTEM) report('ADS_MEDICATION_DOSE_UCUM', 'error', 'code-invalid', `${path}.system`, 'A medication dose unit must be UCUM (system http://unitsofmeasure.org)');
    // An invalid UCUM code is ADSFHIR_UCUM_CODE_INVALID, reported on every Quantity; not again here.
    else if (typeof q.code !== 'string' || !q.code) report('ADS_MEDICATION_DOSE_UCUM', 'error', 'required', `${path}.code`, 'A medication dose needs its UCUM unit code (e.g. mg, ug, mL)');
  }
}
