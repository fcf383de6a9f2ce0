/**
 * The worker's metric meters, as @temporalio/worker 1.24 builds them:
 *
 * - the worker meter: `runtime.metricMeter` with `{ namespace, taskQueue }`;
 * - an activity's meter (`Context.current().metricMeter`): the worker meter with the tags of
 *   the activity's outbound `getMetricTags` interceptors (namespace, taskQueue, activityType
 *   by default), evaluated at every record;
 * - workflow metrics: the workflow's replay-safe `metricMeter` hands each record (outside
 *   replay) to `WorkflowMetricRecorder.record` on the host, which records it on the worker
 *   meter with the workflow's tags (workflowType and its `getMetricTags` interceptors).
 */
import { MetricMeterWithComposedTags, type Metric, type MetricMeter, type MetricTags, type NumericMetricValueType } from "../common/metrics.js";
import type { Runtime } from "../runtime/runtime.js";

/** `runtime.metricMeter` tagged with the worker's namespace and task queue (official tag names). */
export function workerMetricMeter(runtime: Runtime, namespace: string, taskQueue: string): MetricMeter {
  return runtime.metricMeter.withTags({ namespace, taskQueue });
}

/** An activity attempt's meter: `tags` is evaluated at every record, as official. */
export function activityMetricMeter(workerMeter: MetricMeter, tags: () => MetricTags): MetricMeter {
  return MetricMeterWithComposedTags.compose(workerMeter, tags);
}

/**
 * One record made by workflow code, as the official `__temporal_metrics` sink carries it:
 * counters add, histograms record, gauges set. `tags` are the workflow's default tags
 * (workflowType, through its `getMetricTags` interceptors) merged with the call's extra tags.
 */
export interface WorkflowMetricRecord {
  kind: "counter" | "histogram" | "gauge";
  /** For histograms and gauges; counters are always `int`. */
  valueType?: NumericMetricValueType;
  name: string;
  unit?: string;
  description?: string;
  value: number;
  tags: MetricTags;
}

/**
 * Records workflow metrics on behalf of runs. Instruments are created once per
 * (kind, valueType, name) and reused (workflow code creates its instrument objects inside
 * the sandbox, so they cannot be shared with the host); the first unit and description
 * given for a name win, as in the official worker's cache.
 */
export class WorkflowMetricRecorder {
  private readonly instruments = new Map<string, Metric>();

  constructor(private readonly workerMeter: MetricMeter) {}

  /**
   * Records `r`. Throws TypeError/Error for a bad kind, name or value (the workflow side
   * validates first, so a throw here is a bug to report, not a workflow failure).
   */
  record(r: WorkflowMetricRecord): void {
    const valueType = r.valueType ?? "int";
    const key = `${r.kind}\0${valueType}\0${r.name}`;
    let metric = this.instruments.get(key);
    switch (r.kind) {
      case "counter": {
        if (metric === undefined) this.instruments.set(key, (metric = this.workerMeter.createCounter(r.name, r.unit, r.description)));
        (metric as ReturnType<MetricMeter["createCounter"]>).add(r.value, r.tags);
        return;
      }
      case "histogram": {
        if (metric === undefined) this.instruments.set(key, (metric = this.workerMeter.createHistogram(r.name, valueType, r.unit, r.description)));
        (metric as ReturnType<MetricMeter["createHistogram"]>).record(r.value, r.tags);
        return;
      }
      case "gauge": {
        if (metric === undefined) this.instruments.set(key, (metric = this.workerMeter.createGauge(r.name, valueType, r.unit, r.description)));
        (metric as ReturnType<MetricMeter["createGauge"]>).set(r.value, r.tags);
        return;
      }
      default:
        throw new TypeError(`workflow metric kind must be 'counter', 'histogram' or 'gauge', got ${JSON.stringify((r as { kind: unknown }).kind)}`);
    }
  }
}
