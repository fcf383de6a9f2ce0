/**
 * Replay: run workflow code against recorded histories through core's replayer, to prove a
 * code change is compatible with workflows already running (`Worker.runReplayHistory`,
 * `Worker.runReplayHistories`, as in @temporalio/worker).
 *
 * How it works: core's replayer is a worker whose "server" serves the pushed histories, one
 * at a time, each as a single workflow task. We poll its activations and run them in the
 * same workflow runtime a real worker uses. Core compares the commands our code produces
 * with the events of the history; when a history is done, core evicts the run, and the
 * eviction's reason is the verdict:
 *
 *   LANG_REQUESTED / CACHE_FULL  the history replayed to its end: success
 *   NONDETERMINISM               the code produced different commands: DeterminismViolationError
 *                                (the message is core's, naming the mismatch)
 *   LANG_FAIL and anything else  the code failed the workflow task (a bug, an unknown
 *                                workflow type, a deadlock): ReplayError
 *
 * Histories are pushed one at a time, and the next only after the previous verdict, so each
 * verdict belongs to the history just pushed.
 */
import { create, fromBinary, fromJson, toBinary, type DescMessage, type JsonValue } from "@bufbuild/protobuf";
import { HistoryEventSchema, HistorySchema, type History } from "../proto/temporal/api/history/v1/message_pb.js";
import { EventType } from "../proto/temporal/api/enums/v1/event_type_pb.js";
import {
  RemoveFromCache_EvictionReason as EvictionReason,
  WorkflowActivationSchema,
  type RemoveFromCache,
  type WorkflowActivation,
} from "../proto/temporal/sdk/core/workflow_activation/workflow_activation_pb.js";
import {
  WorkflowActivationCompletionSchema,
  type WorkflowActivationCompletion,
} from "../proto/temporal/sdk/core/workflow_completion/workflow_completion_pb.js";
import { FailureSchema, type Failure } from "../proto/temporal/api/failure/v1/message_pb.js";
import { decodePayloadsInMessage, defaultFailureConverter, defaultPayloadConverter, encodePayloadsInMessage, msToNumber, type DataConverter, type LoadedDataConverter } from "../common/index.js";
import { NativeReplayer, bridgeDisabledError, isZigBridgeEnabled } from "../bridge/index.js";
import { Runtime, type Logger } from "../runtime/index.js";
import { DeterminismViolationError } from "../workflow/errors.js";
import { createWorkflowRuntime, hostConvertersForWorkflows, workflowBundleFor, type WorkflowBundleOption, type WorkflowRuntime } from "./workflow/index.js";
import { checkSinks, deliverSinkCalls, type InjectedSinks } from "./sinks.js";
import { loadDataConverterWithModules } from "../common/converter-module.js";

