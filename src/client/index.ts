/** temporal-bun-sdk/client: the Temporal client, shaped like @temporalio/client. */
export * from "./errors.js";
export * from "./duration.js";
export * from "./connection.js";
