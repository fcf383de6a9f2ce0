/**
 * Finds, loads and version-checks libtemporal_bun_bridge (and the running Bun against
 * package.json's engines.bun), and declares every export's FFI signature. This file and its siblings in src/bridge/ are the only TypeScript that
 * imports bun:ffi.
 */
import { dlopen, FFIType, suffix } from "bun:ffi";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pkg from "../../package.json" with { type: "json" };
import { NativeBridgeError, NativeErrorCode, type NativeBridgeErrorDetails } from "./errors.js";
import { SUPPORTED_PLATFORMS, compareVersions, currentPlatformKey, minimumOfRange, platformPackageName, supportedPlatform, type SupportedPlatform } from "./platform.js";
import { bridgeDisabledError, useZigMode } from "./variant.js";

/** The ABI version this TypeScript was written against (bridge/src/root.zig `abi_version`). */
export const EXPECTED_ABI_VERSION = 3;

export const NATIVE_PATH_ENV = "TEMPORAL_BUN_SDK_NATIVE_PATH";
export const BUILD_COMMAND = "./dev build";

// Separate consts keep each enum member's literal type, which bun:ffi's typings need to
// infer argument and return types.
const ptr = FFIType.ptr;
const u32 = FFIType.u32;
const u64 = FFIType.u64;
const usize = FFIType.u64;
const i64_fast = FFIType.i64_fast;

const symbols = {
  temporal_bun_abi_version: { args: [], returns: u32 },
  temporal_bun_last_error: { args: [ptr], returns: i64_fast },
  temporal_bun_wake_fd: { args: [], returns: i64_fast },
  temporal_bun_drain: { args: [ptr, u32], returns: i64_fast },
  temporal_bun_logs_take: { args: [ptr], returns: i64_fast },

  temporal_bun_pending_poll: { args: [u64], returns: i64_fast },
  temporal_bun_pending_consume: { args: [u64, ptr], returns: i64_fast },
  temporal_bun_pending_cancel: { args: [u64], returns: i64_fast },
  temporal_bun_pending_free: { args: [u64], returns: i64_fast },
  temporal_bun_buffer_free: { args: [u64], returns: i64_fast },

  temporal_bun_runtime_new: { args: [ptr, usize], returns: i64_fast },
  temporal_bun_runtime_free: { args: [u64], returns: i64_fast },

  temporal_bun_client_connect: { args: [u64, ptr, usize], returns: i64_fast },
  temporal_bun_client_rpc_call: { args: [u64, u32, ptr, usize, ptr, usize, u32, u32, ptr, usize], returns: i64_fast },
  temporal_bun_client_update_metadata: { args: [u64, ptr, usize], returns: i64_fast },
  temporal_bun_client_update_api_key: { args: [u64, ptr, usize], returns: i64_fast },
  temporal_bun_client_free: { args: [u64], returns: i64_fast },

  temporal_bun_worker_new: { args: [u64, ptr, usize], returns: i64_fast },
  temporal_bun_worker_validate: { args: [u64], returns: i64_fast },
  temporal_bun_worker_poll_workflow_activation: { args: [u64], returns: i64_fast },
  temporal_bun_worker_poll_activity_task: { args: [u64], returns: i64_fast },
  temporal_bun_worker_complete_workflow_activation: { args: [u64, ptr, usize], returns: i64_fast },
  temporal_bun_worker_complete_activity_task: { args: [u64, ptr, usize], returns: i64_fast },
  temporal_bun_worker_record_activity_heartbeat: { args: [u64, ptr, usize], returns: i64_fast },
  temporal_bun_worker_request_workflow_eviction: { args: [u64, ptr, usize], returns: i64_fast },
  temporal_bun_worker_initiate_shutdown: { args: [u64], returns: i64_fast },
  temporal_bun_worker_finalize_shutdown: { args: [u64], returns: i64_fast },
  temporal_bun_worker_free: { args: [u64], returns: i64_fast },

  temporal_bun_replayer_new: { args: [u64, ptr, usize], returns: i64_fast },
  temporal_bun_replayer_worker: { args: [u64], returns: i64_fast },
  temporal_bun_replayer_push: { args: [u64, ptr, usize, ptr, usize], returns: i64_fast },
  temporal_bun_replayer_free: { args: [u64], returns: i64_fast },

  temporal_bun_metric_new: { args: [u64, u32, ptr, usize, ptr, usize, ptr, usize], returns: i64_fast },
  temporal_bun_metric_record: { args: [u64, FFIType.f64, ptr, usize], returns: i64_fast },
  temporal_bun_metric_free: { args: [u64], returns: i64_fast },

  temporal_bun_ephemeral_server_start_dev: { args: [u64, ptr, usize], returns: i64_fast },
  temporal_bun_ephemeral_server_target: { args: [u64, ptr], returns: i64_fast },
  temporal_bun_ephemeral_server_shutdown: { args: [u64], returns: i64_fast },
  temporal_bun_ephemeral_server_free: { args: [u64], returns: i64_fast },

  temporal_bun_debug_counters: { args: [ptr, u32], returns: i64_fast },
  temporal_bun_debug_pending_ready: { args: [u32], returns: i64_fast },
  temporal_bun_debug_pending_from_thread: { args: [u32], returns: i64_fast },
  temporal_bun_debug_core_panics: { args: [ptr], returns: i64_fast },
  temporal_bun_debug_now_ns: { args: [], returns: FFIType.u64_fast },
} as const;

