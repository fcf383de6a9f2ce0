// The handle and pending-handle contract of every export: bad ids, wrong kinds, malformed
// options, double consume, double free — all typed errors, never crashes.
import { describe, expect, test } from "bun:test";
import { ptr } from "bun:ffi";
import { NativeBridgeError, NativeErrorCode, bridgeCounters, drainNow, loadNativeLibrary } from "../../src/bridge/index.js";
import { consumeAndFree, jsonArg, native } from "../../src/bridge/native.js";

const s = () => loadNativeLibrary().symbols;
const out4 = new BigUint64Array(4);

describe("pending handles", () => {
  test("a ready handle is consumed exactly once and freed", () => {
    const id = s().temporal_bun_debug_pending_ready(16);
    expect(id).toBeGreaterThan(0);
    expect(s().temporal_bun_pending_poll(id)).toBe(1); // ready
    expect(s().temporal_bun_pending_consume(id, ptr(out4))).toBe(1);
    expect(Number(out4[0])).toBe(1); // bytes
    expect(Number(out4[3])).toBe(16);
    expect(s().temporal_bun_buffer_free(Number(out4[1]))).toBe(0);
    expect(s().temporal_bun_buffer_free(Number(out4[1]))).toBe(NativeErrorCode.invalid_handle);
    expect(s().temporal_bun_pending_consume(id, ptr(out4))).toBe(NativeErrorCode.invalid_state);
    expect(s().temporal_bun_pending_free(id)).toBe(0);
    expect(s().temporal_bun_pending_free(id)).toBe(NativeErrorCode.invalid_handle);
    expect(s().temporal_bun_pending_poll(id)).toBe(NativeErrorCode.invalid_handle);
  });

  test("consume of a handle still pending is an invalid-state error", () => {
    const id = s().temporal_bun_debug_pending_from_thread(200_000);
    expect(s().temporal_bun_pending_poll(id)).toBe(0);
    expect(s().temporal_bun_pending_consume(id, ptr(out4))).toBe(NativeErrorCode.invalid_state);
    // Freeing a pending handle detaches it; the late completion is freed natively.
    expect(s().temporal_bun_pending_free(id)).toBe(0);
  });

  test("a completion from another thread resolves the awaiting Promise", async () => {
    const n = native();
    const result = await n.awaitPending(s().temporal_bun_debug_pending_from_thread(1_000), "thread");
    expect(result.kind).toBe("bytes");
    if (result.kind === "bytes") expect(result.bytes.byteLength).toBe(8);
  });

  test("many concurrent completions all resolve", async () => {
    const n = native();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => n.awaitPending(s().temporal_bun_debug_pending_from_thread(i * 10), `t${i}`)),
    );
    expect(results.every((r) => r.kind === "bytes")).toBe(true);
  });

  test("ids that were never issued, forged, or of another kind are rejected", () => {
    for (const id of [0, 1, 123456789, 2 ** 47 + 5]) {
      expect(s().temporal_bun_pending_poll(id)).toBe(NativeErrorCode.invalid_handle);
      expect(s().temporal_bun_worker_free(id)).toBe(NativeErrorCode.invalid_handle);
      expect(s().temporal_bun_client_free(id)).toBe(NativeErrorCode.invalid_handle);
    }
    const ready = s().temporal_bun_debug_pending_ready(0);
    expect(s().temporal_bun_worker_initiate_shutdown(ready)).toBe(NativeErrorCode.wrong_kind);
    expect(s().temporal_bun_client_free(ready)).toBe(NativeErrorCode.wrong_kind);
    consumeAndFree(native().lib, ready, "ready");
  });

  test("null output arrays and null input pointers are invalid arguments", () => {
    const id = s().temporal_bun_debug_pending_ready(0);
    expect(s().temporal_bun_pending_consume(id, null)).toBe(NativeErrorCode.invalid_argument);
    expect(s().temporal_bun_runtime_new(null, 10)).toBe(NativeErrorCode.invalid_argument);
    expect(s().temporal_bun_drain(null, 4)).toBe(NativeErrorCode.invalid_argument);
    s().temporal_bun_pending_free(id);
  });

  test("malformed option buffers are typed errors with a message", () => {
    for (const json of ["not json", `{"logging":{"filter":1}}`, `{"unknownOption":true}`, `{"metrics":{"prometheus":{"bindAddress":"x"},"otel":{"url":"y"}}}`]) {
      const [p, l, keep] = jsonArg(null);
      void p, l, keep;
      const bytes = new TextEncoder().encode(json);
      const rc = s().temporal_bun_runtime_new(ptr(bytes), bytes.length);
      expect(rc).toBe(NativeErrorCode.malformed_options);
    }
  });

  test("a runtime with an unusable Prometheus address fails with core's message", () => {
    const bytes = new TextEncoder().encode(JSON.stringify({ metrics: { prometheus: { bindAddress: "not-an-address" } } }));
    const rc = s().temporal_bun_runtime_new(ptr(bytes), bytes.length);
    expect(rc).toBeLessThan(0);
  });

  test("1,000 no-op round trips leave no live handles or buffers", () => {
    drainNow();
    const before = bridgeCounters();
    for (let i = 0; i < 1000; i++) consumeAndFree(native().lib, s().temporal_bun_debug_pending_ready(64), "noop");
    drainNow();
    const after = bridgeCounters();
    expect(after.live.pending).toBe(before.live.pending);
    expect(after.live.buffer).toBe(before.live.buffer);
    expect(after.bufferObjects).toBe(before.bufferObjects);
    expect(after.completionQueueDepth).toBe(0);
  });

  test("errors are NativeBridgeError with code names", () => {
    const e = new NativeBridgeError(NativeErrorCode.rpc, "x");
    expect(e.codeName).toBe("rpc");
    expect(e).toBeInstanceOf(Error);
  });
});
