/**
 * Native custom metrics: instruments on core's meter (bridge/src/metrics.zig), recorded into
 * the same Prometheus/OTLP exporter as core's own metrics.
 *
 * A record is one FFI call. Its tags are encoded into one module-wide buffer (the format of
 * bridge/src/metric_tags.zig) with no JSON and no per-call allocation here; the tags object
 * itself is the caller's.
 */
import { ptr } from "bun:ffi";
import { check, finalizer, type Native } from "./native.js";
import type { NativeRuntime } from "./runtime.js";

/** bridge/src/metric_values.zig `Kind`. */
export const MetricKindCode = {
  counter_int: 1,
  histogram_int: 2,
  histogram_float: 3,
  gauge_int: 4,
  gauge_float: 5,
  up_down_counter_int: 6,
} as const;
export type MetricKindCodeName = keyof typeof MetricKindCode;

/** A tag value, as the official `MetricTags` allows. */
export type NativeTagValue = string | number | boolean;

const TAG_STRING = 1;
const TAG_INT = 2;
const TAG_FLOAT = 3;
const TAG_BOOL = 4;
/** bridge/src/metric_tags.zig `max_tags`. */
export const MAX_METRIC_TAGS = 64;

const encoder = new TextEncoder();
// Grown (never shrunk) when a record's tags do not fit; the pointer is taken once per buffer.
let tagBytes = new Uint8Array(new ArrayBuffer(16 * 1024));
let tagView = new DataView(tagBytes.buffer);
let tagPtr = ptr(tagBytes);

function grow(needed: number): void {
  let size = tagBytes.byteLength * 2;
  while (size < needed) size *= 2;
  const next = new Uint8Array(new ArrayBuffer(size));
  next.set(tagBytes); // the entries already written for this record
  tagBytes = next;
  tagView = new DataView(tagBytes.buffer);
  tagPtr = ptr(tagBytes);
}

/**
 * Writes `s` as UTF-8 at `at`, returning the byte count. ASCII (nearly every tag) is copied
 * byte by byte; anything else goes through encodeInto, which allocates its small result.
 */
function writeText(s: string, at: number): number {
  const n = s.length;
  if (tagBytes.byteLength < at + n * 3) grow(at + n * 3);
  for (let i = 0; i < n; i++) {
    const code = s.charCodeAt(i);
    if (code >= 0x80) return encoder.encodeInto(s, tagBytes.subarray(at)).written;
    tagBytes[at + i] = code;
  }
  return n;
}

/** Encodes `tags` into the shared buffer; returns the length (0 for no tags). */
function encodeTags(tags: Readonly<Record<string, NativeTagValue | null | undefined>> | undefined): number {
  if (tags === undefined) return 0;
  let at = 0;
  let count = 0;
  for (const key in tags) {
    // Own properties only, as JSON.stringify (the official bridge's encoding) sees them.
    if (!Object.hasOwn(tags, key)) continue;
    const value = tags[key];
    // As the official SDK: null and undefined tags are dropped (filterNullAndUndefined).
    if (value === undefined || value === null) continue;
    if (key.length === 0) throw new TypeError("metric tag keys must not be empty");
    if (++count > MAX_METRIC_TAGS) throw new RangeError(`a metric record takes at most ${MAX_METRIC_TAGS} tags`);
    if (tagBytes.byteLength < at + 5) grow(at + 5);
    const typeAt = at;
    const keyLen = writeText(key, at + 5);
    tagView.setUint32(at + 1, keyLen, true);
    at += 5 + keyLen;
    switch (typeof value) {
      case "string": {
        if (tagBytes.byteLength < at + 4) grow(at + 4);
        const len = writeText(value, at + 4);
        tagBytes[typeAt] = TAG_STRING;
        tagView.setUint32(at, len, true);
        at += 4 + len;
        break;
      }
      case "number": {
        if (tagBytes.byteLength < at + 8) grow(at + 8);
        if (Number.isSafeInteger(value)) {
          // As the official bridge (serde's untagged Int before Float): whole numbers are ints.
          // Two's-complement halves without a BigInt: ToUint32 is the low word modulo 2^32.
          tagBytes[typeAt] = TAG_INT;
          tagView.setUint32(at, value >>> 0, true);
          tagView.setInt32(at + 4, Math.floor(value / 4294967296), true);
        } else {
          tagBytes[typeAt] = TAG_FLOAT;
          tagView.setFloat64(at, value, true);
        }
        at += 8;
        break;
      }
      case "boolean":
        if (tagBytes.byteLength < at + 1) grow(at + 1);
        tagBytes[typeAt] = TAG_BOOL;
        tagBytes[at] = value ? 1 : 0;
        at += 1;
        break;
      default:
        throw new TypeError(`metric tag '${key}' must be a string, number or boolean, got ${typeof value}`);
    }
  }
  return at;
}

export class NativeMetric {
  private freed = false;
  private readonly token = {};

  private constructor(
    private readonly n: Native,
    readonly id: number,
    readonly kind: MetricKindCodeName,
    readonly name: string,
  ) {
    finalizer.register(this, { free: n.s.temporal_bun_metric_free, id }, this.token);
  }

  /**
   * Creates an instrument on the runtime's meter. Throws NativeBridgeError `invalid_state`
   * when the runtime has no metrics exporter.
   */
  static create(runtime: NativeRuntime, kind: MetricKindCodeName, name: string, unit: string, description: string): NativeMetric {
    const n = runtime.n;
    const nameBytes = encoder.encode(name);
    const unitBytes = encoder.encode(unit);
    const descBytes = encoder.encode(description);
    const id = check(
      n.s,
      n.s.temporal_bun_metric_new(
        runtime.id,
        MetricKindCode[kind],
        nameBytes.byteLength > 0 ? ptr(nameBytes) : null,
        nameBytes.byteLength,
        unitBytes.byteLength > 0 ? ptr(unitBytes) : null,
        unitBytes.byteLength,
        descBytes.byteLength > 0 ? ptr(descBytes) : null,
        descBytes.byteLength,
      ),
      `creating metric '${name}'`,
    );
    return new NativeMetric(n, id, kind, name);
  }

  /**
   * Records `value` (added, recorded or set, by kind) with `tags`. After `free()` (its
   * runtime shut down) records are dropped, as metrics of a stopped exporter would be.
   */
  record(value: number, tags?: Readonly<Record<string, NativeTagValue | null | undefined>>): void {
    if (this.freed) return;
    const len = encodeTags(tags);
    const rc = this.n.s.temporal_bun_metric_record(this.id, value, len > 0 ? tagPtr : null, len);
    if (rc < 0) check(this.n.s, rc, `recording metric '${this.name}'`);
  }

  free(): void {
    if (this.freed) return;
    this.freed = true;
    finalizer.unregister(this.token);
    check(this.n.s, this.n.s.temporal_bun_metric_free(this.id), "metric free");
  }
}
