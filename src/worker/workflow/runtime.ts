/**
 * The workflow runtime: turns a WorkflowActivation into a WorkflowActivationCompletion.
 *
 * For each activation, synchronously and under the deadlock deadline:
 *   1. apply every job to the run's state (the activator resolves promises, starts the
 *      workflow function, calls signal and query handlers);
 *   2. drain the microtask queue (bun:jsc drainMicrotasks), re-check blocked conditions,
 *      repeat until nothing changes. Workflow code only ever waits on promises the runtime
 *      resolves, so an empty microtask queue means no further progress is possible;
 *   3. complete with the commands in the order they were produced (query answers included).
 *
 * Activations of all runs are processed one at a time (the sandbox's globals point at one
 * run at a time); an activation is pure CPU work, so serialising them costs no throughput.
 */
import { create } from "@bufbuild/protobuf";
import { drainMicrotasks } from "bun:jsc";
import type { WorkflowActivation } from "../../proto/temporal/sdk/core/workflow_activation/workflow_activation_pb.js";
import {
  WorkflowActivationCompletionSchema,
  type WorkflowActivationCompletion,
} from "../../proto/temporal/sdk/core/workflow_completion/workflow_completion_pb.js";
import { FailureSchema, type Failure } from "../../proto/temporal/api/failure/v1/message_pb.js";
import * as common from "../../common/index.js";
import type { FailureConverter, PayloadConverter } from "../../common/index.js";
import type { Logger } from "../../workflow/interfaces.js";
import type { Conclusion, RunGlobals, RunInstance } from "../../workflow/internals.js";
import type { SinkCall } from "../../workflow/interceptors.js";
import { mapErrorStacks, type StackTraceSupport } from "../../workflow/activator.js";
import { alea, seedBytes, uuid4FromRandom } from "../../workflow/random.js";
import type { WorkflowBundle } from "./bundler.js";
import { Sandbox, WorkflowDeadlockError } from "./sandbox.js";
import { StackTraceMapper, sdkVersion } from "./stack-traces.js";

export interface WorkflowRuntimeOptions {
  /** From bundleWorkflowCode(). */
  bundle: WorkflowBundle;
  /** Reported by workflowInfo(); core's activation does not carry them. */
  namespace: string;
  taskQueue: string;
  /**
   * Defaults to src/common's defaultPayloadConverter. Payloads arrive codec-decoded. Workflow
   * code uses it only when the bundle has no payloadConverterPath module of its own.
   */
  payloadConverter?: PayloadConverter;
  /** Defaults to a src/common DefaultFailureConverter. */
  failureConverter?: FailureConverter;
  /** Receives workflow `log` lines (not during replay) and workflow-task failures. */
  logger?: Logger;
  /** An activation running longer fails the workflow task. Default 5000 (the official isolateExecutionTimeout); 0 disables. */
  deadlockTimeoutMs?: number;
  /**
   * The worker's activity types: workflow code scheduling a local activity of another type
   * fails at the call, as official. Unset (replay): not checked.
   */
  registeredActivityNames?: Iterable<string>;
  /** `__enhanced_stack_trace` answers carry the user's source files (official WorkerOptions.showStackTraceSources). Default false. */
  showStackTraceSources?: boolean;
}

export interface WorkflowRuntime {
  /**
   * Process one activation. The caller guarantees one activation at a time per run; calls
   * for different runs may overlap (they are queued). Never rejects for workflow errors:
   * those become a failed completion.
   */
  activate(activation: WorkflowActivation): Promise<WorkflowActivationCompletion>;
  /** Drop a run from the cache without an activation (e.g. at worker shutdown). */
  evict(runId: string): void;
  /** Runs currently held in memory. */
  readonly cachedRunCount: number;
  /**
   * The sink calls the run's last activation made (proxySinks), taken once: the worker
   * delivers them to its `sinks` after the activation. [] for a run not in the cache.
   */
  takeSinkCalls(runId: string): SinkCall[];
  /** The workflow id and type of a cached run (for log lines about it); undefined when not cached. */
  runIdentity(runId: string): { workflowId: string | undefined; workflowType: string } | undefined;
  /** Evict every run and release the sandbox. activate() rejects afterwards. */
  dispose(): void;
  /**
   * Loads the bundle's modules once, as each new run does, and throws what they throw (a
   * module that throws while loading would fail every workflow task of this worker).
   */
  checkModulesLoad(): void;
}

interface Run {
  runId: string;
  instance: RunInstance;
  workflowType: string;
  /** Set after a deadlock: its state is half-updated and must not run again. */
  broken?: Error;
}

