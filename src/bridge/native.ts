/**
 * The calling conventions of the native library in one place: checking return codes,
 * reading errors, copying buffers out, and turning pending handles into Promises.
 *
 * Completions are delivered through a pipe the library writes one byte to per batch
 * (docs/ffi-surface.md, "Wake-up"). While any pending handle is awaited, one read on
 * that pipe is outstanding in Bun's event loop; it wakes us within microseconds of a
 * completion and costs nothing while idle. When nothing is awaited after one more turn of
 * the event loop the read is cancelled, so an idle SDK never keeps the process alive.
 */
import { ptr, toArrayBuffer } from "bun:ffi";
import { NativeBridgeError, NativeErrorCode } from "./errors.js";
import { loadNativeLibrary, type NativeLibrary, type NativeSymbols } from "./library.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A byte view for an FFI call: null for empty input (a zero-length view has no pointer). */
export function bytesArg(bytes: Uint8Array | string): [ReturnType<typeof ptr> | null, number, Uint8Array] {
  const view = typeof bytes === "string" ? encoder.encode(bytes) : bytes;
  if (view.byteLength === 0) return [null, 0, view];
  // The third element keeps the view referenced for the duration of the call (bun#9094).
  return [ptr(view), view.byteLength, view];
}

export function jsonArg(value: unknown): [ReturnType<typeof ptr> | null, number, Uint8Array] {
  return bytesArg(JSON.stringify(value));
}

const errorOut = new BigUint64Array(2);

/** Builds the error for a negative return code from the calling thread's last error. */
export function lastError(symbols: NativeSymbols, code: number, context: string): NativeBridgeError {
  symbols.temporal_bun_last_error(ptr(errorOut));
  const len = Number(errorOut[1]);
  const message = len > 0 ? decoder.decode(new Uint8Array(toArrayBuffer(Number(errorOut[0]), 0, len)).slice()) : "(no message)";
  return new NativeBridgeError(code, `${context}: ${message}`);
}

/** Returns `rc` when non-negative, throws the library's error otherwise. */
export function check(symbols: NativeSymbols, rc: number, context: string): number {
  if (rc < 0) throw lastError(symbols, rc, context);
  return rc;
}

/** Copies `len` bytes at native address `address` into a JS-owned Uint8Array. */
export function copyOut(address: number, len: number): Uint8Array {
  if (len === 0) return new Uint8Array(0);
  return new Uint8Array(toArrayBuffer(address, 0, len)).slice();
}

/** The outcome of a pending handle, after consumption. */
export type PendingResult =
  | { kind: "none" }
  | { kind: "bytes"; bytes: Uint8Array }
  | { kind: "object"; id: number }
  | { kind: "shutdown" };

interface ErrorRecord {
  code: number;
  codeName: string;
  status: number;
  message: string;
  details: string;
}

const consumeOut = new BigUint64Array(4);
// The same memory read as 32-bit halves: ids (48-bit), addresses (47-bit) and lengths fit a JS
// number, and reading a BigUint64Array allocates a BigInt per element — four per completion.
const consumeOut32 = new Uint32Array(consumeOut.buffer);

/** Element `i` of a u64 array viewed as `halves` (little-endian), as a number (exact below 2^53). */
function u64At(halves: Uint32Array, i: number): number {
  return halves[2 * i]! + halves[2 * i + 1]! * 4294967296;
}

/**
 * Consumes a completed pending handle and frees it. Failures throw NativeBridgeError
 * with the core's message and, for RPCs, the gRPC status and details.
 */
export function consumeAndFree(lib: NativeLibrary, id: number, context: string): PendingResult {
  const s = lib.symbols;
  try {
    const state = s.temporal_bun_pending_consume(id, ptr(consumeOut));
    if (state < 0) throw lastError(s, state, context);
    const kind = u64At(consumeOut32, 0);
    switch (kind) {
      case 0:
        return { kind: "none" };
      case 4:
        return { kind: "shutdown" };
      case 2:
        return { kind: "object", id: u64At(consumeOut32, 1) };
      case 1:
      case 3: {
        const bufferId = u64At(consumeOut32, 1);
        const bytes = copyOut(u64At(consumeOut32, 2), u64At(consumeOut32, 3));
        s.temporal_bun_buffer_free(bufferId);
        if (kind === 1) return { kind: "bytes", bytes };
        const record = JSON.parse(decoder.decode(bytes)) as ErrorRecord;
        throw new NativeBridgeError(record.code, `${context}: ${record.message}`, {
          grpcStatus: record.status,
          grpcDetails: record.details ? Uint8Array.from(atob(record.details), (ch) => ch.charCodeAt(0)) : undefined,
        });
      }
      default:
        throw new NativeBridgeError(NativeErrorCode.invalid_state, `${context}: unknown result kind ${kind}`);
    }
  } finally {
    s.temporal_bun_pending_free(id);
  }
}

interface Waiter {
  resolve: (result: PendingResult) => void;
  reject: (err: unknown) => void;
  context: string;
}

/** Routes completions from the wake pipe to the Promises awaiting them. */
class Dispatcher {
  private readonly waiters = new Map<number, Waiter>();
  private reading = false;
  private readonly ids = new BigUint64Array(256);
  private readonly ids32 = new Uint32Array(this.ids.buffer);
  private logsListener: (() => void) | undefined;

