/**
 * `MockActivityEnvironment`, as in @temporalio/testing: runs an activity function outside a
 * worker, with a real activity Context (the one the worker builds), so `Context.current()`,
 * `heartbeat`, `sleep`, `cancelled`, `cancellationSignal`, `log` and `metricMeter` work as in a
 * worker. Heartbeats are emitted as `'heartbeat'` events; `cancel()` cancels the context as the
 * worker does when the server cancels the activity. Activity interceptors run as on the worker:
 * the factories once, when the environment is made (it has one Context), `execute` around every
 * `run` (with empty headers), `getLogAttributes` / `getMetricTags` at each line / record.
 */
import { EventEmitter } from "node:events";
import { Context, asyncLocalStorage, type ActivityLogger, type CancelReason, type Info } from "../activity/context.js";
import {
  ActivityCancellationDetails,
  CancelledFailure,
  checkOptions,
  composeInterceptors,
  LoggerWithComposedMetadata,
  MetricMeterWithComposedTags,
  noopMetricMeter,
  type ActivityFunction,
  type Logger,
  type MetricMeter,
} from "../common/index.js";
import { DefaultLogger } from "../runtime/index.js";
import { activityLogAttributes } from "../worker/activity.js";
import { describeValue } from "../common/enums.js";
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, ActivityInterceptorsFactory, ActivityOutboundCallsInterceptor } from "../worker/interceptors.js";

export interface MockActivityEnvironmentOptions {
  /** Activity interceptor factories, as the Worker's `interceptors.activity`. */
  interceptors?: ActivityInterceptorsFactory[];
  /** Receives the activity's log lines (with the activity's attributes) and the lines about its runs; default a DefaultLogger. */
  logger?: Logger;
  /** What `Context.metricMeter` records to (with the activity's tags); default the no-op meter. */
  metricMeter?: MetricMeter;
}

const OPTIONS = { name: "MockActivityEnvironment options", supported: ["interceptors", "logger", "metricMeter"], officialOnly: ["client"] };

/** The Info an environment starts from (the official values for the fields both SDKs have). */
export const defaultActivityInfo: Info = {
  attempt: 1,
  taskQueue: "test",
  isLocal: false,
  taskToken: new TextEncoder().encode("test"),
  activityId: "test",
  activityType: "unknown",
  workflowType: "test",
  base64TaskToken: Buffer.from("test").toString("base64"),
  heartbeatTimeoutMs: undefined,
  heartbeatDetails: undefined,
  workflowNamespace: "default",
  workflowExecution: { workflowId: "test", runId: "00000000-0000-0000-0000-000000000000" },
  scheduledTimestampMs: 1,
  startToCloseTimeoutMs: 1000,
  scheduleToCloseTimeoutMs: 1000,
  currentAttemptScheduledTimestampMs: 1,
  startedTimestampMs: 1,
  namespace: "test",
};

export class MockActivityEnvironment extends EventEmitter {
  readonly context: Context;
  private readonly inbound: ActivityInboundCallsInterceptor[] = [];
  /** The lines about runs (sdkComponent worker), as the worker's. */
  private readonly workerLog: Logger;
  /** Cancels the activity: default reason `CANCELLED`, details `{ cancelRequested: true }`, as official. */
  readonly cancel: (reason?: CancelReason, details?: ActivityCancellationDetails) => void;

  constructor(info?: Partial<Info>, options: MockActivityEnvironmentOptions = {}) {
    super();
    checkOptions(OPTIONS, options);
    const fullInfo: Info = { ...defaultActivityInfo, ...info };
    const base: Logger = options.logger ?? new DefaultLogger();
    // As the worker (src/worker/activity.ts): attributes and tags through the outbound interceptors, resolved per line / record.
    const outbound: ActivityOutboundCallsInterceptor[] = [];
    const logAttributes = () => composeInterceptors(outbound, "getLogAttributes", (a) => a)(activityLogAttributes(fullInfo));
    const metricTags = () =>
      composeInterceptors(outbound, "getMetricTags", (t) => t)({ namespace: fullInfo.namespace, taskQueue: fullInfo.taskQueue, activityType: fullInfo.activityType });
    this.workerLog = LoggerWithComposedMetadata.compose(LoggerWithComposedMetadata.compose(base, { sdkComponent: "worker" }), logAttributes);
    const log: ActivityLogger = LoggerWithComposedMetadata.compose(this.workerLog, { sdkComponent: "activity" });
    const meter = MetricMeterWithComposedTags.compose(options.metricMeter ?? noopMetricMeter, metricTags);
    const abort = new AbortController();
    let reject!: (err: unknown) => void;
    const cancelled = new Promise<never>((_, r) => (reject = r));
    cancelled.catch(() => undefined); // the activity may never look at it
    this.context = new Context(fullInfo, cancelled, abort.signal, (details) => this.emit("heartbeat", details), log, meter);
    const interceptors = options.interceptors ?? [];
    if (!Array.isArray(interceptors)) throw new TypeError(`MockActivityEnvironment option interceptors: expected an array of ActivityInterceptorsFactory, got ${describeValue(interceptors)}`);
    interceptors.forEach((factory, i) => {
      if (typeof factory !== "function") throw new TypeError(`MockActivityEnvironment option interceptors[${i}]: expected a function, got ${describeValue(factory)}`);
      const made = factory(this.context);
      if (typeof made !== "object" || made === null) throw new TypeError(`MockActivityEnvironment option interceptors[${i}] returned ${describeValue(made)}; expected { inbound?, outbound? }`);
      if (made.inbound) this.inbound.push(made.inbound);
      if (made.outbound) outbound.push(made.outbound);
    });
    this.cancel = (reason = "CANCELLED", details = new ActivityCancellationDetails({ cancelRequested: true })) => {
      if (abort.signal.aborted) return;
      this.context.cancellationDetails = Object.assign(new ActivityCancellationDetails(details), { reason });
      const err = new CancelledFailure(reason);
      abort.abort(err);
      reject(err);
    };
  }

  /**
   * Runs `fn(...args)` in this environment's context, through the inbound `execute` interceptors
   * (input `{ args, headers: {} }`); resolves or rejects as the chain does. Logs `Activity
   * started` / `Activity completed` / `Activity failed` as the worker does.
   */
  run<P extends unknown[], R, F extends ActivityFunction<P, R>>(fn: F, ...args: P): Promise<R> {
    return asyncLocalStorage.run(this.context, async () => {
      const t0 = performance.now();
      this.workerLog.debug("Activity started");
      try {
        const execute = composeInterceptors(this.inbound, "execute", async (input: ActivityExecuteInput) => fn(...(input.args as P)));
        const result = (await execute({ args, headers: {} })) as R;
        this.workerLog.debug("Activity completed", { durationMs: Math.round(performance.now() - t0) });
        return result;
      } catch (err) {
        this.workerLog.warn("Activity failed", { durationMs: Math.round(performance.now() - t0), error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
        throw err;
      }
    });
  }
}
