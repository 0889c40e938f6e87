import type { ReportIssue } from '../report.js';
import { AdsBundleView, claims, isObject, str, typedTimes, type AdsEntry, type Json } from './bundle-view.js';
import { PROFILES } from './canonicals.js';
import { isAfter, isBefore, responseTimesOutOfOrder, TIME_STOOD_DOWN } from './times.js';

/** Where a clinical entry's time is: the choice element and the resource types that have it. */
const CLINICAL_TIME: Readonly<Record<string, string>> = { Observation: 'effective', MedicationAdministration: 'effective', Procedure: 'performed' };

/** Code of the typed date-time on a patient contact for the time the crew reached the patient. */
export const TIME_AT_PATIENT = 'time-at-patient';

/** The start and end of a clinical entry's time, with their paths (a dateTime or instant is both). */
function clinicalTime(entry: AdsEntry): { start?: [string, string]; end?: [string, string] } | undefined {
  const stem = CLINICAL_TIME[str(entry.resource.resourceType) ?? ''];
  if (!stem) return undefined;
  const r = entry.resource;
  for (const type of ['DateTime', 'Instant']) {
    const v = str(r[`${stem}${type}`]);
    if (v) {
      const at: [string, string] = [v, `${entry.path}.${stem}.ofType(${type === 'DateTime' ? 'dateTime' : 'instant'})`];
      return { start: at, end: at };
    }
  }
  const period = r[`${stem}Period`];
  if (!isObject(period)) return undefined;
  const base = `${entry.path}.${stem}.ofType(Period)`;
  const start = str(period.start);
  const end = str(period.end) ?? start;
  return { ...(start ? { start: [start, `${base}.start`] as [string, string] } : {}), ...(end ? { end: [end, period.end ? `${base}.end` : `${base}.start`] as [string, string] } : {}) };
}

/** When a response ended: its clear or stood-down time, else the end of its period. */
function responseEnd(response: Json): string | undefined {
  const times = typedTimes(response);
  const end = times.find((t) => t.code === 'time-clear') ?? times.find((t) => t.code === TIME_STOOD_DOWN);
  return end?.value ?? (isObject(response.period) ? str(response.period.end) : undefined);
}

/**
 * Time order across an ADS bundle, against the call's connected time (ADS10, `Communication.sent`):
 * - `ADS_RESPONSE_BEFORE_CALL`: a response time before the call connected;
 * - `ADS_RESPONSE_TIME_ORDER`: response times out of sequence (allocated, mobilised, arrived, left scene,
 *   arrived at destination, handover, clear; stood down not before allocated);
 * - `ADS_RESPONSE_CLEAR_AND_STOOD_DOWN`: a response both clear and stood down;
 * - `ADS_CLINICAL_BEFORE_CALL` / `ADS_CLINICAL_AFTER_CLEAR`: an observation, medication or procedure timed before
 *   the call connected, or after the clear (or stood-down) time of the response that saw the patient (a cardiac
 *   arrest may precede the call, so it is checked against the clear time only);
 * - `ADS_TIME_AT_PATIENT_ORDER`: the time at patient before the response arrived on scene or after it cleared;
 * - `ADS_INJURY_AFTER_CALL`: an injury timed after the call connected (it is why the call was made);
 * - `ADS_BIRTH_DATE_AFTER_CALL`: a patient born after the call.
 */
export function checkAdsTimes(view: AdsBundleView, report: ReportIssue): void {
  const call = view.call;
  const sent = call ? str(call.resource.sent) : undefined;
  const sentPath = call ? `${call.path}.sent` : '';

  for (const response of view.withProfile(PROFILES.response)) {
    const times = typedTimes(response.resource);
    const at = (t: { extension: number }) => `${response.path}.extension[${t.extension}]`;
    const early = sent ? times.filter((t) => isBefore(t.value, sent)) : [];
    for (const t of early) report('ADS_RESPONSE_BEFORE_CALL', 'error', 'business-rule', at(t), `The response time ${t.code} is before the call connected (ADS10, ${sentPath})`);
    for (const { time, after } of responseTimesOutOfOrder(times)) {
      // A time already reported as before the call is not reported again as out of order.
      if (early.includes(time)) continue;
      report('ADS_RESPONSE_TIME_ORDER', 'error', 'business-rule', at(time), `The response time ${time.code} is before ${after.code}`);
    }
    const stood = times.find((t) => t.code === TIME_STOOD_DOWN);
    if (stood && times.some((t) => t.code === 'time-clear')) {
      report('ADS_RESPONSE_CLEAR_AND_STOOD_DOWN', 'error', 'business-rule', at(stood), 'A response is either stood down or clear, not both');
    }
  }

  for (const contact of view.withProfile(PROFILES.patientContact)) {
    const atPatient = typedTimes(contact.resource).find((t) => t.code === TIME_AT_PATIENT);
    if (!atPatient) continue;
    const response = view.responseOf(contact.resource);
    const arrived = response ? typedTimes(response.resource).find((t) => t.code === 'time-resource-arrived-on-scene')?.value : undefined;
    const end = response ? responseEnd(response.resource) : undefined;
    if (isBefore(atPatient.value, arrived) || isAfter(atPatient.value, end)) {
      report('ADS_TIME_AT_PATIENT_ORDER', 'error', 'business-rule', `${contact.path}.extension[${atPatient.extension}]`, 'The time at patient is before the response arrived on scene or after it cleared');
    }
  }

  for (const entry of view.entries) {
    const r = entry.resource;
    if (claims(r, PROFILES.injury)) {
      const when = clinicalTime(entry)?.start;
      if (when && sent && isAfter(when[0], sent)) report('ADS_INJURY_AFTER_CALL', 'error', 'business-rule', when[1], `The injury is timed after the call connected (${sentPath})`);
      continue;
    }
    if (r.resourceType === 'Patient') {
      if (sent && isAfter(r.birthDate, sent)) report('ADS_BIRTH_DATE_AFTER_CALL', 'error', 'business-rule', `${entry.path}.birthDate`, `The birth date is after the call (${sentPath})`);
      continue;
    }
    const time = clinicalTime(entry);
    if (!time || claims(r, PROFILES.triage)) continue;
    // A cardiac arrest may have happened before the call (it is often why the call was made), like an injury.
    if (time.start && sent && isBefore(time.start[0], sent) && !claims(r, PROFILES.cardiacArrest)) {
      report('ADS_CLINICAL_BEFORE_CALL', 'error', 'business-rule', time.start[1], `The ${str(r.resourceType)} is timed before the call connected (${sentPath})`);
    }
    const contact = view.contactOf(r);
    const response = contact ? view.responseOf(contact.resource) : undefined;
    const end = response ? responseEnd(response.resource) : undefined;
    if (time.end && end && isAfter(time.end[0], end)) {
      report('ADS_CLINICAL_AFTER_CLEAR', 'error', 'business-rule', time.end[1], `The ${str(r.resourceType)} is timed after the response that saw the patient cleared (${response!.path})`);
    }
  }
}
