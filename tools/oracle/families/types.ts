/** What a mutation family is given and what it must do. */
import type { Rng } from '../prng.js';
import type { Definitions, JsonObject, Walk } from '../sites.js';

export interface MutationContext {
  /** A private copy of the seed: the family changes it in place. */
  resource: JsonObject;
  rng: Rng;
  defs: Definitions;
  /** The typed walk of `resource` as it was before the change. */
  walk: Walk;
}

export interface Family {
  /** Stable name, used in reports, case folders and the expectations file. */
  name: string;
  /** One line for docs/oracle.md. */
  summary: string;
  /** Changes the resource and says what it did, or returns undefined when nothing applies to this seed. */
  apply(ctx: MutationContext): string | undefined;
}
