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
