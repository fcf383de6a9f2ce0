/**
 * `metricMeter` in workflow code, as @temporalio/workflow 1.24: replay-safe (nothing is
 * recorded while the run replays history), values checked in the workflow, tags composed at
 * every record from the run's `workflowType` through the outbound `getMetricTags`
 * interceptors, then the record's own tags. Records travel to the worker as calls of the
 * built-in `__temporal_metrics` sink (after the activation, as official), and the worker
 * records them on core's meter with its namespace and task queue (src/worker/metrics.ts).
 */
import {
  MetricMeterWithComposedTags,
  composeInterceptors,
  type MetricCounter,
  type MetricGauge,
  type MetricHistogram,
  type MetricMeter,
  type MetricTags,
  type NumericMetricValueType,
} from "../common/index.js";
import { getActivator, maybeGetActivator } from "./activator.js";
import { IllegalStateError } from "./errors.js";
import type { Sink, Sinks } from "./interceptors.js";
import { proxySinks } from "./sinks.js";

/** The built-in sink that carries workflow metrics to the worker (official names and arguments). */
export interface WorkflowMetricMeter extends Sink {
  addMetricCounterValue(metricName: string, unit: string | undefined, description: string | undefined, value: number, attrs: MetricTags): void;
  recordMetricHistogramValue(
    metricName: string,
    valueType: NumericMetricValueType,
    unit: string | undefined,
    description: string | undefined,
    value: number,
    attrs: MetricTags,
  ): void;
  setMetricGaugeValue(
    metricName: string,
    valueType: NumericMetricValueType,
    unit: string | undefined,
    description: string | undefined,
    value: number,
    attrs: MetricTags,
  ): void;
}
export interface MetricSinks extends Sinks {
  __temporal_metrics: WorkflowMetricMeter;
}

const metricSink = proxySinks<MetricSinks>().__temporal_metrics;

function assertInWorkflow(): void {
  if (maybeGetActivator() === undefined) throw new IllegalStateError("Workflow's `metricMeter` can only be used while in Workflow Context");
}

/** Checked in the workflow, so a bad value fails where it is recorded (official message). */
function checkValue(kind: string, value: number): void {
  if (value < 0) throw new Error(`${kind} value must be non-negative (got ${value})`);
}

/** Skipped entirely while replaying history: forwarding would only be dropped by the worker. */
const replaying = () => getActivator().info!.unsafe.isReplaying;

class WorkflowMetricCounter implements MetricCounter {
  readonly kind = "counter";
  readonly valueType = "int";
  constructor(
    readonly name: string,
    readonly unit: string | undefined,
    readonly description: string | undefined,
  ) {}
  add(value: number, extraTags: MetricTags = {}): void {
    checkValue("MetricCounter", value);
    if (!replaying()) metricSink.addMetricCounterValue(this.name, this.unit, this.description, value, extraTags);
  }
  withTags(): MetricCounter {
    throw new Error("withTags is not supported directly on WorkflowMetricCounter");
  }
}

class WorkflowMetricHistogram implements MetricHistogram {
  readonly kind = "histogram";
  constructor(
    readonly name: string,
    readonly valueType: NumericMetricValueType,
    readonly unit: string | undefined,
    readonly description: string | undefined,
  ) {}
  record(value: number, extraTags: MetricTags = {}): void {
    checkValue("MetricHistogram", value);
    if (!replaying()) metricSink.recordMetricHistogramValue(this.name, this.valueType, this.unit, this.description, value, extraTags);
  }
  withTags(): MetricHistogram {
    throw new Error("withTags is not supported directly on WorkflowMetricHistogram");
  }
}

class WorkflowMetricGauge implements MetricGauge {
  readonly kind = "gauge";
  constructor(
    readonly name: string,
    readonly valueType: NumericMetricValueType,
    readonly unit: string | undefined,
    readonly description: string | undefined,
  ) {}
  set(value: number, tags: MetricTags = {}): void {
    checkValue("MetricGauge", value);
    if (!replaying()) metricSink.setMetricGaugeValue(this.name, this.valueType, this.unit, this.description, value, tags);
  }
  withTags(): MetricGauge {
    throw new Error("withTags is not supported directly on WorkflowMetricGauge");
  }
}

class WorkflowMetricMeterImpl implements MetricMeter {
  createCounter(name: string, unit?: string, description?: string): MetricCounter {
    assertInWorkflow();
    return new WorkflowMetricCounter(name, unit, description);
  }
  createHistogram(name: string, valueType: NumericMetricValueType = "int", unit?: string, description?: string): MetricHistogram {
    assertInWorkflow();
    return new WorkflowMetricHistogram(name, valueType, unit, description);
  }
  createGauge(name: string, valueType: NumericMetricValueType = "int", unit?: string, description?: string): MetricGauge {
    assertInWorkflow();
    return new WorkflowMetricGauge(name, valueType, unit, description);
  }
  withTags(): MetricMeter {
    assertInWorkflow();
    throw new Error("withTags is not supported directly on WorkflowMetricMeter");
  }
}

/** The workflow's meter: `{ workflowType }` and the getMetricTags interceptors' tags on every record. */
export const metricMeter: MetricMeter = MetricMeterWithComposedTags.compose(
  new WorkflowMetricMeterImpl(),
  () => {
    const a = maybeGetActivator();
    if (a === undefined) throw new IllegalStateError("Workflow.metricMeter may only be used from workflow context.");
    // namespace and taskQueue are added by the worker, as official.
    const tags: MetricTags = { workflowType: a.info!.workflowType };
    const outbound = a.interceptors.outbound;
    return outbound.length === 0 ? tags : composeInterceptors(outbound, "getMetricTags", (t: MetricTags) => t)(tags);
  },
  true,
);
