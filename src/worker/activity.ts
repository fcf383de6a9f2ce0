/**
 * Activity execution: one `ActivityTask` from core in, one `ActivityTaskCompletion` out.
 *
 * A `start` task runs the registered function in the main realm, inside AsyncLocalStorage
 * with its `Context`; a `cancel` task aborts the matching running activity with core's
 * reason (server cancel, heartbeat timeout, worker shutdown, …). Results and errors go
 * through the data converter; codecs run on the way in and out.
 */
import { create, toBinary } from "@bufbuild/protobuf";
import {
  ActivityCancelReason,
  type ActivityCancellationDetails as CoreCancellationDetails,
  type ActivityTask,
  type Start,
} from "../proto/temporal/sdk/core/activity_task/activity_task_pb.js";
import type { ActivityExecutionResult } from "../proto/temporal/sdk/core/activity_result/activity_result_pb.js";
import { StartSchema } from "../proto/temporal/sdk/core/activity_task/activity_task_pb.js";
import { ActivityHeartbeatSchema, ActivityTaskCompletionSchema } from "../proto/temporal/sdk/core/core_interface_pb.js";
import { FailureSchema, type Failure } from "../proto/temporal/api/failure/v1/message_pb.js";
import type { Payload } from "../proto/temporal/api/common/v1/message_pb.js";
import {
  ActivityCancellationDetails as CommonActivityCancellationDetails,
  ApplicationFailure,
  ApplicationFailureCategory,
  CancelledFailure,
  decodePayloadsInMessage,
  encodePayloadsInMessage,
  composeInterceptors,
  ensureApplicationFailure,
  FAILURE_SOURCE,
  LoggerWithComposedMetadata,
  optionalTsToMs,
  type LoadedDataConverter,
} from "../common/index.js";
import { describeValue } from "../common/enums.js";
import type { NativeWorker } from "../bridge/index.js";
import { Context, CompleteAsyncError, asyncLocalStorage, type ActivityCancellationDetails, type CancelReason, type Info } from "../activity/context.js";
import type { Logger } from "../runtime/index.js";
import type { MetricMeter } from "../common/metrics.js";
import { activityMetricMeter } from "./metrics.js";
import type { LiveStats } from "./live-stats.js";
import type {
  ActivityExecuteInput,
  ActivityInboundCallsInterceptor,
  ActivityInterceptorsFactory,
  ActivityOutboundCallsInterceptor,
  GetMetricTagsInput,
} from "./interceptors.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ActivityFunction = (...args: any[]) => unknown;

interface Running {
  context: Context;
  /** Set once the factories have run (after the argument decoding, as official); empty before. */
  interceptors: { inbound: ActivityInboundCallsInterceptor[]; outbound: ActivityOutboundCallsInterceptor[] };
  /** The activity's log attributes through the outbound `getLogAttributes` interceptors (evaluated per log call). */
  logAttributes(): Record<string, unknown>;
  /**
   * The activity's metric tags (namespace, taskQueue, activityType) through the outbound
   * `getMetricTags` interceptors; for the activity metric meter (evaluated per recording).
   */
  metricTags(): GetMetricTagsInput;
  /** The worker's lines about this activity (sdkComponent worker, with logAttributes()). */
  workerLog: Logger;
  cancel(reason: CancelReason, details: ActivityCancellationDetails): void;
  cancelReason?: CancelReason;
  /** Why the heartbeat details could not be converted or encoded (cancel reason HEARTBEAT_DETAILS_CONVERSION_FAILED). */
  heartbeatError?: string;
  done: boolean;
}

const reasonNames: Record<number, CancelReason> = {
  [ActivityCancelReason.NOT_FOUND]: "NOT_FOUND",
  [ActivityCancelReason.CANCELLED]: "CANCELLED",
  [ActivityCancelReason.TIMED_OUT]: "TIMED_OUT",
  [ActivityCancelReason.WORKER_SHUTDOWN]: "WORKER_SHUTDOWN",
  [ActivityCancelReason.PAUSED]: "PAUSED",
  [ActivityCancelReason.RESET]: "RESET",
};

/** Milliseconds of a core duration; unset and zero are both "not set". */
function durationMs(d: { seconds: bigint; nanos: number } | undefined): number | undefined {
  const ms = optionalTsToMs(d);
  return ms !== undefined && ms > 0 ? ms : undefined;
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}

function isAbortError(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { name?: unknown }).name === "AbortError";
}

