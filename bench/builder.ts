/**
 * Builder throughput: the road traffic collision example (2 vehicles, 3 patients, 30 entries) built with the
 * fluent builder, then built and validated by the full validation service (core R4, UK Core, profiles/ads,
 * local terminology, FHIRPath invariants), as `build({ validator: service })` does it.
 *   npx tsx bench/builder.ts
 */
import { roadTrafficCollision } from '../examples/road-traffic-collision.js';
import { createValidationService } from '../src/validation/index.js';
import { bestOf, isMain, timeOnce, timeOnceAsync } from './timing.js';

export interface BuilderBenchResult {
  /** Entries in one RTC bundle. */
  entries: number;
  /** Seconds to create the validation service (once per process; the store loads packages lazily). */
  service_load_s: number;
  /** Seconds for the first validated build: the profiles it meets are compiled then (cached for the process). */
  first_build_validate_s: number;
  /** Bundles/s built with the builder checks only. */
  bundles_per_s_build: number;
  /** Bundles/s built and validated by the service. */
  bundles_per_s_build_validate: number;
  /** Error or fatal issues in one validated build (must be 0). */
  errors_found: number;
}

export async function runBuilderBench(minMs = 1500): Promise<BuilderBenchResult> {
  const load = await timeOnceAsync(() => createValidationService());
  const service = load.value;
  const service_load_s = Math.round(load.ms / 100) / 10;

  const firstRun = timeOnce(() => roadTrafficCollision({ validator: service }));
  const first = firstRun.value;
  const first_build_validate_s = Math.round(firstRun.ms / 100) / 10;
  const errors = first.outcome.issue.filter((i) => i.severity === 'error' || i.severity === 'fatal').length;

  // Interleaved rounds, best of each: the machine is shared, so the minimum is the least disturbed figure.
  const { build, buildValidate } = bestOf({ build: () => void roadTrafficCollision(), buildValidate: () => void roadTrafficCollision({ validator: service }) }, 3, minMs / 3);
  return {
    entries: first.bundle.entry?.length ?? 0,
    service_load_s,
    first_build_validate_s,
    bundles_per_s_build: Math.round(1000 / build),
    bundles_per_s_build_validate: Math.round(1000 / buildValidate),
    errors_found: errors,
  };
}

if (isMain(import.meta.url)) console.log(JSON.stringify(await runBuilderBench()));
