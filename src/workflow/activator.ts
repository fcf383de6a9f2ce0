/**
 * The state of one workflow run, and how an activation's jobs change it.
 *
 * This module is part of the workflow bundle: the bundle is instantiated once per run, so the
 * module-level `activator` below is per run, like every module-level variable of user code.
 * The host side (src/worker/workflow/runtime.ts) drives it in three steps per activation:
 *
 *   1. `activate(activation)`  apply every job to state (resolve/reject promises, start the
 *                              workflow function, call signal and query handlers);
 *   2. drain microtasks, then `tryUnblockConditions()` and drain again while it unblocked
 *      anything (host side), as the official SDK;
 *   3. `conclude()`            hand back the commands produced, in order.
 */
import type { MessageInitShape } from "@bufbuild/protobuf";
import type {
  DoUpdate,
  InitializeWorkflow,
  ResolveChildWorkflowExecutionStart,
  WorkflowActivation,
  WorkflowActivationJob,
} from "../proto/temporal/sdk/core/workflow_activation/workflow_activation_pb.js";
import type { WorkflowCommandSchema } from "../proto/temporal/sdk/core/workflow_commands/workflow_commands_pb.js";
import type { Payload } from "../proto/temporal/api/common/v1/message_pb.js";
import type { Failure } from "../proto/temporal/api/failure/v1/message_pb.js";
import {
  ApplicationFailure,
  TemporalFailure,
  WorkflowExecutionAlreadyStartedError,
  convertDeploymentVersion,
  decodePriority,
  decompileRetryPolicy,
  defaultPayloadConverter,
  ensureTemporalFailure,
  decodeTypedSearchAttributes,
  decodeUntypedSearchAttributes,
  suggestContinueAsNewReasonCodec,
  tsToMs,
  type FailureConverter,
  type PayloadConverter,
  TypedSearchAttributes,
  composeInterceptors,
  type Headers,
  type SearchAttributePair,
  type SearchAttributes,
} from "../common/index.js";
import { RootCancellationScope, CancellationScope } from "./cancellation-scope.js";
import { ContinueAsNew, DeterminismViolationError, IllegalStateError, LocalActivityDoBackoff, isCancellation } from "./errors.js";
import type { DefaultQueryHandler, DefaultSignalHandler, Logger, WorkflowInfo } from "./interfaces.js";
import type {
  ActivateInput,
  ConcludeActivationInput,
  QueryInput,
  SignalInput,
  SinkCall,
  UpdateInput,
  WorkflowInboundCallsInterceptor,
  WorkflowInternalsInterceptor,
  WorkflowOutboundCallsInterceptor,
} from "./interceptors.js";
import { alea, createUnsafeRandomSource, namedStreamSeed, seedBytes, uuid4FromRandom, type RNG } from "./random.js";

export type CommandInit = MessageInitShape<typeof WorkflowCommandSchema>;

/** What the host gives a run when it creates it. */
export interface ActivatorOptions {
  runId: string;
  namespace: string;
  taskQueue: string;
  /** The exports of the user's workflowsPath module, in this run's instance of the bundle. */
  workflows: Record<string, unknown>;
  payloadConverter: PayloadConverter;
  failureConverter: FailureConverter;
  logger: Logger;
  /** Real time, only for `workflowInfo().unsafe.now()`. */
  wallClock: () => number;
  /**
   * The run's main random stream, made by the host from the init job's seed before the bundle
   * was instantiated, because module top-level `Math.random()` already draws from it (as in the
   * official SDK, whose activator exists before user modules load). Without it, the stream
   * starts at the initializeWorkflow job.
   */
  randomness?: { seed: bigint; random: RNG };
  /** Real entropy, only for `workflowInfo().unsafe.random`. Default: this realm's Math.random. */
  unsafeRandom?: RNG;
  /**
   * Activity types registered on the worker (its `activities` keys). Set: scheduling a local
   * activity of another type (and no `default` activity) fails at the call, as official.
   * Unset (replay): not checked.
   */
  registeredActivityNames?: ReadonlySet<string>;
  /** Maps raw stacks of pending operations to the user's files (src/worker/workflow/stack-traces.ts). */
  stackTraces?: StackTraceSupport;
  /**
   * This run's instances of the `interceptors.workflowModules` (module namespaces, in order):
   * each one's `interceptors()` factory is called once for the run (createRun).
   */
  interceptorModules?: readonly Record<string, unknown>[];
}

/** One frame of `__enhanced_stack_trace`, as @temporalio/workflow's StackTraceFileLocation. */
export interface StackTraceFileLocation {
  file_path?: string;
  function_name?: string;
  line?: number;
  column?: number;
  internal_code: boolean;
}

/** What the host provides for the stack trace queries. */
export interface StackTraceSupport {
  /** Raw `Error.stack` strings → stacks in user files, SDK and host frames dropped, deduplicated. */
  mapStacks(rawStacks: readonly string[]): { formatted: string; structured: StackTraceFileLocation[] }[];
  /** Reported as `sdk` by `__enhanced_stack_trace`. */
  sdk: { name: string; version: string };
  /** An error's stack with bundle positions mapped to the user's files (for failures sent to the server). */
  mapErrorStack(stack: string): string;
  /** Set when the worker sends sources (showStackTraceSources): the text of a user file. */
  sourceContent?: (file: string) => string | undefined;
}

/** A handler with what `setHandler`'s options said about it (reported by `__temporal_workflow_metadata`). */
export interface HandlerEntry {
  handler: AnyHandler;
  description?: string;
  /** Signals and updates (official HandlerUnfinishedPolicy value). */
  unfinishedPolicy?: string;
  /** Updates only: runs before the update is accepted; throwing rejects it. */
  validator?: AnyHandler;
  /** Built-in queries answer with the default payload converter (the official RawValue). */
  builtIn?: boolean;
}

export const STACK_TRACE_QUERY_NAME = "__stack_trace";
export const ENHANCED_STACK_TRACE_QUERY_NAME = "__enhanced_stack_trace";
export const WORKFLOW_METADATA_QUERY_NAME = "__temporal_workflow_metadata";
/** Signal, query and update names reserved for the SDK and Temporal (official). */
export const TEMPORAL_RESERVED_PREFIX = "__temporal_";

/** The update whose handler (or validator) is running: `currentUpdateInfo()`. */
export interface UpdateInfo {
  readonly id: string;
  readonly name: string;
}

/** A source of random numbers that `Math.random()` and `uuid4()` use inside `stream.with(fn)`. */
export interface ScopedRandomSource {
  random(): number;
}

interface ScopeStorage<S> {
  run<R>(store: S, fn: () => R): R;
  getStore(): S | undefined;
}
type RandomScopeStorage = ScopeStorage<ScopedRandomSource>;