/** Options of a replay worker: the workflow code and how to read the histories' payloads. */
export interface ReplayWorkerOptions {
  /** Module exporting the workflow functions (bundled with Bun.build), or … */
  workflowsPath?: string;
  /** … a bundle from `bundleWorkflowCode` (faster when replaying in many calls): `{ code }` or `{ codePath }`, as for `Worker.create`. */
  workflowBundle?: WorkflowBundleOption;
  /** Modules replaced by an empty module when bundling workflowsPath. */
  bundlerIgnoreModules?: string[];
  /** Prefix of the replay worker's task queue (reported by `workflowInfo().taskQueue`). Default "fake_replay_queue". */
  replayName?: string;
  /**
   * Payload converter / failure converter / codecs, as for `Worker.create`. The history is read
   * raw (as stored by the server, e.g. from `handle.fetchHistory()`), so its payloads are
   * decoded with these codecs: pass the codecs the workflows ran with.
   */
  dataConverter?: DataConverter;
  /** Reported by `workflowInfo().namespace`. Default "default". */
  namespace?: string;
  /** Deadlock detection per activation, as for `Worker.create`. Default 2 s. */
  isolateExecutionTimeout?: number | string;
  /** Default: `Runtime.default()`. Its logger receives workflow-task failures. */
  runtime?: Runtime;
  /** `workflowModules`: workflow interceptor modules bundled with workflowsPath, as for `Worker.create`. */
  interceptors?: { workflowModules?: string[] };
  /** As for `Worker.create`; a replay worker calls only the functions with `callDuringReplay: true`, as official. */
  sinks?: InjectedSinks<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Replaying a history failed for a reason other than nondeterminism. */
export class ReplayError extends Error {
  override readonly name = "ReplayError";
  constructor(
    message: string,
    readonly workflowId?: string,
    readonly runId?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The verdict on one history. */
export interface ReplayResult {
  readonly workflowId: string;
  readonly runId: string;
  /** Undefined when the history replayed without error. */
  readonly error?: ReplayError | DeterminismViolationError;
}

/** A history (History message, its protobuf JSON, or serialized bytes) and the workflow id to replay it as (src/common's type, as official). */
import type { HistoryAndWorkflowId } from "../common/index.js";
export type { HistoryAndWorkflowId };

export type ReplayHistoriesIterable = AsyncIterable<HistoryAndWorkflowId> | Iterable<HistoryAndWorkflowId>;

let replayWorkerCount = 0;

/**
 * Replays one history; resolves when it replayed to its end.
 * @throws DeterminismViolationError if the workflow code is not compatible with the history.
 * @throws ReplayError on any other failure (the code failed the workflow task, a malformed history).
 */
export async function runReplayHistory(options: ReplayWorkerOptions, history: History | unknown, workflowId = "fake"): Promise<void> {
  const results = runReplayHistories(options, [{ workflowId, history }]);
  try {
    const first = await results.next();
    if (first.done) throw new ReplayError("The replayer produced no result", workflowId);
    if (first.value.error) throw first.value.error;
  } finally {
    await results.return(undefined);
  }
}

/**
 * Replays each history in turn with one replay worker and yields its verdict. A failing
 * history does not stop the others. Stopping the iteration early shuts the replayer down.
 */
export async function* runReplayHistories(options: ReplayWorkerOptions, histories: ReplayHistoriesIterable): AsyncGenerator<ReplayResult, void, undefined> {
  let replayer = await ReplayWorker.create(options);
  try {
    for await (const { workflowId, history } of histories) {
      let bytes: Uint8Array;
      let runId: string;
      try {
        const h = toHistory(history);
        runId = checkReplayable(h, workflowId);
        // Serialized input goes to core as given: it decoded and passed the checks, and encoding
        // the decoded message again cost ~5 % of a replay's CPU (bench/replay-peer.ts).
        bytes = history instanceof Uint8Array ? history : toBinary(HistorySchema, h);
      } catch (err) {
        yield { workflowId, runId: "", error: err instanceof ReplayError ? err : new ReplayError(errorText(err), workflowId, undefined, { cause: err }) };
        continue;
      }
      let eviction: Eviction;
      try {
        eviction = await replayer.replay(workflowId, bytes);
      } catch (err) {
        // The replay worker died under this history (core panicked on something the checks
        // above let through, or a poll failed): report it, and go on with a fresh worker.
        const error = err instanceof ReplayError ? err : new ReplayError(errorText(err), workflowId, runId, { cause: err });
        await replayer.close().catch(() => undefined);
        replayer = await ReplayWorker.create(options);
        yield { workflowId, runId, error };
        continue;
      }
      yield { workflowId, runId: eviction.runId || runId, error: verdict(eviction, workflowId, runId) };
    }
  } finally {
    await replayer.close();
  }
}

/** How a replayed history ended: core's eviction of its run, and the first workflow-task failure our code reported for it. */
interface Eviction {
  runId: string;
  job: RemoveFromCache;
  taskFailure: Failure | undefined;
}

/**
 * The error (if any) that the end of a replayed history stands for. Core's eviction reason
 * decides, except that a workflow-task failure our code reported also fails the replay:
 * core's replayer evicts with LANG_REQUESTED after the last activation even when that
 * activation failed, so the reason alone would let a failing final task pass.
 */
function verdict(eviction: Eviction, workflowId: string, runId: string): ReplayError | DeterminismViolationError | undefined {
  const { reason, message } = eviction.job;
  const failure = eviction.taskFailure;
  if (reason === EvictionReason.NONDETERMINISM) {
    return new DeterminismViolationError(
      `Replay of workflow ${workflowId} (run ${runId}) failed with a nondeterminism error: the workflow code is not compatible with its history. ${message}`,
    );
  }
  if (failure !== undefined) {
    // A plain Error (TypeError, DeterminismViolationError, …) converts without failure info, as
    // official; its name is the first word of its stack ("TypeError: …").
    const type =
      failure.failureInfo.case === "applicationFailureInfo" ? failure.failureInfo.value.type : (/^([A-Za-z_$][\w$]*): /.exec(failure.stackTrace)?.[1] ?? "");
    const text = `Replay of workflow ${workflowId} (run ${runId}) failed: the workflow code failed a workflow task: ${type ? `${type}: ` : ""}${failure.message}`;
    // Workflow code that broke a determinism rule the sandbox enforces (WeakRef, …) is a determinism violation too.
    return type === "DeterminismViolationError" ? new DeterminismViolationError(text) : new ReplayError(text, workflowId, runId);
  }
  switch (reason) {
    case EvictionReason.LANG_REQUESTED:
    case EvictionReason.CACHE_FULL:
      return undefined;
    case EvictionReason.LANG_FAIL:
      return new ReplayError(`Replay of workflow ${workflowId} (run ${runId}) failed: the workflow code failed a workflow task. ${message}`, workflowId, runId);
    default:
      return new ReplayError(`Replay of workflow ${workflowId} (run ${runId}) failed (${EvictionReason[reason] ?? reason}): ${message}`, workflowId, runId);
  }
}

/**
 * One core replayer plus the workflow runtime, with a plain loop that polls and completes
 * activations and reports each eviction.
 */
class ReplayWorker {
  private readonly evictions: Eviction[] = [];
  private wake: (() => void) | undefined;
  private loopError: unknown;
  private loopEnded = false;
  private readonly loop: Promise<void>;
  private closed = false;

  private constructor(
    private readonly replayer: NativeReplayer,
    private readonly runtime: WorkflowRuntime,
    private readonly converters: LoadedDataConverter,
    private readonly logger: Logger,
    private readonly sinks: InjectedSinks<any> | undefined, // eslint-disable-line @typescript-eslint/no-explicit-any
  ) {
    this.loop = this.pollLoop().then(
      () => {
        this.loopEnded = true;
        this.wake?.();
      },
      (err: unknown) => {
        this.loopError = err;
        this.loopEnded = true;
        this.wake?.();
      },
    );
  }

  static async create(options: ReplayWorkerOptions): Promise<ReplayWorker> {
    if (!isZigBridgeEnabled()) throw bridgeDisabledError("Worker.runReplayHistories");
    if (options.workflowBundle === undefined && options.workflowsPath === undefined) {
      throw new TypeError("Replay needs workflowsPath or workflowBundle");
    }
    // Converter modules load first: a bad path fails before bundling, as in Worker.create.
    const converters = loadDataConverterWithModules(options.dataConverter);
    const bundle = (await workflowBundleFor({
      workflowBundle: options.workflowBundle,
      workflowsPath: options.workflowsPath,
      ignoreModules: options.bundlerIgnoreModules,
      payloadConverterPath: options.dataConverter?.payloadConverterPath,
      failureConverterPath: options.dataConverter?.failureConverterPath,
      workflowInterceptorModules: options.interceptors?.workflowModules,
    }))!;
    const sinksError = checkSinks(options.sinks);
    if (sinksError) throw new TypeError(`ReplayWorkerOptions.sinks: ${sinksError}`);
    const rt = options.runtime ?? Runtime.default();
    const namespace = options.namespace ?? "default";
    const taskQueue = `${options.replayName ?? "fake_replay_queue"}-${++replayWorkerCount}`;
    const replayer = NativeReplayer.create(rt.native, {
      namespace,
      taskQueue,
      maxCachedWorkflows: 1,
      workflowSlots: 1,
      enableWorkflows: true,
      enableActivities: false,
      enableLocalActivities: false,
      workflowPollers: { maximum: 2 }, // core validates this before the replayer forces 1
    });
    const runtime = createWorkflowRuntime({
      bundle,
      namespace,
      taskQueue,
      ...hostConvertersForWorkflows(bundle, options.dataConverter ?? {}, converters, { payloadConverter: defaultPayloadConverter, failureConverter: defaultFailureConverter }),
      logger: rt.logger,
      deadlockTimeoutMs: options.isolateExecutionTimeout === undefined ? undefined : msToNumber(options.isolateExecutionTimeout as never),
    });
    return new ReplayWorker(replayer, runtime, converters, rt.logger, options.sinks);
  }

  /** Pushes one history and waits for the eviction that ends its replay. */
  async replay(workflowId: string, history: Uint8Array): Promise<Eviction> {
    this.replayer.push(workflowId, history);
    for (;;) {
      const next = this.evictions.shift();
      if (next) return next;
      if (this.loopEnded) {
        throw new ReplayError(`Replay of workflow ${workflowId} failed: the replay worker stopped before the history was replayed: ${errorText(this.loopError ?? "no error")}`, workflowId, undefined, {
          cause: this.loopError,
        });
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  private async pollLoop(): Promise<void> {
    const worker = this.replayer.worker;
    /** The first workflow-task failure of each run since its last eviction. */
    const taskFailures = new Map<string, Failure>();
    for (;;) {
      const polled = await worker.pollWorkflowActivation();
      if (polled.kind === "shutdown") return;
      const activation = fromBinary(WorkflowActivationSchema, polled.bytes);
      const completion = await this.process(activation);
      if (completion.status.case === "failed" && !taskFailures.has(activation.runId)) {
        taskFailures.set(activation.runId, completion.status.value.failure ?? create(FailureSchema, { message: "workflow task failed" }));
      }
      await worker.completeWorkflowActivation(toBinary(WorkflowActivationCompletionSchema, completion));
      // Report the eviction after completing it: core then goes on to the next history.
      for (const job of activation.jobs) {
        if (job.variant.case === "removeFromCache") {
          this.evictions.push({ runId: activation.runId, job: job.variant.value, taskFailure: taskFailures.get(activation.runId) });
          taskFailures.delete(activation.runId);
          this.wake?.();
        }
      }
    }
  }

  private async process(activation: WorkflowActivation): Promise<WorkflowActivationCompletion> {
    try {
      await decodePayloadsInMessage(this.converters.payloadCodecs, WorkflowActivationSchema, activation);
      const completion = await this.runtime.activate(activation);
      await encodePayloadsInMessage(this.converters.payloadCodecs, WorkflowActivationCompletionSchema, completion);
      await deliverSinkCalls(this.runtime.takeSinkCalls(activation.runId), this.sinks, this.logger, { sdkComponent: "worker", runId: activation.runId }, true);
      return completion;
    } catch (err) {
      this.logger.error(`Replay activation failed before reaching workflow code: ${errorText(err)}`, { sdkComponent: "worker", runId: activation.runId });
      return create(WorkflowActivationCompletionSchema, {
        runId: activation.runId,
        status: { case: "failed", value: { failure: create(FailureSchema, { message: errorText(err), stackTrace: (err as Error)?.stack ?? "" }) } },
      });
    }
  }

  /** Ends the history stream, drains the poller to "shutdown", then shuts the worker down in two phases. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const worker = this.replayer.worker;
    try {
      this.replayer.finishPushing();
      await this.loop;
      worker.initiateShutdown();
      if (this.loopError === undefined) await worker.finalizeShutdown();
    } finally {
      worker.free();
      this.runtime.dispose();
    }
    if (this.loopError !== undefined) throw this.loopError;
  }
}

// ── histories ──────────────────────────────────────────────────────────────────────────

/**
 * A History from what users have: a History message (e.g. from `handle.fetchHistory()`),
 * the same shape without its type tag, serialized bytes, or protobuf JSON as
 * `temporal workflow show --output json` writes it (a string or a parsed object; older
 * PascalCase enum names such as `"eventType": "WorkflowExecutionStarted"` are accepted).
 */
export function toHistory(history: unknown): History {
  if (history instanceof Uint8Array) {
    try {
      return fromBinary(HistorySchema, history);
    } catch (err) {
      throw new ReplayError(`Not a serialized History: ${errorText(err)}`, undefined, undefined, { cause: err });
    }
  }
  if (typeof history === "string") {
    try {
      history = JSON.parse(history);
    } catch (err) {
      throw new ReplayError(`History string is not JSON: ${errorText(err)}`, undefined, undefined, { cause: err });
    }
  }
  if (typeof history !== "object" || history === null || !Array.isArray((history as { events?: unknown }).events)) {
    throw new ReplayError(`Expected a history: an object with an array of events, got ${history === null ? "null" : typeof history}`);
  }
  const h = history as { $typeName?: string; events: unknown[] };
  if (h.$typeName === HistorySchema.typeName) return h as History;
  const first = h.events[0] as Record<string, unknown> | undefined;
  if (first && typeof first.attributes === "object" && first.attributes !== null && "case" in first.attributes) {
    return create(HistorySchema, h as never); // protobuf-es shape without $typeName
  }
  return historyFromJSON(h);
}

/** Parses protobuf JSON of a History, fixing older PascalCase enum names on the way. */
export function historyFromJSON(json: unknown): History {
  try {
    return fromJson(HistorySchema, fixEnums(HistorySchema, json) as JsonValue, { ignoreUnknownFields: true });
  } catch (err) {
    throw new ReplayError(`Invalid history JSON: ${errorText(err)}`, undefined, undefined, { cause: err });
  }
}

const constantCase = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();

/** Rewrites enum values like "WorkflowExecutionStarted" to "EVENT_TYPE_WORKFLOW_EXECUTION_STARTED", guided by the schema. */
function fixEnums(desc: DescMessage, json: unknown): unknown {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return json;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    const field = desc.fields.find((f) => f.jsonName === key || f.name === key);
    if (field === undefined || value === null) {
      out[key] = value;
      continue;
    }
    switch (field.fieldKind) {
      case "enum":
        out[key] = fixEnumValue(field.enum, value);
        break;
      case "message":
        out[key] = fixEnums(field.message, value);
        break;
      case "list":
        out[key] = !Array.isArray(value)
          ? value
          : field.listKind === "message"
            ? value.map((v) => fixEnums(field.message, v))
            : field.listKind === "enum"
              ? value.map((v) => fixEnumValue(field.enum, v))
              : value;
        break;
      case "map":
        out[key] =
          typeof value !== "object" || field.mapKind !== "message"
            ? value
            : Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, fixEnums(field.message, v)]));
        break;
      default:
        out[key] = value;
    }
  }
  return out;
}

function fixEnumValue(e: { values: { name: string }[]; sharedPrefix?: string }, value: unknown): unknown {
  if (typeof value !== "string" || e.values.some((v) => v.name === value)) return value;
  const prefix = (e.sharedPrefix ?? "").toUpperCase();
  const candidate = prefix + constantCase(value);
  return e.values.some((v) => v.name === candidate) ? candidate : value;
}

/** The attributes field of each event type: `WORKFLOW_TASK_STARTED` → `workflowTaskStartedEventAttributes`. */
function attributesCase(type: EventType): string | undefined {
  const name = EventType[type];
  if (name === undefined || type === EventType.UNSPECIFIED) return undefined;
  const camel = name.toLowerCase().replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());
  const field = `${camel}EventAttributes`;
  return HISTORY_EVENT_ATTRIBUTE_CASES.has(field) ? field : undefined;
}
const HISTORY_EVENT_ATTRIBUTE_CASES = new Set(HistoryEventSchema.oneofs.find((o) => o.localName === "attributes")?.fields.map((f) => f.localName) ?? []);

/** What may follow a WorkflowTaskStarted event (core's HistoryInfo rules). */
const AFTER_TASK_STARTED = new Set([
  EventType.WORKFLOW_TASK_COMPLETED,
  EventType.WORKFLOW_TASK_FAILED,
  EventType.WORKFLOW_TASK_TIMED_OUT,
  EventType.WORKFLOW_EXECUTION_TERMINATED,
  EventType.WORKFLOW_EXECUTION_TIMED_OUT,
]);

/** Events that close a run. */
const CLOSING_EVENTS = new Set([
  EventType.WORKFLOW_EXECUTION_COMPLETED,
  EventType.WORKFLOW_EXECUTION_FAILED,
  EventType.WORKFLOW_EXECUTION_TIMED_OUT,
  EventType.WORKFLOW_EXECUTION_TERMINATED,
  EventType.WORKFLOW_EXECUTION_CANCELED,
  EventType.WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
]);

const eventName = (type: EventType) => (EventType[type] === undefined ? `event type ${type}` : EventType[type]!.toLowerCase().replace(/(^|_)([a-z])/g, (_, _u: string, ch: string) => ch.toUpperCase()));

/**
 * Checks what core's replayer would panic on, or choke on, before the history reaches it,
 * and returns the run id. Core builds its view of a history (HistoryInfo::new_from_history)
 * inside its poller task and unwraps the result: a history it rejects kills that task and
 * the replay would never end. So the same rules are checked here, with a message naming
 * the event at fault, plus two that every history the server writes meets (consecutive event
 * ids from 1, attributes of the event's type) and that core's state machines rely on.
 * @throws ReplayError naming what is wrong.
 */
export function checkReplayable(history: History, workflowId = "(unknown)"): string {
  const bad = (what: string) => new ReplayError(`Malformed history for workflow ${workflowId}: ${what}`, workflowId);
  const events = history.events;
  const first = events[0];
  if (first === undefined) throw bad("the history has no events");
  if (first.eventType !== EventType.WORKFLOW_EXECUTION_STARTED || first.attributes.case !== "workflowExecutionStartedEventAttributes") {
    throw bad(`the first event must be WorkflowExecutionStarted with its attributes, got ${eventName(first.eventType)}${first.attributes.case === undefined ? " without attributes" : ` with ${first.attributes.case}`}`);
  }
  const started = first.attributes.value;
  if (!started.workflowType?.name) throw bad("the WorkflowExecutionStarted event (id 1) has no workflow type name");
  if (started.taskQueue === undefined) throw bad("the WorkflowExecutionStarted event (id 1) has no task queue");
  if (!started.originalExecutionRunId) throw bad("the WorkflowExecutionStarted event (id 1) has no originalExecutionRunId (core's replayer needs it)");
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.eventId !== BigInt(i + 1)) {
      throw bad(`event ids must run 1, 2, 3, … without gaps or reordering: event #${i + 1} (${eventName(e.eventType)}) has id ${e.eventId}`);
    }
  }
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    // Events a newer server marks as ignorable may be of a type this SDK does not know.
    if (e.workerMayIgnore) continue;
    const expected = attributesCase(e.eventType);
    if (expected === undefined) throw bad(`event ${e.eventId} has an unknown event type ${e.eventType}`);
    if (e.attributes.case !== expected) {
      throw bad(`event ${e.eventId} is ${eventName(e.eventType)} but carries ${e.attributes.case ?? "no attributes"} (expected ${expected})`);
    }
    const next = events[i + 1];
    if (e.eventType === EventType.WORKFLOW_TASK_STARTED && next !== undefined && !AFTER_TASK_STARTED.has(next.eventType)) {
      throw bad(
        `event ${e.eventId} (WorkflowTaskStarted) is followed by ${eventName(next.eventType)} (event ${next.eventId}); a started workflow task must be followed by its WorkflowTaskCompleted, WorkflowTaskFailed or WorkflowTaskTimedOut`,
      );
    }
  }
  // Core serves the history as one workflow task ending at the last WorkflowTaskStarted; with
  // none, it hands out a task that starts at event 0, and the replay waits forever (found by
  // bench/faults/fuzz.ts: a history of only WorkflowExecutionStarted). A closed history with
  // no task (a run that timed out or was terminated before its first task: the corpus holds
  // such children) is fine: core sees the close and the replay ends clean.
  if (!events.some((e) => e.eventType === EventType.WORKFLOW_TASK_STARTED) && !CLOSING_EVENTS.has(events[events.length - 1]!.eventType)) {
    throw bad("the history has no WorkflowTaskStarted event and does not end with the run's close: no workflow task ever ran, so there is nothing to replay");
  }
  return started.originalExecutionRunId;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
