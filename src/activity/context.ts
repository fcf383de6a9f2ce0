/**
 * The activity `Context`: what a running activity function can see and do, as in
 * @temporalio/activity. The worker creates one per activity task and runs the function
 * inside `AsyncLocalStorage`, so `Context.current()` (and the top-level helpers) work from
 * anywhere in the activity's async call tree.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { CancelledFailure, msToNumber, type ActivityCancellationDetails as CommonActivityCancellationDetails } from "../common/index.js";
import { noopMetricMeter, type MetricMeter } from "../common/metrics.js";

/** Same shape as the worker's Logger (src/runtime). */
export interface ActivityLogger {
  trace(message: string, meta?: Record<string, unknown>): void;
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

/** Facts about the running activity task, named as in @temporalio/activity's `Info`. */
export interface Info {
  /** What `client.activity.complete()` (and fail/heartbeat/reportCancellation) take for async completion. */
  taskToken: Uint8Array;
  /** The task token, base64 (for logs; decode it back to bytes for `client.activity`). */
  base64TaskToken: string;
  activityId: string;
  activityType: string;
  /** The task queue this worker polls. */
  taskQueue: string;
  /** Namespace of the workflow that scheduled the activity. */
  workflowNamespace: string;
  /** Same as workflowNamespace. */
  namespace: string;
  workflowType: string;
  workflowExecution: { workflowId: string; runId: string };
  isLocal: boolean;
  /** 1 for the first attempt. */
  attempt: number;
  /** The details of the last heartbeat of a previous attempt (decoded), if any. */
  heartbeatDetails: unknown;
  heartbeatTimeoutMs?: number;
  scheduleToCloseTimeoutMs?: number;
  startToCloseTimeoutMs?: number;
  scheduledTimestampMs: number;
  currentAttemptScheduledTimestampMs: number;
  startedTimestampMs: number;
}

/**
 * Why an activity was cancelled: core's ActivityCancelReason names, plus
 * `HEARTBEAT_DETAILS_CONVERSION_FAILED` when the worker could not convert heartbeat details.
 * A heartbeat timeout arrives as `TIMED_OUT`; worker shutdown after the grace time as
 * `WORKER_SHUTDOWN`.
 */
export type CancelReason = "NOT_FOUND" | "CANCELLED" | "TIMED_OUT" | "WORKER_SHUTDOWN" | "PAUSED" | "RESET" | "HEARTBEAT_DETAILS_CONVERSION_FAILED";

/**
 * The flags core reports with a cancellation (several may be true): an instance of
 * src/common's ActivityCancellationDetails (the official class), plus `reason`, ours.
 */
export type ActivityCancellationDetails = CommonActivityCancellationDetails & { readonly reason: CancelReason };

/** Defined in src/common, as @temporalio/common's (which @temporalio/activity re-exports). */
export { CompleteAsyncError } from "../common/index.js";

export class Context {
  /**
   * The context of the activity that is running in the current async call tree. Throws
   * outside of an activity.
   */
  static current(): Context {
    const ctx = asyncLocalStorage.getStore();
    if (ctx === undefined) throw new Error("Activity context is not available: Context.current() was called outside of an activity function");
    return ctx;
  }

  /** @internal Set by the worker when a cancellation arrives. */
  cancellationDetails: ActivityCancellationDetails | undefined;

  constructor(
    readonly info: Info,
    /** Rejects with a `CancelledFailure` when the activity is cancelled; never resolves. */
    readonly cancelled: Promise<never>,
    /** Aborted (with the `CancelledFailure` as reason) when the activity is cancelled. */
    readonly cancellationSignal: AbortSignal,
    private readonly heartbeatFn: (details?: unknown) => void,
    /**
     * Log lines carry the activity's attributes (workflowId, activityType, attempt, …, through the
     * outbound `getLogAttributes` interceptors). Writable, as official (an inbound interceptor may replace it).
     */
    public log: ActivityLogger,
    /**
     * Custom metrics of this activity, recorded into the runtime's exporter with the tags
     * namespace, taskQueue, activityType (and the outbound `getMetricTags` interceptors').
     * The no-op meter when the runtime has no metrics exporter.
     */
    public readonly metricMeter: MetricMeter = noopMetricMeter,
  ) {}

  /**
   * Records a heartbeat with optional `details` (available to the next attempt as
   * `info.heartbeatDetails`). Cheap to call often: core throttles what it sends to the
   * server. Heartbeats are how the server's cancellation reaches a remote activity.
   */
  heartbeat(details?: unknown): void {
    this.heartbeatFn(details);
  }

  /**
   * Waits `ms` (a number of milliseconds or a string like "2s"); rejects with the
   * `CancelledFailure` as soon as the activity is cancelled.
   */
  sleep(ms: number | string): Promise<void> {
    const delay = msToNumber(ms);
    if (this.cancellationSignal.aborted) return Promise.reject(this.cancellationSignal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(this.cancellationSignal.reason);
      };
      const timer = setTimeout(() => {
        this.cancellationSignal.removeEventListener("abort", onAbort);
        resolve();
      }, delay);
      this.cancellationSignal.addEventListener("abort", onAbort, { once: true });
    });
  }
}

/** The worker runs each activity function inside `asyncLocalStorage.run(context, …)`; exported from /activity as officially (for tests that build a Context). */
export const asyncLocalStorage = new AsyncLocalStorage<Context>();

/** `Context.current().info` */
export function activityInfo(): Info {
  return Context.current().info;
}

/** `Context.current().heartbeat(details)` */
export function heartbeat(details?: unknown): void {
  Context.current().heartbeat(details);
}

/** `Context.current().sleep(ms)` */
export function sleep(ms: number | string): Promise<void> {
  return Context.current().sleep(ms);
}

/** `Context.current().cancelled` */
export function cancelled(): Promise<never> {
  return Context.current().cancelled;
}

/** `Context.current().cancellationSignal` */
export function cancellationSignal(): AbortSignal {
  return Context.current().cancellationSignal;
}

/** Whether the activity has been cancelled (and why), or undefined. */
export function cancellationDetails(): ActivityCancellationDetails | undefined {
  return Context.current().cancellationDetails;
}

/** A logger bound to the current activity; usable only inside an activity. */
export const log: ActivityLogger = {
  trace: (m, meta) => Context.current().log.trace(m, meta),
  debug: (m, meta) => Context.current().log.debug(m, meta),
  info: (m, meta) => Context.current().log.info(m, meta),
  warn: (m, meta) => Context.current().log.warn(m, meta),
  error: (m, meta) => Context.current().log.error(m, meta),
};

export { CancelledFailure };

/**
 * The current activity's meter: a shortcut for `Context.current().metricMeter`, resolved at
 * each create call (as official), so it may be imported at module level.
 */
export const metricMeter: MetricMeter = {
  createCounter: (name, unit, description) => Context.current().metricMeter.createCounter(name, unit, description),
  createHistogram: (name, valueType, unit, description) => Context.current().metricMeter.createHistogram(name, valueType, unit, description),
  createGauge: (name, valueType, unit, description) => Context.current().metricMeter.createGauge(name, valueType, unit, description),
  withTags: (tags) => Context.current().metricMeter.withTags(tags),
};
