/**
 * The values of `TEMPORAL_BUN_SDK_USE_ZIG`, in one place for the bridge (src/bridge/variant.ts)
 * and the config loader (src/common/config.ts). Pure: no imports.
 */
export type UseZigMode = "auto" | "on" | "off";

export const USE_ZIG_ENV = "TEMPORAL_BUN_SDK_USE_ZIG";

const modes: Record<string, UseZigMode> = {
  "": "auto",
  auto: "auto",
  "1": "on",
  true: "on",
  on: "on",
  "0": "off",
  false: "off",
  off: "off",
};

export const USE_ZIG_ACCEPTED_VALUES = "unset, '' or 'auto' (auto); '1', 'true' or 'on' (required); '0', 'false' or 'off' (disabled); any case";

/** The mode a value selects (case-insensitive, surrounding spaces ignored), or undefined if it is not accepted. */
export function useZigModeOf(value: string): UseZigMode | undefined {
  const key = value.trim().toLowerCase();
  return Object.hasOwn(modes, key) ? modes[key] : undefined;
}
