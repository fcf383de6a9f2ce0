/**
 * The meter behind `Runtime.metricMeter`: instruments on core's meter, so custom metrics are
 * exported with core's own (same Prometheus scrape, same OTLP export, same global tags).
 *
 * As the official SDK, custom metric names get no `metricPrefix` (core applies it to its own
 * metrics only) and tags compose in `MetricMeterWithComposedTags` above this meter; this one
 * only records.
 *
 * Native instruments are cached per (kind, name, unit, description): activity code commonly
 * calls `createCounter` on every run, and one native handle per call would fill the bridge's
 * handle table faster than the GC frees them. Core keeps one instrument per name anyway.
 */
import { NativeMetric, type MetricKindCodeName, type NativeRuntime } from "../bridge/index.js";
import type {
  MetricCounter,
  MetricGauge,
  MetricHistogram,
  MetricMeter,
  MetricTags,
  MetricUpDownCounter,
  NumericMetricValueType,
} from "../common/metrics.js";

export class RuntimeMetricMeter implements MetricMeter {
  private readonly natives = new Map<string, NativeMetric>();
  private closed = false;

  constructor(private readonly runtime: NativeRuntime) {}

  private native(kind: MetricKindCodeName, name: string, unit: string, description: string): NativeMetric {
    if (typeof name !== "string" || name.length === 0) throw new TypeError(`metric name must be a non-empty string, got ${describe(name)}`);
    if (typeof unit !== "string") throw new TypeError(`metric unit must be a string, got ${describe(unit)}`);
    if (typeof description !== "string") throw new TypeError(`metric description must be a string, got ${describe(description)}`);
    const key = `${kind}\0${name}\0${unit}\0${description}`;
    let metric = this.natives.get(key);
    if (metric === undefined) {
      if (this.closed) throw new Error(`cannot create metric '${name}': its Runtime was shut down`);
      metric = NativeMetric.create(this.runtime, kind, name, unit, description);
      this.natives.set(key, metric);
    }
    return metric;
  }

  createCounter(name: string, unit = "", description = ""): MetricCounter {
    return new RuntimeCounter(this.native("counter_int", name, unit, description), name, unit, description);
  }

  createHistogram(name: string, valueType: NumericMetricValueType = "int", unit = "", description = ""): MetricHistogram {
    const kind = checkValueType(valueType) === "int" ? "histogram_int" : "histogram_float";
    return new RuntimeHistogram(this.native(kind, name, unit, description), name, valueType, unit, description);
  }

  createGauge(name: string, valueType: NumericMetricValueType = "int", unit = "", description = ""): MetricGauge {
    const kind = checkValueType(valueType) === "int" ? "gauge_int" : "gauge_float";
    return new RuntimeGauge(this.native(kind, name, unit, description), name, valueType, unit, description);
  }

  createUpDownCounter(name: string, unit = "", description = ""): MetricUpDownCounter {
    return new RuntimeUpDownCounter(this.native("up_down_counter_int", name, unit, description), name, unit, description);
  }

  withTags(_tags: MetricTags): MetricMeter {
    // As official: tags compose in the MetricMeterWithComposedTags that wraps this meter.
    throw new Error("withTags is not supported directly on RuntimeMetricMeter");
  }

  /** Frees every native instrument (Runtime.shutdown); later records on them throw. */
  close(): void {
    this.closed = true;
    for (const metric of this.natives.values()) metric.free();
    this.natives.clear();
  }
}

function describe(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : typeof value;
}

function checkValueType(valueType: NumericMetricValueType): NumericMetricValueType {
  if (valueType !== "int" && valueType !== "float") throw new TypeError(`metric valueType must be 'int' or 'float', got ${describe(valueType)}`);
  return valueType;
}

/**
 * Counters, histograms and gauges take non-negative values (the official message). Non-finite
 * values are refused here too (the official SDK hands NaN to core, which records it).
 */
function nonNegative(what: string, value: number): void {
  if (typeof value !== "number") throw new TypeError(`${what} value must be a number, got ${typeof value}`);
  if (value < 0) throw new Error(`${what} value must be non-negative (got ${value})`);
  if (!Number.isFinite(value)) throw new RangeError(`${what} value must be a finite number (got ${value})`);
}

class RuntimeCounter implements MetricCounter {
  readonly kind = "counter";
  readonly valueType = "int";
  constructor(
    private readonly native: NativeMetric,
    readonly name: string,
    readonly unit: string,
    readonly description: string,
  ) {}
  add(value: number, tags?: MetricTags): void {
    nonNegative("MetricCounter", value);
    this.native.record(value, tags);
  }
  withTags(_tags: MetricTags): MetricCounter {
    throw new Error("withTags is not supported directly on RuntimeMetricCounter");
  }
}

class RuntimeHistogram implements MetricHistogram {
  readonly kind = "histogram";
  constructor(
    private readonly native: NativeMetric,
    readonly name: string,
    readonly valueType: NumericMetricValueType,
    readonly unit: string,
    readonly description: string,
  ) {}
  record(value: number, tags?: MetricTags): void {
    nonNegative("MetricHistogram", value);
    this.native.record(value, tags);
  }
  withTags(_tags: MetricTags): MetricHistogram {
    throw new Error("withTags is not supported directly on RuntimeMetricHistogram");
  }
}

class RuntimeGauge implements MetricGauge {
  readonly kind = "gauge";
  constructor(
    private readonly native: NativeMetric,
    readonly name: string,
    readonly valueType: NumericMetricValueType,
    readonly unit: string,
    readonly description: string,
  ) {}
  set(value: number, tags?: MetricTags): void {
    nonNegative("MetricGauge", value);
    this.native.record(value, tags);
  }
  withTags(_tags: MetricTags): MetricGauge {
    throw new Error("withTags is not supported directly on RuntimeMetricGauge");
  }
}

class RuntimeUpDownCounter implements MetricUpDownCounter {
  readonly kind = "up-down-counter";
  readonly valueType = "int";
  constructor(
    private readonly native: NativeMetric,
    readonly name: string,
    readonly unit: string,
    readonly description: string,
  ) {}
  add(value: number, tags?: MetricTags): void {
    if (typeof value !== "number") throw new TypeError(`MetricUpDownCounter value must be a number, got ${typeof value}`);
    if (!Number.isFinite(value)) throw new RangeError(`MetricUpDownCounter value must be a finite number (got ${value})`);
    this.native.record(value, tags);
  }
  withTags(_tags: MetricTags): MetricUpDownCounter {
    throw new Error("withTags is not supported directly on RuntimeMetricUpDownCounter");
  }
}
