import type { ReportIssue } from '../report.js';
import { AdsBundleView, extensionValue, firstCode, isObject, list, objects, str, typedTimes } from './bundle-view.js';
import { EXTENSIONS, PROFILES } from './canonicals.js';
import { isBefore } from './times.js';

/** Conveyance outcomes that take the patient somewhere (and so need a destination). */
export const CONVEYED_OUTCOMES: ReadonlySet<string> = new Set(['conveyed-ed', 'conveyed-other']);
/** The outcome of a contact whose patient another crew took over: the next contact carries the outcome. */
export const HANDED_OVER = 'handed-over-to-another-crew';

/**
 * Rules on the Call section and what it says about the rest of the bundle:
 * - `ADS_CALL_TIME_ORDER`: the dispatch code established (ADS21) or the control room clinical review before the call
 *   connected (triage results may come before: NHS 111 triages a call it then passes on);
 * - `ADS_TRIAGE_ONE_PER_KIND`: at most one triage result of each category (AMPDS, Pathways, SG, SD);
 * - `ADS_CALL_ORIGIN_111_FLAG` (warning): call origin NHS 111 (02) and the 111 flag disagree;
 * - `ADS_TREATMENT_TYPE_CONVEYANCE`: the treatment type (ADS33) disagrees with the responses and conveyance;
 * - `ADS_STOP_CODE_WITH_CONVEYANCE`: a call closed with a stop code (ADS4) whose patient was conveyed;
 * - `ADS_STOP_CODE_WITH_PATIENT_CONTACT` (warning): a stop code on a call with patient contacts;
 * - `ADS_CONVEYANCE_DESTINATION`: a conveyed patient without a destination, or a destination without conveyance;
 * - `ADS_HANDOVER_WITHOUT_NEXT_CONTACT` (warning): a patient handed over to another crew that no other contact sees.
 */
export function checkAdsCall(view: AdsBundleView, report: ReportIssue): void {
  const call = view.call;
  if (!call) return;
  const c = call.resource;
  const sent = str(c.sent);

  typedTimes(c).forEach((t) => {
    if (t.code === 'time-dispatch-code-established' && isBefore(t.value, sent)) {
      report('ADS_CALL_TIME_ORDER', 'error', 'business-rule', `${call.path}.extension[${t.extension}]`, 'The dispatch code was established before the call connected (ADS21, ADS10)');
    }
  });
  list(c.extension).forEach((x, i) => {
    if (!isObject(x) || x.url !== EXTENSIONS.clinicalReview) return;
    const at = objects(x.extension).find((p) => p.url === 'reviewedAt')?.valueDateTime;
    if (isBefore(at, sent)) report('ADS_CALL_TIME_ORDER', 'error', 'business-rule', `${call.path}.extension[${i}]`, 'The clinical review is timed before the call connected (ADS10)');
  });
  const kinds = new Set<string>();
  list(c.reasonReference).forEach((ref, i) => {
    const entry = view.resolve(ref);
    if (!entry) return;
    const kind = firstCode(entry.resource.code);
    if (kind && kinds.has(kind)) report('ADS_TRIAGE_ONE_PER_KIND', 'error', 'business-rule', `${call.path}.reasonReference[${i}]`, 'At most one triage result of each category per call');
    if (kind) kinds.add(kind);
  });
  const origin = firstCode(extensionValue(c, EXTENSIONS.callOrigin)?.valueCodeableConcept);
  const flag111 = firstCode(extensionValue(c, EXTENSIONS.flag111)?.valueCodeableConcept);
  if (flag111 !== undefined && (origin === '02') !== (flag111 === 'Y')) {
    report('ADS_CALL_ORIGIN_111_FLAG', 'warning', 'business-rule', `${call.path}.extension`, 'Call origin NHS 111 (02) and the 111 flag disagree');
  }

  const encounters = list(c.about).map((ref) => view.resolve(ref)).filter((e) => e !== undefined);
  const responses = encounters.filter((e) => view.withProfile(PROFILES.response).includes(e));
  const contacts = encounters.filter((e) => view.withProfile(PROFILES.patientContact).includes(e));
  const outcomes = contacts.map((e) => AdsBundleView.outcomeOf(e.resource) ?? '');
  const conveyed = outcomes.some((o) => CONVEYED_OUTCOMES.has(o));
  const treatment = Array.isArray(c.category) ? firstCode(c.category[0]) : undefined;
  const mismatch = (why: string) => report('ADS_TREATMENT_TYPE_CONVEYANCE', 'error', 'business-rule', `${call.path}.category`, why);
  if (treatment === 'hear-and-treat' && (contacts.length > 0 || responses.some((r) => typedTimes(r.resource).some((t) => t.code === 'time-resource-arrived-on-scene')))) {
    mismatch('Treatment type hear-and-treat, but a response arrived on scene or saw a patient');
  }
  if (treatment === 'see-and-convey-ed' && !outcomes.includes('conveyed-ed')) mismatch('Treatment type see-and-convey-ed, but no patient contact was conveyed to an emergency department');
  if (treatment === 'see-and-convey-other' && !outcomes.includes('conveyed-other')) mismatch('Treatment type see-and-convey-other, but no patient contact was conveyed elsewhere');
  if (treatment === 'see-and-treat' && (contacts.length === 0 || conveyed)) mismatch('Treatment type see-and-treat needs patient contacts, none of them conveyed');

  if (c.status === 'stopped' || c.statusReason !== undefined) {
    if (conveyed) report('ADS_STOP_CODE_WITH_CONVEYANCE', 'error', 'business-rule', `${call.path}.statusReason`, 'The call has a stop code (ADS4) but a patient was conveyed');
    else if (contacts.length > 0) report('ADS_STOP_CODE_WITH_PATIENT_CONTACT', 'warning', 'business-rule', `${call.path}.status`, 'The call has a stop code but also patient contacts');
  }

  for (const contact of view.withProfile(PROFILES.patientContact)) {
    const outcome = AdsBundleView.outcomeOf(contact.resource);
    const hosp = isObject(contact.resource.hospitalization) ? contact.resource.hospitalization : {};
    const hasDestination = hosp.destination !== undefined;
    if (outcome && CONVEYED_OUTCOMES.has(outcome) !== hasDestination) {
      report('ADS_CONVEYANCE_DESTINATION', 'error', 'business-rule', `${contact.path}.hospitalization`, hasDestination ? 'A destination is given, but the patient was not conveyed' : 'The patient was conveyed, but no destination is given');
    }
    if (outcome === HANDED_OVER) {
      const subject = isObject(contact.resource.subject) ? contact.resource.subject.reference : undefined;
      const next = view.withProfile(PROFILES.patientContact).some((o) => o !== contact && isObject(o.resource.subject) && o.resource.subject.reference === subject);
      if (!next) report('ADS_HANDOVER_WITHOUT_NEXT_CONTACT', 'warning', 'business-rule', `${contact.path}.hospitalization.dischargeDisposition`, 'The patient was handed over to another crew, but no other patient contact in the bundle sees this patient');
    }
  }
}
