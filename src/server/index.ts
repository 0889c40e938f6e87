/**
 * Local stand-ins for the national services and the QA page server, for tests, the demo and offline
 * development. They listen on loopback unless told otherwise.
 * @packageDocumentation
 */
export {
  type AdsServerOptions,
  type BundleVerdict,
  type InjectedAnswer,
  type ReceivedInfo,
  type RunningAdsServer,
  startAdsServer,
} from './ads-server.js';
export { AdsStore, type ReceivedStats, type ReceivedSubmission } from './ads-store.js';
export { type RunningSandbox, type SandboxMesh, type SandboxMeshOptions, type SandboxOptions, startSandbox } from './sandbox.js';
/** The same, by the name the CLI uses (`ads-fhir stand-ins`): local stand-ins, not the NHS sandbox. */
export { type RunningSandbox as RunningStandIns, type SandboxOptions as StandInsOptions, startSandbox as startStandIns } from './sandbox.js';
export { AdsNotifier, type AdsNotifierOptions, verdictOf } from './ads-notifier.js';
export { type IssuedToken, TokenRegistry } from './token-registry.js';
export { type RegisteredApp, type RunningTokenServer, startTokenServer, type TokenServerOptions } from './token-server.js';
export * from './mesh-server.js';
export {
  startCqiStandIn,
  type CqiStandIn,
  type CqiStandInOptions,
  type StandInAnswer as CqiStandInAnswer,
  type ReceivedSubmission as CqiReceivedSubmission,
} from './cqi-server.js';
export { startQaServer, type QaServer, type QaServerOptions, type QaValidationService } from './qa-server.js';