function load(path: string) {
  return dlopen(path, symbols);
}

type RawSymbols = ReturnType<typeof load>["symbols"];
type Narrow<T> = T extends number | bigint ? number : T;

/**
 * The symbols with integer types narrowed to `number`: every id, count and code the
 * library returns is below 2^53 (handle ids are 48-bit), so `i64_fast` always yields a
 * Number, and we always pass Numbers.
 */
export type NativeSymbols = {
  [K in keyof RawSymbols]: RawSymbols[K] extends (...args: infer A) => infer R
    ? (...args: { [I in keyof A]: Narrow<A[I]> }) => Narrow<R>
    : never;
};

export interface NativeLibrary {
  readonly path: string;
  readonly abiVersion: number;
  readonly symbols: NativeSymbols;
}

const packageRoot = fileURLToPath(new URL("../../", import.meta.url));
const libraryFile = `libtemporal_bun_bridge.${suffix}`;

/** Where a candidate library comes from, in the order they are tried. */
export type LibrarySource = "env" | "platform-package" | "build-output";

export interface LibraryCandidate {
  source: LibrarySource;
  path: string;
}

/** One place looked at and why it gave no library. */
export interface LibraryTried {
  path: string;
  error: string;
  source?: LibrarySource;
}

export interface LocateOptions {
  env?: Record<string, string | undefined>;
  /** The SDK's package root (default: two folders above this file). */
  packageRoot?: string;
  /** Resolves `<name>/package.json` to a path, or throws when not installed (default: Node resolution from this file). */
  resolvePackageJson?: (specifier: string) => string;
}

export interface LibraryLocation {
  candidates: LibraryCandidate[];
  /** Places that were ruled out before loading anything (a platform package not installed). */
  ruledOut: LibraryTried[];
  platformKey: string;
  /** The supported platform this process runs on, or undefined on a platform with no prebuilt library. */
  platform: SupportedPlatform | undefined;
}

const requireHere = createRequire(import.meta.url);

/**
 * The places to load the library from, in order: TEMPORAL_BUN_SDK_NATIVE_PATH; the platform
 * package (`temporal-bun-sdk-<os>-<cpu>[-<libc>]`, an optional dependency of the published
 * package, resolved from this package as a user's install lays it out); the repository's
 * build output (zig-out/lib), only in a checkout (where build.zig is).
 */
export function locateLibrary(options: LocateOptions = {}): LibraryLocation {
  const env = options.env ?? process.env;
  const root = options.packageRoot ?? packageRoot;
  const resolve = options.resolvePackageJson ?? ((s: string) => requireHere.resolve(s));
  const candidates: LibraryCandidate[] = [];
  const ruledOut: LibraryTried[] = [];
  const explicit = env[NATIVE_PATH_ENV];
  if (explicit) candidates.push({ source: "env", path: path.resolve(explicit) });
  const platformKey = currentPlatformKey(env);
  const platform = supportedPlatform(env);
  if (platform) {
    const name = platformPackageName(platform);
    try {
      candidates.push({ source: "platform-package", path: path.join(path.dirname(resolve(`${name}/package.json`)), libraryFile) });
    } catch {
      ruledOut.push({ source: "platform-package", path: name, error: `package not installed (bun add ${name})` });
    }
  }
  if (existsSync(path.join(root, "build.zig"))) candidates.push({ source: "build-output", path: path.join(root, "zig-out", "lib", libraryFile) });
  return { candidates, ruledOut, platformKey, platform };
}

