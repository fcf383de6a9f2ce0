/** Bridge introspection for tests and benchmarks. */
import { ptr } from "bun:ffi";
import { check, consumeAndFree, native } from "./native.js";

export interface BridgeCounters {
  live: { runtime: number; client: number; worker: number; replayer: number; server: number; pending: number; buffer: number };
  /** Pending objects alive, including freed ones whose core call is still in flight. */
  pendingObjects: number;
  bufferObjects: number;
  coreByteArrays: number;
  completionQueueDepth: number;
  logQueueDepth: number;
  reapQueueDepth: number;
  pendingCreatedTotal: number;
  wakesTotal: number;
  /** Live metric handles (bridge/src/metrics.zig). */
  liveMetrics: number;
  /** Promises awaiting a native completion on the JS side. */
  jsWaiters: number;
  /**
   * Wake-up latency since load: completions drained, and how long each waited between a core
   * thread queueing it and the JS thread draining it (sum, max; `buckets[i]` counts those
   * below 2^i µs, the last bucket the rest). Two clock reads per completion, always on.
   */
  wakeLatency: { count: number; sumNs: number; maxNs: number; buckets: number[] };
}

/** Bucket count of the wake-up latency histogram (bridge/src/completions.zig latency_buckets). */
export const WAKE_LATENCY_BUCKETS = 16;
const out = new BigUint64Array(16 + 3 + WAKE_LATENCY_BUCKETS);

export function bridgeCounters(): BridgeCounters {
  const n = native();
  check(n.s, n.s.temporal_bun_debug_counters(ptr(out), out.length), "counters");
  const v = Array.from(out, Number) as number[];
  const at = (i: number) => v[i] ?? 0;
  return {
    live: { runtime: at(0), client: at(1), worker: at(2), replayer: at(3), server: at(4), pending: at(5), buffer: at(6) },
    pendingObjects: at(7),
    bufferObjects: at(8),
    coreByteArrays: at(9),
    completionQueueDepth: at(10),
    logQueueDepth: at(11),
    reapQueueDepth: at(12),
    pendingCreatedTotal: at(13),
    wakesTotal: at(14),
    liveMetrics: at(15),
    jsWaiters: n.dispatcher.outstanding,
    wakeLatency: { count: at(16), sumNs: at(17), maxNs: at(18), buckets: v.slice(19, 19 + WAKE_LATENCY_BUCKETS) },
  };
}

/** Runs queued destructions and routes completions now (normally done on wake-up). */
export function drainNow(): void {
  native().dispatcher.drain();
}

/**
 * One no-op pending round trip, synchronously: a handle created already ready with `len`
 * bytes → consume (copy out) → free. What every native completion costs at the boundary.
 */
export function debugRoundTrip(len = 8): Uint8Array {
  const n = native();
  const id = check(n.s, n.s.temporal_bun_debug_pending_ready(len), "debug pending");
  const result = consumeAndFree(n.lib, id, "debug pending");
  if (result.kind !== "bytes") throw new Error(`debug pending: unexpected result ${result.kind}`);
  return result.bytes;
}

/**
 * A pending handle completed by a native thread after `delayUs`, awaited through the
 * dispatcher like any core call. Resolves with the monotonic instant (ns) at which the
 * native side completed it, to compare with `debugNowNs()` when the Promise resolves.
 */
export async function debugCompleteFromThread(delayUs: number): Promise<bigint> {
  const n = native();
  const result = await n.awaitPending(n.s.temporal_bun_debug_pending_from_thread(delayUs), "debug pending from thread");
  if (result.kind !== "bytes" || result.bytes.length !== 8) throw new Error("debug pending from thread: unexpected result");
  return new DataView(result.bytes.buffer, result.bytes.byteOffset, 8).getBigUint64(0, true);
}

/** CLOCK_MONOTONIC in ns, the clock debugCompleteFromThread reports on. */
export function debugNowNs(): bigint {
  return BigInt(native().s.temporal_bun_debug_now_ns());
}

const panicsOut = new BigUint64Array(2);

/** Rust panics inside core since the library was loaded, and the pending calls they failed (bridge/src/panics.zig). */
export function corePanics(): { panics: number; failedCalls: number } {
  const n = native();
  check(n.s, n.s.temporal_bun_debug_core_panics(ptr(panicsOut)), "core panics");
  return { panics: Number(panicsOut[0]), failedCalls: Number(panicsOut[1]) };
}
