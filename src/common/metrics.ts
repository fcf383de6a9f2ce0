/**
 * The metric API of `@temporalio/common` 1.24: a `MetricMeter` creates counters, histograms,
 * gauges and up-down counters; tags compose by `withTags` and by functions evaluated at each
 * record (the default tags of activities and workflows).
 *
 * The meter behind `Runtime.instance().metricMeter` records into core's meter
 * (src/runtime/metric-meter.ts), so custom metrics land in the same Prometheus/OTLP export as
 * core's own. Marked experimental in the official SDK; the shapes here are the official ones.
 */

/** A meter that creates metrics to record values on. */
export interface MetricMeter {
  /** A counter (non-negative integer additions). */
  createCounter(name: string, unit?: string, description?: string): MetricCounter;
  /** A histogram of `valueType` values (default `int`). */
  createHistogram(name: string, valueType?: NumericMetricValueType, unit?: string, description?: string): MetricHistogram;
  /** A gauge of `valueType` values (default `int`). */
  createGauge(name: string, valueType?: NumericMetricValueType, unit?: string, description?: string): MetricGauge;
  /** An up-down counter (signed integer additions). Optional in the official interface. */
  createUpDownCounter?(name: string, unit?: string, description?: string): MetricUpDownCounter;
  /** A meter whose metrics all carry `tags` as well. */
  withTags(tags: MetricTags): MetricMeter;
}

/** What every metric describes about itself. */
export interface Metric {
  name: string;
  unit?: string;
  description?: string;
  kind: MetricKind;
  valueType: NumericMetricValueType;
}

/** Tags attached to a record. */
export type MetricTags = Record<string, string | number | boolean>;

/** Whether an instrument records integers (values are truncated) or floats. */
export type NumericMetricValueType = "int" | "float";

export type MetricKind = "counter" | "histogram" | "gauge" | "up-down-counter";

export interface MetricCounter extends Metric {
  /** Adds `value` (non-negative). */
  add(value: number, extraTags?: MetricTags): void;
  withTags(tags: MetricTags): MetricCounter;
  kind: "counter";
  valueType: "int";
}

export interface MetricHistogram extends Metric {
  /** Records `value` (non-negative). */
  record(value: number, extraTags?: MetricTags): void;
  withTags(tags: MetricTags): MetricHistogram;
  kind: "histogram";
}

export interface MetricGauge extends Metric {
  /** Sets the gauge to `value` (non-negative). */
  set(value: number, extraTags?: MetricTags): void;
  withTags(tags: MetricTags): MetricGauge;
  kind: "gauge";
}

export interface MetricUpDownCounter extends Metric {
  /** Adds `value`, which may be negative. */
  add(value: number, extraTags?: MetricTags): void;
  withTags(tags: MetricTags): MetricUpDownCounter;
  kind: "up-down-counter";
  valueType: "int";
}

// ---------------------------------------------------------------------------- no-op meter

class NoopMetricMeter implements MetricMeter {
  createCounter(name: string, unit?: string, description?: string): MetricCounter {
    return { name, unit, description, kind: "counter", valueType: "int", add() {}, withTags() { return this; } };
  }

  createHistogram(name: string, valueType: NumericMetricValueType = "int", unit?: string, description?: string): MetricHistogram {
    return { name, unit, description, kind: "histogram", valueType, record() {}, withTags() { return this; } };
  }

  createGauge(name: string, valueType: NumericMetricValueType = "int", unit?: string, description?: string): MetricGauge {
    return { name, unit, description, kind: "gauge", valueType, set() {}, withTags() { return this; } };
  }

  createUpDownCounter(name: string, unit?: string, description?: string): MetricUpDownCounter {
    return { name, unit, description, kind: "up-down-counter", valueType: "int", add() {}, withTags() { return this; } };
  }

  withTags(): MetricMeter {
    return this;
  }
}

/** A meter that records nothing: what `Runtime.metricMeter` is when no exporter is configured. */
export const noopMetricMeter: MetricMeter = new NoopMetricMeter();

// ---------------------------------------------------------------------------- composed tags

/** Tags given once, or a function evaluated at every record. */
export type MetricTagsOrFunc = MetricTags | (() => MetricTags);

/**
 * A meter that adds tags before delegating to a parent meter. `compose` flattens chains (a
 * composed meter over a composed meter has one parent) and merges consecutive static tag
 * objects, so a record resolves the fewest objects possible.
 */
export class MetricMeterWithComposedTags implements MetricMeter {
  /**
   * Returns a meter adding `tagsOrFunc` to `meter`'s records. Adding nothing returns `meter`
   * itself unless `force` (which wraps a meter that has no `withTags` of its own).
   */
  static compose(meter: MetricMeter, tagsOrFunc: MetricTagsOrFunc, force = false): MetricMeter {
    const composed = meter instanceof MetricMeterWithComposedTags;
    const parent = composed ? meter.parentMeter : meter;
    const existing = composed ? meter.contributors : [];
    const chain = appendContributor(existing, tagsOrFunc);
    if (chain === existing && !force) return meter;
    return new MetricMeterWithComposedTags(parent, chain);
  }

  private constructor(
    private readonly parentMeter: MetricMeter,
    private readonly contributors: readonly MetricTagsOrFunc[],
  ) {}

