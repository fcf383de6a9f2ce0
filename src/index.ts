/**
 * `temporal-bun-sdk`: the client (as `@temporalio/client` exports it). Workers, workflow
 * code, activities, data conversion and testing have their own subpaths:
 * `temporal-bun-sdk/worker`, `/workflow`, `/activity`, `/common`, `/testing`.
 */
export * from "./client/index.js";