export interface ActivityExecutorOptions {
  worker: NativeWorker;
  taskQueue: string;
  activities: Record<string, ActivityFunction>;
  converters: LoadedDataConverter;
  logger: Logger;
  interceptors: readonly ActivityInterceptorsFactory[];
  /** The worker meter; each attempt's `Context.metricMeter` adds its `metricTags()` (src/worker/metrics.ts). */
  metricMeter: MetricMeter;
  /** Live-path counters (src/worker/live-stats.ts), when enabled. */
  stats?: LiveStats;
  /** A completion core refused: the worker cannot continue. */
  onFatal(err: unknown): void;
}

export class ActivityExecutor {
  private readonly running = new Map<string, Running>();
  private readonly tasks = new Set<Promise<void>>();

  constructor(private readonly o: ActivityExecutorOptions) {}

  /** Activities started and not yet completed with core. */
  get inFlight(): number {
    return this.tasks.size;
  }

  /** Resolves when every started activity has been completed with core. */
  async drained(): Promise<void> {
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
  }

  /** Handles one task from the activity poll (does not wait for a started activity). */
  handle(task: ActivityTask): void {
    const key = toBase64(task.taskToken);
    const v = task.variant;
    if (v.case === "start") {
      const p = this.execute(task.taskToken, key, v.value).finally(() => this.tasks.delete(p));
      this.tasks.add(p);
    } else if (v.case === "cancel") {
      const running = this.running.get(key);
      if (running === undefined) {
        // Already completed: core sends cancels it had queued before our completion arrived.
        this.o.logger.debug("Cancel for an activity that is not running", { sdkComponent: "worker", taskToken: key });
        return;
      }
      const reason = reasonNames[v.value.reason] ?? "CANCELLED";
      running.cancel(reason, cancellationDetails(reason, v.value.details));
    }
  }

  private async execute(taskToken: Uint8Array, key: string, start: Start): Promise<void> {
    const { payloadConverter, payloadCodecs } = this.o.converters;
    let result: ActivityExecutionResult["status"];
    let running: Running | undefined;
    const stats = this.o.stats;
    stats?.gauge("activitiesInFlight", 1);
    const tRun = stats ? performance.now() : 0;
    try {
      await decodePayloadsInMessage(payloadCodecs, StartSchema, start);
      const info = activityInfo(taskToken, key, start, this.o.taskQueue, payloadConverter);
      running = this.makeRunning(info, key, start.isLocal);
      this.running.set(key, running);
      result = await this.run(running, start);
    } catch (err) {
      // Decoding the input (or building the context) failed: report it like an activity error.
      result = this.failed(ensureApplicationFailure(err));
    } finally {
      if (running) running.done = true;
      this.running.delete(key);
    }
    const tEncode = stats ? performance.now() : 0;
    if (stats) stats.phase("actRun", tEncode - tRun);
    const completion = create(ActivityTaskCompletionSchema, { taskToken, result: { status: result } });
    try {
      await encodePayloadsInMessage(payloadCodecs, ActivityTaskCompletionSchema, completion);
    } catch (err) {
      completion.result = { $typeName: "coresdk.activity_result.ActivityExecutionResult", status: { case: "failed", value: { $typeName: "coresdk.activity_result.Failure", failure: this.toFailure(err), cause: 0 } } };
    }
    let bytes: Uint8Array;
    try {
      bytes = toBinary(ActivityTaskCompletionSchema, completion);
    } catch (err) {
      // A converter produced a message protobuf cannot encode: report that instead.
      const failure = create(FailureSchema, { message: `Could not serialize the activity result: ${err instanceof Error ? err.message : String(err)}` });
      bytes = toBinary(ActivityTaskCompletionSchema, create(ActivityTaskCompletionSchema, { taskToken, result: { status: { case: "failed", value: { failure } } } }));
    }
    try {
      if (stats) {
        stats.phase("actEncode", performance.now() - tEncode);
        const t = performance.now();
        try {
          await this.o.worker.completeActivityTask(bytes);
        } finally {
          stats.wait("completeActivity", performance.now() - t);
          stats.gauge("activitiesInFlight", -1);
          stats.completed();
        }
      } else {
        await this.o.worker.completeActivityTask(bytes);
      }
    } catch (err) {
      this.o.onFatal(err);
    }
  }

