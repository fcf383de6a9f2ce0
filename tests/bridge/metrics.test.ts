/**
 * The bridge's metric exports (bridge/src/metrics.zig) through bun:ffi: every refusal arrives
 * in TypeScript as a NativeBridgeError with its code and a message naming the problem, and
 * nothing crashes: a wrong kind code, an empty or non-UTF-8 name, a runtime without an
 * exporter, a stale or foreign handle, a bad value for the instrument, malformed tag bytes.
 * What a valid record produces is checked by scraping in tests/worker/metrics.test.ts.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { ptr } from "bun:ffi";
import { NativeBridgeError, NativeErrorCode, NativeMetric, NativeRuntime, bridgeCounters } from "../../src/bridge/index.js";
import { lastError } from "../../src/bridge/native.js";

function freePort(): number {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

const port = freePort();
const runtime = NativeRuntime.create({ metrics: { prometheus: { bindAddress: `127.0.0.1:${port}` } } });
const s = runtime.n.s;
const enc = new TextEncoder();

afterAll(() => runtime.free());

/** Calls an export and returns the error it reported (throws if it succeeded). */
function failure(rc: number): NativeBridgeError {
  if (rc >= 0) throw new Error(`expected a failure, got ${rc}`);
  return lastError(s, rc, "test");
}

function newMetric(kind: number, name: Uint8Array, rt = runtime.id): number {
  return s.temporal_bun_metric_new(rt, kind, name.byteLength ? ptr(name) : null, name.byteLength, null, 0, null, 0);
}

/** Encodes one tag entry as bridge/src/metric_tags.zig reads it. */
function entry(type: number, key: Uint8Array, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + key.byteLength + value.byteLength);
  const view = new DataView(out.buffer);
  out[0] = type;
  view.setUint32(1, key.byteLength, true);
  out.set(key, 5);
  out.set(value, 5 + key.byteLength);
  return out;
}
const lenPrefixed = (b: Uint8Array) => {
  const out = new Uint8Array(4 + b.byteLength);
  new DataView(out.buffer).setUint32(0, b.byteLength, true);
  out.set(b, 4);
  return out;
};

