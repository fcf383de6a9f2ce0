export { DefaultLogger, Runtime, type LogEntry, type LogLevel, type Logger, type RuntimeOptions, type TelemetryOptions } from "./runtime.js";
