/**
 * Delivery of workflow sink calls (`proxySinks()` in workflow code) to the Worker's `sinks`,
 * as @temporalio/worker: after the activation, before its completion is sent (so calls of one
 * run reach the sinks in order, activation after activation). A call whose run was replaying
 * history reaches only functions with `callDuringReplay: true` (a replay worker delivers only
 * those); a call to a function that is not injected, or a function that throws, is logged and
 * never fails the workflow.
 */
import type { Logger, MetricTags, NumericMetricValueType } from "../common/index.js";
import type { WorkflowMetricRecorder } from "./metrics.js";
import type { SinkCall, SinkFunction, Sink, Sinks } from "../workflow/interceptors.js";
import type { WorkflowInfo } from "../workflow/interfaces.js";

/** A function injected for a sink function, as official. */
export interface InjectedSinkFunction<F extends SinkFunction> {
  fn(info: WorkflowInfo, ...args: Parameters<F>): void | Promise<void>;
  /** Also call it for calls made while the run replays history (default false). */
  callDuringReplay?: boolean;
}

export type InjectedSink<T extends Sink> = { [P in keyof T]: InjectedSinkFunction<T[P]> };
export type InjectedSinks<T extends Sinks> = { [P in keyof T]: InjectedSink<T[P]> };

/** Checks the shape of `WorkerOptions.sinks`; the message names the bad entry. */
export function checkSinks(sinks: unknown): string | undefined {
  if (sinks === undefined) return undefined;
  if (sinks === null || typeof sinks !== "object" || Array.isArray(sinks)) return "expected an object { [sinkName]: { [fnName]: { fn, callDuringReplay? } } }";
  for (const [iface, fns] of Object.entries(sinks)) {
    if (fns === null || typeof fns !== "object" || Array.isArray(fns)) return `sinks.${iface}: expected an object of injected functions { [fnName]: { fn, callDuringReplay? } }`;
    for (const [name, f] of Object.entries(fns as Record<string, unknown>)) {
      const fn = (f as { fn?: unknown } | null)?.fn;
      if (typeof fn !== "function") return `sinks.${iface}.${name}: expected { fn: (info, ...args) => void, callDuringReplay?: boolean }`;
      const replay = (f as { callDuringReplay?: unknown }).callDuringReplay;
      if (replay !== undefined && typeof replay !== "boolean") return `sinks.${iface}.${name}.callDuringReplay: expected a boolean`;
    }
  }
  return undefined;
}

/**
 * Calls the injected functions for `calls`, concurrently, and waits for them. `replayWorker`:
 * only `callDuringReplay` functions are called (Worker.runReplayHistory).
 */
export async function deliverSinkCalls(
  calls: readonly SinkCall[],
  sinks: InjectedSinks<Sinks> | undefined,
  logger: Logger,
  logAttributes: Record<string, unknown>,
  replayWorker = false,
): Promise<void> {
  if (calls.length === 0) return;
  const pending: Promise<void>[] = [];
  for (const call of calls) {
    // The official SDK's deprecated name of the logger sink.
    const ifaceName = call.ifaceName === "defaultWorkerLogger" ? "__temporal_logger" : call.ifaceName;
    const sink = (sinks as Record<string, Record<string, InjectedSinkFunction<SinkFunction>> | undefined> | undefined)?.[ifaceName]?.[call.fnName];
    if (sink === undefined) {
      logger.error("Workflow referenced an unregistered external sink", { ...logAttributes, ifaceName, fnName: call.fnName });
      continue;
    }
    if (!sink.callDuringReplay && (replayWorker || call.workflowInfo.unsafe.isReplayingHistoryEvents)) continue;
    pending.push(
      (async () => {
        try {
          await sink.fn(call.workflowInfo, ...call.args);
        } catch (error) {
          logger.error("External sink function threw an error", { ...logAttributes, ifaceName, fnName: call.fnName, error, workflowInfo: call.workflowInfo });
        }
      })(),
    );
  }
  await Promise.all(pending);
}

/**
 * The worker's built-in `__temporal_metrics` sink, as official: the calls workflow code's
 * `metricMeter` makes (src/workflow/metrics.ts), recorded on the worker's meter with the
 * workflow's tags. Not called during replay (`callDuringReplay` unset).
 */
export function workflowMetricsSink(recorder: WorkflowMetricRecorder): InjectedSinks<Sinks>[string] {
  type Attrs = MetricTags;
  return {
    addMetricCounterValue: {
      fn: (_info: WorkflowInfo, name: string, unit: string | undefined, description: string | undefined, value: number, tags: Attrs) =>
        recorder.record({ kind: "counter", name, unit, description, value, tags }),
    },
    recordMetricHistogramValue: {
      fn: (_info: WorkflowInfo, name: string, valueType: NumericMetricValueType, unit: string | undefined, description: string | undefined, value: number, tags: Attrs) =>
        recorder.record({ kind: "histogram", valueType, name, unit, description, value, tags }),
    },
    setMetricGaugeValue: {
      fn: (_info: WorkflowInfo, name: string, valueType: NumericMetricValueType, unit: string | undefined, description: string | undefined, value: number, tags: Attrs) =>
        recorder.record({ kind: "gauge", valueType, name, unit, description, value, tags }),
    },
  };
}
