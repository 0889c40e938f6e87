import type { ReportIssue } from '../report.js';
import { AdsBundleView, claims, isObject, list, objects, str, type AdsEntry, type Json } from './bundle-view.js';
import { PROFILES } from './canonicals.js';
import { isAfter, isBefore } from './times.js';

const ROLE = 'recognition-of-life-extinct';

/** The component of an Observation whose code is `code`, with its index. */
function component(r: Json, code: string): { value: Json; index: number } | undefined {
  const index = list(r.component).findIndex((c) => isObject(c) && objects(isObject(c.code) ? c.code.coding : undefined).some((x) => x.code === code));
  return index < 0 ? undefined : { value: list(r.component)[index] as Json, index };
}

/** The Patient entry a clinical entry or contact is about. */
const patientOf = (view: AdsBundleView, r: Json): AdsEntry | undefined => {
  const target = view.resolve(r.subject);
  return target?.resource.resourceType === 'Patient' ? target : undefined;
};

/**
 * Rules on the assessments and outcomes of the patient contacts:
 * - `ADS_GCS_TOTAL`: a Glasgow coma score total that is not the sum of the eye, verbal and motor responses given;
 * - `ADS_CARDIAC_ARREST_ROSC`: a ROSC time without ROSC, or before the arrest;
 * - `ADS_LIFE_EXTINCT_OUTCOME`: recognition of life extinct in a contact whose conveyance outcome is not `deceased`;
 * - `ADS_TIME_OF_DEATH_AFTER_RECOGNITION`: the patient's time of death after life extinct was recognised;
 * - `ADS_ESTIMATED_AGE_WITH_BIRTH_DATE` (warning): an estimated age for a patient whose date of birth is known.
 */
export function checkAdsClinical(view: AdsBundleView, report: ReportIssue): void {
  for (const e of view.entries) {
    const r = e.resource;
    if (claims(r, PROFILES.gcs)) {
      const parts = ['9267-6', '9270-0', '9268-4'].map((code) => component(r, code)?.value.valueInteger);
      if (parts.every((v) => typeof v === 'number') && typeof r.valueInteger === 'number' && r.valueInteger !== (parts as number[]).reduce((a, b) => a + b, 0)) {
        report('ADS_GCS_TOTAL', 'error', 'business-rule', `${e.path}.value.ofType(integer)`, 'The Glasgow coma score total is not the sum of the eye, verbal and motor responses');
      }
    }
    if (claims(r, PROFILES.cardiacArrest)) {
      const rosc = component(r, 'rosc')?.value.valueBoolean;
      const time = component(r, 'rosc-time');
      if (time && (rosc !== true || isBefore(time.value.valueDateTime, r.effectiveDateTime))) {
        report('ADS_CARDIAC_ARREST_ROSC', 'error', 'business-rule', `${e.path}.component[${time.index}]`, rosc !== true ? 'A ROSC time is given, but no return of spontaneous circulation' : 'The ROSC time is before the arrest');
      }
    }
    if (claims(r, PROFILES.estimatedAge)) {
      const patient = patientOf(view, r);
      if (patient && str(patient.resource.birthDate)) {
        report('ADS_ESTIMATED_AGE_WITH_BIRTH_DATE', 'warning', 'business-rule', `${e.path}.value.ofType(Quantity)`, `An estimated age is given, but the date of birth is known (${patient.path}.birthDate)`);
      }
    }
    if (r.resourceType === 'Procedure' && isObject(r.code) && objects(r.code.coding).some((c) => c.code === ROLE)) {
      const contact = view.contactOf(r);
      if (contact && AdsBundleView.outcomeOf(contact.resource) !== 'deceased') {
        report('ADS_LIFE_EXTINCT_OUTCOME', 'error', 'business-rule', `${contact.path}.hospitalization.dischargeDisposition`, `Life extinct was recognised (${e.path}), but the conveyance outcome is not deceased`);
      }
      const patient = patientOf(view, r);
      if (patient && isAfter(patient.resource.deceasedDateTime, r.performedDateTime)) {
        report('ADS_TIME_OF_DEATH_AFTER_RECOGNITION', 'error', 'business-rule', `${patient.path}.deceased.ofType(dateTime)`, `The time of death is after life extinct was recognised (${e.path})`);
      }
    }
  }
}

