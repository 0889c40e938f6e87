import type { Bundle, Communication, Encounter, FhirResource, OperationOutcomeIssue, Reference } from 'fhir/r4';
import { EXTENSIONS, PROFILES } from './systems.js';

type Issue = OperationOutcomeIssue;
const issue = (severity: Issue['severity'], code: Issue['code'], expression: string, diagnostics: string): Issue => ({
  severity, code, expression: [expression], diagnostics,
});

const hasProfile = (r: FhirResource | undefined, profile: string) => !!r?.meta?.profile?.includes(profile);

/** Every `reference` string anywhere in a resource, with its FHIRPath-ish location. */
function referencesIn(value: unknown, at: string, out: { at: string; reference: string }[] = []): { at: string; reference: string }[] {
  if (Array.isArray(value)) value.forEach((v, i) => referencesIn(v, `${at}[${i}]`, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push({ at, reference: v });
      else referencesIn(v, `${at}.${k}`, out);
    }
  }
  return out;
}

function typedTimes(e: Encounter | Communication): Map<string, string> {
  const times = new Map<string, string>();
  for (const ext of e.extension ?? []) {
    if (ext.url !== EXTENSIONS.typedDateTime) continue;
    const code = ext.extension?.find((x) => x.url === 'dateTimeType')?.valueCodeableConcept?.coding?.[0]?.code;
    const value = ext.extension?.find((x) => x.url === 'dateTime')?.valueDateTime;
    if (code && value) times.set(code, value);
  }
  return times;
}

/**
 * The checks only a whole ADS bundle can answer, beyond what each builder call already rejected:
 * exactly one call, references that resolve inside the bundle, at most one triage result of each kind,
 * responses after the call connected, and treatment type, stop code, 111 flag and call origin agreeing
 * with the responses and patient contacts. This is **not** profile validation: pass a validate function to
 * `build()` for that.
 */
export function checkAdsBundle(bundle: Bundle): Issue[] {
  const issues: Issue[] = [];
  const entries = bundle.entry ?? [];
  const byUrl = new Map(entries.map((e) => [e.fullUrl, e.resource]));
  const where = (i: number) => `Bundle.entry[${i}].resource`;

  entries.forEach((e, i) => {
    for (const r of referencesIn(e.resource, where(i))) {
      if (r.reference.startsWith('urn:uuid:') && !byUrl.has(r.reference)) {
        issues.push(issue('error', 'not-found', r.at, 'Reference to an entry that is not in the bundle'));
      }
    }
  });

  const calls = entries.flatMap((e, i) => (hasProfile(e.resource, PROFILES.communication) ? [{ i, call: e.resource as Communication }] : []));
  if (calls.length !== 1) {
    issues.push(issue('error', 'required', 'Bundle.entry', `An ADS bundle has exactly one call (UKCore-ADS-Communication); found ${calls.length}`));
    return issues;
  }
  const { i: callIndex, call } = calls[0]!;
  const at = where(callIndex);
  const contextOf = (ref: Reference | undefined) => (ref?.reference ? byUrl.get(ref.reference) : undefined);
  const encounters = (call.about ?? []).map(contextOf).filter((r): r is Encounter => r?.resourceType === 'Encounter');
  const responses = encounters.filter((e) => hasProfile(e, PROFILES.response));
  const contacts = encounters.filter((e) => hasProfile(e, PROFILES.patientContact));
  const outcomes = contacts.map((c) => c.hospitalization?.dischargeDisposition?.coding?.[0]?.code ?? '');
  const treatment = call.category?.[0]?.coding?.[0]?.code;

  const triageKinds = (call.reasonReference ?? []).map((r) => (contextOf(r) as { code?: { coding?: { code?: string }[] } } | undefined)?.code?.coding?.[0]?.code);
  const repeated = triageKinds.filter((k, n) => k && triageKinds.indexOf(k) !== n);
  if (repeated.length) issues.push(issue('error', 'business-rule', `${at}.reasonReference`, 'At most one triage result of each category per call'));

  const sent = call.sent ? Date.parse(call.sent) : undefined;
  responses.forEach((r) => {
    const allocated = typedTimes(r).get('time-resource-allocated');
    if (sent !== undefined && allocated && Date.parse(allocated) < sent) {
      issues.push(issue('error', 'business-rule', `${where(entries.findIndex((e) => e.resource === r))}.extension`, 'A resource was allocated before the call connected (ADS10)'));
    }
  });

  if (treatment === 'hear-and-treat' && (contacts.length > 0 || responses.some((r) => typedTimes(r).has('time-resource-arrived-on-scene')))) {
    issues.push(issue('error', 'business-rule', `${at}.category`, 'Treatment type hear-and-treat, but a response arrived on scene or saw a patient'));
  }
  if (treatment === 'see-and-convey-ed' && !outcomes.includes('conveyed-ed')) {
    issues.push(issue('error', 'business-rule', `${at}.category`, 'Treatment type see-and-convey-ed, but no patient contact was conveyed to an emergency department'));
  }
  if (treatment === 'see-and-convey-other' && !outcomes.includes('conveyed-other')) {
    issues.push(issue('error', 'business-rule', `${at}.category`, 'Treatment type see-and-convey-other, but no patient contact was conveyed elsewhere'));
  }
  if (treatment === 'see-and-treat' && (contacts.length === 0 || outcomes.some((o) => o.startsWith('conveyed-')))) {
    issues.push(issue('error', 'business-rule', `${at}.category`, 'Treatment type see-and-treat needs patient contacts, none of them conveyed'));
  }
  if (call.status === 'stopped' && contacts.length > 0) {
    issues.push(issue('warning', 'business-rule', `${at}.status`, 'The call has a stop code but also patient contacts'));
  }
  const origin = call.extension?.find((x) => x.url === EXTENSIONS.callOrigin)?.valueCodeableConcept?.coding?.[0]?.code;
  const flag111 = call.extension?.find((x) => x.url === EXTENSIONS.flag111)?.valueCodeableConcept?.coding?.[0]?.code;
  if ((origin === '02') !== (flag111 === 'Y') && flag111 !== undefined) {
    issues.push(issue('warning', 'business-rule', `${at}.extension`, 'Call origin NHS 111 (02) and the 111 flag disagree'));
  }
  return issues;
}