  private makeRunning(info: Info, key: string, isLocal: boolean): Running {
    const abort = new AbortController();
    let reject!: (err: unknown) => void;
    const cancelled = new Promise<never>((_, r) => (reject = r));
    cancelled.catch(() => undefined); // the activity may never look at it
    const base = this.o.logger;
    const running: Running = {
      context: undefined as unknown as Context,
      interceptors: { inbound: [], outbound: [] },
      logAttributes: () => composeInterceptors(running.interceptors.outbound, "getLogAttributes", (a) => a)(activityLogAttributes(info)),
      metricTags: () =>
        composeInterceptors(running.interceptors.outbound, "getMetricTags", (t) => t)({ namespace: info.namespace, taskQueue: info.taskQueue, activityType: info.activityType }),
      // As official: the interceptors' attributes are resolved at each log call; the line's own metadata wins.
      workerLog: LoggerWithComposedMetadata.compose(LoggerWithComposedMetadata.compose(base, { sdkComponent: "worker" }), () => running.logAttributes()),
      done: false,
      cancel: (reason, details) => {
        if (running.cancelReason !== undefined) return;
        running.cancelReason = reason;
        running.context.cancellationDetails = details;
        const err = new CancelledFailure(reason);
        abort.abort(err);
        reject(err);
      },
    };
    // The activity's own logger: as official, sdkComponent comes after the interceptors' attributes (they cannot change it).
    const log = LoggerWithComposedMetadata.compose(LoggerWithComposedMetadata.compose(base, () => running.logAttributes()), { sdkComponent: "activity" });
    // Heartbeats keep their order even when a codec makes encoding asynchronous.
    let chain: Promise<void> = Promise.resolve();
    // As official: details the converter (or a codec) refuses cancel the activity, which then
    // fails (retryable) with HEARTBEAT_DETAILS_CONVERSION_FAILED. Ours also names the value's
    // kind and path (the converter's message) in the log line and the failure's message.
    const conversionFailed = (err: unknown) => {
      if (running.done || running.cancelReason !== undefined) return;
      const text = err instanceof Error ? err.message : String(err);
      running.heartbeatError = text;
      running.workerLog.warn(`Failed to encode heartbeat details, cancelling Activity: ${text}`, { error: err });
      running.cancel("HEARTBEAT_DETAILS_CONVERSION_FAILED", cancellationDetails("HEARTBEAT_DETAILS_CONVERSION_FAILED", undefined));
    };
    const heartbeat = (details?: unknown) => {
      if (running.done || isLocal) return;
      let payloads: Payload[];
      try {
        payloads = details === undefined ? [] : [this.o.converters.payloadConverter.toPayload(details) as Payload];
      } catch (err) {
        conversionFailed(err);
        return;
      }
      const hb = create(ActivityHeartbeatSchema, { taskToken: info.taskToken, details: payloads });
      const send = () => {
        if (running.done) return;
        try {
          this.o.worker.recordActivityHeartbeat(toBinary(ActivityHeartbeatSchema, hb));
        } catch (err) {
          log.warn("Recording a heartbeat failed", { error: err instanceof Error ? err.message : String(err) });
        }
      };
      if (this.o.converters.payloadCodecs.length === 0) send();
      else chain = chain.then(() => encodePayloadsInMessage(this.o.converters.payloadCodecs, ActivityHeartbeatSchema, hb)).then(send, conversionFailed);
    };
    running.context = new Context(info, cancelled, abort.signal, heartbeat, log, activityMetricMeter(this.o.metricMeter, () => running.metricTags()));
    void key;
    return running;
  }

