/**
 * Finds, loads and version-checks libtemporal_bun_bridge, and declares every export's
 * FFI signature. This file and its siblings in src/bridge/ are the only TypeScript that
 * imports bun:ffi.
 */
import { dlopen, FFIType, suffix } from "bun:ffi";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { NativeBridgeError, NativeErrorCode } from "./errors.js";
import { bridgeDisabledError, useZigMode } from "./variant.js";

/** The ABI version this TypeScript was written against (bridge/src/root.zig `abi_version`). */
export const EXPECTED_ABI_VERSION = 2;

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

/** Where the library is looked for, in order. */
export function candidatePaths(env: Record<string, string | undefined> = process.env): string[] {
  const paths: string[] = [];
  const explicit = env[NATIVE_PATH_ENV];
  if (explicit) paths.push(explicit);
  paths.push(`${packageRoot}zig-out/lib/${libraryFile}`);
  return paths;
}

let loaded: NativeLibrary | undefined;

/**
 * Loads the native library once per process. Throws {@link NativeBridgeError} with code
 * `library_unavailable` naming every path tried and the build command, or `bridge_disabled`
 * when TEMPORAL_BUN_SDK_USE_ZIG turns the bridge off.
 */
export function loadNativeLibrary(options: { paths?: string[]; what?: string } = {}): NativeLibrary {
  if (loaded && !options.paths) return loaded;
  const mode = useZigMode();
  if (mode === "off") throw bridgeDisabledError(options.what ?? "Loading the native bridge");
  const tried: Array<{ path: string; error: string }> = [];
  for (const path of options.paths ?? candidatePaths()) {
    if (!existsSync(path)) {
      tried.push({ path, error: "file does not exist" });
      continue;
    }
    let lib: ReturnType<typeof load>;
    try {
      lib = load(path);
    } catch (err) {
      tried.push({ path, error: err instanceof Error ? err.message : String(err) });
      continue;
    }
    const abiVersion = lib.symbols.temporal_bun_abi_version();
    if (abiVersion !== EXPECTED_ABI_VERSION) {
      lib.close();
      throw new NativeBridgeError(
        NativeErrorCode.library_unavailable,
        `native bridge at ${path} has ABI version ${abiVersion}, but this SDK expects ${EXPECTED_ABI_VERSION}; ` +
          `rebuild it with \`${BUILD_COMMAND}\` (or point ${NATIVE_PATH_ENV} at a matching build)`,
        { pathsTried: [...tried, { path, error: `ABI ${abiVersion} != ${EXPECTED_ABI_VERSION}` }], abiVersion, expectedAbiVersion: EXPECTED_ABI_VERSION },
      );
    }
    const result: NativeLibrary = { path, abiVersion, symbols: lib.symbols as unknown as NativeSymbols };
    if (!options.paths) loaded = result;
    return result;
  }
  const list = tried.map((t) => `  - ${t.path}: ${t.error}`).join("\n");
  throw new NativeBridgeError(
    NativeErrorCode.library_unavailable,
    `could not load the native bridge (libtemporal_bun_bridge, ABI ${EXPECTED_ABI_VERSION}${mode === "on" ? `, required by TEMPORAL_BUN_SDK_USE_ZIG=${process.env.TEMPORAL_BUN_SDK_USE_ZIG}` : ""}). Paths tried:\n${list}\n` +
      `Build it with \`${BUILD_COMMAND}\` from the package root, or set ${NATIVE_PATH_ENV} to the library's path.`,
    { pathsTried: tried, expectedAbiVersion: EXPECTED_ABI_VERSION },
  );
}

/** The loaded library if it was loaded already, without trying to load it. */
export function loadedNativeLibrary(): NativeLibrary | undefined {
  return loaded;
}
