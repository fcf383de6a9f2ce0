/**
 * The Worker: two poll loops over one core worker, and two-phase shutdown.
 *
 *   INITIALIZED ─run()→ RUNNING ─shutdown()/signal/fatal error→ STOPPING
 *     ─workflow poll reports shutdown→ DRAINING ─both loops ended, in-flight work done,
 *     cached runs evicted→ DRAINED ─finalize + free→ STOPPED   (or FAILED with the error)
 *
 * - Workflow loop: one outstanding poll (core forbids concurrent polls); each activation is
 *   decoded, handed to the workflow runtime, encoded and completed without blocking the next
 *   poll. Activations of one run are chained (strictly in order); different runs overlap up
 *   to the workflow slots core hands out. A completion core refuses is fatal.
 * - Activity loop: one outstanding poll; each task is started (or cancels a running one)
 *   without blocking the next poll (ActivityExecutor).
 * - Shutdown: core's initiate_shutdown ends the polls once in-flight work is done; core gives
 *   running activities `shutdownGraceTime` and then cancels them with reason WORKER_SHUTDOWN
 *   (reported as a retryable failure so another worker retries them). Then finalize, free the
 *   core worker, and close the connection if the worker made it.
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { WorkflowActivationSchema, type WorkflowActivation } from "../proto/temporal/sdk/core/workflow_activation/workflow_activation_pb.js";
import { WorkflowActivationCompletionSchema, type WorkflowActivationCompletion } from "../proto/temporal/sdk/core/workflow_completion/workflow_completion_pb.js";
import { WorkflowCommandSchema } from "../proto/temporal/sdk/core/workflow_commands/workflow_commands_pb.js";
import { ActivityTaskSchema } from "../proto/temporal/sdk/core/activity_task/activity_task_pb.js";
import { FailureSchema } from "../proto/temporal/api/failure/v1/message_pb.js";
import { NativeBridgeError, NativeWorker, bridgeDisabledError, isZigBridgeEnabled, type PollResult } from "../bridge/index.js";
import { decodePayloadsInMessage, defaultFailureConverter, defaultPayloadConverter, encodePayloadsInMessage, type LoadedDataConverter } from "../common/index.js";
import type { Logger } from "../runtime/index.js";
import {
  converterMismatchWarning,
  createWorkflowRuntime,
  hostConvertersForWorkflows,
  WorkflowBundleError,
  workflowBundleFor,
  type WorkflowBundle,
  type WorkflowRuntime,
} from "./workflow/index.js";
import { ActivityExecutor } from "./activity.js";
import { LiveStats, liveStatsEnabled, type LiveStatsSnapshot } from "./live-stats.js";
import { deliverSinkCalls, workflowMetricsSink, type InjectedSinks } from "./sinks.js";
import type { Sinks } from "../workflow/interceptors.js";
import { WorkflowMetricRecorder, workerMetricMeter } from "./metrics.js";
import type { MetricMeter } from "../common/metrics.js";
import { compileActivityInterceptors } from "./interceptors.js";
import { sdkVersion } from "./workflow/stack-traces.js";
import { NativeConnection } from "./connection.js";
import { GracefulShutdownPeriodExpiredError, IllegalStateError, NamespaceNotFoundError, UnexpectedError, WorkerOptionsError, WorkerValidationError } from "./errors.js";
import { nativeWorkerOptions, parseWorkerOptions, type ParsedWorkerOptions, type WorkerConnection, type WorkerOptions } from "./options.js";
import { runReplayHistories, runReplayHistory, type ReplayHistoriesIterable, type ReplayResult, type ReplayWorkerOptions } from "./replay.js";

export type State = "INITIALIZED" | "RUNNING" | "STOPPING" | "DRAINING" | "DRAINED" | "STOPPED" | "FAILED";

export interface WorkerStatus {
  runState: State;
  numInFlightActivations: number;
  numInFlightActivities: number;
  numCachedWorkflows: number;
  /** Activations completed since run() began. */
  workflowActivationsCompleted: number;
  activityTasksStarted: number;
}