const consoleLogger: Logger = {
  debug: (m, meta) => console.debug(m, meta ?? ""),
  info: (m, meta) => console.info(m, meta ?? ""),
  warn: (m, meta) => console.warn(m, meta ?? ""),
  error: (m, meta) => console.error(m, meta ?? ""),
};

/**
 * While modules load there is no activator yet; give top-level code time and randomness.
 * Top-level Math.random() draws from the run's main stream, which the activator then
 * continues: the official SDK creates its activator before importing user modules.
 */
function bootstrapGlobals(timestampMs: number, seed: bigint): RunGlobals & { random: () => number } {
  const random = alea(seedBytes(seed));
  const notYet = (what: string) => () => {
    throw new Error(`${what} cannot be used while workflow modules are loading`);
  };
  return {
    now: () => timestampMs,
    random,
    uuid4: () => uuid4FromRandom(random),
    setTimeout: notYet("setTimeout()"),
    clearTimeout: notYet("clearTimeout()"),
    log: () => undefined,
    determinismError: (m) => new Error(m),
  };
}

export function createWorkflowRuntime(options: WorkflowRuntimeOptions): WorkflowRuntime {
  return new Runtime(options);
}

class Runtime implements WorkflowRuntime {
  private readonly sandbox: Sandbox;
  private readonly runs = new Map<string, Run>();
  /** Sink calls of evicted runs, until the worker takes them (after the eviction's activation). */
  private readonly evictedSinkCalls = new Map<string, SinkCall[]>();
  private readonly payloadConverter: PayloadConverter;
  private readonly failureConverter: FailureConverter;
  private readonly logger: Logger;
  private readonly deadlockTimeoutMs: number;
  private readonly registeredActivityNames: ReadonlySet<string> | undefined;
  private readonly stackTraces: StackTraceSupport;
  private readonly queue: { activation: WorkflowActivation; resolve: (c: WorkflowActivationCompletion) => void; reject: (e: unknown) => void }[] = [];
  private running = false;
  private disposed = false;

  constructor(private readonly options: WorkflowRuntimeOptions) {
    this.payloadConverter = options.payloadConverter ?? common.defaultPayloadConverter;
    this.failureConverter = options.failureConverter ?? new common.DefaultFailureConverter();
    this.logger = options.logger ?? consoleLogger;
    this.deadlockTimeoutMs = options.deadlockTimeoutMs ?? 5000;
    this.registeredActivityNames = options.registeredActivityNames ? new Set(options.registeredActivityNames) : undefined;
    const mapper = new StackTraceMapper(options.bundle.code);
    this.stackTraces = {
      mapStacks: (raw) => mapper.mapStacks(raw),
      sdk: { name: "typescript", version: sdkVersion() },
      mapErrorStack: (stack) => mapper.mapErrorStack(stack),
      sourceContent: options.showStackTraceSources ? (file) => mapper.sourceContent(file) : undefined,
    };
    this.sandbox = Sandbox.acquire(options.bundle.code, common, (reason) => {
      // Which run made the promise is not known by the time Bun reports it; log, keep going.
      const e = reason as { message?: string; stack?: string } | undefined;
      this.logger.error(`Unhandled promise rejection in workflow code: ${e?.message ?? String(reason)}`, {
        sdkComponent: "workflow",
        namespace: options.namespace,
        taskQueue: options.taskQueue,
        error: reason,
        stack: e?.stack,
      });
    });
    this.sandbox.open();
  }

  get cachedRunCount(): number {
    return this.runs.size;
  }

  runIdentity(runId: string): { workflowId: string | undefined; workflowType: string } | undefined {
    const run = this.runs.get(runId);
    return run && { workflowId: run.instance.activator.info?.workflowId, workflowType: run.workflowType };
  }

  activate(activation: WorkflowActivation): Promise<WorkflowActivationCompletion> {
    if (this.disposed) return Promise.reject(new Error("Workflow runtime is disposed"));
    return new Promise((resolve, reject) => {
      this.queue.push({ activation, resolve, reject });
      this.pump();
    });
  }

