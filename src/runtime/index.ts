export { DefaultLogger, IllegalRuntimeStateError, Runtime, type LogLevel, type Logger, type RuntimeOptions, type TelemetryOptions } from "./runtime.js";
