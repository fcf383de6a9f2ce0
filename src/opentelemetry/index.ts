/**
 * `temporal-bun-sdk/opentelemetry`: OpenTelemetry tracing for clients, activities and
 * workflows, the counterpart of `@temporalio/interceptors-opentelemetry` 1.24 (same classes,
 * span names, attributes and trace header). Requires `@opentelemetry/api`,
 * `@opentelemetry/core`, `@opentelemetry/resources` and `@opentelemetry/sdk-trace-base`
 * (optional peer dependencies of this package).
 *
 * @module
 */
export * from "./workflow/index.js";
export * from "./worker.js";
export {
  OpenTelemetryWorkflowClientInterceptor,
  /** @deprecated Use OpenTelemetryWorkflowClientInterceptor instead */
  OpenTelemetryWorkflowClientInterceptor as OpenTelemetryWorkflowClientCallsInterceptor,
} from "./client.js";
