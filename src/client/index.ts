/** temporal-bun-sdk/client: the Temporal client, shaped like @temporalio/client. */
export * from "./errors.js";
export * from "./connection.js";
export * from "./client.js";
export * from "./converter.js";
export * from "./workflow-client.js";
export * from "./async-completion-client.js";
export * from "./search-attributes.js";
/** What `handle.fetchHistory()` returns (raw: payloads still codec-encoded) and its schema, for `decodePayloadsInMessage(codecs, HistorySchema, history)`. */
export { HistorySchema, type History } from "../proto/temporal/api/history/v1/message_pb.js";
// What users meet through the client, from src/common (as @temporalio/client re-exports
// @temporalio/common): the same classes, so `err.cause instanceof ApplicationFailure` holds
// whichever of `temporal-bun-sdk/client` or `/common` the class was imported from.
export {
  ActivityFailure,
  ApplicationFailure,
  ApplicationFailureCategory,
  CancelledFailure,
  ChildWorkflowFailure,
  CompleteAsyncError,
  DefaultFailureConverter,
  DefaultPayloadConverterWithProtobufs,
  PayloadConverterError,
  RetryState,
  ServerFailure,
  TemporalFailure,
  TerminatedFailure,
  TimeoutFailure,
  TimeoutType,
  ValueError,
  decodePayloadsInMessage,
  defaultPayloadConverter,
  encodePayloadsInMessage,
  visitPayloads,
  decodeActivityExecutionStatus,
  decodeActivityIdConflictPolicy,
  decodeActivityIdReusePolicy,
  decodeNexusOperationCancellationState,
  decodeNexusOperationExecutionStatus,
  decodeNexusOperationIdConflictPolicy,
  decodeNexusOperationIdReusePolicy,
  decodePendingActivityState,
  decodePendingNexusOperationState,
  decodeQueryRejectCondition,
  decodeScheduleOverlapPolicy,
  decodeTaskReachability,
  decodeWorkflowIdConflictPolicy,
  decodeWorkflowIdReusePolicy,
  encodeActivityExecutionStatus,
  encodeActivityIdConflictPolicy,
  encodeActivityIdReusePolicy,
  encodeNexusOperationCancellationState,
  encodeNexusOperationExecutionStatus,
  encodeNexusOperationIdConflictPolicy,
  encodeNexusOperationIdReusePolicy,
  encodePendingActivityState,
  encodePendingNexusOperationState,
  encodeQueryRejectCondition,
  encodeScheduleOverlapPolicy,
  encodeTaskReachability,
  encodeWorkflowIdConflictPolicy,
  encodeWorkflowIdReusePolicy,
  type Duration,
  type FailureConverter,
  type Payload,
  type PayloadCodec,
  type PayloadConverter,
  type ProtoFailure,
} from "../common/index.js";