  /**
   * Process queued activations one by one. Re-entrant calls (an activate() made by host code
   * whose microtask ran inside our drain) only enqueue; the outer loop picks them up.
   */
  private pump(): void {
    if (this.running) return;
    this.running = true;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
        try {
          next.resolve(this.activateNow(next.activation));
        } catch (err) {
          next.reject(err);
        }
      }
    } finally {
      this.running = false;
    }
  }

  evict(runId: string): void {
    const run = this.runs.get(runId);
    this.runs.delete(runId);
    if (run === undefined) return;
    this.disposeRun(run);
    // Calls made by the run's last activation, or by a dispose interceptor, still go out.
    const calls = run.instance.activator.takeSinkCalls();
    if (calls.length > 0) this.evictedSinkCalls.set(runId, calls);
  }

  takeSinkCalls(runId: string): SinkCall[] {
    const evicted = this.evictedSinkCalls.get(runId);
    if (evicted) {
      this.evictedSinkCalls.delete(runId);
      return evicted;
    }
    return this.runs.get(runId)?.instance.activator.takeSinkCalls() ?? [];
  }

  /** The internals interceptors' `dispose` of a run leaving the cache (inside the sandbox, under the deadline). */
  private disposeRun(run: Run): void {
    const activator = run.instance.activator;
    if (activator.interceptors.internals.length === 0 || run.broken) return;
    // As in activateNow: the host's queued microtasks run before the watchdog starts, so the
    // deadline can only ever interrupt workflow code, never a host continuation.
    drainMicrotasks();
    try {
      this.sandbox.runWithDeadline(() => {
        this.sandbox.current = run.instance.globals;
        try {
          activator.dispose();
          drainMicrotasks();
        } finally {
          this.sandbox.current = undefined;
        }
      }, this.deadlockTimeoutMs);
    } catch (err) {
      this.sandbox.current = undefined;
      if (err instanceof WorkflowDeadlockError) this.sandbox.flushAfterDeadlock();
      this.logger.error(`Workflow interceptor dispose failed: ${(err as Error)?.message ?? String(err)}`, {
        sdkComponent: "workflow",
        runId: run.runId,
        workflowType: run.workflowType,
        namespace: this.options.namespace,
        taskQueue: this.options.taskQueue,
        error: err,
      });
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.runs.clear();
    this.evictedSinkCalls.clear();
    this.sandbox.close();
    Sandbox.release(this.sandbox);
    for (const q of this.queue.splice(0)) q.reject(new Error("Workflow runtime is disposed"));
  }

  checkModulesLoad(): void {
    // As in activateNow: host microtasks never run under the watchdog.
    drainMicrotasks();
    try {
      this.sandbox.runWithDeadline(() => {
        this.sandbox.current = bootstrapGlobals(Date.now(), 0n);
        try {
          this.runConverters(this.sandbox.instantiate());
        } finally {
          this.sandbox.current = undefined;
        }
      }, this.deadlockTimeoutMs);
    } catch (err) {
      this.sandbox.current = undefined;
      if (err instanceof WorkflowDeadlockError) this.sandbox.flushAfterDeadlock();
      mapErrorStacks(err, this.stackTraces.mapErrorStack);
      throw err;
    }
  }

  private activateNow(activation: WorkflowActivation): WorkflowActivationCompletion {
    const runId = activation.runId;
    const jobs = activation.jobs;
    if (jobs.some((j) => j.variant.case === "removeFromCache")) {
      // Eviction comes alone; the run's pending promises are simply dropped with it, so no
      // workflow code (not even `finally` blocks) runs after this point — except the
      // internals interceptors' dispose, as official.
      this.evict(runId);
      return this.success(runId, []);
    }

    let run = this.runs.get(runId);
    if (run?.broken) return this.failure(runId, run.broken, run.workflowType);
    const init = jobs[0]?.variant.case === "initializeWorkflow" ? jobs[0].variant.value : undefined;
    if (run === undefined && init === undefined) {
      return this.failure(runId, new Error(`Run ${runId} is not in the workflow cache and the activation does not initialize it`), "?");
    }

    const workflowType = run?.workflowType ?? init!.workflowType;
    // Bun has one microtask queue for every realm, and the drains below run it whole. Run
    // the host's queued microtasks (worker loops, the bridge's wake-pipe reader) *before*
    // the deadlock watchdog starts: if they ran under it and the deadline hit while one of
    // them executed, that host continuation would be terminated and never resume (e.g. the
    // bridge would stop delivering completions and the worker would hang). After this,
    // only workflow code runs under the watchdog, and only workflow continuations are left
    // for flushAfterDeadlock to interrupt.
    drainMicrotasks();
    let conclusion: Conclusion;
    try {
      conclusion = this.sandbox.runWithDeadline(() => {
        if (run === undefined) {
          run = this.createRun(runId, workflowType, activation, init!.randomnessSeed);
          this.runs.set(runId, run);
        }
        const { activator, globals } = run.instance;
        this.sandbox.current = globals;
        try {
          activator.activate(activation);
          drainMicrotasks();
          // As the official SDK (tryUnblockConditionsAndMicrotasks): re-check passes until one
          // unblocks nothing, then the microtasks, again while anything was unblocked. How many
          // passes run is visible to predicates that count their calls, so it must match.
          for (;;) {
            const unblocked = activator.tryUnblockConditions();
            drainMicrotasks();
            if (unblocked === 0) break;
          }
          return activator.conclude();
        } finally {
          this.sandbox.current = undefined;
        }
      }, this.deadlockTimeoutMs);
    } catch (err) {
      this.sandbox.current = undefined;
      if (err instanceof WorkflowDeadlockError) {
        this.sandbox.flushAfterDeadlock();
        if (run) run.broken = err;
      }
      return this.failure(runId, err, workflowType);
    }
    if ("taskFailure" in conclusion) return this.failure(runId, conclusion.taskFailure, workflowType);
    return this.success(runId, conclusion.commands, conclusion.usedInternalFlags);
  }

  /** Instantiate the bundle for a new run; module top-level code runs here. */
  private createRun(runId: string, workflowType: string, activation: WorkflowActivation, seed: bigint): Run {
    const timestampMs = activation.timestamp ? common.tsToMs(activation.timestamp) : 0;
    const bootstrap = bootstrapGlobals(timestampMs, seed);
    const random = bootstrap.random;
    this.sandbox.current = bootstrap;
    try {
      const exports = this.sandbox.instantiate();
      const internals = exports.__internals as typeof import("../../workflow/internals.js");
      const instance = internals.createRun({
        runId,
        namespace: this.options.namespace,
        taskQueue: this.options.taskQueue,
        workflows: exports.workflows as Record<string, unknown>,
        ...this.runConverters(exports),
        logger: this.logger,
        wallClock: () => Date.now(),
        randomness: { seed, random },
        unsafeRandom: () => Math.random(),
        registeredActivityNames: this.registeredActivityNames,
        stackTraces: this.stackTraces,
        interceptorModules: exports.__interceptorModules as Record<string, unknown>[] | undefined,
      });
      return { runId, instance, workflowType };
    } finally {
      this.sandbox.current = undefined;
    }
  }

  /**
   * A run converts with the bundle's own instance of the converter modules it was built with
   * (payloadConverterPath / failureConverterPath: evaluated in the sandbox, per run, like the
   * workflow modules), else with the host's converters. A module whose export is missing or
   * malformed throws a ValueError naming the path: that fails the workflow task.
   */
  private runConverters(exports: Record<string, unknown>): { payloadConverter: PayloadConverter; failureConverter: FailureConverter } {
    const { payloadConverterPath, failureConverterPath } = this.options.bundle;
    return {
      payloadConverter: payloadConverterPath
        ? common.converterFromModule(exports.__payloadConverterModule, payloadConverterPath, "payloadConverterPath")
        : this.payloadConverter,
      failureConverter: failureConverterPath
        ? common.converterFromModule(exports.__failureConverterModule, failureConverterPath, "failureConverterPath")
        : this.failureConverter,
    };
  }

  private success(runId: string, commands: Conclusion["commands"], usedInternalFlags: number[] = []): WorkflowActivationCompletion {
    return create(WorkflowActivationCompletionSchema, { runId, status: { case: "successful", value: { commands, usedInternalFlags } } });
  }

  /** Fail the workflow task: core retries it later; the workflow stays open. */
  private failure(runId: string, err: unknown, workflowType: string): WorkflowActivationCompletion {
    // The log and the WorkflowTaskFailed event name the user's files, not bundle positions.
    mapErrorStacks(err, this.stackTraces.mapErrorStack);
    const e = err as { name?: string; message?: string; stack?: string } | undefined;
    this.logger.error(`Workflow task failed: ${e?.name ?? "Error"}: ${e?.message ?? String(err)}`, {
      sdkComponent: "workflow",
      runId,
      workflowType,
      namespace: this.options.namespace,
      taskQueue: this.options.taskQueue,
      error: err,
      stack: e?.stack,
    });
    let failure: Failure;
    try {
      failure = this.failureConverter.errorToFailure(err, this.payloadConverter) as Failure;
    } catch {
      failure = create(FailureSchema, { message: String(e?.message ?? err), stackTrace: e?.stack ?? "" });
    }
    return create(WorkflowActivationCompletionSchema, { runId, status: { case: "failed", value: { failure } } });
  }
}