/** The result of one activation. `taskFailure` set means: fail the workflow task with it. */
export interface Conclusion {
  commands: CommandInit[];
  taskFailure?: unknown;
  /** The internal SDK flags to record with this workflow task (completion's usedInternalFlags). */
  usedInternalFlags?: number[];
}

/**
 * The official SDK's internal flags whose new behaviour is the only behaviour here:
 * 1 NonCancellableScopesAreShieldedFromPropagation, 2 ProcessWorkflowActivationJobsAsSingleBatch.
 * The official SDK falls back to its pre-1.11 paths when replaying a task that lacks them, so
 * our tasks must carry them. (Flags 3–6 concern the OpenTelemetry interceptors, which record
 * them themselves when they run.)
 */
const ALWAYS_ON_SDK_FLAGS = [1, 2] as const;

interface Completion {
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  /** Where workflow code started the operation (see captureStack). */
  stack?: Error;
}

interface BlockedCondition {
  fn: () => boolean;
  resolve: () => void;
  stack?: Error;
}

type AnyHandler = (...args: unknown[]) => unknown;

/** What a completion waits for: a timer, an activity, a child's start or result, a signal or cancel request to another workflow. */
export type CompletionKind = "timer" | "activity" | "childWorkflowStart" | "childWorkflowComplete" | "signalWorkflow" | "cancelWorkflow";

/** coresdk.child_workflow.StartChildWorkflowExecutionFailedCause: the only cause core reports. */
const START_CHILD_FAILED_WORKFLOW_ALREADY_EXISTS = 1;

let activator: Activator | undefined;

/** The run this bundle instance belongs to; throws when called outside a workflow. */
export function getActivator(): Activator {
  if (activator === undefined) {
    throw new IllegalStateError("Workflow APIs may only be used from workflow code run by a temporal-bun-sdk Worker");
  }
  return activator;
}

export function maybeGetActivator(): Activator | undefined {
  return activator;
}

/** Called once by the host right after instantiating the bundle for a run. */
export function createActivator(options: ActivatorOptions): Activator {
  if (activator !== undefined) throw new IllegalStateError("This bundle instance already belongs to a run");
  activator = new Activator(options);
  return activator;
}

export class Activator {
  readonly options: ActivatorOptions;
  readonly payloadConverter: PayloadConverter;
  readonly failureConverter: FailureConverter;
  readonly rootScope: RootCancellationScope;

  info: WorkflowInfo | undefined;
  /** Workflow time, from the activation's timestamp. */
  now = 0;
  isReplaying = false;
  /** False while answering a query (a live read); logs are suppressed while true. */
  isReplayingHistoryEvents = false;
  /** The last non-query activation (WorkflowInfo's per-activation fields come from it). */
  private lastActivation: WorkflowActivation | undefined;
  historyLength = 0;
  historySize = 0;
  continueAsNewSuggested = false;
  random: RNG = () => {
    throw new IllegalStateError("Math.random() used before the workflow was initialized");
  };
  /** Seed bytes of `random` (empty until seeded); named streams derive from it. */
  randomnessSeed: number[] = [];
  readonly namedRandomStreams = new Map<string, RNG>();
  private randomScopes: RandomScopeStorage | undefined;

  /** Sequence numbers per kind of command, from 1, as official (core matches them with history). */
  readonly nextSeq = { timer: 1, activity: 1, condition: 1, childWorkflow: 1, signalWorkflow: 1, cancelWorkflow: 1 };
  /** Promises waiting for core to resolve a command, by kind and seq. */
  readonly completions: Record<CompletionKind, Map<number, Completion>> = {
    timer: new Map(),
    activity: new Map(),
    childWorkflowStart: new Map(),
    childWorkflowComplete: new Map(),
    signalWorkflow: new Map(),
    cancelWorkflow: new Map(),
  };
  readonly signalHandlers = new Map<string, HandlerEntry>();
  /** Signal handler executions that have not settled yet (official `inProgressSignals`). */
  readonly inProgressSignals = new Map<number, { name: string; unfinishedPolicy: string }>();
  private signalExecutionSeq = 0;
  /** `setCurrentDetails()`: reported by `__temporal_workflow_metadata` (official default ''). */
  currentDetails = "";
  private warnedUnfinished = false;
  /** The built-in queries first, as official (they are listed by `__temporal_workflow_metadata`). */
  readonly queryHandlers = new Map<string, HandlerEntry>([
    [STACK_TRACE_QUERY_NAME, { handler: () => this.stackTrace(), description: "Returns a sensible stack trace.", builtIn: true }],
    [ENHANCED_STACK_TRACE_QUERY_NAME, { handler: () => this.enhancedStackTrace(), description: "Returns a stack trace annotated with source information.", builtIn: true }],
    [WORKFLOW_METADATA_QUERY_NAME, { handler: () => this.workflowMetadata(), description: "Returns metadata associated with this workflow.", builtIn: true }],
  ]);
  defaultSignalHandler: DefaultSignalHandler | undefined;
  defaultQueryHandler: DefaultQueryHandler | undefined;
  /** Signals that arrived before a handler was set; delivered, in order, by setHandler. */
  readonly bufferedSignals: { name: string; args: unknown[]; headers: Headers }[] = [];
  readonly updateHandlers = new Map<string, HandlerEntry>();
  defaultUpdateHandler: ((name: string, ...args: unknown[]) => unknown) | undefined;
  /** Updates that arrived before their handler was set: dispatched by setHandler, rejected when the activation ends. */
  readonly bufferedUpdates: DoUpdate[] = [];
  /** Update handler executions that have not settled yet (official `inProgressUpdates`), by update id. */
  readonly inProgressUpdates = new Map<string, { name: string; id: string; unfinishedPolicy: string }>();
  private updateScopes: ScopeStorage<UpdateInfo> | undefined;
  readonly blockedConditions = new Map<number, BlockedCondition>();
  readonly knownPresentPatches = new Set<string>();
  readonly sentPatches = new Set<string>();
  readonly timeouts = new Map<number, CancellationScope>();

  /** The run's interceptors, from the factories of `interceptors.workflowModules`, in order. */
  readonly interceptors: {
    inbound: WorkflowInboundCallsInterceptor[];
    outbound: WorkflowOutboundCallsInterceptor[];
    internals: WorkflowInternalsInterceptor[];
  } = { inbound: [], outbound: [], internals: [] };
  /** Calls of sink functions made during this activation; the worker takes and delivers them after it. */
  sinkCalls: SinkCall[] = [];
  /** A cancel-workflow job was received. */
  cancelled = false;
  /** A terminal command (complete, fail, cancel, continue-as-new) was produced. */
  completed = false;
  /** Internal SDK flags known for this run (from history, or taken by a new task): sent as usedInternalFlags. */
  readonly knownFlags = new Set<number>();
  private pendingStart: (() => void) | undefined;
  private commands: CommandInit[] = [];
  private taskFailure: unknown = undefined;
  private hasTaskFailure = false;

