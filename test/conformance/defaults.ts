import type { RunnerOptions } from '../../src/validation/conformance/index.js';

/**
 * The plug-ins the conformance run uses. Each one is picked up when its module has landed:
 * the XML parser from src/format, the package store from src/packages, terminology and FHIRPath.
 */
export async function conformanceDefaults(): Promise<Pick<RunnerOptions, 'xmlParser' | 'createResolver' | 'terminology' | 'invariants'>> {
  return {};
}