/** Where the library is looked for, in order (the paths of {@link locateLibrary}'s candidates). */
export function candidatePaths(env: Record<string, string | undefined> = process.env): string[] {
  return locateLibrary({ env }).candidates.map((c) => c.path);
}

/** The platform has no prebuilt library and nothing else loaded. */
export class UnsupportedPlatformError extends NativeBridgeError {
  override readonly name = "UnsupportedPlatformError";
  constructor(
    readonly platform: string,
    message: string,
    details: NativeBridgeErrorDetails,
  ) {
    super(NativeErrorCode.library_unavailable, message, details);
  }
}

/** The running Bun is older than package.json's engines.bun. */
export class UnsupportedBunVersionError extends NativeBridgeError {
  override readonly name = "UnsupportedBunVersionError";
  constructor(
    readonly bunVersion: string,
    readonly minimumBunVersion: string,
  ) {
    super(
      NativeErrorCode.library_unavailable,
      `temporal-bun-sdk needs Bun ${minimumBunVersion} or newer (package.json engines.bun "${pkg.engines.bun}"), but this is Bun ${bunVersion}: ` +
        `upgrade Bun (bun upgrade) and run again`,
      { bunVersion, minimumBunVersion },
    );
  }
}

/** Throws {@link UnsupportedBunVersionError} when `running` is below the minimum of `range` (package.json engines.bun). */
export function checkBunVersion(running: string = Bun.version, range: string = pkg.engines.bun): void {
  const minimum = minimumOfRange(range);
  if (compareVersions(running, minimum) < 0) throw new UnsupportedBunVersionError(running, minimum);
}

let loaded: NativeLibrary | undefined;

