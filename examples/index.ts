import type { BuildResult, BuildValidation } from '../src/builder/index.js';
import { cardiacArrestExample } from './cardiac-arrest.js';
import { conveyedToEd } from './conveyed-to-ed.js';
import { foundDeceased } from './found-deceased.js';
import { roadTrafficCollision } from './road-traffic-collision.js';
import { stopCodeNoResponse } from './stop-code-no-response.js';
import { transferredFrom111 } from './transferred-from-111.js';

/**
 * The example incidents, by the name of their JSON file in examples/bundles. Each builds its bundle, validated
 * by the builder checks and by the validator given, if any (e.g. `{ validator: await createValidationService() }`).
 */
export const EXAMPLES: Readonly<Record<string, (validation?: BuildValidation) => BuildResult>> = {
  'conveyed-to-ed': conveyedToEd,
  'road-traffic-collision': roadTrafficCollision,
  'stop-code-no-response': stopCodeNoResponse,
  'transferred-from-111': transferredFrom111,
  'cardiac-arrest': cardiacArrestExample,
  'found-deceased': foundDeceased,
};