  constructor(options: ActivatorOptions) {
    this.options = options;
    this.payloadConverter = options.payloadConverter;
    this.failureConverter = options.failureConverter;
    this.rootScope = new RootCancellationScope();
    if (options.randomness) {
      this.randomnessSeed = seedBytes(options.randomness.seed);
      this.random = options.randomness.random;
    }
  }

  // ---- step 1: apply jobs -------------------------------------------------------------

  activate(activation: WorkflowActivation): void {
    const jobs = activation.jobs;
    // A query-only activation is a live read of the current state, as official: it changes no
    // workflow state (no time, history length, …); the run counts as replaying, but not as
    // replaying history events, so handlers may log.
    if (jobs.length > 0 && jobs.every((j) => j.variant.case === "queryWorkflow")) {
      this.isReplaying = true;
      this.isReplayingHistoryEvents = false;
      if (this.info) this.info = { ...this.info, unsafe: { ...this.info.unsafe, isReplaying: true, isReplayingHistoryEvents: false } };
      this.runJobs(activation, (a) => {
        for (const job of a.jobs) this.applyJob(job);
      });
      return;
    }
    if (activation.timestamp) this.now = tsToMs(activation.timestamp);
    this.isReplaying = activation.isReplaying;
    this.isReplayingHistoryEvents = activation.isReplaying;
    this.historyLength = activation.historyLength;
    this.historySize = Number(activation.historySizeBytes);
    this.continueAsNewSuggested = activation.continueAsNewSuggested;
    this.lastActivation = activation;
    if (this.info) this.info = this.withActivationFields(this.info, activation);
    for (const flag of activation.availableInternalFlags) this.knownFlags.add(flag);
    // This runtime always behaves as the official SDK does with its flags 1 and 2 on; a new
    // workflow task records them (as the official SDK records a flag the first time it takes
    // the new path), so an official worker replaying our history takes the same paths.
    if (!activation.isReplaying) for (const flag of ALWAYS_ON_SDK_FLAGS) this.knownFlags.add(flag);
    this.runJobs(activation, (a) => this.applyJobs(a));
  }

  /** The jobs of an activation, through the internals interceptors' `activate` (one batch, index 0). */
  private runJobs(activation: WorkflowActivation, apply: (activation: WorkflowActivation) => void): void {
    const internals = this.interceptors.internals;
    if (internals.length === 0) return apply(activation);
    composeInterceptors(internals, "activate", (input: ActivateInput) => apply(input.activation))({ activation, batchIndex: 0 });
  }

  private applyJobs(activation: WorkflowActivation): void {
    const jobs = activation.jobs;
    // The official SDK's order (ProcessWorkflowActivationJobsAsSingleBatch): initialize, every
    // patch notification, the last random seed, then the other jobs in core's order with the
    // blocked conditions re-checked synchronously after each (before any microtask runs), and
    // finally the workflow function, if this activation starts it. Where a condition unblocks
    // relative to other continuations decides the order of commands, so this must not drift.
    for (const job of jobs) if (job.variant.case === "initializeWorkflow") this.applyJob(job);
    for (const job of jobs) if (job.variant.case === "notifyHasPatch") this.applyJob(job);
    let seed: WorkflowActivationJob | undefined;
    for (const job of jobs) if (job.variant.case === "updateRandomSeed") seed = job;
    if (seed) this.applyJob(seed);
    for (const job of jobs) {
      const kind = job.variant.case;
      if (kind === "initializeWorkflow" || kind === "notifyHasPatch" || kind === "updateRandomSeed") continue;
      this.applyJob(job);
      if (kind !== "queryWorkflow") this.tryUnblockConditions();
    }
    // Signals delivered with the init job were buffered and reach the handlers the function sets.
    const start = this.pendingStart;
    this.pendingStart = undefined;
    if (start) {
      start();
      this.tryUnblockConditions();
    }
  }

  /**
   * Re-check blocked conditions until a pass unblocks none, with no microtask in between (the
   * official tryUnblockConditions); returns how many were unblocked. Each pass evaluates every
   * predicate still blocked, and a predicate that counts its calls sees how many passes ran.
   */
  tryUnblockConditions(): number {
    let unblocked = 0;
    for (let n = this.unblockConditions(); n > 0; n = this.unblockConditions()) unblocked += n;
    return unblocked;
  }

  private applyJob(job: WorkflowActivationJob): void {
    const v = job.variant;
    switch (v.case) {
      case "initializeWorkflow":
        return this.initializeWorkflow(v.value);
      case "fireTimer": {
        this.takeCompletion("timer", v.value.seq).resolve(undefined);
        return;
      }
      case "resolveActivity": {
        const completion = this.takeCompletion("activity", v.value.seq);
        const status = v.value.result?.status;
        switch (status?.case) {
          case "completed":
            completion.resolve(this.fromPayload(status.value.result));
            return;
          case "failed":
          case "cancelled":
            completion.reject(this.failureToError(status.value.failure));
            return;
          case "backoff": {
            const b = status.value;
            completion.reject(
              new LocalActivityDoBackoff(b.attempt, b.backoffDuration ? tsToMs(b.backoffDuration) : 1, b.originalScheduleTime),
            );
            return;
          }
          default:
            throw new TypeError(`resolveActivity job for seq ${v.value.seq} has no result`);
        }
      }
      case "signalWorkflow": {
        const args = v.value.input.map((p) => this.fromPayload(p));
        this.deliverSignal(v.value.signalName, args, v.value.headers);
        return;
      }
      case "queryWorkflow":
        return this.answerQuery(v.value.queryId, v.value.queryType, v.value.arguments, v.value.headers);
      case "cancelWorkflow":
        this.cancelled = true;
        this.rootScope.cancel();
        return;
      case "updateRandomSeed":
        this.setRandomnessSeed(v.value.randomnessSeed);
        return;
      case "notifyHasPatch":
        this.knownPresentPatches.add(v.value.patchId);
        return;
      case "resolveChildWorkflowExecutionStart":
        return this.resolveChildWorkflowStart(v.value);
      case "resolveChildWorkflowExecution": {
        const completion = this.takeCompletion("childWorkflowComplete", v.value.seq);
        const status = v.value.result?.status;
        switch (status?.case) {
          case "completed":
            completion.resolve(this.fromPayload(status.value.result));
            return;
          case "failed":
          case "cancelled":
            completion.reject(this.failureToError(status.value.failure));
            return;
          default:
            throw new TypeError(`resolveChildWorkflowExecution job for seq ${v.value.seq} has no result`);
        }
      }
      case "resolveSignalExternalWorkflow":
        return this.settleExternal("signalWorkflow", v.value.seq, v.value.failure);
      case "resolveRequestCancelExternalWorkflow":
        return this.settleExternal("cancelWorkflow", v.value.seq, v.value.failure);
      case "doUpdate":
        return this.doUpdate(v.value);
      case "removeFromCache":
        throw new IllegalStateError("removeFromCache is handled by the runtime, not by the run");
      default:
        throw new TypeError(`Unsupported activation job: ${String(v.case)}`);
    }
  }

