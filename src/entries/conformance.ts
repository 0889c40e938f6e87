/**
 * The conformance runner: scores the validator against the HL7 validator test suite (R4 subset), case by case,
 * as `npm run conformance` does.
 *
 * The whole of `src/validation/conformance`'s index: a name added there shows up in `api/conformance.api.md`.
 * @module ads-fhir/conformance
 */
export * from '../validation/conformance/index.js';
