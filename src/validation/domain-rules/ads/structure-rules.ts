import type { ReportIssue } from '../report.js';
import type { AdsBundleView } from './bundle-view.js';

/** Every `reference` string anywhere in a value, with its FHIRPath location. */
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

/**
 * What the ADS Bundle profile itself demands, checked without a profile validator (the builder runs these when it
 * is given none; a validator reports the same through the profile, so it does not run them):
 * - `ADS_ONE_CALL`: exactly one call (UKCore-ADS-Communication);
 * - `ADS_REFERENCE_IN_BUNDLE`: every `urn:uuid:` reference names an entry of the bundle.
 */
export function checkAdsStructure(view: AdsBundleView, report: ReportIssue): void {
  for (const e of view.entries) {
    for (const r of referencesIn(e.resource, e.path)) {
      if (r.reference.startsWith('urn:uuid:') && !view.has(r.reference)) report('ADS_REFERENCE_IN_BUNDLE', 'error', 'not-found', r.at, 'Reference to an entry that is not in the bundle');
    }
  }
  const calls = view.calls.length;
  if (calls !== 1) report('ADS_ONE_CALL', 'error', 'required', `${view.path}.entry`, `An ADS bundle has exactly one call (UKCore-ADS-Communication); found ${calls}`);
}
