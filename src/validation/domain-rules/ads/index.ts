import type { ReportIssue } from '../report.js';
import { AdsBundleView, claims } from './bundle-view.js';
import { checkAdsCall } from './call-rules.js';
import { checkAdsClinical } from './clinical-rules.js';
import { PROFILES } from './canonicals.js';
import { checkAdsContacts } from './contact-rules.js';
import { checkAdsStructure } from './structure-rules.js';
import { checkAdsTimes } from './time-rules.js';

/**
 * The ADS business rules on a Bundle that claims the ADS Bundle profile (UKCore-ADS-Bundle): time order, treatment
 * type against conveyance, stop codes, triage, NHS numbers shared by two Patients, medication dose units. The
 * validator runs them on every such bundle it meets (at any depth); the builder runs the same function on what it
 * builds. `structure` adds the checks the Bundle profile makes itself (one call, references that resolve), for
 * callers without a profile validator. Pure: reads the bundle, reports through `report`, never throws on bad input.
 */
export function checkAdsBundle(bundle: unknown, report: ReportIssue, options: { path?: string; structure?: boolean } = {}): void {
  if (!bundle || typeof bundle !== 'object' || (bundle as { resourceType?: unknown }).resourceType !== 'Bundle') return;
  const view = new AdsBundleView(bundle as Record<string, unknown>, options.path ?? 'Bundle');
  if (options.structure) checkAdsStructure(view, report);
  checkAdsCall(view, report);
  checkAdsTimes(view, report);
  checkAdsContacts(view, report);
  checkAdsClinical(view, report);
}

/** True when the resource is a Bundle claiming the ADS Bundle profile. */
export const isAdsBundle = (resource: unknown): boolean =>
  !!resource && typeof resource === 'object' && (resource as { resourceType?: unknown }).resourceType === 'Bundle' && claims(resource, PROFILES.bundle);

export { ADS_BASE, adsUrl, EXTENSIONS, PROFILES } from './canonicals.js';
export { compareTimes, responseTimesOutOfOrder, RESPONSE_TIME_SEQUENCE, TIME_STOOD_DOWN, type TypedTime } from './times.js';
export { CONVEYED_OUTCOMES, HANDED_OVER } from './call-rules.js';
export { TIME_AT_PATIENT } from './time-rules.js';