export interface LoadOptions {
  /** Exact paths to try instead of the usual places (no environment, no platform package). */
  paths?: string[];
  /** What needs the library, for the error when TEMPORAL_BUN_SDK_USE_ZIG disables it. */
  what?: string;
  /** Another environment / package root / package resolution than this process's (tests). */
  locate?: LocateOptions;
  /** The Bun version to check instead of the running one (tests). */
  bunVersion?: string;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function abiMismatch(file: string, abiVersion: number, tried: LibraryTried[], fix: string): NativeBridgeError {
  return new NativeBridgeError(
    NativeErrorCode.library_unavailable,
    `native bridge at ${file} has ABI version ${abiVersion}, but this SDK expects ${EXPECTED_ABI_VERSION}; ${fix}`,
    { pathsTried: [...tried, { path: file, error: `ABI ${abiVersion} != ${EXPECTED_ABI_VERSION}` }], abiVersion, expectedAbiVersion: EXPECTED_ABI_VERSION },
  );
}

/**
 * Loads the native library once per process. Throws {@link NativeBridgeError} (code
 * `library_unavailable`) naming every place tried and what to install or build;
 * {@link UnsupportedPlatformError} when this platform has no prebuilt library and nothing
 * else loaded; {@link UnsupportedBunVersionError} below package.json's engines.bun; code
 * `bridge_disabled` when TEMPORAL_BUN_SDK_USE_ZIG turns the bridge off.
 *
 * An explicit TEMPORAL_BUN_SDK_NATIVE_PATH that does not load is an error naming it and the
 * loader's reason: it is never skipped for another library, which would run code the user
 * did not choose.
 */
export function loadNativeLibrary(options: LoadOptions = {}): NativeLibrary {
  // Any option but `what` is a look at another library or situation (tests, diagnosis): not cached.
  const custom = options.paths !== undefined || options.locate !== undefined || options.bunVersion !== undefined;
  if (loaded && !custom) return loaded;
  const env = options.locate?.env ?? process.env;
  const mode = useZigMode(env);
  if (mode === "off") throw bridgeDisabledError(options.what ?? "Loading the native bridge");
  checkBunVersion(options.bunVersion ?? Bun.version);
  const location: LibraryLocation | undefined = options.paths ? undefined : locateLibrary(options.locate);
  const candidates: Array<{ source?: LibrarySource; path: string }> = options.paths ? options.paths.map((p) => ({ path: p })) : location!.candidates;
  const tried: LibraryTried[] = [];
  for (const { source, path: file } of candidates) {
    let lib: ReturnType<typeof load> | undefined;
    let failure: string | undefined;
    if (!existsSync(file)) failure = "file does not exist";
    else {
      try {
        lib = load(file);
      } catch (err) {
        failure = errorText(err);
      }
    }
    if (!lib) {
      if (source === "env") {
        throw new NativeBridgeError(
          NativeErrorCode.library_unavailable,
          `${NATIVE_PATH_ENV}=${env[NATIVE_PATH_ENV]} could not be loaded: ${failure}. ` +
            `It is not skipped for another library: point it at a libtemporal_bun_bridge (zig-out/lib/${libraryFile} after \`${BUILD_COMMAND}\`), or unset it to use the installed platform package.`,
          { pathsTried: [{ path: file, error: failure ?? "not loaded" }], expectedAbiVersion: EXPECTED_ABI_VERSION },
        );
      }
      tried.push({ ...(source ? { source } : {}), path: file, error: failure ?? "not loaded" });
      continue;
    }
    const abiVersion = lib.symbols.temporal_bun_abi_version();
    if (abiVersion !== EXPECTED_ABI_VERSION) {
      lib.close();
      // A platform package of another version than this one (a partial upgrade), or a stale build.
      const fix =
        source === "platform-package" && location?.platform
          ? `install the platform package of this SDK's version (bun add ${platformPackageName(location.platform)}@${pkg.version})`
          : `rebuild it with \`${BUILD_COMMAND}\` (or point ${NATIVE_PATH_ENV} at a matching build)`;
      throw abiMismatch(file, abiVersion, tried, fix);
    }
    const result: NativeLibrary = { path: file, abiVersion, symbols: lib.symbols as unknown as NativeSymbols };
    if (!custom) loaded = result;
    return result;
  }
  const all = location ? [...tried, ...location.ruledOut].sort((a, b) => SOURCE_ORDER[a.source ?? "env"] - SOURCE_ORDER[b.source ?? "env"]) : tried;
  const list = all.map((t) => `  - ${t.source ? `${SOURCE_LABEL[t.source]} ` : ""}${t.path}: ${t.error}`).join("\n");
  const required = mode === "on" ? `, required by TEMPORAL_BUN_SDK_USE_ZIG=${env.TEMPORAL_BUN_SDK_USE_ZIG}` : "";
  const fromSource = `build from source: in a clone of the repository run \`${BUILD_COMMAND}\` and set ${NATIVE_PATH_ENV} to its zig-out/lib/${libraryFile}`;
  if (location && !location.platform) {
    const supported = SUPPORTED_PLATFORMS.map((p) => p.key).join(", ");
    throw new UnsupportedPlatformError(
      location.platformKey,
      `no prebuilt library for ${location.platformKey}${required}; supported: ${supported}; ${fromSource} (docs/platforms.md says what other platforms need).` +
        (all.length > 0 ? ` Places tried:\n${list}` : ""),
      { pathsTried: all, platform: location.platformKey, supportedPlatforms: SUPPORTED_PLATFORMS.map((p) => p.key), expectedAbiVersion: EXPECTED_ABI_VERSION },
    );
  }
  const install = location?.platform ? `Install the prebuilt library with \`bun add ${platformPackageName(location.platform)}\` (\`bun add temporal-bun-sdk\` brings it unless optional dependencies are skipped), or ` : "Either ";
  throw new NativeBridgeError(
    NativeErrorCode.library_unavailable,
    `could not load the native bridge (libtemporal_bun_bridge, ABI ${EXPECTED_ABI_VERSION}${required}). Places tried:\n${list || "  (none)"}\n` +
      `${install}${fromSource}.`,
    { pathsTried: all, platform: location?.platformKey, expectedAbiVersion: EXPECTED_ABI_VERSION },
  );
}

const SOURCE_ORDER: Record<LibrarySource, number> = { env: 0, "platform-package": 1, "build-output": 2 };
const SOURCE_LABEL: Record<LibrarySource, string> = {
  env: `${NATIVE_PATH_ENV}`,
  "platform-package": "platform package",
  "build-output": "repository build output",
};

/** The loaded library if it was loaded already, without trying to load it. */
export function loadedNativeLibrary(): NativeLibrary | undefined {
  return loaded;
}
