/**
 * Child workflows (`startChild`, `executeChild`) and handles to other workflows
 * (`getExternalWorkflowHandle`), as @temporalio/workflow 1.24.
 *
 * The promise structure follows the official SDK's step for step (an async API function, a
 * handler returning `[startPromise, completePromise]`, the result promise chained to the start
 * promise), so racing branches resolve in the same microtask order and produce the same
 * commands in the same order on both SDKs. Core's child workflow state machine does the rest:
 * which cancellation type resolves when, and what a cancelled start looks like.
 */
import {
  checkOptions,
  childWorkflowCancellationTypeCodec,
  composeInterceptors,
  compilePriority,
  compileRetryPolicy,
  describeValue,
  durationOptionToTs,
  encodeUnifiedSearchAttributes,
  extractWorkflowType,
  parentClosePolicyCodec,
  versioningIntentCodec,
  workflowIdReusePolicyCodec,
  type SearchAttributePair,
  type SearchAttributes,
  type TypedSearchAttributes,
} from "../common/index.js";
import type { Payload } from "../proto/temporal/api/common/v1/message_pb.js";
import { getActivator, maybeGetActivator, type Activator } from "./activator.js";
import { CancellationScope } from "./cancellation-scope.js";
import { IllegalStateError } from "./errors.js";
import type { SignalWorkflowInput, StartChildWorkflowExecutionInput } from "./interceptors.js";
import { ChildWorkflowCancellationType, type ParentClosePolicy, type VersioningIntent } from "../common/enums.js";
import type { WorkflowIdReusePolicy } from "../common/enums.js";
import type { Priority, RetryPolicy } from "../common/retry-policy.js";
import type { Duration, SignalDefinition, Workflow, WorkflowResultType } from "./interfaces.js";
import { optionalRecord, optionalString, patched, uuid4, warnOption } from "./workflow.js";

/* eslint-disable @typescript-eslint/no-explicit-any */

/** The options of a child workflow, as the official ChildWorkflowOptions (CommonWorkflowOptions without workflowIdConflictPolicy). */
export interface ChildWorkflowOptions {
  /** Default: a uuid4 from the run's deterministic random stream, as official. */
  workflowId?: string;
  /** Default: the parent's task queue. */
  taskQueue?: string;
  /** How the parent learns of a cancellation it requested (default WAIT_CANCELLATION_COMPLETED). */
  cancellationType?: ChildWorkflowCancellationType;
  /** What happens to the child when the parent closes (server default TERMINATE). */
  parentClosePolicy?: ParentClosePolicy;
  /** @deprecated worker versioning (Build Id based). */
  versioningIntent?: VersioningIntent;
  workflowIdReusePolicy?: WorkflowIdReusePolicy;
  retry?: RetryPolicy;
  cronSchedule?: string;
  memo?: Record<string, unknown>;
  /** @deprecated Use typedSearchAttributes. */
  searchAttributes?: SearchAttributes;
  typedSearchAttributes?: SearchAttributePair[] | TypedSearchAttributes;
  /** User metadata of the start: a one-line summary and details the UI shows. */
  staticSummary?: string;
  staticDetails?: string;
  priority?: Priority;
  workflowRunTimeout?: Duration;
  workflowExecutionTimeout?: Duration;
  workflowTaskTimeout?: Duration;
}

/** The options with the official defaults applied (addDefaultWorkflowOptions). */
export type ChildWorkflowOptionsWithDefaults = ChildWorkflowOptions & { workflowId: string; cancellationType: ChildWorkflowCancellationType; args: unknown[] };

/** Options plus `args`, required when the workflow takes arguments (as official). */
export type WithWorkflowArgs<W extends Workflow, T> = T &
  (Parameters<W> extends [any, ...any[]] ? { args: Parameters<W> | Readonly<Parameters<W>> } : { args?: Parameters<W> | Readonly<Parameters<W>> });

/** A handle to a started child workflow. */
export interface ChildWorkflowHandle<T extends Workflow> {
  readonly workflowId: string;
  /** The run id of the child's first run (its start resolved with it). */
  readonly firstExecutionRunId: string;
  /** The child's result; rejects with ChildWorkflowFailure when it fails, times out, is cancelled or terminated. */
  result(): Promise<WorkflowResultType<T>>;
  /** Signal the child (cancellable through the current CancellationScope). */
  signal<Args extends any[] = [], Name extends string = string>(def: SignalDefinition<Args, Name> | string, ...args: Args): Promise<void>;
  /** As official: the signal's name and `options.args`. */
  signalWithOptions<Args extends any[] = []>(signalName: string, options: { args?: Args }): Promise<void>;
}

