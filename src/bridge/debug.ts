/** Bridge introspection for tests and benchmarks. */
import { ptr } from "bun:ffi";
import { check, native } from "./native.js";

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
  /** Promises awaiting a native completion on the JS side. */
  jsWaiters: number;
}

const out = new BigUint64Array(15);

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
    jsWaiters: n.dispatcher.outstanding,
  };
}

/** Runs queued destructions and routes completions now (normally done on wake-up). */
export function drainNow(): void {
  native().dispatcher.drain();
}
