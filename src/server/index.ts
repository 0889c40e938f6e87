/**
 * Local stand-ins for the national services and the QA page server, for tests, the demo and offline
 * development. They listen on loopback unless told otherwise.
 * @packageDocumentation
 */
export * from './mesh-server.js';
export {
  startCqiStandIn,
  type CqiStandIn,
  type CqiStandInOptions,
  type StandInAnswer as CqiStandInAnswer,
  type ReceivedSubmission as CqiReceivedSubmission,
} from './cqi-server.js';
export { startQaServer, type QaServer, type QaServerOptions, type QaValidationService } from './qa-server.js';
