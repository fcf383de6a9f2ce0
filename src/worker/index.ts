/**
 * `temporal-bun-sdk/worker`: run workflows and activities (names follow @temporalio/worker).
 *
 *   const connection = await NativeConnection.connect({ address: "localhost:7233" });
 *   const worker = await Worker.create({ connection, taskQueue: "hello",
 *     workflowsPath: require.resolve("./workflows"), activities });
 *   await worker.run();   // until SIGINT/SIGTERM or worker.shutdown()
 */
export { Worker, type State, type WorkerStatus } from "./worker.js";
export {
  ReplayError,
  historyFromJSON,
  type HistoryAndWorkflowId,
  type ReplayHistoriesIterable,
  type ReplayResult,
  type ReplayWorkerOptions,
} from "./replay.js";
export { DeterminismViolationError } from "../workflow/errors.js";
export { NativeConnection, type NativeConnectionOptions } from "./connection.js";
export type { TLSConfig } from "../client/connection.js";
// What NativeConnection.connect rejects with when no connection can be made (the official name, from core-bridge).
export { TransportError } from "../client/errors.js";
export {
  defaultCacheSize,
  defaultPollers,
  defaultWorkflowSlots,
  type Duration,
  type WorkerConnection,
  type WorkerOptions,
} from "./options.js";
export {
  GracefulShutdownPeriodExpiredError,
  IllegalStateError,
  NamespaceNotFoundError,
  UnexpectedError,
  WorkerOptionsError,
  WorkerValidationError,
} from "./errors.js";
export type {
  ActivityExecuteInput,
  ActivityInboundCallsInterceptor,
  ActivityInboundCallsInterceptorFactory,
  ActivityInterceptors,
  ActivityInterceptorsFactory,
  ActivityOutboundCallsInterceptor,
  CompiledWorkerInterceptors,
  GetLogAttributesInput,
  GetMetricTagsInput,
  Next,
  WorkerInterceptors,
} from "./interceptors.js";
// Deprecated in 1.24, kept as official for code written for older releases.
export { ActivityInboundLogInterceptor, appendDefaultInterceptors } from "./activity-log-interceptor.js";
export type { InjectedSink, InjectedSinkFunction, InjectedSinks } from "./sinks.js";
// The attributes the worker puts on activity log lines, as the official helper.
export { activityLogAttributes } from "./activity.js";
export {
  bundleWorkflowCode,
  WorkflowBundleError,
  WorkflowDeadlockError,
  type BundleOptions,
  type WorkflowBundle,
  type WorkflowBundleOption,
  type WorkflowBundlePath,
  type WorkflowBundlePathWithSourceMap,
  type WorkflowBundleWithSourceMap,
} from "./workflow/index.js";
export { DefaultLogger, Runtime, type LogEntry, type LogLevel, type Logger, type RuntimeOptions, type TelemetryOptions } from "../runtime/index.js";
export { CompleteAsyncError } from "../activity/index.js";
// As @temporalio/worker re-exports them from @temporalio/common and the protos.
export { defaultPayloadConverter, type DataConverter, type Headers, type LogMetadata } from "../common/index.js";
export type { History } from "../proto/temporal/api/history/v1/message_pb.js";
export { makeTelemetryFilterString, type CoreLogFilterOptions } from "./telemetry-filter.js";