  /** A signal or cancel request to another workflow: delivered (resolve) or not (its failure). */
  private settleExternal(kind: "signalWorkflow" | "cancelWorkflow", seq: number, failure: Failure | undefined): void {
    const completion = this.takeCompletion(kind, seq);
    if (failure) completion.reject(this.failureToError(failure));
    else completion.resolve(undefined);
  }

  /**
   * The child's start: its run id, or why it did not start (the id is taken, or the start was
   * cancelled). When it did not start, the result promise is rejected through the start
   * promise (see child-workflow.ts), so its completion is dropped here, as official.
   */
  private resolveChildWorkflowStart(job: ResolveChildWorkflowExecutionStart): void {
    const seq = job.seq;
    const completion = this.takeCompletion("childWorkflowStart", seq);
    const status = job.status;
    switch (status.case) {
      case "succeeded":
        if (!status.value.runId) throw new TypeError("Got ResolveChildWorkflowExecutionStart with no runId");
        completion.resolve(status.value.runId);
        return;
      case "failed": {
        const failed = status.value;
        if (failed.cause !== START_CHILD_FAILED_WORKFLOW_ALREADY_EXISTS) {
          throw new IllegalStateError(`Got unknown StartChildWorkflowExecutionFailedCause ${failed.cause}`);
        }
        completion.reject(new WorkflowExecutionAlreadyStartedError("Workflow execution already started", failed.workflowId, failed.workflowType));
        this.completions.childWorkflowComplete.delete(seq);
        return;
      }
      case "cancelled":
        completion.reject(this.failureToError(status.value.failure));
        this.completions.childWorkflowComplete.delete(seq);
        return;
      default:
        throw new TypeError(`ResolveChildWorkflowExecutionStart job for seq ${seq} has no status`);
    }
  }

  private initializeWorkflow(init: InitializeWorkflow): void {
    if (this.info !== undefined) throw new IllegalStateError("initializeWorkflow received twice");
    if (this.randomnessSeed.length === 0) this.setRandomnessSeed(init.randomnessSeed);
    this.info = this.buildInfo(init);
    // As official: the export named like the type, else the module's `default` export (a
    // fallback for every unknown type; workflowInfo().workflowType stays the requested type).
    // Neither: a TypeError with the official message, which fails the workflow task.
    const named = this.options.workflows[init.workflowType];
    const fallback = this.options.workflows.default;
    const fn = typeof named === "function" ? named : fallback;
    if (typeof fn !== "function") {
      const details = named === undefined ? "no such function is exported by the workflow bundle" : `expected a function, but got: '${typeof named}'`;
      throw new TypeError(`Failed to initialize workflow of type '${init.workflowType}': ${details}`);
    }
    const args = init.arguments.map((p) => this.fromPayload(p));
    const headers = init.headers;
    this.pendingStart = () => this.startWorkflowFunction(fn as AnyHandler, args, headers);
  }

  /**
   * The run's WorkflowInfo, field for field as the official worker and activator build it from
   * the init job (tests/compat/workflow-info.test.ts compares the two SDKs' values field by field).
   */
  private buildInfo(init: InitializeWorkflow): WorkflowInfo {
    const ms = (d: { seconds: bigint; nanos: number } | undefined) => (d ? tsToMs(d) : undefined);
    const memoFields = init.memo?.fields;
    const info: WorkflowInfo = {
      workflowId: init.workflowId,
      runId: this.options.runId,
      workflowType: init.workflowType,
      searchAttributes: Object.fromEntries(
        Object.entries(decodeUntypedSearchAttributes(init.searchAttributes)).map(([k, values]) => [k, values.map(ownRealmDate)]),
      ) as SearchAttributes,
      typedSearchAttributes: new TypedSearchAttributes(
        decodeTypedSearchAttributes(init.searchAttributes)
          .getAll()
          .map(({ key, value }) => ({ key, value: ownRealmDate(value) }) as SearchAttributePair),
      ),
      memo: memoFields ? Object.fromEntries(Object.entries(memoFields).map(([k, p]) => [k, this.fromPayload(p)])) : {},
      parent: init.parentWorkflowInfo
        ? { workflowId: init.parentWorkflowInfo.workflowId, runId: init.parentWorkflowInfo.runId, namespace: init.parentWorkflowInfo.namespace }
        : undefined,
      root: init.rootWorkflow ? { workflowId: init.rootWorkflow.workflowId, runId: init.rootWorkflow.runId } : undefined,
      lastResult: init.lastCompletionResult?.payloads[0] ? this.fromPayload(init.lastCompletionResult.payloads[0]) : undefined,
      lastFailure: init.continuedFailure ? this.failureToError(init.continuedFailure) : undefined,
      historyLength: 0,
      historySize: 0,
      continueAsNewSuggested: false,
      targetWorkerDeploymentVersionChanged: false,
      taskQueue: this.options.taskQueue,
      namespace: this.options.namespace,
      firstExecutionRunId: init.firstExecutionRunId,
      originalExecutionRunId: init.originalExecutionRunId || this.options.runId,
      continuedFromExecutionRunId: init.continuedFromExecutionRunId || undefined,
      startTime: new Date(ms(init.startTime) ?? this.now),
      runStartTime: new Date(this.now),
      executionTimeoutMs: ms(init.workflowExecutionTimeout),
      executionExpirationTime: init.workflowExecutionExpirationTime ? new Date(tsToMs(init.workflowExecutionExpirationTime)) : undefined,
      runTimeoutMs: ms(init.workflowRunTimeout),
      taskTimeoutMs: ms(init.workflowTaskTimeout) ?? 0,
      retryPolicy: decompileRetryPolicy(init.retryPolicy),
      attempt: init.attempt,
      cronSchedule: init.cronSchedule || undefined,
      // 0 is the proto default, never a real interval (cron runs are at least a minute apart).
      cronScheduleToScheduleInterval: ms(init.cronScheduleToScheduleInterval) || undefined,
      unsafe: {
        now: () => this.options.wallClock(),
        isReplaying: this.isReplaying,
        isReplayingHistoryEvents: this.isReplayingHistoryEvents,
        random: createUnsafeRandomSource(this.options.unsafeRandom ?? Math.random),
      },
      priority: decodePriority(init.priority),
    };
    return this.lastActivation ? this.withActivationFields(info, this.lastActivation) : info;
  }