/** A handle to any workflow, to signal it or request its cancellation. */
export interface ExternalWorkflowHandle {
  readonly workflowId: string;
  readonly runId?: string;
  signal<Args extends any[] = [], Name extends string = string>(def: SignalDefinition<Args, Name> | string, ...args: Args): Promise<void>;
  signalWithOptions<Args extends any[] = []>(signalName: string, options: { args?: Args }): Promise<void>;
  /** Request the workflow's cancellation; resolves when the server recorded the request. */
  cancel(): Promise<void>;
}

/* eslint-enable @typescript-eslint/no-explicit-any */

// ── options ──────────────────────────────────────────────────────────────────────────────

const CHILD_OPTIONS = [
  "workflowId",
  "args",
  "taskQueue",
  "cancellationType",
  "parentClosePolicy",
  "versioningIntent",
  "workflowIdReusePolicy",
  "retry",
  "cronSchedule",
  "memo",
  "searchAttributes",
  "typedSearchAttributes",
  "staticSummary",
  "staticDetails",
  "priority",
  "workflowRunTimeout",
  "workflowExecutionTimeout",
  "workflowTaskTimeout",
];
/** Accepted by the official SDK 1.24, not implemented here (see docs/compatibility.md). */
const CHILD_OPTIONS_OFFICIAL_ONLY = ["typeInfo", "eventGroups"];
/** Not in the official ChildWorkflowOptions type; the official SDK lets it through unused. */
const CHILD_OPTIONS_IGNORED_BY_OFFICIAL = ["workflowIdConflictPolicy"];

/** The official defaults: a uuid4 workflow id (drawn now, from the run's stream), no args, WAIT_CANCELLATION_COMPLETED. */
export function addDefaultWorkflowOptions<T extends Workflow>(options: WithWorkflowArgs<T, ChildWorkflowOptions>): ChildWorkflowOptionsWithDefaults;
export function addDefaultWorkflowOptions(options: unknown, api?: string): ChildWorkflowOptionsWithDefaults;
export function addDefaultWorkflowOptions(options: unknown, api = "addDefaultWorkflowOptions"): ChildWorkflowOptionsWithDefaults {
  if (options !== undefined && options !== null && (typeof options !== "object" || Array.isArray(options))) {
    throw new TypeError(`${api}: expected an options object, got ${describeValue(options)}`);
  }
  const { args, workflowId, ...rest } = (options ?? {}) as ChildWorkflowOptions & { args?: unknown[] };
  return {
    workflowId: workflowId ?? uuid4(),
    args: (args ?? []) as unknown[],
    // An explicit `cancellationType: undefined` overrides the default (then core's 0, ABANDON), as official.
    cancellationType: ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED,
    ...rest,
  };
}

/**
 * The StartChildWorkflowExecution command's fields (without seq and headers), every option
 * checked: a bad one throws a TypeError/ValueError naming it, which fails the workflow task.
 */