  createCounter(name: string, unit?: string, description?: string): MetricCounter {
    return new ComposedCounter(this.parentMeter.createCounter(name, unit, description), this.contributors);
  }

  createHistogram(name: string, valueType: NumericMetricValueType = "int", unit?: string, description?: string): MetricHistogram {
    return new ComposedHistogram(this.parentMeter.createHistogram(name, valueType, unit, description), this.contributors);
  }

  createGauge(name: string, valueType: NumericMetricValueType = "int", unit?: string, description?: string): MetricGauge {
    return new ComposedGauge(this.parentMeter.createGauge(name, valueType, unit, description), this.contributors);
  }

  createUpDownCounter(name: string, unit?: string, description?: string): MetricUpDownCounter {
    if (this.parentMeter.createUpDownCounter === undefined) {
      throw new Error("createUpDownCounter is not supported by the underlying meter");
    }
    return new ComposedUpDownCounter(this.parentMeter.createUpDownCounter(name, unit, description), this.contributors);
  }

  withTags(tags: MetricTags): MetricMeter {
    return MetricMeterWithComposedTags.compose(this, tags);
  }
}

/** Shared by the four composed instruments: resolution of tags and the metric's description. */
abstract class ComposedMetric<M extends Metric> {
  constructor(
    protected readonly parent: M,
    protected readonly contributors: readonly MetricTagsOrFunc[],
  ) {}

  get name(): string {
    return this.parent.name;
  }
  get unit(): string | undefined {
    return this.parent.unit;
  }
  get description(): string | undefined {
    return this.parent.description;
  }
  get valueType(): NumericMetricValueType {
    return this.parent.valueType;
  }

  protected tags(extraTags: MetricTags | undefined): MetricTags {
    return resolveTags(this.contributors, extraTags);
  }

  protected chainWith(tags: MetricTags): readonly MetricTagsOrFunc[] {
    return appendContributor(this.contributors, tags);
  }
}

class ComposedCounter extends ComposedMetric<MetricCounter> implements MetricCounter {
  readonly kind = "counter";
  override get valueType(): "int" {
    return "int";
  }
  add(value: number, extraTags?: MetricTags): void {
    this.parent.add(value, this.tags(extraTags));
  }
  withTags(tags: MetricTags): MetricCounter {
    const chain = this.chainWith(tags);
    return chain === this.contributors ? this : new ComposedCounter(this.parent, chain);
  }
}

class ComposedHistogram extends ComposedMetric<MetricHistogram> implements MetricHistogram {
  readonly kind = "histogram";
  record(value: number, extraTags?: MetricTags): void {
    this.parent.record(value, this.tags(extraTags));
  }
  withTags(tags: MetricTags): MetricHistogram {
    const chain = this.chainWith(tags);
    return chain === this.contributors ? this : new ComposedHistogram(this.parent, chain);
  }
}

class ComposedGauge extends ComposedMetric<MetricGauge> implements MetricGauge {
  readonly kind = "gauge";
  set(value: number, extraTags?: MetricTags): void {
    this.parent.set(value, this.tags(extraTags));
  }
  withTags(tags: MetricTags): MetricGauge {
    const chain = this.chainWith(tags);
    return chain === this.contributors ? this : new ComposedGauge(this.parent, chain);
  }
}

class ComposedUpDownCounter extends ComposedMetric<MetricUpDownCounter> implements MetricUpDownCounter {
  readonly kind = "up-down-counter";
  override get valueType(): "int" {
    return "int";
  }
  add(value: number, extraTags?: MetricTags): void {
    this.parent.add(value, this.tags(extraTags));
  }
  withTags(tags: MetricTags): MetricUpDownCounter {
    const chain = this.chainWith(tags);
    return chain === this.contributors ? this : new ComposedUpDownCounter(this.parent, chain);
  }
}

/** Later contributors win; null and undefined values are dropped (as official). */
function resolveTags(contributors: readonly MetricTagsOrFunc[], extraTags: MetricTags | undefined): MetricTags {
  const resolved: Record<string, string | number | boolean | null | undefined> = {};
  for (const contributor of contributors) {
    Object.assign(resolved, typeof contributor === "function" ? contributor() : contributor);
  }
  if (extraTags !== undefined) Object.assign(resolved, extraTags);
  for (const key of Object.keys(resolved)) {
    if (resolved[key] === null || resolved[key] === undefined) delete resolved[key];
  }
  return resolved as MetricTags;
}

/**
 * The chain with `next` appended; the same array when `next` changes nothing (an empty
 * object), so callers can return themselves. Consecutive static objects merge into one.
 */
function appendContributor(chain: readonly MetricTagsOrFunc[], next: MetricTagsOrFunc): readonly MetricTagsOrFunc[] {
  if (typeof next === "object" && Object.keys(next).length === 0) return chain;
  if (chain.length === 0) return [next];
  const last = chain[chain.length - 1];
  if (typeof last === "object" && typeof next === "object") {
    const changed = Object.keys(next).some((k) => last[k] !== next[k]);
    if (!changed) return chain;
    return [...chain.slice(0, -1), { ...last, ...next }];
  }
  return [...chain, next];
}