describe("metric exports", () => {
  test("creating: bad kind, empty name, non-UTF-8 name are invalid_argument; a runtime without exporter is invalid_state", () => {
    let err = failure(newMetric(0, enc.encode("m")));
    expect(err.code).toBe(NativeErrorCode.invalid_argument);
    expect(err.message).toContain("metric kind 0 is not one of 1..6");
    err = failure(newMetric(7, enc.encode("m")));
    expect(err.message).toContain("metric kind 7");
    err = failure(newMetric(1, new Uint8Array(0)));
    expect(err.message).toContain("a metric name must not be empty");
    err = failure(newMetric(1, new Uint8Array([0x6d, 0xff])));
    expect(err.message).toContain("the metric name is not UTF-8");

    const plain = NativeRuntime.create({});
    try {
      err = failure(newMetric(1, enc.encode("m"), plain.id));
      expect(err.code).toBe(NativeErrorCode.invalid_state);
      expect(err.message).toContain("the runtime has no metrics exporter");
      expect(() => NativeMetric.create(plain, "counter_int", "m", "", "")).toThrow("the runtime has no metrics exporter");
    } finally {
      plain.free();
    }
  });

  test("handles: a stale metric id, a runtime id used as a metric, a metric id used as a runtime", () => {
    const metric = NativeMetric.create(runtime, "gauge_float", "bridge_test_gauge", "", "");
    const id = metric.id;
    let err = failure(s.temporal_bun_metric_record(runtime.id, 1, null, 0));
    expect(err.code).toBe(NativeErrorCode.wrong_kind);
    expect(err.message).toContain("is not a metric handle");
    err = failure(newMetric(1, enc.encode("m"), id));
    expect(err.code).toBe(NativeErrorCode.wrong_kind);
    metric.free();
    err = failure(s.temporal_bun_metric_record(id, 1, null, 0));
    expect(err.code).toBe(NativeErrorCode.invalid_handle);
    err = failure(s.temporal_bun_metric_free(id));
    expect(err.code).toBe(NativeErrorCode.invalid_handle);
    // Records after free() are dropped on the TypeScript side, not sent to a dead handle.
    expect(() => metric.record(1)).not.toThrow();
  });

  test("values: each instrument refuses what it cannot hold, naming value and kind", () => {
    const counter = NativeMetric.create(runtime, "counter_int", "bridge_test_counter", "", "");
    const updown = NativeMetric.create(runtime, "up_down_counter_int", "bridge_test_updown", "", "");
    const hist = NativeMetric.create(runtime, "histogram_float", "bridge_test_hist", "", "");
    try {
      let err = failure(s.temporal_bun_metric_record(counter.id, -1, null, 0));
      expect(err.message).toContain("metric value -1 for a counter_int instrument: negative");
      err = failure(s.temporal_bun_metric_record(counter.id, 2 ** 64, null, 0));
      expect(err.message).toContain("out of the 64-bit integer range");
      err = failure(s.temporal_bun_metric_record(updown.id, 2 ** 63, null, 0));
      expect(err.message).toContain("up_down_counter_int");
      err = failure(s.temporal_bun_metric_record(hist.id, Number.NaN, null, 0));
      expect(err.message).toContain("not a finite number");
      expect(s.temporal_bun_metric_record(updown.id, -5, null, 0)).toBe(0);
      expect(s.temporal_bun_metric_record(hist.id, 0.25, null, 0)).toBe(0);
      expect(() => counter.record(-1)).toThrow(NativeBridgeError);
    } finally {
      counter.free();
      updown.free();
      hist.free();
    }
  });

  test("tags: malformed bytes are invalid_argument with the reason; valid ones record", () => {
    const counter = NativeMetric.create(runtime, "counter_int", "bridge_test_tagged", "", "");
    const record = (bytes: Uint8Array) => s.temporal_bun_metric_record(counter.id, 1, ptr(bytes), bytes.byteLength);
    try {
      const good = entry(1, enc.encode("k"), lenPrefixed(enc.encode("v")));
      expect(record(good)).toBe(0);
      expect(failure(record(good.subarray(0, good.byteLength - 1))).message).toContain("the tag buffer ends inside an entry");
      expect(failure(record(entry(9, enc.encode("k"), new Uint8Array(1)))).message).toContain("unknown tag value type");
      expect(failure(record(entry(4, enc.encode("k"), new Uint8Array([2])))).message).toContain("a bool tag value is neither 0 nor 1");
      expect(failure(record(entry(2, new Uint8Array(0), new Uint8Array(8))))).toMatchObject({ code: NativeErrorCode.invalid_argument });
      expect(failure(record(entry(1, enc.encode("k"), lenPrefixed(new Uint8Array([0xc3, 0x28]))))).message).toContain("not UTF-8");
      const many = new Uint8Array(65 * 7); // each bool entry: type, key length, "k", value
      for (let i = 0; i < 65; i++) many.set(entry(4, enc.encode("k"), new Uint8Array([1])), i * 7);
      expect(failure(record(many)).message).toContain("more than 64 tags");
      // A length that points past the buffer is refused, not read.
      const lying = entry(1, enc.encode("k"), new Uint8Array([0xff, 0xff, 0xff, 0x7f]));
      expect(failure(record(lying)).message).toContain("the tag buffer ends inside an entry");
      // null with a length is refused before decoding.
      expect(failure(s.temporal_bun_metric_record(counter.id, 1, null, 4)).code).toBe(NativeErrorCode.invalid_argument);
    } finally {
      counter.free();
    }
  });

  test("metric handles are counted and all freed", () => {
    const before = bridgeCounters().liveMetrics;
    const m = NativeMetric.create(runtime, "histogram_int", "bridge_test_count", "", "");
    expect(bridgeCounters().liveMetrics).toBe(before + 1);
    m.free();
    expect(bridgeCounters().liveMetrics).toBe(before);
  });
});