function compileChildOptions(a: Activator, workflowType: string, options: ChildWorkflowOptionsWithDefaults, api: string) {
  checkOptions(
    { name: `${api} options`, supported: CHILD_OPTIONS, officialOnly: CHILD_OPTIONS_OFFICIAL_ONLY, ignoredByOfficial: CHILD_OPTIONS_IGNORED_BY_OFFICIAL },
    options,
    warnOption,
  );
  const where = (key: string) => `${api} option ${key}`;
  const o = options as unknown as Record<string, unknown>;
  const workflowId = optionalString(o.workflowId, where("workflowId"))!;
  if (!Array.isArray(o.args)) throw new TypeError(`${where("args")}: expected an array, got ${describeValue(o.args)}`);
  const memo = optionalRecord(o.memo, where("memo"));
  const untypedSearchAttributes = optionalRecord(o.searchAttributes, where("searchAttributes")) as SearchAttributes | undefined;
  const typedSearchAttributes = o.typedSearchAttributes as SearchAttributePair[] | TypedSearchAttributes | undefined;
  const info = a.info!;
  return {
    workflowId,
    workflowType,
    namespace: info.namespace, // not configurable, as official
    taskQueue: optionalString(o.taskQueue, where("taskQueue")) || info.taskQueue,
    input: (o.args as unknown[]).map((v) => a.toPayload(v)),
    workflowExecutionTimeout: durationOptionToTs(o.workflowExecutionTimeout, where("workflowExecutionTimeout")),
    workflowRunTimeout: durationOptionToTs(o.workflowRunTimeout, where("workflowRunTimeout")),
    workflowTaskTimeout: durationOptionToTs(o.workflowTaskTimeout, where("workflowTaskTimeout")),
    parentClosePolicy: parentClosePolicyCodec.encode(o.parentClosePolicy, where("parentClosePolicy")) ?? 0,
    workflowIdReusePolicy: workflowIdReusePolicyCodec.encode(o.workflowIdReusePolicy, where("workflowIdReusePolicy")) ?? 0,
    retryPolicy: o.retry === undefined || o.retry === null ? undefined : compileRetryPolicy(o.retry, where("retry")),
    cronSchedule: optionalString(o.cronSchedule, where("cronSchedule")) ?? "",
    memo: memo ? (Object.fromEntries(Object.entries(memo).map(([k, v]) => [k, a.toPayload(v)])) as Record<string, Payload>) : {},
    searchAttributes:
      untypedSearchAttributes || typedSearchAttributes ? { indexedFields: encodeUnifiedSearchAttributes(untypedSearchAttributes, typedSearchAttributes) } : undefined,
    cancellationType: childWorkflowCancellationTypeCodec.encode(o.cancellationType, where("cancellationType")) ?? 0,
    versioningIntent: versioningIntentCodec.encode(o.versioningIntent, where("versioningIntent")) ?? 0,
    priority: o.priority === undefined || o.priority === null ? undefined : compilePriority(o.priority, where("priority")),
    userMetadata: userMetadata(a, o.staticSummary, o.staticDetails),
  };
}

/** As official: no user metadata unless a summary or details is given; each converted with the payload converter. */
function userMetadata(a: Activator, summary: unknown, details: unknown): { summary?: Payload; details?: Payload } | undefined {
  const s = summary === undefined || summary === null ? undefined : a.toPayload(summary);
  const d = details === undefined || details === null ? undefined : a.toPayload(details);
  return s === undefined && d === undefined ? undefined : { summary: s, details: d };
}

// ── child workflows ──────────────────────────────────────────────────────────────────────

/**
 * Pushes the start command and returns (already resolved) the start and result promises, as
 * the official startChildWorkflowExecutionNextHandler. Cancelling the scope before the result
 * came asks core to cancel the child; core resolves the start or the result according to the
 * cancellation type.
 */
function startChildWorkflowExecution(seq: number, workflowType: string, options: ChildWorkflowOptionsWithDefaults, api: string): Promise<[Promise<string>, Promise<unknown>]> {
  const a = getActivator();
  const execute = composeInterceptors(a.interceptors.outbound, "startChildWorkflowExecution", (input: StartChildWorkflowExecutionInput) =>
    startChildWorkflowExecutionNextHandler(input, api),
  );
  return execute({ seq, options, headers: {}, workflowType });
}

function startChildWorkflowExecutionNextHandler({ seq, workflowType, options, headers }: StartChildWorkflowExecutionInput, api: string): Promise<[Promise<string>, Promise<unknown>]> {
  const a = getActivator();
  const startPromise = new Promise<string>((resolve, reject) => {
    const scope = CancellationScope.current();
    if (scope.consideredCancelled) {
      scope.cancelRequested.catch(reject);
      return;
    }
    // Compiled here, as official: in a cancelled scope options are not looked at, and a bad
    // option rejects the start (and so the result) rather than throwing at the call.
    const { userMetadata: metadata, ...command } = compileChildOptions(a, workflowType, options, api);
    if (scope.cancellable) {
      scope.cancelRequested.catch(() => {
        if (!a.completions.childWorkflowComplete.has(seq)) return; // already resolved: nothing to cancel
        a.pushCommand({ variant: { case: "cancelChildWorkflowExecution", value: { childWorkflowSeq: seq } } });
      });
    }
    a.pushCommand({ variant: { case: "startChildWorkflowExecution", value: { seq, ...command, headers } }, userMetadata: metadata });
    a.completions.childWorkflowStart.set(seq, { resolve: resolve as (v: unknown) => void, reject, stack: a.captureStack() });
  });
  // The result's completion exists before workflow code decides to await it, so the result is
  // captured either way; a start that fails rejects the result too.
  const completePromise = new Promise<unknown>((resolve, reject) => {
    startPromise.catch(reject);
    a.completions.childWorkflowComplete.set(seq, { resolve, reject, stack: a.captureStack() });
  });
  // The result may never be awaited: its rejection must not count as unhandled.
  completePromise.catch(() => undefined);
  return new Promise((resolve) => resolve([startPromise, completePromise]));
}

