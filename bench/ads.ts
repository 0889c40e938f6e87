/**
 * ADS bundles against the ADS profiles: the example bundles (examples/bundles) and generated incidents of
 * 30 to 60 entries (bench/ads-bundles.ts, made with the public builder), validated by the full service
 * (`createValidationService()`: core R4, UK Core, ADS, local terminology, FHIRPath invariants) from text as
 * the CLI reads them, and from objects; bundles per second and the ratio to `JSON.parse` of the same bytes.
 *   npx tsx bench/run.ts ads      (or npx tsx bench/ads.ts)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adsBundle } from './ads-bundles.js';
import { builtLibrary } from './product.js';
import { bestOf, isMain, ratio } from './timing.js';

export interface AdsBenchResult {
  example_bundles: number;
  generated_bundles: number;
  /** Fewest and most entries of the generated bundles. */
  entries_min: number;
  entries_max: number;
  /** Mean size of a generated bundle as pretty-printed JSON, in kB. */
  mean_kb: number;
  /** Example bundles validated per second from their file text. */
  examples_bundles_per_s: number;
  examples_vs_json_parse: number;
  /** Generated bundles validated per second from text (`validateText`, which parses). */
  bundles_per_s_text: number;
  /** The same from parsed objects (`validate`). */
  bundles_per_s_objects: number;
  /** Our time from text over JSON.parse's time of the same bytes. */
  vs_json_parse_text: number;
  /** Bundles with an error or fatal issue (must be 0: the examples and the generated bundles are valid). */
  with_errors: number;
}

const BUNDLES_DIR = fileURLToPath(new URL('../examples/bundles/', import.meta.url));

export async function runAdsBench(count = 24, minMs = 700, rounds = 5): Promise<AdsBenchResult> {
  const examples = readdirSync(BUNDLES_DIR).filter((f) => f.endsWith('.json')).sort().map((f) => readFileSync(join(BUNDLES_DIR, f), 'utf8'));
  const generated = Array.from({ length: count }, (_, i) => adsBundle(i));
  const texts = generated.map((b) => JSON.stringify(b, null, 2));
  const objects = texts.map((t) => JSON.parse(t) as Record<string, unknown>);
  const service = await (await builtLibrary()).createValidationService();
  const failed = (issues: { severity: string }[]) => issues.some((i) => i.severity === 'error' || i.severity === 'fatal');
  let withErrors = 0;
  for (const t of [...examples, ...texts]) if (failed(service.validateText(t, { format: 'json' }).outcome.issue)) withErrors++;
  const best = bestOf(
    {
      examplesParse: () => {
        for (const t of examples) JSON.parse(t);
      },
      examplesText: () => {
        for (const t of examples) service.validateText(t, { format: 'json' });
      },
      parse: () => {
        for (const t of texts) JSON.parse(t);
      },
      text: () => {
        for (const t of texts) service.validateText(t, { format: 'json' });
      },
      objects: () => {
        for (const o of objects) service.validate(o);
      },
    },
    rounds,
    minMs,
  );
  const entries = generated.map((b) => b.entry?.length ?? 0);
  return {
    example_bundles: examples.length,
    generated_bundles: count,
    entries_min: Math.min(...entries),
    entries_max: Math.max(...entries),
    mean_kb: Math.round(texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / count / 1024),
    examples_bundles_per_s: Math.round((examples.length * 1000) / best.examplesText),
    examples_vs_json_parse: ratio(best.examplesText / best.examplesParse),
    bundles_per_s_text: Math.round((count * 1000) / best.text),
    bundles_per_s_objects: Math.round((count * 1000) / best.objects),
    vs_json_parse_text: ratio(best.text / best.parse),
    with_errors: withErrors,
  };
}

if (isMain(import.meta.url)) console.log(JSON.stringify(await runAdsBench()));
