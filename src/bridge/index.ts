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
  checkBunVersion,
  loadNativeLibrary,
  loadedNativeLibrary,
  locateLibrary,
  UnsupportedBunVersionError,
  UnsupportedPlatformError,
  type LibraryCandidate,
  type LibraryLocation,
  type LibrarySource,
  type LibraryTried,
  type LoadOptions,
  type LocateOptions,
  type NativeLibrary,
} from "./library.js";
export {
  PLATFORM_ENV,
  SUPPORTED_PLATFORMS,
  InvalidPlatformOverrideError,
  compareVersions,
  currentPlatformKey,
  minimumOfRange,
  platformPackageName,
  supportedPlatform,
  type SupportedPlatform,
} from "./platform.js";
export { NativeRuntime, type NativeRuntimeOptions, type CoreLogRecord, type CoreLogLevel } from "./runtime.js";
export { NativeClient, RpcService, type NativeClientOptions, type RpcCallOptions, type RpcServiceName } from "./client.js";
export { NativeWorker, NativeReplayer, type NativeWorkerOptions, type PollResult } from "./worker.js";
export { NativeMetric, MetricKindCode, MAX_METRIC_TAGS, type MetricKindCodeName, type NativeTagValue } from "./metrics.js";
export { NativeEphemeralServer, type NativeDevServerOptions } from "./ephemeral-server.js";
export { bridgeCounters, debugCompleteFromThread, debugNowNs, debugRoundTrip, drainNow, type BridgeCounters } from "./debug.js";
