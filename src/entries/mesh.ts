/**
 * MESH (Message Exchange for Social Care and Health): the mailbox client (`NHSMESH` auth, paged inbox,
 * chunked/gzip download and send, tracking, bounded retries, mutual TLS) and polling of the processing
 * service's error notifications. See docs/mesh.md and docs/mesh-notifications.md.
 *
 * Listed by name: the wire helpers (auth header hashing, chunk ranges, checksums, retry timing) stay internal.
 * @module ads-fhir/mesh
 */
export {
  MeshClient, DEFAULT_CHUNK_SIZE,
  type MeshClientOptions, type MeshApiVersion, type MeshInboxOptions, type MeshInboxPage, type MeshSendOptions,
  type MeshSendResult, type MeshTrackingInfo, type MeshMessage, type MeshMessageMetadata, type MeshRetryOptions,
  // The shape of a replacement HTTP layer (the default is the shared transport of ads-fhir/submission).
  type MeshTransport, type MeshRequest, type MeshResponse, type MeshTlsOptions, type MeshTransportLimits,
  // Errors, one class per failure a caller may handle differently.
  MeshError, MeshAuthError, MeshConfigError, MeshGoneError, MeshHttpError, MeshIntegrityError, MeshInvalidRequestError,
  MeshMissingChunkError, MeshNetworkError, MeshNotFoundError, MeshProtocolError, MeshRedirectError, MeshResponseTooLargeError,
  MeshRetryExhaustedError,
  type MeshErrorDetail,
  // Error notifications from the processing service.
  pollNotifications, drainNotifications, DefaultNotificationParser, encodeDefaultNotification, defaultNotificationHeaders,
  DEFAULT_NOTIFICATION_FORMAT, DEFAULT_NOTIFICATION_WORKFLOW_ID,
  type NotificationParser, type ParsedNotification, type NotificationIssue, type NotificationPollOptions,
  type NotificationDrainSummary, type MeshPolledItem, type SubmissionRef, type DefaultNotificationInput,
  formatPolledItemSummary, summarisePolledItem, type PolledItemSummary,
  // Configuration from a file and the environment.
  loadMeshConfig, MESH_ENV, type LoadedMeshConfig, type MeshConfigFile, type MeshConfigOverrides,
} from '../mesh/index.js';