  private async run(running: Running, start: Start): Promise<ActivityExecutionResult["status"]> {
    const { payloadConverter } = this.o.converters;
    const ctx = running.context;
    // As official: an unregistered type falls back to an activity registered as "default".
    const fn = this.o.activities[start.activityType] ?? this.o.activities.default;
    const t0 = performance.now();
    const workerLog = (level: "debug" | "warn", m: string, meta: Record<string, unknown>) => running.workerLog[level](m, meta);
    return asyncLocalStorage.run(ctx, async (): Promise<ActivityExecutionResult["status"]> => {
      try {
        if (fn === undefined) {
          // The official worker's failure, word for word: retryable (another worker on the
          // task queue may have the activity, or a deploy may add it), type NotFoundError.
          const err = ApplicationFailure.create({
            type: "NotFoundError",
            message: `Activity function ${start.activityType} is not registered on this Worker, available activities: ${JSON.stringify(Object.keys(this.o.activities))}`,
            nonRetryable: false,
          });
          this.o.logger.error(`Error while processing ActivityTask.start: ${err.message}`, { sdkComponent: "worker", ...activityLogAttributes(ctx.info) });
          return this.failed(err);
        }
        let args: unknown[];
        try {
          args = start.input.map((p) => payloadConverter.fromPayload(p));
        } catch (err) {
          // As official: a retryable ApplicationFailure naming the activity (type: the error's class),
          // reported as a task that could not start (no interceptor runs, no "Activity started").
          const failure = ApplicationFailure.fromError(err, {
            message: `Failed to parse activity args for activity ${start.activityType}: ${err instanceof Error ? err.message : String(err)}`,
            nonRetryable: false,
          });
          this.o.logger.error(`Error while processing ActivityTask.start: ${failure.message}`, { sdkComponent: "worker", ...activityLogAttributes(ctx.info), error: err });
          return this.failed(failure);
        }
        try {
          this.instantiateInterceptors(running);
        } catch (err) {
          // As official: a factory that throws fails the attempt as a task that could not start.
          const failure = ensureApplicationFailure(err);
          this.o.logger.error(`Error while processing ActivityTask.start: ${failure.message}`, { sdkComponent: "worker", ...activityLogAttributes(ctx.info), error: err });
          return this.failed(failure);
        }
        const execute = composeInterceptors(running.interceptors.inbound, "execute", async (input: ActivityExecuteInput) => fn(...input.args));
        workerLog("debug", "Activity started", {});
        // The headers as they arrived (never codec-decoded, as official).
        const value = await execute({ args, headers: start.headerFields });
        workerLog("debug", "Activity completed", { durationMs: Math.round(performance.now() - t0) });
        return { case: "completed", value: { $typeName: "coresdk.activity_result.Success", result: payloadConverter.toPayload(value) as Payload } };
      } catch (err) {
        const durationMs = Math.round(performance.now() - t0);
        if (err instanceof CompleteAsyncError) {
          if (start.isLocal) {
            // Core rejects "will complete async" for a local activity, and a rejected
            // completion is fatal to the worker: fail the attempt with a clear reason instead.
            workerLog("warn", "Local activity threw CompleteAsyncError", { durationMs });
            return this.failed(
              ApplicationFailure.nonRetryable(
                `Local activity '${start.activityType}' threw CompleteAsyncError, but local activities cannot complete asynchronously; schedule it as a regular activity`,
                "CompleteAsyncError",
              ),
            );
          }
          workerLog("debug", "Activity will complete asynchronously", { durationMs });
          return { case: "willCompleteAsync", value: { $typeName: "coresdk.activity_result.WillCompleteAsync" } };
        }
        const reason = running.cancelReason;
        if (reason === "HEARTBEAT_DETAILS_CONVERSION_FAILED") {
          const why = running.heartbeatError === undefined ? "" : `: heartbeat details could not be converted: ${running.heartbeatError}`;
          return this.failed(ApplicationFailure.retryable(`${reason}${why}`, "CancelledFailure"));
        }
        if (reason !== undefined && (err instanceof CancelledFailure || isAbortError(err))) {
          const details = ctx.cancellationDetails;
          if (err instanceof CancelledFailure && details?.reset) {
            // As official: a reset or paused activity fails its attempt (retryable) instead
            // of completing as cancelled, so the server retries it once reset/unpaused.
            workerLog("debug", "Activity reset", { durationMs });
            return this.failed(new ApplicationFailure("Activity reset", "ActivityReset"));
          }
          if (err instanceof CancelledFailure && details?.paused) {
            workerLog("debug", "Activity paused", { durationMs });
            return this.failed(new ApplicationFailure("Activity paused", "ActivityPause"));
          }
          workerLog("debug", "Activity completed as cancelled", { durationMs, reason });
          // An AbortError carries nothing of ours: official sends an empty cancelled failure.
          const failure = err instanceof CancelledFailure ? this.toFailure(err) : create(FailureSchema, { source: FAILURE_SOURCE, failureInfo: { case: "canceledFailureInfo", value: {} } });
          failure.stackTrace = "";
          return { case: "cancelled", value: { $typeName: "coresdk.activity_result.Cancellation", failure } };
        }
        if (err instanceof ApplicationFailure && err.category === ApplicationFailureCategory.BENIGN) {
          workerLog("debug", "Activity failed", { durationMs, error: `${err.name}: ${err.message}` });
        } else {
          workerLog("warn", "Activity failed", { durationMs, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
        }
        // As official: whatever was thrown becomes an ApplicationFailure (type: its class name).
        return this.failed(ensureApplicationFailure(err));
      }
    });
  }

  /**
   * Calls every factory with the attempt's Context, in order (the official Activity constructor's
   * work): the inbound and outbound interceptors each returned, in list order.
   */
  private instantiateInterceptors(running: Running): void {
    const inbound: ActivityInboundCallsInterceptor[] = [];
    const outbound: ActivityOutboundCallsInterceptor[] = [];
    this.o.interceptors.forEach((factory, i) => {
      const made = factory(running.context);
      if (typeof made !== "object" || made === null) {
        throw new TypeError(`Activity interceptor factory ${i} (of WorkerOptions.interceptors activityInbound then activity) returned ${describeValue(made)}; expected { inbound?, outbound? }`);
      }
      if (made.inbound) inbound.push(made.inbound);
      if (made.outbound) outbound.push(made.outbound);
    });
    // Set at once, so a log call made by a factory used the attributes without interceptors (as official).
    running.interceptors = { inbound, outbound };
  }

  private failed(err: unknown): ActivityExecutionResult["status"] {
    return { case: "failed", value: { $typeName: "coresdk.activity_result.Failure", failure: this.toFailure(err), cause: 0 } };
  }

  private toFailure(err: unknown): Failure {
    const { failureConverter, payloadConverter } = this.o.converters;
    try {
      return failureConverter.errorToFailure(err, payloadConverter) as Failure;
    } catch {
      const e = err as { message?: string; stack?: string } | undefined;
      return create(FailureSchema, { message: String(e?.message ?? err), stackTrace: e?.stack ?? "" });
    }
  }

  /**
   * Cancels every running activity with `reason` (used when the worker fails and cannot
   * wait for core's own shutdown cancellation).
   */
  cancelAll(reason: CancelReason): void {
    for (const r of this.running.values()) r.cancel(reason, cancellationDetails(reason, undefined));
  }
}

/**
 * The flags come from core's details only, all false when it sent none (as the official
 * `ActivityCancellationDetails.fromProto`, e.g. for the worker's own shutdown cancellation);
 * `reason` is ours, always set.
 */
function cancellationDetails(reason: CancelReason, d: CoreCancellationDetails | undefined): ActivityCancellationDetails {
  const flags = new CommonActivityCancellationDetails({
    notFound: d?.isNotFound ?? false,
    cancelRequested: d?.isCancelled ?? false,
    paused: d?.isPaused ?? false,
    timedOut: d?.isTimedOut ?? false,
    workerShutdown: d?.isWorkerShutdown ?? false,
    reset: d?.isReset ?? false,
  });
  return Object.assign(flags, { reason });
}

function activityInfo(taskToken: Uint8Array, base64TaskToken: string, s: Start, taskQueue: string, payloadConverter: LoadedDataConverter["payloadConverter"]): Info {
  const heartbeatPayload = s.heartbeatDetails[0];
  return {
    taskToken,
    base64TaskToken,
    activityId: s.activityId,
    activityType: s.activityType,
    taskQueue,
    workflowNamespace: s.workflowNamespace,
    namespace: s.workflowNamespace,
    workflowType: s.workflowType,
    workflowExecution: { workflowId: s.workflowExecution?.workflowId ?? "", runId: s.workflowExecution?.runId ?? "" },
    isLocal: s.isLocal,
    attempt: s.attempt,
    heartbeatDetails: heartbeatPayload === undefined ? undefined : payloadConverter.fromPayload(heartbeatPayload),
    heartbeatTimeoutMs: durationMs(s.heartbeatTimeout),
    scheduleToCloseTimeoutMs: durationMs(s.scheduleToCloseTimeout),
    startToCloseTimeoutMs: durationMs(s.startToCloseTimeout),
    scheduledTimestampMs: durationMs(s.scheduledTime) ?? 0,
    currentAttemptScheduledTimestampMs: durationMs(s.currentAttemptScheduledTime) ?? 0,
    startedTimestampMs: durationMs(s.startedTime) ?? 0,
  };
}

export function activityLogAttributes(info: Info): Record<string, unknown> {
  return {
    isLocal: info.isLocal,
    attempt: info.attempt,
    // info.namespace as official (the worker sets it to the workflow's namespace).
    namespace: info.namespace,
    taskToken: info.base64TaskToken,
    workflowId: info.workflowExecution.workflowId,
    workflowRunId: info.workflowExecution.runId,
    workflowType: info.workflowType,
    activityId: info.activityId,
    activityType: info.activityType,
    taskQueue: info.taskQueue,
  };
}
