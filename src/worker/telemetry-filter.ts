/** `makeTelemetryFilterString`, as @temporalio/worker's, for `Runtime.install({ telemetryOptions: { logging: { filter } } })`. */
import type { LogLevel } from "../common/index.js";

export interface CoreLogFilterOptions {
  /** Level of core's own crates (sdk-core, its client, its common types). */
  core: LogLevel;
  /** Level of every other crate; default ERROR. */
  other?: LogLevel;
}

/**
 * An env-filter string giving core's crates the `core` level and all others `other` — the same
 * string as the official helper (this SDK runs the same sdk-core, so the crate names match).
 */
export function makeTelemetryFilterString(options: CoreLogFilterOptions): string {
  const { core, other } = options;
  return `${other ?? "ERROR"},temporalio_sdk_core=${core},temporalio_client=${core},temporalio_common=${core}`;
}
