/**
 * Local stand-ins for the national services (token endpoint, ADS API, MESH, UEC CQI), `startStandIns` (also
 * `startSandbox`) that starts them together (they are not the NHS sandbox), and the QA page server: for tests, demos and offline development. They listen on loopback
 * unless told otherwise. Never point production traffic at them.
 *
 * The whole of `src/server`'s index: a name added there shows up in `api/testing.api.md`.
 * @module ads-fhir/testing
 */
export * from '../server/index.js';