function signalWorkflow(seq: number, signalName: string, args: unknown[], target: SignalWorkflowInput["target"]): Promise<void> {
  const execute = composeInterceptors(getActivator().interceptors.outbound, "signalWorkflow", signalWorkflowNextHandler);
  return execute({ seq, signalName, args, target, headers: {} });
}

function signalWorkflowNextHandler({ seq, signalName, args, target, headers }: SignalWorkflowInput): Promise<void> {
  const a = getActivator();
  return new Promise<void>((resolve, reject) => {
    const scope = CancellationScope.current();
    if (scope.consideredCancelled) {
      scope.cancelRequested.catch(reject);
      return;
    }
    if (scope.cancellable) {
      scope.cancelRequested.catch(() => {
        if (!a.completions.signalWorkflow.has(seq)) return;
        // Core resolves the signal with a CancelledFailure.
        a.pushCommand({ variant: { case: "cancelSignalWorkflow", value: { seq } } });
      });
    }
    a.pushCommand({
      variant: {
        case: "signalExternalWorkflowExecution",
        value: {
          seq,
          signalName,
          args: args.map((v) => a.toPayload(v)),
          headers,
          target:
            target.type === "child"
              ? { case: "childWorkflowId", value: target.childWorkflowId }
              : { case: "workflowExecution", value: { namespace: a.info!.namespace, workflowId: target.workflowExecution.workflowId, runId: target.workflowExecution.runId ?? "" } },
        },
      },
    });
    a.completions.signalWorkflow.set(seq, { resolve: resolve as (v: unknown) => void, reject, stack: a.captureStack() });
  });
}

function signalName(def: SignalDefinition<unknown[]> | string, api: string): string {
  if (typeof def === "string") return def;
  if (def !== null && typeof def === "object" && typeof def.name === "string") return def.name;
  throw new TypeError(`${api}: expected a signal definition or a signal name, got ${describeValue(def)}`);
}

type WorkflowTypeOrFunc<T extends Workflow> = string | T;

/**
 * Start a child workflow; resolves, once the server started it, with a handle to it. By
 * default the child runs on the parent's task queue. Cancel it through a CancellationScope.
 */
export async function startChild<T extends Workflow>(workflowType: string, options: WithWorkflowArgs<T, ChildWorkflowOptions>): Promise<ChildWorkflowHandle<T>>;
export async function startChild<T extends Workflow>(workflowFunc: T, options: WithWorkflowArgs<T, ChildWorkflowOptions>): Promise<ChildWorkflowHandle<T>>;
export async function startChild<T extends () => Promise<unknown>>(workflowType: string): Promise<ChildWorkflowHandle<T>>;
export async function startChild<T extends () => Promise<unknown>>(workflowFunc: T): Promise<ChildWorkflowHandle<T>>;
export async function startChild<T extends Workflow>(workflowTypeOrFunc: WorkflowTypeOrFunc<T>, options?: WithWorkflowArgs<T, ChildWorkflowOptions>): Promise<ChildWorkflowHandle<T>> {
  const a = assertInWorkflow("Workflow.startChild(...) may only be used from a Workflow Execution. Consider using Client.workflow.start(...) instead.)");
  const withDefaults = addDefaultWorkflowOptions(options, "startChild");
  const workflowType = extractWorkflowType(workflowTypeOrFunc);
  const [started, completed] = await startChildWorkflowExecution(a.nextSeq.childWorkflow++, workflowType, withDefaults, "startChild");
  const firstExecutionRunId = await started;
  const workflowId = withDefaults.workflowId;
  const signal = (name: string, args: unknown[]) => signalWorkflow(a.nextSeq.signalWorkflow++, name, args, { type: "child", childWorkflowId: workflowId });
  return {
    workflowId,
    firstExecutionRunId,
    async result(): Promise<WorkflowResultType<T>> {
      return (await completed) as WorkflowResultType<T>;
    },
    async signal(def, ...args) {
      return signal(signalName(def as SignalDefinition<unknown[]> | string, "ChildWorkflowHandle.signal"), args);
    },
    async signalWithOptions(name, opts) {
      return signal(name, opts?.args ?? []);
    },
  };
}

