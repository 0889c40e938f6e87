/**
 * The corpus of real payloads the headline benchmark and the fast-FHIRPath agreement test share: the
 * official FHIR R4 examples (`hl7.fhir.r4.examples`, a development dependency).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CONFORMANCE_TYPES } from '../src/format/import-package.js';

/** Largest example kept, in bytes: a few huge Bundles would otherwise weigh more than everything else. */
export const MAX_EXAMPLE_BYTES = 200_000;

export interface Example {
  file: string;
  text: string;
  resource: Record<string, unknown>;
}

/**
 * The corpus: every example resource of `hl7.fhir.r4.examples` whose type is not a definition of the FHIR
 * Conformance or Terminology modules (`CONFORMANCE_TYPES`, as test/support/r4-examples.ts selects: 719 files)
 * and whose file is at most {@link MAX_EXAMPLE_BYTES} (703 of them), in file-name order.
 */
export function r4Examples(): Example[] {
  const dir = dirname(createRequire(import.meta.url).resolve('hl7.fhir.r4.examples/package.json'));
  const out: Example[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.json') || file === 'package.json' || file.startsWith('ig-')) continue;
    const bytes = readFileSync(join(dir, file));
    if (bytes.length > MAX_EXAMPLE_BYTES) continue;
    const text = bytes.toString('utf8');
    const resource = JSON.parse(text) as Record<string, unknown>;
    if (typeof resource.resourceType !== 'string' || CONFORMANCE_TYPES.has(resource.resourceType)) continue;
    out.push({ file, text, resource });
  }
  return out;
}