  /** The fields of WorkflowInfo each (non-query) activation sets, as official. */
  private withActivationFields(info: WorkflowInfo, activation: WorkflowActivation): WorkflowInfo {
    return {
      ...info,
      historyLength: activation.historyLength,
      historySize: Number(activation.historySizeBytes),
      continueAsNewSuggested: activation.continueAsNewSuggested,
      targetWorkerDeploymentVersionChanged: activation.targetWorkerDeploymentVersionChanged,
      // As the official worker, which reads each activation after a structured clone that drops
      // an empty repeated field: undefined when the server suggests nothing.
      suggestedContinueAsNewReasons:
        activation.suggestContinueAsNewReasons.length > 0
          ? activation.suggestContinueAsNewReasons.flatMap((r) => suggestContinueAsNewReasonCodec.decode(r) ?? [])
          : undefined,
      currentBuildId: activation.deploymentVersionForCurrentTask?.buildId ?? "",
      currentDeploymentVersion: convertDeploymentVersion(activation.deploymentVersionForCurrentTask),
      unsafe: { ...info.unsafe, isReplaying: activation.isReplaying, isReplayingHistoryEvents: activation.isReplaying },
    };
  }

  /** The sink calls made since the last call (the worker delivers them after the activation). */
  takeSinkCalls(): SinkCall[] {
    const calls = this.sinkCalls;
    if (calls.length > 0) this.sinkCalls = [];
    return calls;
  }

  /**
   * The run leaves the cache: the internals interceptors' `dispose`, as official (errors are
   * the caller's to log; the run is dropped either way).
   */
  dispose(): void {
    const internals = this.interceptors.internals;
    if (internals.length > 0) composeInterceptors(internals, "dispose", () => undefined)({});
  }

  /** Replaces the run's WorkflowInfo (upserts of search attributes and memo), as official mutateWorkflowInfo. */
  mutateInfo(fn: (info: WorkflowInfo) => WorkflowInfo): void {
    if (this.info === undefined) throw new IllegalStateError("Workflow info is not set before the workflow is initialized");
    this.info = fn(this.info);
  }

  // ---- signals and queries ------------------------------------------------------------

  deliverSignal(name: string, args: unknown[], headers: Headers = {}): void {
    const entry = this.signalHandlers.get(name);
    const fallback = this.defaultSignalHandler;
    // As official: a reserved name never reaches the default handler; the TypeError fails the
    // workflow task (or, for a buffered signal, the setDefaultSignalHandler call).
    if (!entry && fallback && name.startsWith(TEMPORAL_RESERVED_PREFIX)) {
      throw new TypeError(`Cannot use signal name: '${name}', with reserved prefix: '${TEMPORAL_RESERVED_PREFIX}'`);
    }
    if (!entry && !fallback) {
      this.bufferedSignals.push({ name, args, headers });
      return;
    }
    // Tracked until it settles, for allHandlersFinished() and the unfinished-handler warning
    // (a default handler's policy is WARN_AND_ABANDON, as official).
    const execution = this.signalExecutionSeq++;
    this.inProgressSignals.set(execution, { name, unfinishedPolicy: entry?.unfinishedPolicy ?? "WARN_AND_ABANDON" });
    // The official chain: the inbound interceptors (not for the SDK's own names) around an
    // async step awaiting the handler, failures to handleWorkflowFailure, then the bookkeeping.
    // Same promise structure, so the same microtask ticks: which terminal command comes
    // first, and when allHandlersFinished() turns true, match the official SDK.
    const execute = composeInterceptors(isInternalName(name) ? [] : this.interceptors.inbound, "handleSignal", (input: SignalInput) => this.signalNextHandler(input));
    void execute({ args, signalName: name, headers })
      .catch((err: unknown) => this.handleWorkflowFailure(err))
      .finally(() => this.inProgressSignals.delete(execution));
  }

  private async signalNextHandler({ signalName, args }: SignalInput): Promise<void> {
    const entry = this.signalHandlers.get(signalName);
    if (entry) return (await entry.handler(...args)) as void;
    if (this.defaultSignalHandler) return await this.defaultSignalHandler(signalName, ...args);
    throw new IllegalStateError(`No registered signal handler for signal: ${signalName}`);
  }


  // ---- updates ------------------------------------------------------------------------

  /**
   * One update, as official: with no handler (and no default handler) it waits in
   * `bufferedUpdates` for setHandler, and is rejected when the activation ends. Otherwise the
   * validator runs synchronously (when core asks: not on replay of an accepted update) with
   * logging allowed; throwing, or arguments that cannot be converted, reject the update. Then
   * the update is accepted and the handler runs as a coroutine: its result completes the
   * update, a TemporalFailure rejects it, any other error fails the workflow task.
   */
  doUpdate(job: DoUpdate): void {
    const { id: updateId, protocolInstanceId, name, runValidator } = job;
    if (!updateId) throw new TypeError("Missing activation update id");
    if (!name) throw new TypeError("Missing activation update name");
    if (!protocolInstanceId) throw new TypeError("Missing activation update protocolInstanceId");
    // A reserved name never reaches the default handler (a registered one may take it).
    if (name.startsWith(TEMPORAL_RESERVED_PREFIX) && !this.updateHandlers.has(name) && this.defaultUpdateHandler !== undefined) {
      throw new TypeError(`Cannot use update name: '${name}', with reserved prefix: '${TEMPORAL_RESERVED_PREFIX}'`);
    }
    const fallback = this.defaultUpdateHandler;
    const entry: HandlerEntry | undefined =
      this.updateHandlers.get(name) ?? (fallback ? { handler: (...args: unknown[]) => fallback(name, ...args), unfinishedPolicy: "WARN_AND_ABANDON" } : undefined);
    if (entry === undefined) {
      this.bufferedUpdates.push(job);
      return;
    }
    // Converted twice when there is a validator, as official: the handler never sees what the
    // validator did to its arguments. The SDK's own updates skip the interceptors.
    const interceptors = isInternalName(name) ? [] : this.interceptors.inbound;
    const makeInput = (): UpdateInput => ({ updateId, args: job.input.map((p) => this.fromPayload(p)), name, headers: job.headers });
    // The official structure, step for step (an async function run in the update's scope, the
    // handler awaited in an async step, then complete/reject, then the bookkeeping), so update
    // responses and other commands come in the same order on both SDKs.
    const doUpdateImpl = async () => {
      let input: UpdateInput;
      try {
        const validator = entry.validator;
        if (runValidator && validator) {
          // Validators are live, read-only: they may log, also while replaying.
          const wasReplayingHistoryEvents = this.isReplayingHistoryEvents;
          this.setReplayingHistoryEvents(false);
          try {
            composeInterceptors(interceptors, "validateUpdate", (i: UpdateInput) => void validator(...i.args))(makeInput());
          } finally {
            this.setReplayingHistoryEvents(wasReplayingHistoryEvents);
          }
        }
        input = makeInput();
      } catch (error) {
        this.rejectUpdate(protocolInstanceId, error);
        return;
      }
      this.pushQueryOrUpdateAnswer({ variant: { case: "updateResponse", value: { protocolInstanceId, response: { case: "accepted", value: {} } } } });
      this.inProgressUpdates.set(updateId, { name, id: updateId, unfinishedPolicy: entry.unfinishedPolicy ?? "WARN_AND_ABANDON" });
      const execute = composeInterceptors(interceptors, "handleUpdate", async (i: UpdateInput) => await entry.handler(...i.args));
      return execute(input)
        .then((result) =>
          this.pushQueryOrUpdateAnswer({
            variant: { case: "updateResponse", value: { protocolInstanceId, response: { case: "completed", value: this.toPayload(result) } } },
          }),
        )
        .catch((error: unknown) => {
          if (error instanceof TemporalFailure) this.rejectUpdate(protocolInstanceId, error);
          else this.handleWorkflowFailure(error);
        })
        .finally(() => this.inProgressUpdates.delete(updateId));
    };
    this.updateScopes ??= createScopeStorage<UpdateInfo>();
    void this.updateScopes.run({ id: updateId, name }, doUpdateImpl);
  }

