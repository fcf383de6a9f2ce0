/** temporal-bun-sdk/client: the Temporal client, shaped like @temporalio/client. */
export * from "./errors.js";
export * from "./duration.js";
export * from "./connection.js";
export * from "./client.js";
export * from "./converter.js";
export * from "./workflow-client.js";
export * from "./async-completion-client.js";
export * from "./search-attributes.js";
export { encodePayloadsInMessage, decodePayloadsInMessage } from "./payload-visitor.js";
// Failure classes and converter interfaces users meet through the client (as @temporalio/client re-exports them).
export {
  ApplicationFailure,
  ActivityFailure,
  CancelledFailure,
  ChildWorkflowFailure,
  DefaultFailureConverter,
  ServerFailure,
  TemporalFailure,
  TerminatedFailure,
  TimeoutFailure,
  defaultPayloadConverter,
  type FailureConverter,
  type PayloadCodec,
  type PayloadConverter,
} from "./common.js";
