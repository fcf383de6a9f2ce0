/**
 * Errors raised by the native bridge layer. Every failure that crosses the FFI boundary
 * arrives as a code and a message (see bridge/src/errors.zig) and becomes a
 * {@link NativeBridgeError} here.
 */

/** Mirrors `errors.Code` in bridge/src/errors.zig. */
export const NativeErrorCode = {
  invalid_argument: -1,
  invalid_handle: -2,
  wrong_kind: -3,
  malformed_options: -4,
  invalid_state: -5,
  core: -6,
  rpc: -7,
  out_of_memory: -8,
  capacity: -9,
  cancelled: -10,
  shutdown: -11,
  system: -12,
  /** Core panicked (a bug in core): the call would never have completed, or the worker may have lost internal tasks. */
  core_panic: -13,
  /** Not from the library: it could not be found, loaded, or has the wrong ABI. */
  library_unavailable: -100,
  /** Not from the library: TEMPORAL_BUN_SDK_USE_ZIG disables the native bridge. */
  bridge_disabled: -101,
} as const;

export type NativeErrorCodeName = keyof typeof NativeErrorCode;

const codeNames = new Map<number, NativeErrorCodeName>(
  Object.entries(NativeErrorCode).map(([name, code]) => [code, name as NativeErrorCodeName]),
);

export interface NativeBridgeErrorDetails {
  /** gRPC status code for RPC failures (0 when not an RPC failure). */
  grpcStatus?: number;
  /** Serialized google.rpc.Status from the server, when it sent one. */
  grpcDetails?: Uint8Array;
  /** Library paths tried, for load failures. */
  pathsTried?: Array<{ path: string; error: string }>;
  [key: string]: unknown;
}

export class NativeBridgeError extends Error {
  override readonly name: string = "NativeBridgeError";
  readonly codeName: NativeErrorCodeName | "unknown";

  constructor(
    readonly code: number,
    message: string,
    readonly details: NativeBridgeErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.codeName = codeNames.get(code) ?? "unknown";
  }

  static codeName(code: number): NativeErrorCodeName | "unknown" {
    return codeNames.get(code) ?? "unknown";
  }
}
