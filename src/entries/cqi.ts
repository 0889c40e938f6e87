/**
 * Real-time submission of NHS Pathways triage records (UEC CQI / IDT) over mutual TLS, with a durable in-order
 * outbox. See docs/cqi.md.
 *
 * The whole of `src/cqi`'s index: a name added there shows up in `api/cqi.api.md`.
 * @module ads-fhir/cqi
 */
export * from '../cqi/index.js';
