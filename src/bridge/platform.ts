/**
 * Which prebuilt native library fits this process: the platform key (`<os>-<cpu>[-<libc>]`,
 * the convention of esbuild and @temporalio/core-bridge's packages), the package that carries
 * it, and the Bun version check. No bun:ffi here: tools/pack.ts uses it too.
 */

/** Test and diagnosis override of the detected platform, e.g. `freebsd-arm64` or `linux-x64-musl`. */
export const PLATFORM_ENV = "TEMPORAL_BUN_SDK_PLATFORM";

export interface SupportedPlatform {
  /** `linux-x64-gnu`: the suffix of the platform package's name. */
  readonly key: string;
  /** Values of package.json `os`, `cpu` and `libc` (npm's and Bun's names). */
  readonly os: string;
  readonly cpu: string;
  readonly libc?: "glibc" | "musl";
  readonly description: string;
}

/** Platforms with a prebuilt library package (docs/platforms.md says what the others need). */
export const SUPPORTED_PLATFORMS: readonly SupportedPlatform[] = [
  { key: "linux-x64-gnu", os: "linux", cpu: "x64", libc: "glibc", description: "Linux x86_64 with glibc" },
];

export function platformPackageName(platform: SupportedPlatform | string): string {
  return `temporal-bun-sdk-${typeof platform === "string" ? platform : platform.key}`;
}

export class InvalidPlatformOverrideError extends TypeError {
  override readonly name = "InvalidPlatformOverrideError";
  constructor(readonly value: string) {
    super(`${PLATFORM_ENV}='${value}' is not a platform key: expected <os>-<cpu>[-<libc>], e.g. linux-x64-gnu or freebsd-arm64`);
  }
}

/**
 * The libc of this Linux process: Bun's process report names the glibc it runs on
 * (`header.glibcVersionRuntime`, as in Node); a Bun built for musl has none.
 */
function linuxLibc(): "gnu" | "musl" {
  try {
    const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
    return header?.glibcVersionRuntime ? "gnu" : "musl";
  } catch {
    return "gnu";
  }
}

/** This process's platform key, or the override in TEMPORAL_BUN_SDK_PLATFORM. */
export function currentPlatformKey(env: Record<string, string | undefined> = process.env): string {
  const override = env[PLATFORM_ENV];
  if (override !== undefined && override !== "") {
    const key = override.trim().toLowerCase();
    if (!/^[a-z0-9_]+-[a-z0-9_]+(-[a-z0-9_]+)?$/.test(key)) throw new InvalidPlatformOverrideError(override);
    return key;
  }
  const base = `${process.platform}-${process.arch}`;
  return process.platform === "linux" ? `${base}-${linuxLibc()}` : base;
}

/** The supported platform this process runs on (or the override names), if any. */
export function supportedPlatform(env: Record<string, string | undefined> = process.env): SupportedPlatform | undefined {
  const key = currentPlatformKey(env);
  return SUPPORTED_PLATFORMS.find((p) => p.key === key);
}

/** Compares dotted numeric versions (`1.4.4`, `1.10.0-canary.3` → its numeric part): -1, 0 or 1. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.trim().replace(/^v/, "").split(/[-+]/)[0]!.split(".").map((p) => Number.parseInt(p, 10) || 0);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/**
 * The minimum version in an `engines.bun` range. Only the forms this package uses are
 * understood (`>=x.y.z`, `^x.y.z`, `~x.y.z`, `x.y.z`); anything else is a TypeError, so a
 * change of package.json cannot silently disable the check.
 */
export function minimumOfRange(range: string): string {
  const m = /^\s*(>=|\^|~)?\s*v?(\d+(?:\.\d+){0,2})\s*$/.exec(range);
  if (!m) throw new TypeError(`engines.bun '${range}' is not a range the Bun version check understands (>=x.y.z, ^x.y.z, ~x.y.z or x.y.z)`);
  return m[2]!;
}