/** Start a child workflow and wait for its result (cancellable through a CancellationScope). */
export async function executeChild<T extends Workflow>(workflowType: string, options: WithWorkflowArgs<T, ChildWorkflowOptions>): Promise<WorkflowResultType<T>>;
export async function executeChild<T extends Workflow>(workflowFunc: T, options: WithWorkflowArgs<T, ChildWorkflowOptions>): Promise<WorkflowResultType<T>>;
export async function executeChild<T extends () => Promise<unknown>>(workflowType: string): Promise<WorkflowResultType<T>>;
export async function executeChild<T extends () => Promise<unknown>>(workflowFunc: T): Promise<WorkflowResultType<T>>;
export async function executeChild<T extends Workflow>(workflowTypeOrFunc: WorkflowTypeOrFunc<T>, options?: WithWorkflowArgs<T, ChildWorkflowOptions>): Promise<WorkflowResultType<T>> {
  const a = assertInWorkflow("Workflow.executeChild(...) may only be used from a Workflow Execution. Consider using Client.workflow.execute(...) instead.");
  const withDefaults = addDefaultWorkflowOptions(options, "executeChild");
  const workflowType = extractWorkflowType(workflowTypeOrFunc);
  const execPromise = startChildWorkflowExecution(a.nextSeq.childWorkflow++, workflowType, withDefaults, "executeChild");
  const completedPromise = execPromise.then(([, completed]) => completed);
  return completedPromise as Promise<WorkflowResultType<T>>;
}

// ── external workflows ───────────────────────────────────────────────────────────────────

/**
 * The official SDK connects an external handle's cancel() to the current scope behind this
 * patch (histories from before 0.22 did not): it is checked only when the scope is cancelled,
 * so histories get the marker only when it matters.
 */
const EXTERNAL_WF_CANCEL_PATCH = "__temporal_internal_connect_external_handle_cancel_to_scope";

/** A handle to signal or cancel another workflow (any workflow id, run id optional). */
export function getExternalWorkflowHandle(workflowId: string, runId?: string): ExternalWorkflowHandle {
  const a = assertInWorkflow(
    "Workflow.getExternalWorkflowHandle(...) may only be used from a Workflow Execution. Consider using Client.workflow.getHandle(...) instead.)",
  );
  // '' would reach the server, which refuses the command on every retry of the workflow task.
  if (typeof workflowId !== "string" || workflowId === "") throw new TypeError(`getExternalWorkflowHandle: workflowId: expected a non-empty string, got ${describeValue(workflowId)}`);
  if (runId !== undefined && runId !== null && typeof runId !== "string") throw new TypeError(`getExternalWorkflowHandle: runId: expected a string, got ${describeValue(runId)}`);
  const signal = (name: string, args: unknown[]) =>
    signalWorkflow(a.nextSeq.signalWorkflow++, name, args, { type: "external", workflowExecution: { workflowId, runId: runId ?? undefined } });
  return {
    workflowId,
    runId,
    cancel() {
      return new Promise<void>((resolve, reject) => {
        const scope = CancellationScope.current();
        if (scope.cancellable) {
          scope.cancelRequested.catch((err) => {
            if (patched(EXTERNAL_WF_CANCEL_PATCH)) reject(err);
          });
        }
        if (scope.consideredCancelled && patched(EXTERNAL_WF_CANCEL_PATCH)) return;
        const seq = a.nextSeq.cancelWorkflow++;
        a.pushCommand({
          variant: {
            case: "requestCancelExternalWorkflowExecution",
            value: { seq, workflowExecution: { namespace: a.info!.namespace, workflowId, runId: runId ?? "" } },
          },
        });
        a.completions.cancelWorkflow.set(seq, { resolve: resolve as (v: unknown) => void, reject, stack: a.captureStack() });
      });
    },
    signal(def, ...args) {
      return signal(signalName(def as SignalDefinition<unknown[]> | string, "ExternalWorkflowHandle.signal"), args);
    },
    signalWithOptions(name, opts) {
      return signal(name, opts?.args ?? []);
    },
  };
}

/** As official: an IllegalStateError with the API's message when called outside a workflow. */
function assertInWorkflow(message: string): Activator {
  const a = maybeGetActivator();
  if (a === undefined) throw new IllegalStateError(message);
  return a;
}