/** How long finalize_shutdown may take before the worker is freed anyway. */
const FINALIZE_TIMEOUT_MS = 10_000;
/** After a fatal error, how long draining may take (beyond shutdownGraceTime) before the worker gives up on it. */
const FATAL_DRAIN_TIMEOUT_MS = 5_000;

function sleepMs(ms: number): Promise<"timeout"> {
  return new Promise((resolve) => setTimeout(() => resolve("timeout"), ms));
}

/** `promise`'s value, or "timeout" after `ms`; the timer never outlives the race. */
async function orTimeout<T>(promise: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([promise, new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The Build Id of a worker created without one, as official (@temporalio/worker's
 * addBuildIdIfMissing, with this package's name): `temporal-bun-sdk@<version>`, plus
 * `+<sha256 of the workflow bundle's code>` when it runs workflows, so changed workflow code is
 * a new Build Id. Core stamps it on the tasks it completes; workflows read it as
 * `workflowInfo().currentBuildId` / `currentDeploymentVersion`.
 */
function defaultBuildId(bundle: WorkflowBundle | undefined): string {
  const suffix = bundle ? `+${new Bun.CryptoHasher("sha256").update(bundle.code).digest("hex")}` : "";
  return `temporal-bun-sdk@${sdkVersion()}${suffix}`;
}

/**
 * The worker's workflow bundle: `workflowBundle` read back (a bundle of ours, or a
 * WorkerOptionsError naming the option), or `workflowsPath` bundled with the data converter's
 * module paths. Undefined for an activity-only worker.
 */
async function workerBundle(o: ParsedWorkerOptions, logger: Logger): Promise<WorkflowBundle | undefined> {
  if (o.workflowBundle !== undefined && o.workflowsPath !== undefined) {
    logger.warn("Ignoring WorkerOptions.workflowsPath because WorkerOptions.workflowBundle is set", { sdkComponent: "worker", taskQueue: o.taskQueue });
  }
  let bundle: WorkflowBundle | undefined;
  try {
    bundle = await workflowBundleFor({
      workflowBundle: o.workflowBundle,
      workflowsPath: o.workflowsPath,
      ignoreModules: o.bundlerIgnoreModules,
      workflowInterceptorModules: o.interceptors?.workflowModules,
      ...o.converterPaths,
    });
  } catch (err) {
    // Bundling errors of workflowsPath keep their own type (they name the import chain).
    if (err instanceof WorkflowBundleError && o.workflowBundle !== undefined) {
      const option = /^workflowBundle\.codePath/.test(err.message) ? "workflowBundle.codePath" : "workflowBundle";
      throw new WorkerOptionsError(option, err.message);
    }
    throw err;
  }
  if (bundle && o.workflowBundle !== undefined) {
    const warning = converterMismatchWarning(bundle, o.converterPaths);
    if (warning) logger.warn(warning, { sdkComponent: "worker", taskQueue: o.taskQueue });
    // As official: a prebuilt bundle carries its own interceptor modules (bundleWorkflowCode's workflowInterceptorModules).
    if ((o.interceptors?.workflowModules ?? []).length > 0) {
      logger.warn(
        "Ignoring WorkerOptions.interceptors.workflowModules because WorkerOptions.workflowBundle is set. " +
          "To use workflow interceptors with a workflowBundle, pass them in the call to bundleWorkflowCode.",
        { sdkComponent: "worker", taskQueue: o.taskQueue },
      );
    }
  }
  return bundle;
}

/**
 * Loads the workflow modules once before the worker starts: a module that throws while loading
 * would fail every workflow task, so Worker.create rejects instead, with the module's error as
 * the cause (its stack names the user's file).
 */
function checkWorkflowModulesLoad(runtime: WorkflowRuntime): void {
  try {
    runtime.checkModulesLoad();
  } catch (err) {
    runtime.dispose();
    const e = err as { name?: string; message?: string; stack?: string } | undefined;
    const at = e?.stack?.split("\n").find((l) => /^\s+at /.test(l))?.trim();
    throw new WorkflowBundleError(
      `Workflow code threw while its modules were loading: ${e?.name ?? "Error"}: ${e?.message ?? String(err)}${at ? ` (${at})` : ""}; every workflow task would fail, so the worker does not start`,
      { cause: err },
    );
  }
}

/** A worker created without `connection` makes (and later closes) its own. */
function defaultConnection(): Promise<WorkerConnection> {
  return NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
}

export class Worker {
  /**
   * Replays one history with the given workflow code (src/worker/replay.ts).
   * @throws DeterminismViolationError if the code is not compatible with the history; ReplayError otherwise.
   */
  static runReplayHistory(options: ReplayWorkerOptions, history: unknown, workflowId?: string): Promise<void> {
    return runReplayHistory(options, history, workflowId);
  }

  /** Replays each history in turn and yields a ReplayResult per history. */
  static async *runReplayHistories(options: ReplayWorkerOptions, histories: ReplayHistoriesIterable): AsyncGenerator<ReplayResult, void, undefined> {
    // Checked here, not left to `for await` ("iterable should have an iterator symbol").
    const h = histories as unknown as Record<symbol, unknown> | null;
    if (h === null || (typeof h !== "object" && typeof h !== "function") || (typeof h[Symbol.asyncIterator] !== "function" && typeof h[Symbol.iterator] !== "function")) {
      throw new TypeError(`runReplayHistories: histories: expected an iterable or async iterable of { workflowId, history }, got ${h === null ? "null" : typeof h === "object" ? "an object that is not iterable" : `${typeof h} ${String(h)}`}`);
    }
    yield* runReplayHistories(options, histories);
  }

  /**
   * Validates the options, connects if no connection is given, bundles the workflow code,
   * creates the core worker and validates it against the server (a bad namespace fails
   * here with NamespaceNotFoundError).
   */
  static async create(options: WorkerOptions): Promise<Worker> {
    if (!isZigBridgeEnabled()) throw bridgeDisabledError("Worker.create");
    const parsed = parseWorkerOptions(options);
    const ownsConnection = parsed.connection === undefined;
    const connection = parsed.connection ?? (await defaultConnection());
    const logger = connection.runtime.logger;
    let native: NativeWorker | undefined;
    try {
      const bundle = await workerBundle(parsed, logger);
      const o: ParsedWorkerOptions = { ...parsed, buildId: parsed.buildId ?? defaultBuildId(bundle) };
      const converters = o.dataConverter;
      native = NativeWorker.create(connection.nativeClient, nativeWorkerOptions(o, bundle !== undefined));
      try {
        await native.validate();
      } catch (err) {
        throw validationError(err, o.namespace);
      }
      const workflowRuntime = bundle
        ? createWorkflowRuntime({
            bundle,
            namespace: o.namespace,
            taskQueue: o.taskQueue,
            ...hostConvertersForWorkflows(bundle, o.converterPaths, converters, { payloadConverter: defaultPayloadConverter, failureConverter: defaultFailureConverter }),
            logger,
            deadlockTimeoutMs: o.isolateExecutionTimeout,
            registeredActivityNames: Object.keys(o.activities),
            showStackTraceSources: o.showStackTraceSources,
          })
        : undefined;
      if (workflowRuntime) checkWorkflowModulesLoad(workflowRuntime);
      return new Worker(o, connection, ownsConnection, native, converters, workflowRuntime, logger);
    } catch (err) {
      if (native) await shutdownIdleWorker(native, parsed.workflowsPath !== undefined || parsed.workflowBundle !== undefined, Object.keys(parsed.activities).length > 0);
      if (ownsConnection) await connection.close().catch(() => undefined);
      throw err;
    }
  }

  private state: State = "INITIALIZED";
  private fatalError: unknown;
  private readonly activities: ActivityExecutor;
  /** The user's sinks and the built-in `__temporal_metrics` one (workflow metricMeter). */
  private readonly sinks: InjectedSinks<Sinks>;
  /** @internal The runtime's meter with `{ namespace, taskQueue }` (src/worker/metrics.ts). */
  readonly metricMeter: MetricMeter;
  /** @internal Records workflow metrics on behalf of runs (src/worker/metrics.ts). */
  readonly workflowMetrics: WorkflowMetricRecorder;
  private readonly inFlightActivations = new Set<Promise<void>>();
  /** Live-path counters (src/worker/live-stats.ts); only with TEMPORAL_BUN_SDK_LIVE_STATS=1. */
  private readonly stats: LiveStats | undefined = liveStatsEnabled() ? new LiveStats() : undefined;
  private activationsCompleted = 0;
  private activityTasksStarted = 0;
  private shutdownStarted?: () => void;
  private readonly shutdownStartedPromise = new Promise<void>((resolve) => (this.shutdownStarted = resolve));
  private signalHandlers: [NodeJS.Signals, () => void][] = [];
  /** Set once draining ended (or was abandoned): the deadline watcher stops. */
  private drainEnded = false;
  private runEnded?: () => void;
  private readonly runEndedPromise = new Promise<void>((resolve) => (this.runEnded = resolve));

  private constructor(
    readonly options: ParsedWorkerOptions,
    readonly connection: WorkerConnection,
    private readonly ownsConnection: boolean,
    private readonly native: NativeWorker,
    private readonly converters: LoadedDataConverter,
    private readonly workflowRuntime: WorkflowRuntime | undefined,
    readonly log: Logger,
  ) {
    this.metricMeter = workerMetricMeter(connection.runtime, options.namespace, options.taskQueue);
    this.workflowMetrics = new WorkflowMetricRecorder(this.metricMeter);
    this.sinks = { ...options.sinks, __temporal_metrics: workflowMetricsSink(this.workflowMetrics) };
    this.activities = new ActivityExecutor({
      worker: native,
      taskQueue: options.taskQueue,
      activities: options.activities,
      converters,
      logger: log,
      interceptors: compileActivityInterceptors(options.interceptors),
      metricMeter: this.metricMeter,
      stats: this.stats,
      onFatal: (err) => this.fail(new UnexpectedError(`Core refused an activity task completion: ${errorText(err)}`, { cause: err })),
    });
  }

  get taskQueue(): string {
    return this.options.taskQueue;
  }

  get namespace(): string {
    return this.options.namespace;
  }

  getState(): State {
    return this.state;
  }

  getStatus(): WorkerStatus {
    return {
      runState: this.state,
      numInFlightActivations: this.inFlightActivations.size,
      numInFlightActivities: this.activities.inFlight,
      numCachedWorkflows: this.workflowRuntime?.cachedRunCount ?? 0,
      workflowActivationsCompleted: this.activationsCompleted,
      activityTasksStarted: this.activityTasksStarted,
    };
  }

  /**
   * @internal The live-path counters when the worker was created with
   * TEMPORAL_BUN_SDK_LIVE_STATS=1 (docs/benchmarks.md, "The live-path stall"); undefined otherwise.
   */
  liveStats(): LiveStatsSnapshot | undefined {
    return this.stats?.snapshot();
  }

  /**
   * Polls and processes tasks until shutdown completes. Resolves after the core worker is
   * freed (state STOPPED); rejects with the fatal error (state FAILED).
   */
  async run(): Promise<void> {
    if (this.state !== "INITIALIZED") throw new IllegalStateError(`Worker.run() may be called once, on a new worker; this worker is ${this.state}`);
    this.state = "RUNNING";
    this.installSignalHandlers();
    this.log.debug("Worker state changed", { sdkComponent: "worker", state: this.state, taskQueue: this.taskQueue, namespace: this.namespace });
    let abandoned = false;
    try {
      const loops: Promise<void>[] = [];
      if (this.workflowRuntime) loops.push(this.workflowLoop(this.workflowRuntime));
      if (this.hasActivityLoop()) loops.push(this.activityLoop());
      else if (this.workflowRuntime === undefined) throw new IllegalStateError("nothing to poll");
      const drained = Promise.all(loops).then(() => "drained" as const);
      const outcome = await Promise.race([drained, this.drainDeadline()]);
      this.drainEnded = true; // stops drainDeadline's timer
      if (outcome !== "drained" && outcome !== undefined) {
        abandoned = true;
        this.fatalError ??= outcome;
        this.activities.cancelAll("WORKER_SHUTDOWN");
      }
      this.workflowRuntime?.dispose(); // evicts every cached run
      if (!abandoned) {
        this.setState("DRAINED");
        const finalized = await orTimeout(
          this.native.finalizeShutdown().then(
            () => "ok" as const,
            (err: unknown) => err,
          ),
          FINALIZE_TIMEOUT_MS,
        );
        if (finalized !== "ok") this.log.warn("Core worker finalize_shutdown did not succeed; freeing the worker anyway", { sdkComponent: "worker", error: errorText(finalized) });
      }
    } finally {
      this.drainEnded = true;
      this.stats?.stop();
      this.runEnded?.();
      this.removeSignalHandlers();
      this.native.free();
      if (this.ownsConnection) await this.connection.close().catch(() => undefined);
      this.connection.runtime.flushLogs?.();
    }
    if (this.fatalError !== undefined) {
      this.setState("FAILED");
      throw this.fatalError;
    }
    this.setState("STOPPED");
  }

  /**
   * Starts a graceful shutdown (phase 1): core stops polling for new work, running
   * activities get `shutdownGraceTime`. Idempotent; `run()` resolves when shutdown completes.
   */
  shutdown(): void {
    if (this.state === "INITIALIZED") {
      // Never ran: nothing to drain. run() afterwards throws.
      this.state = "STOPPED";
      this.workflowRuntime?.dispose();
      void shutdownIdleWorker(this.native, this.workflowRuntime !== undefined, this.hasActivityLoop()).finally(async () => {
        if (this.ownsConnection) await this.connection.close().catch(() => undefined);
      });
      return;
    }
    if (this.state !== "RUNNING") return;
    this.setState("STOPPING");
    try {
      this.native.initiateShutdown();
    } catch (err) {
      this.fatalError ??= err;
    }
    this.shutdownStarted?.();
  }

  /**
   * Runs the worker until `fnOrPromise` settles, then shuts it down and waits for that.
   * Returns the promise's value (or throws its error); throws the worker's error if the
   * worker fails first.
   */
  async runUntil<R>(fnOrPromise: Promise<R> | (() => Promise<R>)): Promise<R> {
    const running = this.run();
    const runEnded = running.then(
      () => ({ kind: "run-ended" as const }),
      (error: unknown) => ({ kind: "run-failed" as const, error }),
    );
    let promise: Promise<R>;
    try {
      promise = typeof fnOrPromise === "function" ? fnOrPromise() : fnOrPromise;
    } catch (err) {
      promise = Promise.reject(err);
    }
    const settled = promise.then(
      (value) => ({ kind: "value" as const, value }),
      (error: unknown) => ({ kind: "error" as const, error }),
    );
    const first = await Promise.race([settled, runEnded]);
    if (first.kind === "run-failed") throw first.error;
    if (first.kind === "run-ended") throw new IllegalStateError("The worker stopped before runUntil's promise settled");
    this.shutdown();
    const end = await runEnded;
    if (end.kind === "run-failed") throw end.error;
    if (first.kind === "error") throw first.error;
    return first.value;
  }

  // ── loops ──────────────────────────────────────────────────────────────────────────────

  private hasActivityLoop(): boolean {
    const hasActivities = Object.keys(this.options.activities).length > 0;
    return hasActivities && (this.options.enableNonLocalActivities || this.workflowRuntime !== undefined);
  }

  private async workflowLoop(runtime: WorkflowRuntime): Promise<void> {
    /** The last activation of each run still in progress: the next one waits for it. */
    const lastOfRun = new Map<string, Promise<void>>();
    const stats = this.stats;
    for (;;) {
      let result: PollResult;
      try {
        // No closure on the common path: stats are off unless TEMPORAL_BUN_SDK_LIVE_STATS is set.
        result = stats ? await stats.timedPoll("pollWorkflow", "pollWorkflowOutstanding", () => this.native.pollWorkflowActivation()) : await this.native.pollWorkflowActivation();
      } catch (err) {
        this.fail(new UnexpectedError(`Workflow activation poll failed: ${errorText(err)}`, { cause: err }));
        break;
      }
      if (result.kind === "shutdown") break;
      let activation: WorkflowActivation;
      try {
        const t = stats ? performance.now() : 0;
        activation = fromBinary(WorkflowActivationSchema, result.bytes);
        if (stats) stats.phase("wfDecode", performance.now() - t);
      } catch (err) {
        this.fail(new UnexpectedError(`Could not decode a workflow activation from core: ${errorText(err)}`, { cause: err }));
        continue;
      }
      const runId = activation.runId;
      const previous = lastOfRun.get(runId);
      const p: Promise<void> = (previous ?? Promise.resolve()).then(() => this.processActivation(runtime, activation));
      lastOfRun.set(runId, p);
      this.inFlightActivations.add(p);
      stats?.gauge("activationsInFlight", 1);
      void p.finally(() => {
        stats?.gauge("activationsInFlight", -1);
        this.inFlightActivations.delete(p);
        if (lastOfRun.get(runId) === p) lastOfRun.delete(runId);
      });
    }
    // The first poller to report shutdown means core stopped handing out work.
    if (this.state === "STOPPING") this.setState("DRAINING");
    while (this.inFlightActivations.size > 0) await Promise.allSettled([...this.inFlightActivations]);
  }

  /**
   * One activation → one completion. Nothing a workflow does can fail the worker here: a codec
   * failure, the runtime refusing, or a completion that cannot be encoded (an invalid value that
   * got past the API's checks) fails this run's workflow task (core retries it, so a fixed
   * deployment picks it up) and is logged with the run's identity. Only core refusing the
   * completion is fatal (docs/worker-runtime.md, "What fails the worker").
   */
  private async processActivation(runtime: WorkflowRuntime, activation: WorkflowActivation): Promise<void> {
    const runId = activation.runId;
    const stats = this.stats;
    stats?.gauge("activationsInJs", 1);
    let completion: WorkflowActivationCompletion;
    try {
      if (stats) {
        let t = performance.now();
        await decodePayloadsInMessage(this.converters.payloadCodecs, WorkflowActivationSchema, activation);
        stats.phase("wfCodecs", performance.now() - t);
        t = performance.now();
        completion = await runtime.activate(activation);
        stats.phase("wfSandbox", performance.now() - t);
        t = performance.now();
        await encodePayloadsInMessage(this.converters.payloadCodecs, WorkflowActivationCompletionSchema, completion);
        stats.phase("wfCodecs", performance.now() - t);
      } else {
        await decodePayloadsInMessage(this.converters.payloadCodecs, WorkflowActivationSchema, activation);
        completion = await runtime.activate(activation);
        await encodePayloadsInMessage(this.converters.payloadCodecs, WorkflowActivationCompletionSchema, completion);
      }
    } catch (err) {
      // A codec failure (or the runtime disposed under us): fail this workflow task; core retries it.
      completion = this.failedCompletion(runtime, activation, `Workflow activation could not be processed: ${errorText(err)}`, err);
    }
    // Sink calls of this activation, before its completion is sent, as official.
    const sinkCalls = runtime.takeSinkCalls(runId);
    const tSinks = stats && sinkCalls.length > 0 ? performance.now() : 0;
    if (sinkCalls.length > 0) {
      const identity = runtime.runIdentity(runId);
      await deliverSinkCalls(sinkCalls, this.sinks, this.log, {
        sdkComponent: "worker",
        namespace: this.namespace,
        taskQueue: this.taskQueue,
        runId,
        workflowId: identity?.workflowId,
        workflowType: identity?.workflowType,
      });
    }
    if (tSinks) stats!.phase("wfSinks", performance.now() - tSinks);
    let bytes: Uint8Array;
    const tEncode = stats ? performance.now() : 0;
    try {
      bytes = toBinary(WorkflowActivationCompletionSchema, completion);
    } catch (err) {
      bytes = toBinary(WorkflowActivationCompletionSchema, this.failedCompletion(runtime, activation, describeEncodingFailure(completion, err), err));
    }
    try {
      if (stats) {
        stats.phase("wfEncode", performance.now() - tEncode);
        stats.gauge("activationsInJs", -1);
        stats.gauge("completionsInFlight", 1);
        const t = performance.now();
        try {
          await this.native.completeWorkflowActivation(bytes);
        } finally {
          stats.wait("completeWorkflow", performance.now() - t);
          stats.gauge("completionsInFlight", -1);
          stats.completed();
        }
      } else {
        await this.native.completeWorkflowActivation(bytes);
      }
      this.activationsCompleted++;
    } catch (err) {
      this.fail(new UnexpectedError(`Core refused the completion of a workflow activation for run ${runId}: ${errorText(err)}`, { cause: err }));
    }
  }

  /**
   * A completion that fails the workflow task with `message`, logged with the run's identity:
   * from the workflow runtime's cache, or from the activation's init job when the run never got
   * there (its first activation could not be decoded).
   */
  private failedCompletion(runtime: WorkflowRuntime, activation: WorkflowActivation, message: string, err: unknown): WorkflowActivationCompletion {
    const runId = activation.runId;
    const init = activation.jobs[0]?.variant.case === "initializeWorkflow" ? activation.jobs[0].variant.value : undefined;
    const identity = runtime.runIdentity(runId) ?? (init && { workflowId: init.workflowId, workflowType: init.workflowType });
    this.log.error(`Workflow task failed: ${message}`, {
      sdkComponent: "worker",
      taskQueue: this.taskQueue,
      namespace: this.namespace,
      runId,
      workflowId: identity?.workflowId,
      workflowType: identity?.workflowType,
    });
    const stackTrace = typeof (err as Error | undefined)?.stack === "string" ? (err as Error).stack! : "";
    return create(WorkflowActivationCompletionSchema, {
      runId,
      status: { case: "failed", value: { failure: create(FailureSchema, { message, stackTrace, source: "TypeScriptSDK" }) } },
    });
  }

  private async activityLoop(): Promise<void> {
    const stats = this.stats;
    for (;;) {
      let result: PollResult;
      try {
        // No closure on the common path: stats are off unless TEMPORAL_BUN_SDK_LIVE_STATS is set.
        result = stats ? await stats.timedPoll("pollActivity", "pollActivityOutstanding", () => this.native.pollActivityTask()) : await this.native.pollActivityTask();
      } catch (err) {
        this.fail(new UnexpectedError(`Activity task poll failed: ${errorText(err)}`, { cause: err }));
        break;
      }
      if (result.kind === "shutdown") {
        if (this.state === "STOPPING") this.setState("DRAINING");
        break;
      }
      try {
        const t = stats ? performance.now() : 0;
        const task = fromBinary(ActivityTaskSchema, result.bytes);
        if (stats) stats.phase("actDecode", performance.now() - t);
        if (task.variant.case === "start") this.activityTasksStarted++;
        this.activities.handle(task);
      } catch (err) {
        this.fail(new UnexpectedError(`Could not decode an activity task from core: ${errorText(err)}`, { cause: err }));
      }
    }
    await this.activities.drained();
  }

  // ── shutdown helpers ───────────────────────────────────────────────────────────────────

  /**
   * Resolves with an error when draining must be abandoned: `shutdownForceTime` after
   * shutdown began, or — after a fatal error, whose unfinished work core may wait on
   * forever — shutdownGraceTime + 5 s. Never resolves otherwise.
   */
  private async drainDeadline(): Promise<Error | undefined> {
    await Promise.race([this.shutdownStartedPromise, this.runEndedPromise]);
    const force = this.options.shutdownForceTime;
    const fatalBound = this.options.shutdownGraceTime + FATAL_DRAIN_TIMEOUT_MS;
    const started = performance.now();
    while (!this.drainEnded) {
      const limit = Math.min(force ?? Infinity, this.fatalError !== undefined ? fatalBound : Infinity);
      const elapsed = performance.now() - started;
      if (elapsed >= limit) {
        return this.fatalError !== undefined && (force === undefined || fatalBound <= force)
          ? new UnexpectedError(`Worker could not drain within ${fatalBound} ms after a fatal error`, { cause: this.fatalError })
          : new GracefulShutdownPeriodExpiredError(`Timed out while waiting for the worker to shut down (shutdownForceTime ${force} ms)`);
      }
      // Re-check at least every 250 ms: a fatal error may arrive after shutdown began.
      await sleepMs(Math.min(250, Number.isFinite(limit) ? limit - elapsed : 250));
    }
    return undefined;
  }

  private fail(err: unknown): void {
    if (this.fatalError === undefined) {
      this.fatalError = err;
      this.log.error(`Worker failed: ${errorText(err)}`, { sdkComponent: "worker", taskQueue: this.taskQueue });
    }
    this.shutdown();
    this.shutdownStarted?.();
  }

  private setState(state: State): void {
    this.state = state;
    this.log.debug("Worker state changed", { sdkComponent: "worker", state, taskQueue: this.taskQueue });
  }

  private installSignalHandlers(): void {
    for (const signal of this.options.shutdownSignals as NodeJS.Signals[]) {
      const handler = () => {
        if (this.state === "RUNNING") {
          this.log.info(`Received ${signal}, shutting down gracefully (send it again to exit immediately)`, { sdkComponent: "worker" });
          this.shutdown();
        } else {
          this.log.warn(`Received ${signal} again during shutdown: exiting now`, { sdkComponent: "worker" });
          process.exit(signal === "SIGINT" ? 130 : 143);
        }
      };
      process.on(signal, handler);
      this.signalHandlers.push([signal, handler]);
    }
  }

  private removeSignalHandlers(): void {
    for (const [signal, handler] of this.signalHandlers) process.off(signal, handler);
    this.signalHandlers = [];
  }
}

/**
 * Two-phase shutdown of a core worker that never ran (failed validation, or shutdown()
 * before run()): initiate, let each enabled poller see "shutdown", finalize, free. Bounded:
 * the worker is freed even if core does not answer.
 */
async function shutdownIdleWorker(native: NativeWorker, workflows: boolean, activities: boolean): Promise<void> {
  try {
    native.initiateShutdown();
    const polls: Promise<unknown>[] = [];
    if (workflows) polls.push(native.pollWorkflowActivation().catch(() => undefined));
    if (activities) polls.push(native.pollActivityTask().catch(() => undefined));
    const done = await orTimeout(Promise.all(polls), FINALIZE_TIMEOUT_MS);
    if (done !== "timeout") await orTimeout(native.finalizeShutdown().catch(() => undefined), FINALIZE_TIMEOUT_MS);
  } catch {
    // freeing below is what matters
  } finally {
    native.free();
  }
}

/**
 * Why a completion could not be encoded, naming the first command that fails on its own (its
 * position and kind) so the log points at the API call that produced it.
 */
function describeEncodingFailure(completion: WorkflowActivationCompletion, err: unknown): string {
  const status = completion.status;
  if (status.case === "successful") {
    const commands = status.value.commands;
    for (let i = 0; i < commands.length; i++) {
      try {
        toBinary(WorkflowCommandSchema, commands[i]!);
      } catch (commandErr) {
        return `could not encode command ${i + 1} of ${commands.length} (${commands[i]!.variant.case ?? "empty"}) of the activation's completion: ${errorText(commandErr)}`;
      }
    }
  }
  return `could not encode the activation's completion: ${errorText(err)}`;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function validationError(err: unknown, namespace: string): Error {
  const message = errorText(err);
  if (err instanceof NativeBridgeError && (err.details.grpcStatus === 5 || /namespace/i.test(message)) && /not found|does not exist|no such/i.test(message)) {
    return new NamespaceNotFoundError(namespace, { cause: err });
  }
  if (/namespace .*not found/i.test(message)) return new NamespaceNotFoundError(namespace, { cause: err });
  return new WorkerValidationError(`The server refused the worker: ${message}`, { cause: err });
}