  constructor(private readonly lib: NativeLibrary) {}

  await(id: number, context: string, signal?: AbortSignal): Promise<PendingResult> {
    const { promise, resolve, reject } = Promise.withResolvers<PendingResult>();
    this.waiters.set(id, { resolve, reject, context });
    if (signal) {
      const onAbort = () => {
        // Core still completes the call (as cancelled); the waiter is resolved from that.
        this.lib.symbols.temporal_bun_pending_cancel(id);
      };
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener("abort", onAbort, { once: true });
        promise.then(
          () => signal.removeEventListener("abort", onAbort),
          () => signal.removeEventListener("abort", onAbort),
        );
      }
    }
    if (!this.reading) void this.readLoop();
    return promise;
  }

  /** Detaches a waiter whose caller gave up (e.g. a connect timeout) and frees the handle. */
  abandon(id: number): void {
    if (!this.waiters.delete(id)) return;
    this.lib.symbols.temporal_bun_pending_free(id);
  }

  get outstanding(): number {
    return this.waiters.size;
  }

  /** Called after every wake-up, for the runtime's log forwarding. */
  onWake(listener: (() => void) | undefined): void {
    this.logsListener = listener;
  }

  /** Drains completed ids; returns how many waiters were settled. */
  drain(): number {
    const s = this.lib.symbols;
    let settled = 0;
    for (;;) {
      const n = s.temporal_bun_drain(ptr(this.ids), this.ids.length);
      if (n < 0) throw lastError(s, n, "drain");
      if (n === 0) break;
      for (let i = 0; i < n; i++) {
        const id = u64At(this.ids32, i);
        const waiter = this.waiters.get(id);
        if (!waiter) continue; // freed or abandoned before completion
        this.waiters.delete(id);
        settled++;
        try {
          waiter.resolve(consumeAndFree(this.lib, id, waiter.context));
        } catch (err) {
          waiter.reject(err);
        }
      }
    }
    this.logsListener?.();
    return settled;
  }

  /** Resolves when the previous loop's reader is fully cancelled. */
  private cancelled: Promise<void> = Promise.resolve();

  private async readLoop(): Promise<void> {
    this.reading = true;
    let reader: ReturnType<ReturnType<ReturnType<typeof Bun.file>["stream"]>["getReader"]> | undefined;
    try {
      // Never two readers on the pipe at once: a byte taken by a reader being cancelled
      // would be a lost wake-up.
      await this.cancelled;
      const fd = check(this.lib.symbols, this.lib.symbols.temporal_bun_wake_fd(), "wake pipe");
      const r = Bun.file(fd).stream().getReader();
      reader = r;
      // The queue, not the byte, is the source of truth: collect whatever completed while
      // no reader was active (its byte may have gone to the previous, cancelled reader).
      this.drain();
      for (;;) {
        if (this.waiters.size === 0) {
          // Settling a Promise usually leads, within the same turn of the event loop, to a new
          // call being awaited (a completion is followed by the next poll; replay does this
          // after almost every activation). Keep the reader across that turn instead of
          // cancelling and re-creating it (stream + reader + cancel were ≈ 13 % of replay CPU);
          // cancel only when nothing is awaited after it, so idle still holds no read.
          await lingerOneTurn();
          if (this.waiters.size === 0) break;
        }
        const { done } = await r.read();
        if (done) throw new NativeBridgeError(NativeErrorCode.system, "the native wake pipe was closed");
        this.drain();
      }
    } catch (err) {
      for (const [id, waiter] of this.waiters) {
        this.waiters.delete(id);
        waiter.reject(err);
      }
    } finally {
      const r = reader;
      this.cancelled = r ? r.cancel().catch(() => {}) : Promise.resolve();
      this.reading = false;
    }
  }
}

/** Resolves after the current turn's microtasks and I/O callbacks (a check-phase callback). */
function lingerOneTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

let dispatcher: Dispatcher | undefined;

export interface Native {
  readonly lib: NativeLibrary;
  readonly s: NativeSymbols;
  /** Awaits a pending-handle id returned by an asynchronous export. */
  awaitPending(idOrError: number, context: string, signal?: AbortSignal): Promise<PendingResult>;
  abandon(id: number): void;
  dispatcher: Dispatcher;
}

/** The loaded library with its dispatcher (loads on first use). */
export function native(what?: string): Native {
  const lib = loadNativeLibrary({ what });
  dispatcher ??= new Dispatcher(lib);
  const d = dispatcher;
  return {
    lib,
    s: lib.symbols,
    dispatcher: d,
    awaitPending(idOrError, context, signal) {
      if (idOrError < 0) return Promise.reject(lastError(lib.symbols, idOrError, context));
      return d.await(idOrError, context, signal);
    },
    abandon(id) {
      d.abandon(id);
    },
  };
}

/**
 * Frees native handles whose JS owner was garbage-collected without an explicit close.
 * A backstop for user code only: the SDK itself always frees explicitly.
 */
export const finalizer = new FinalizationRegistry<{ free: (id: number) => number; id: number }>((held) => {
  held.free(held.id);
});
