/**
 * `TEMPORAL_BUN_SDK_USE_ZIG`: the switch for the native Zig bridge.
 *
 * - unset, empty or `auto`: use the bridge when it loads; if it cannot, the error says how to build it.
 * - `1`, `true`, `on`: require it; load errors list every path tried and the ABI versions.
 * - `0`, `false`, `off`: disabled; anything that needs the bridge rejects with an error naming the flag.
 */
import { NativeBridgeError, NativeErrorCode } from "./errors.js";
import { USE_ZIG_ACCEPTED_VALUES, USE_ZIG_ENV, useZigModeOf, type UseZigMode } from "../common/use-zig.js";

export { USE_ZIG_ACCEPTED_VALUES, USE_ZIG_ENV, type UseZigMode };

export class InvalidUseZigValueError extends TypeError {
  override readonly name = "InvalidUseZigValueError";
  constructor(readonly value: string) {
    super(`${USE_ZIG_ENV}='${value}' is not valid; accepted values: ${USE_ZIG_ACCEPTED_VALUES}`);
  }
}

/** Parses a value of TEMPORAL_BUN_SDK_USE_ZIG (case-insensitive, surrounding spaces ignored). */
export function parseUseZig(value: string | undefined): UseZigMode {
  if (value === undefined) return "auto";
  const mode = useZigModeOf(value);
  if (mode === undefined) throw new InvalidUseZigValueError(value);
  return mode;
}

/** The mode in effect for this process, read from the environment at call time. */
export function useZigMode(env: Record<string, string | undefined> = process.env): UseZigMode {
  return parseUseZig(env[USE_ZIG_ENV]);
}

/** Whether the native bridge is allowed by the flag (it may still fail to load in auto mode). */
export function isZigBridgeEnabled(env: Record<string, string | undefined> = process.env): boolean {
  return useZigMode(env) !== "off";
}

/**
 * Which bridge this process uses: `"zig"` when the flag allows the native bridge, `"disabled"`
 * when the flag turns it off. There is no other implementation: with the bridge disabled,
 * connecting and creating workers fail with {@link bridgeDisabledError}.
 */
export function bridgeVariant(env: Record<string, string | undefined> = process.env): "zig" | "disabled" {
  return isZigBridgeEnabled(env) ? "zig" : "disabled";
}

export function bridgeDisabledError(what: string): NativeBridgeError {
  return new NativeBridgeError(
    NativeErrorCode.bridge_disabled,
    `${what} needs the native Zig bridge, but ${USE_ZIG_ENV}=${process.env[USE_ZIG_ENV]} disables it. ` +
      `Unset ${USE_ZIG_ENV} (or set it to 1) to use the bridge; this SDK has no other transport to Temporal.`,
  );
}
