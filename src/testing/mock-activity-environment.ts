/**
 * `MockActivityEnvironment`, as in @temporalio/testing: runs an activity function outside a
 * worker, with a real activity Context (the one the worker builds), so `Context.current()`,
 * `heartbeat`, `sleep`, `cancelled`, `cancellationSignal` and `log` work as in a worker.
 * Heartbeats are emitted as `'heartbeat'` events; `cancel()` cancels the context as the worker
 * does when the server cancels the activity.
 */
import { EventEmitter } from "node:events";
import { Context, asyncLocalStorage, type ActivityLogger, type CancelReason, type Info } from "../activity/context.js";
import { ActivityCancellationDetails, CancelledFailure, checkOptions, type ActivityFunction, type Logger } from "../common/index.js";
import { DefaultLogger } from "../runtime/index.js";
import { activityLogAttributes } from "../worker/activity.js";

export interface MockActivityEnvironmentOptions {
  /** Receives the activity's log lines (with the activity's attributes); default a DefaultLogger. */
  logger?: Logger;
}

const OPTIONS = { name: "MockActivityEnvironment options", supported: ["logger"], officialOnly: ["interceptors", "metricMeter", "client"] };

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
  /** Cancels the activity: default reason `CANCELLED`, details `{ cancelRequested: true }`, as official. */
  readonly cancel: (reason?: CancelReason, details?: ActivityCancellationDetails) => void;

  constructor(info?: Partial<Info>, options: MockActivityEnvironmentOptions = {}) {
    super();
    checkOptions(OPTIONS, options);
    const fullInfo: Info = { ...defaultActivityInfo, ...info };
    const base: Logger = options.logger ?? new DefaultLogger();
    const attrs = activityLogAttributes(fullInfo);
    const meta = (m?: Record<string, unknown>) => ({ sdkComponent: "activity", ...attrs, ...m });
    const log: ActivityLogger = {
      trace: (m, x) => base.trace(m, meta(x)),
      debug: (m, x) => base.debug(m, meta(x)),
      info: (m, x) => base.info(m, meta(x)),
      warn: (m, x) => base.warn(m, meta(x)),
      error: (m, x) => base.error(m, meta(x)),
    };
    const abort = new AbortController();
    let reject!: (err: unknown) => void;
    const cancelled = new Promise<never>((_, r) => (reject = r));
    cancelled.catch(() => undefined); // the activity may never look at it
    this.context = new Context(fullInfo, cancelled, abort.signal, (details) => this.emit("heartbeat", details), log);
    this.cancel = (reason = "CANCELLED", details = new ActivityCancellationDetails({ cancelRequested: true })) => {
      if (abort.signal.aborted) return;
      this.context.cancellationDetails = Object.assign(new ActivityCancellationDetails(details), { reason });
      const err = new CancelledFailure(reason);
      abort.abort(err);
      reject(err);
    };
  }

  /** Runs `fn(...args)` in this environment's context; resolves or rejects as the function does. */
  run<P extends unknown[], R, F extends ActivityFunction<P, R>>(fn: F, ...args: P): Promise<R> {
    return asyncLocalStorage.run(this.context, async () => (await fn(...args)) as R);
  }
}
