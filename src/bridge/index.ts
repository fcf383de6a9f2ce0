/**
 * The native bridge, as the rest of the SDK sees it: Promises, typed errors and objects
 * with `free()`. Nothing outside src/bridge/ imports bun:ffi.
 */
export { NativeBridgeError, NativeErrorCode, type NativeBridgeErrorDetails, type NativeErrorCodeName } from "./errors.js";
export {
  USE_ZIG_ENV,
  USE_ZIG_ACCEPTED_VALUES,
  InvalidUseZigValueError,
  bridgeDisabledError,
  bridgeVariant,
  isZigBridgeEnabled,
  parseUseZig,
  useZigMode,
  type UseZigMode,
} from "./variant.js";
export {
  BUILD_COMMAND,
  EXPECTED_ABI_VERSION,
  NATIVE_PATH_ENV,
  candidatePaths,
  loadNativeLibrary,
  loadedNativeLibrary,
  type NativeLibrary,
} from "./library.js";
export { NativeRuntime, type NativeRuntimeOptions, type CoreLogRecord, type CoreLogLevel } from "./runtime.js";
export { NativeClient, RpcService, type NativeClientOptions, type RpcCallOptions, type RpcServiceName } from "./client.js";
export { NativeWorker, NativeReplayer, type NativeWorkerOptions, type PollResult } from "./worker.js";
export { NativeMetric, MetricKindCode, MAX_METRIC_TAGS, type MetricKindCodeName, type NativeTagValue } from "./metrics.js";
export { NativeEphemeralServer, type NativeDevServerOptions } from "./ephemeral-server.js";
export { bridgeCounters, debugCompleteFromThread, debugNowNs, debugRoundTrip, drainNow, type BridgeCounters } from "./debug.js";