  /** The update whose handler or validator is running (through its awaits too), if any. */
  currentUpdateInfo(): UpdateInfo | undefined {
    return this.updateScopes?.getStore();
  }

  private rejectUpdate(protocolInstanceId: string, error: unknown): void {
    this.pushQueryOrUpdateAnswer({
      variant: { case: "updateResponse", value: { protocolInstanceId, response: { case: "rejected", value: this.errorToFailure(ensureTemporalFailure(error)) } } },
    });
  }

  /** Deliver buffered updates a newly set handler (or default handler) can take, in arrival order. */
  dispatchBufferedUpdates(): void {
    const buffered = this.bufferedUpdates;
    while (buffered.length > 0) {
      const index = this.defaultUpdateHandler ? 0 : buffered.findIndex((u) => this.updateHandlers.has(u.name));
      if (index === -1) break;
      const [update] = buffered.splice(index, 1);
      this.doUpdate(update!);
    }
  }

  private rejectBufferedUpdates(): void {
    while (this.bufferedUpdates.length > 0) {
      const update = this.bufferedUpdates.shift()!;
      this.rejectUpdate(update.protocolInstanceId, ApplicationFailure.nonRetryable(`No registered handler for update: ${update.name}`));
    }
  }

  private setReplayingHistoryEvents(value: boolean): void {
    this.isReplayingHistoryEvents = value;
    if (this.info) this.info = { ...this.info, unsafe: { ...this.info.unsafe, isReplayingHistoryEvents: value } };
  }

  /**
   * Runs the workflow function through the same promise chain as the official SDK (an async
   * step awaiting the function, the lifecycle step, then complete or fail), so the terminal
   * command is pushed at the same microtask tick on both SDKs.
   */
  private startWorkflowFunction(fn: AnyHandler, args: unknown[], headers: Headers): void {
    const execute = composeInterceptors(this.interceptors.inbound, "execute", async (input: { args: unknown[] }) => await fn(...input.args));
    void execute({ args, headers })
      .then(
        (value) => value,
        (err: unknown) => {
          throw err;
        },
      )
      .then(
        (result) => this.completeWorkflow(result),
        (err: unknown) => this.handleWorkflowFailure(err),
      );
  }

  /** Deliver buffered signals a newly set handler (or default handler) can take. */
  flushBufferedSignals(): void {
    for (let i = 0; i < this.bufferedSignals.length; ) {
      const s = this.bufferedSignals[i]!;
      if (this.signalHandlers.has(s.name) || this.defaultSignalHandler) {
        this.bufferedSignals.splice(i, 1);
        this.deliverSignal(s.name, s.args, s.headers);
      } else {
        i++;
      }
    }
  }

  /**
   * A query, as official: through the inbound interceptors (not for the SDK's own queries) to
   * the handler; the answer (or failure) is recorded when its promise settles, within the
   * activation's microtasks.
   */
  private answerQuery(queryId: string, queryType: string, argPayloads: Payload[], headers: Headers = {}): void {
    if (queryType.startsWith(TEMPORAL_RESERVED_PREFIX) && !this.queryHandlers.has(queryType) && this.defaultQueryHandler !== undefined) {
      throw new TypeError(`Cannot use query name: '${queryType}', with reserved prefix: '${TEMPORAL_RESERVED_PREFIX}'`);
    }
    let args: unknown[];
    try {
      args = argPayloads.map((p) => this.fromPayload(p));
    } catch (err) {
      this.failQuery(queryId, err);
      return;
    }
    let builtIn = false;
    const execute = composeInterceptors(isInternalName(queryType) ? [] : this.interceptors.inbound, "handleQuery", (input: QueryInput) => {
      builtIn = this.queryHandlers.get(input.queryName)?.builtIn === true;
      return this.queryNextHandler(input);
    });
    execute({ queryName: queryType, args, queryId, headers }).then(
      (result) => {
        try {
          // Built-in answers are RawValues in the official SDK: made by the default payload
          // converter whatever converter the worker uses, so the UI and CLI can always read them.
          const response = builtIn ? (defaultPayloadConverter.toPayload(result) as Payload) : this.toPayload(result);
          this.pushQueryOrUpdateAnswer({ variant: { case: "respondToQuery", value: { queryId, variant: { case: "succeeded", value: { response } } } } });
        } catch (err) {
          this.failQuery(queryId, err);
        }
      },
      (err: unknown) => this.failQuery(queryId, err),
    );
  }

