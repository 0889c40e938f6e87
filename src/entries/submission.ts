/**
 * Submission to the Ambulance Data Submission API: NHS API Platform signed-JWT auth, the client, the durable
 * outbox that delivers bundles at least once, and reconciliation of the processing service's notifications.
 * See docs/submission.md and docs/reconciliation.md.
 *
 * The whole of `src/submission`'s index: a name added there shows up in `api/submission.api.md`.
 * @module ads-fhir/submission
 */
export * from '../submission/index.js';