  /** Not async, as official: the handler's own stack is what a trace shows. */
  private queryNextHandler({ queryName, args }: QueryInput): Promise<unknown> {
    const entry = this.queryHandlers.get(queryName);
    const fallback = this.defaultQueryHandler;
    if (!entry && !fallback) {
      // The official message: registered names (built-ins included) separated by spaces.
      const known = [...this.queryHandlers.keys()].join(" ");
      return Promise.reject(new ReferenceError(`Workflow did not register a handler for ${queryName}. Registered queries: [${known}]`));
    }
    try {
      const result = entry ? entry.handler(...args) : fallback!(queryName, ...args);
      if (isPromiseLike(result)) return Promise.reject(new DeterminismViolationError("Query handlers should not return a Promise"));
      return Promise.resolve(result);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private failQuery(queryId: string, err: unknown): void {
    this.pushQueryOrUpdateAnswer({
      variant: { case: "respondToQuery", value: { queryId, variant: { case: "failed", value: this.errorToFailure(ensureTemporalFailure(err)) } } },
    });
  }


  // ---- built-in queries -----------------------------------------------------------------

  /**
   * A stack where workflow code starts an operation it may wait on; kept with the pending
   * operation and read only when a stack trace query comes (an Error's stack string is made
   * lazily by JSC: capturing costs ≈ 0.5 µs, bench/stack-capture.ts).
   */
  captureStack(): Error | undefined {
    return this.options.stackTraces ? new Error() : undefined;
  }

  /** Stacks of the operations still pending: timers, activities, local activities, conditions. */
  private pendingStacks(): { formatted: string; structured: StackTraceFileLocation[] }[] {
    const support = this.options.stackTraces;
    if (!support) throw new IllegalStateError("Workflow stack traces are not enabled on this worker");
    const raw: string[] = [];
    const add = (e: Error | undefined) => {
      if (e?.stack) raw.push(e.stack);
    };
    for (const map of Object.values(this.completions)) for (const c of map.values()) add(c.stack);
    for (const c of this.blockedConditions.values()) add(c.stack);
    return support.mapStacks(raw);
  }

  /** `__stack_trace`: the formatted stacks joined by a blank line, as official. */
  private stackTrace(): string {
    return this.pendingStacks()
      .map((s) => s.formatted)
      .join("\n\n");
  }

  /** `__enhanced_stack_trace`: the official EnhancedStackTrace shape; `sources` only with showStackTraceSources, as official. */
  private enhancedStackTrace(): unknown {
    const support = this.options.stackTraces!;
    const stacks = this.pendingStacks().map((s) => ({ locations: s.structured }));
    const sources: Record<string, { line_offset: number; content: string }[]> = {};
    if (support.sourceContent) {
      for (const { locations } of stacks) {
        for (const { file_path } of locations) {
          if (!file_path || sources[file_path]) continue;
          const content = support.sourceContent(file_path);
          if (content) sources[file_path] = [{ line_offset: 0, content }];
        }
      }
    }
    return { sdk: support.sdk, stacks, sources };
  }

  /** `__temporal_workflow_metadata`: temporal.api.sdk.v1.WorkflowMetadata, as official builds it. */
  private workflowMetadata(): unknown {
    const defs = (m: Map<string, HandlerEntry>) => [...m].map(([name, e]) => ({ name, description: e.description }));
    return {
      definition: {
        type: this.info?.workflowType,
        queryDefinitions: defs(this.queryHandlers),
        signalDefinitions: defs(this.signalHandlers),
        updateDefinitions: defs(this.updateHandlers),
      },
      currentDetails: this.currentDetails,
    };
  }

  // ---- outcomes -----------------------------------------------------------------------

  completeWorkflow(result: unknown): void {
    if (this.completed) return;
    this.pushCommand({ variant: { case: "completeWorkflowExecution", value: { result: this.toPayload(result) } } }, true);
  }

  /**
   * Where every error that escapes workflow code ends up:
   * cancellation after a cancel request → cancel the workflow; ContinueAsNew → continue as new;
   * a TemporalFailure (ApplicationFailure, …) → fail the workflow; anything else is a bug in
   * the workflow → fail the workflow *task* (core retries it; the workflow stays open).
   */
  handleWorkflowFailure(err: unknown): void {
    if (this.completed) return;
    if (this.cancelled && isCancellation(err)) {
      this.pushCommand({ variant: { case: "cancelWorkflowExecution", value: {} } }, true);
    } else if (err instanceof ContinueAsNew) {
      this.pushCommand({ variant: { case: "continueAsNewWorkflowExecution", value: err.command } }, true);
    } else if (err instanceof TemporalFailure) {
      // As official: no unfinished-handler warning when the workflow fails.
      this.inProgressSignals.clear();
      this.pushCommand({ variant: { case: "failWorkflowExecution", value: { failure: this.errorToFailure(err) } } }, true);
    } else {
      this.failTask(err);
    }
  }

  failTask(err: unknown): void {
    if (this.hasTaskFailure) return;
    this.hasTaskFailure = true;
    this.taskFailure = err;
  }

  /**
   * Commands produced after the workflow's terminal command (by a handler or a branch still
   * running in the same activation) are kept, as the official SDK keeps them: core sends every
   * non-terminal command and moves the first terminal one last (its MoveTerminalCommands
   * behaviour). A second terminal command is dropped here, as core would drop it.
   */
  pushCommand(command: CommandInit, terminal = false): void {
    if (terminal && this.completed) return;
    this.commands.push(command);
    if (terminal) this.completed = true;
  }

  /** Query answers and update responses are allowed after the workflow completed. */
  private pushQueryOrUpdateAnswer(command: CommandInit): void {
    this.commands.push(command);
  }

  // ---- step 2 and 3 -------------------------------------------------------------------

  /** One pass: resolve every blocked condition whose predicate is now true; how many were. */
  unblockConditions(): number {
    let unblocked = 0;
    for (const [seq, cond] of this.blockedConditions) {
      let ready: boolean;
      try {
        ready = cond.fn();
      } catch (err) {
        this.blockedConditions.delete(seq);
        this.failTask(err);
        continue;
      }
      if (ready) {
        this.blockedConditions.delete(seq);
        cond.resolve();
        unblocked++;
      }
    }
    return unblocked;
  }

  conclude(): Conclusion {
    // As official: updates whose handler this activation did not set are rejected now.
    this.rejectBufferedUpdates();
    const commands = this.commands;
    this.commands = [];
    if (this.hasTaskFailure) {
      const taskFailure = this.taskFailure;
      this.hasTaskFailure = false;
      this.taskFailure = undefined;
      return { commands: [], taskFailure };
    }
    const internals = this.interceptors.internals;
    const concluded =
      internals.length === 0 ? commands : composeInterceptors(internals, "concludeActivation", (input: ConcludeActivationInput) => input)({ commands }).commands;
    if (this.completed) this.warnIfUnfinishedHandlers();
    return { commands: concluded, usedInternalFlags: [...this.knownFlags] };
  }

  /**
   * The official [TMPRL1102] warnings, once, for update and signal handlers still running
   * (WARN_AND_ABANDON) when the workflow completed: updates listed by name and id, signals by
   * name and count.
   */
  private warnIfUnfinishedHandlers(): void {
    if (this.warnedUnfinished) return;
    const updates = [...this.inProgressUpdates.values()].filter((ex) => ex.unfinishedPolicy === "WARN_AND_ABANDON");
    const counts = new Map<string, number>();
    for (const ex of this.inProgressSignals.values()) {
      if (ex.unfinishedPolicy === "WARN_AND_ABANDON") counts.set(ex.name, (counts.get(ex.name) ?? 0) + 1);
    }
    if (updates.length === 0 && counts.size === 0) return;
    this.warnedUnfinished = true;
    if (updates.length > 0) {
      const message =
        "[TMPRL1102] Workflow finished while an update handler was still running. This may have interrupted work that the " +
        "update handler was doing, and the client that sent the update will receive a 'workflow execution " +
        "already completed' RPCError instead of the update result. You can wait for all update and signal " +
        "handlers to complete by using `await workflow.condition(workflow.allHandlersFinished)`. " +
        "Alternatively, if both you and the clients sending the update are okay with interrupting running handlers " +
        "when the workflow finishes, and causing clients to receive errors, then you can disable this warning by " +
        "passing an option when setting the handler: " +
        "`workflow.setHandler(myUpdate, myUpdateHandler, {unfinishedPolicy: HandlerUnfinishedPolicy.ABANDON});`.";
      const unfinished = JSON.stringify(updates.map(({ name, id }) => ({ name, id })));
      this.log("warn", `${message} The following updates were unfinished (and warnings were not disabled for their handler): ${unfinished}`);
    }
    if (counts.size > 0) {
      const message =
        "[TMPRL1102] Workflow finished while a signal handler was still running. This may have interrupted work that the " +
        "signal handler was doing. You can wait for all update and signal handlers to complete by using " +
        "`await workflow.condition(workflow.allHandlersFinished)`. Alternatively, if both you and the " +
        "clients sending the update are okay with interrupting running handlers when the workflow finishes, " +
        "then you can disable this warning by passing an option when setting the handler: " +
        "`workflow.setHandler(mySignal, mySignalHandler, {unfinishedPolicy: HandlerUnfinishedPolicy.ABANDON});`.";
      const unfinished = JSON.stringify([...counts].map(([name, count]) => ({ name, count })));
      this.log("warn", `${message} The following signals were unfinished (and warnings were not disabled for their handler): ${unfinished}`);
    }
  }

  // ---- helpers used by the API --------------------------------------------------------

  takeCompletion(kind: CompletionKind, seq: number): Completion {
    const completion = this.completions[kind].get(seq);
    if (!completion) throw new IllegalStateError(`No pending ${kind} with seq ${seq}`);
    this.completions[kind].delete(seq);
    return completion;
  }

  patch(patchId: string, deprecated: boolean): boolean {
    if (this.info === undefined) throw new IllegalStateError("Patches cannot be used before the workflow starts");
    const usePatch = !this.isReplaying || this.knownPresentPatches.has(patchId);
    if (usePatch && !this.sentPatches.has(patchId)) {
      this.pushCommand({ variant: { case: "setPatchMarker", value: { patchId, deprecated } } });
      this.sentPatches.add(patchId);
    }
    return usePatch;
  }

  // ---- randomness (see random.ts) -----------------------------------------------------

  uuid4(): string {
    return uuid4FromRandom(() => this.currentRandom());
  }

  /** What `Math.random()` returns: the stream of an enclosing `stream.with(fn)`, else the main one. */
  currentRandom(): number {
    const scoped = this.randomScopes?.getStore();
    return scoped ? scoped.random() : this.random();
  }

  /** A new main stream (initializeWorkflow, UpdateRandomSeed); named streams restart from it. */
  setRandomnessSeed(seed: bigint): void {
    this.randomnessSeed = seedBytes(seed);
    this.random = alea(this.randomnessSeed);
    this.namedRandomStreams.clear();
  }

  /** The named stream's generator, kept across activations until the seed changes. */
  getNamedRandom(name: string): RNG {
    let random = this.namedRandomStreams.get(name);
    if (random === undefined) {
      random = alea(namedStreamSeed(this.randomnessSeed, name));
      this.namedRandomStreams.set(name, random);
    }
    return random;
  }

  /** Run `fn` with `Math.random()`/`uuid4()` drawing from `source`, through its async continuations too. */
  withCurrentRandom<T>(source: ScopedRandomSource, fn: () => T): T {
    this.randomScopes ??= createScopeStorage<ScopedRandomSource>();
    return this.randomScopes.run(source, fn);
  }

  log(level: "trace" | "debug" | "info" | "warn" | "error", message: string, meta?: Record<string, unknown>): void {
    if (this.isReplayingHistoryEvents) return;
    const logger = this.options.logger;
    const fn = level === "trace" ? (logger.trace ?? logger.debug) : logger[level];
    const info = this.info;
    const base = {
      namespace: this.options.namespace,
      taskQueue: this.options.taskQueue,
      workflowId: info?.workflowId,
      runId: this.options.runId,
      workflowType: info?.workflowType,
    };
    // As official: the outbound interceptors' getLogAttributes decide the attributes.
    const outbound = this.interceptors.outbound;
    const attributes = outbound.length === 0 ? base : composeInterceptors(outbound, "getLogAttributes", (a: Record<string, unknown>) => a)(base);
    fn.call(logger, message, { sdkComponent: "workflow", ...attributes, ...meta });
  }

  toPayload(value: unknown): Payload {
    return this.payloadConverter.toPayload(value) as Payload;
  }

  fromPayload(payload: Payload | undefined): unknown {
    return payload === undefined ? undefined : this.payloadConverter.fromPayload(payload);
  }

  errorToFailure(err: unknown): Failure {
    const map = this.options.stackTraces?.mapErrorStack;
    if (map) mapErrorStacks(err, map);
    return this.failureConverter.errorToFailure(err, this.payloadConverter) as Failure;
  }

  failureToError(failure: Failure | undefined): Error {
    if (!failure) return new IllegalStateError("Resolution carried no failure");
    return this.failureConverter.failureToError(failure, this.payloadConverter) as Error;
  }
}

/**
 * Maps the stacks of `err` and its causes to source positions, in place (the official SDK's
 * workflow errors carry source-mapped stacks from their creation). Errors that carry a Failure
 * from the other side are sent unchanged by the converter, and are left alone.
 */
export function mapErrorStacks(err: unknown, map: (stack: string) => string): void {
  for (let e: unknown = err, depth = 0; e !== null && typeof e === "object" && depth < 32; e = (e as { cause?: unknown }).cause, depth++) {
    const error = e as { stack?: unknown; failure?: unknown };
    if (error.failure !== undefined) return;
    if (typeof error.stack === "string") {
      try {
        error.stack = map(error.stack);
      } catch {
        return; // a frozen error keeps its stack
      }
    }
  }
}

/**
 * src/common is host code (not bundled), so the Dates it decodes belong to the host's realm;
 * workflow code gets Dates of its own realm (`instanceof Date` holds), as on the official SDK,
 * where @temporalio/common is bundled with the workflow.
 */
function ownRealmDate(value: unknown): unknown {
  return Object.prototype.toString.call(value) === "[object Date]" && !(value instanceof Date) ? new Date((value as Date).getTime()) : value;
}

/** The SDK's own signal, query and update names: official interceptors never see them. */
function isInternalName(name: string): boolean {
  return name.startsWith(TEMPORAL_RESERVED_PREFIX) || name === STACK_TRACE_QUERY_NAME || name === ENHANCED_STACK_TRACE_QUERY_NAME;
}

export function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === "object" || typeof v === "function") && typeof (v as PromiseLike<unknown>).then === "function";
}

/** The sandbox's AsyncLocalStorage follows awaits; without it (unit tests), scopes are synchronous only. */
function createScopeStorage<S>(): ScopeStorage<S> {
  const Als = (globalThis as { AsyncLocalStorage?: new () => ScopeStorage<S> }).AsyncLocalStorage;
  if (Als) return new Als();
  let store: S | undefined;
  return {
    run(next, fn) {
      const prev = store;
      store = next;
      try {
        return fn();
      } finally {
        store = prev;
      }
    },
    getStore: () => store,
  };
}
