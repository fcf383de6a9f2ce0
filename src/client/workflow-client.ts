/**
 * `WorkflowClient` (`client.workflow`) and `WorkflowHandle`, shaped like @temporalio/client:
 * start / execute / signalWithStart / startUpdateWithStart / executeUpdateWithStart / getHandle /
 * list / count, and on a handle result / describe / signal / query / startUpdate / executeUpdate /
 * getUpdateHandle / cancel / terminate / fetchHistory. Everything is a raw RPC through
 * `connection.workflowService`; every payload goes through the data converter. Updates live in
 * workflow-update.ts.
 */
import { create } from "@bufbuild/protobuf";
import type { Payload } from "../proto/temporal/api/common/v1/message_pb.js";
import { FailureSchema, type Failure } from "../proto/temporal/api/failure/v1/message_pb.js";
import { HistorySchema, type History } from "../proto/temporal/api/history/v1/message_pb.js";
import { EventType } from "../proto/temporal/api/enums/v1/event_type_pb.js";
import { HistoryEventFilterType, WorkflowExecutionStatus } from "../proto/temporal/api/enums/v1/workflow_pb.js";
import type { WorkflowExecutionInfo as WorkflowExecutionInfoProto } from "../proto/temporal/api/workflow/v1/message_pb.js";
import type {
  DescribeWorkflowExecutionResponse,
  RequestCancelWorkflowExecutionResponse,
  StartWorkflowExecutionRequest,
  TerminateWorkflowExecutionResponse,
} from "../proto/temporal/api/workflowservice/v1/request_response_pb.js";
import {
  DescribeWorkflowExecutionResponseSchema,
  GetWorkflowExecutionHistoryResponseSchema,
  ListWorkflowExecutionsResponseSchema,
  QueryWorkflowRequestSchema,
  QueryWorkflowResponseSchema,
  SignalWithStartWorkflowExecutionRequestSchema,
  SignalWorkflowExecutionRequestSchema,
  StartWorkflowExecutionRequestSchema,
  TerminateWorkflowExecutionRequestSchema,
} from "../proto/temporal/api/workflowservice/v1/request_response_pb.js";
import {
  checkOptions,
  decodePriority,
  composeInterceptors,
  compilePriority,
  compileRetryPolicy,
  decodeRetryState,
  encodeTimeoutType,
  optionalTsToDate,
  optionalTsToMs,
  queryRejectConditionCodec,
  workflowIdConflictPolicyCodec,
  workflowIdReusePolicyCodec,
  type Duration,
  type EnumCodec,
  type OptionsShape,
  type Priority,
} from "../common/index.js";
import { describeValue, type QueryRejectCondition, type WorkflowIdConflictPolicy, type WorkflowIdReusePolicy } from "../common/enums.js";
import type { Connection } from "./connection.js";
import { durationOptionTs, type ClientConverter } from "./converter.js";
import {
  GrpcStatus,
  QueryNotRegisteredError,
  QueryRejectedError,
  ServiceError,
  WorkflowContinuedAsNewError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowQueryFailedError,
  type RetryStateName,
} from "./errors.js";
import {
  TypedSearchAttributes,
  decodeTypedSearchAttributes,
  decodeUntypedSearchAttributes,
  encodeUnifiedSearchAttributes,
  type SearchAttributes,
  type SearchAttributePair,
} from "./search-attributes.js";
import {
  WithStartWorkflowOperation,
  getUpdateHandle,
  startUpdate,
  startUpdateWithStart,
  type GetWorkflowUpdateHandleOptions,
  type WorkflowUpdateHandle,
  type WorkflowUpdateOptions,
} from "./workflow-update.js";
import type { HistoryAndWorkflowId, QueryDefinition, SignalDefinition, UpdateDefinition } from "../common/interfaces.js";
import {
  adaptLegacyStart,
  type CompiledWorkflowOptions,
  type WorkflowCancelInput,
  type WorkflowClientInterceptor,
  type WorkflowDescribeInput,
  type WorkflowInterceptorsSource,
  type WorkflowQueryInput,
  type WorkflowSignalInput,
  type WorkflowSignalWithStartInput,
  type WorkflowStartInput,
  type WorkflowStartOutput,
  type WorkflowTerminateInput,
} from "./interceptors.js";
import type { WorkflowUpdateStage } from "../common/enums.js";

// ---------------------------------------------------------------------------- options

// One definition of each (src/common/enums.ts), exported here as @temporalio/client does.
export {
  ActivityExecutionStatus,
  ActivityIdConflictPolicy,
  ActivityIdReusePolicy,
  DAYS_OF_WEEK,
  HandlerUnfinishedPolicy,
  MONTHS,
  NexusOperationCancellationState,
  NexusOperationExecutionStatus,
  NexusOperationIdConflictPolicy,
  NexusOperationIdReusePolicy,
  PendingActivityState,
  PendingNexusOperationState,
  QueryRejectCondition,
  ReachabilityType,
  ScheduleOverlapPolicy,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  WorkflowUpdateStage,
  type DayOfWeek,
  type Month,
} from "../common/enums.js";

export type { RetryPolicy } from "../common/retry-policy.js";
import type { RetryPolicy } from "../common/retry-policy.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Workflow = (...args: any[]) => any;
type Args<W> = W extends (...args: infer A) => unknown ? A : unknown[];
type Result<W> = W extends (...args: never[]) => infer R ? Awaited<R> : unknown;

export interface WorkflowStartOptions<A extends unknown[] = unknown[]> {
  workflowId: string;
  taskQueue: string;
  args?: A | Readonly<A>;
  workflowIdReusePolicy?: WorkflowIdReusePolicy;
  workflowIdConflictPolicy?: WorkflowIdConflictPolicy;
  workflowExecutionTimeout?: Duration;
  workflowRunTimeout?: Duration;
  workflowTaskTimeout?: Duration;
  retry?: RetryPolicy;
  memo?: Record<string, unknown>;
  /** Typed search attributes (`[{ key: defineSearchAttributeKey('Name', 'KEYWORD'), value }]`). */
  typedSearchAttributes?: SearchAttributePair[] | TypedSearchAttributes;
  /** @deprecated as in the official SDK (use typedSearchAttributes): untyped form `{ Name: [values] }`, typed by the server from the registered attribute. */
  searchAttributes?: SearchAttributes;
  cronSchedule?: string;
  startDelay?: Duration;
  /** result() follows continue-as-new, retries and cron runs (default true). */
  followRuns?: boolean;
  /** A short summary shown in the UI (user metadata). */
  staticSummary?: string;
  staticDetails?: string;
  /** Task priority of the workflow's tasks. */
  priority?: Priority;
  /**
   * Ask the server to hand the first workflow task straight back in the start response, to a
   * worker of this process on the same namespace and task queue that shares this client's
   * core client (a `NativeConnection` or `Connection` passed to both). Core reserves a
   * workflow task slot of that worker before the call; without one it sends a normal start.
   * `handle.eagerlyStarted` tells whether the server did start it eagerly.
   */
  requestEagerStart?: boolean;
}

export interface WorkflowSignalWithStartOptions<A extends unknown[] = unknown[], SA extends unknown[] = unknown[]>
  extends Omit<WorkflowStartOptions<A>, "requestEagerStart"> {
  signal: string | { name: string };
  signalArgs?: SA | Readonly<SA>;
}

/** A signal or query definition (`defineSignal`/`defineQuery` results) or a plain name. */
export type SignalOrQuery = string | { name: string };

export interface GetWorkflowHandleOptions {
  firstExecutionRunId?: string;
  /** default true */
  followRuns?: boolean;
}

export interface WorkflowResultOptions {
  followRuns?: boolean;
}

// ------------------------------------------------------------------------ results

export type WorkflowExecutionStatusName =
  | "UNSPECIFIED"
  | "RUNNING"
  | "COMPLETED"
  | "FAILED"
  | "CANCELLED"
  | "TERMINATED"
  | "CONTINUED_AS_NEW"
  | "TIMED_OUT"
  | "PAUSED"
  | "UNKNOWN";

export function workflowStatusName(status: number): WorkflowExecutionStatusName {
  if (status === WorkflowExecutionStatus.CANCELED) return "CANCELLED";
  const name = WorkflowExecutionStatus[status];
  return (name ?? "UNKNOWN") as WorkflowExecutionStatusName;
}

export interface WorkflowExecutionInfo {
  type: string;
  workflowId: string;
  runId: string;
  taskQueue: string;
  status: { code: WorkflowExecutionStatus; name: WorkflowExecutionStatusName };
  historyLength: number;
  historySize: number;
  startTime: Date;
  executionTime?: Date;
  closeTime?: Date;
  memo?: Record<string, unknown>;
  /** Untyped form `{ Name: [values] }`. */
  searchAttributes: Record<string, unknown[]>;
  typedSearchAttributes: TypedSearchAttributes;
  parentExecution?: { workflowId: string; runId: string };
  rootExecution?: { workflowId: string; runId: string };
  firstRunId?: string;
  /** The execution's priority, as official (every field undefined when the server sent none). */
  priority?: Priority;
  raw: WorkflowExecutionInfoProto;
}

export interface WorkflowExecutionDescription extends Omit<WorkflowExecutionInfo, "raw"> {
  /** Timeouts from the execution config, in ms. */
  workflowExecutionTimeoutMs?: number;
  workflowRunTimeoutMs?: number;
  workflowTaskTimeoutMs?: number;
  /** The whole DescribeWorkflowExecution response, as official (the info proto is `raw.workflowExecutionInfo`). */
  raw: DescribeWorkflowExecutionResponse;
  /** The same object as `raw` (our name, kept for existing code). */
  rawDescription: DescribeWorkflowExecutionResponse;
  /** The start's `staticDetails`, decoded (as official, a function). */
  staticDetails: () => Promise<string | undefined>;
  /** The start's `staticSummary`, decoded (as official, a function). */
  staticSummary: () => Promise<string | undefined>;
}

export interface CountWorkflowExecution {
  count: number;
  groups: { count: number; groupValues: unknown[] }[];
}

export interface ListOptions {
  /** A visibility query, e.g. `WorkflowType = 'orders' AND ExecutionStatus = 'Running'`. */
  query?: string;
  pageSize?: number;
}

// ------------------------------------------------------------------------ helpers

/** The retry state of a close event, by name (src/common's RetryState; 0 is undefined, as official). */
const retryStateName = (n: number): RetryStateName => decodeRetryState(n);

function nameOf(defOrName: SignalOrQuery, what: string): string {
  const name = typeof defOrName === "string" ? defOrName : defOrName?.name;
  if (typeof name !== "string" || name === "") throw new TypeError(`${what}: expected a name or a definition with a name, got ${describeValue(name)}`);
  return name;
}

function workflowTypeName(w: string | Workflow): string {
  if (typeof w === "string" && w !== "") return w;
  if (typeof w === "function" && w.name) return w.name;
  throw new TypeError(`workflowTypeOrFunc: expected a workflow type name or a named workflow function, got ${describeValue(w)}`);
}

/** An enum option by its codec; errors are ValueErrors naming the option and the accepted names. */
function enumOption(codec: EnumCodec<string>, value: unknown, option: string): number {
  return codec.encode(value, option) ?? 0;
}

/** What `list()` returns: the executions, and their histories through `intoHistories()`. */
export interface AsyncWorkflowListIterable extends AsyncIterable<WorkflowExecutionInfo> {
  intoHistories(options?: IntoHistoriesOptions): AsyncIterable<HistoryAndWorkflowId>;
}

export interface IntoHistoriesOptions {
  /** Histories fetched at once; default 5, as official. */
  concurrency?: number;
  /** Official: how many histories to buffer ahead. Here at most `concurrency` are ever ahead, so it has no effect. */
  bufferLimit?: number;
}

const listOptionsShape: OptionsShape = { name: "ListOptions", supported: ["query", "pageSize"] };
const intoHistoriesOptionsShape: OptionsShape = { name: "IntoHistoriesOptions", supported: ["concurrency", "bufferLimit"] };

/**
 * Fetches up to `concurrency` histories ahead of the consumer and yields them in the list's order
 * (the official SDK yields them in the order they arrive); stopping early stops the fetching.
 */
async function* fetchHistories(
  executions: AsyncIterable<WorkflowExecutionInfo>,
  fetch: (info: WorkflowExecutionInfo) => Promise<unknown>,
  concurrency: number,
): AsyncGenerator<HistoryAndWorkflowId> {
  const inFlight: Promise<HistoryAndWorkflowId>[] = [];
  const start = (info: WorkflowExecutionInfo) => {
    const p = fetch(info).then((history) => ({ workflowId: info.workflowId, history }));
    // A fetch that fails after the consumer stopped must not be an unhandled rejection.
    p.catch(() => undefined);
    inFlight.push(p);
  };
  for await (const info of executions) {
    start(info);
    if (inFlight.length >= concurrency) yield await inFlight.shift()!;
  }
  while (inFlight.length > 0) yield await inFlight.shift()!;
}

/** The official `WorkflowQueryOptions` of `queryWithOptions(name, options)`, plus our per-call `queryRejectCondition`. */
export interface WorkflowQueryOptions<Args extends unknown[] = unknown[]> {
  args?: Args;
  queryRejectCondition?: QueryRejectCondition;
}
const workflowQueryOptionsShape: OptionsShape = { name: "WorkflowQueryOptions", supported: ["args", "queryRejectCondition"], officialOnly: ["typeInfo"] };

/** The options of start / execute (workflowStartOptionsShape) and of signalWithStart. */
const START_OPTIONS = [
  "workflowId",
  "taskQueue",
  "args",
  "workflowIdReusePolicy",
  "workflowIdConflictPolicy",
  "workflowExecutionTimeout",
  "workflowRunTimeout",
  "workflowTaskTimeout",
  "retry",
  "memo",
  "typedSearchAttributes",
  "searchAttributes",
  "cronSchedule",
  "startDelay",
  "followRuns",
  "staticSummary",
  "staticDetails",
  "priority",
];
/** Accepted by the official client 1.24, not implemented here (see docs/compatibility.md). */
const START_OPTIONS_OFFICIAL_ONLY = ["versioningOverride", "typeInfo"];
const startOptionsShape: OptionsShape = { name: "WorkflowStartOptions", supported: [...START_OPTIONS, "requestEagerStart"], officialOnly: START_OPTIONS_OFFICIAL_ONLY };
const signalWithStartOptionsShape: OptionsShape = {
  name: "WorkflowSignalWithStartOptions",
  supported: [...START_OPTIONS, "signal", "signalArgs"],
  // requestEagerStart is not in the official type either (signalWithStart refuses it above).
  officialOnly: [...START_OPTIONS_OFFICIAL_ONLY, "signalTypeInfo"],
};

// ------------------------------------------------------------------------ client

export interface WorkflowClientContext {
  connection: Connection;
  namespace: string;
  identity: string;
  converter: ClientConverter;
  /** Default for query(); the official SDK's `WorkflowClientOptions.queryRejectCondition`. */
  queryRejectCondition?: QueryRejectCondition;
  /** `ClientOptions.interceptors.workflow`: the interceptors of calls to a workflow id (interceptors.ts). */
  interceptors: WorkflowInterceptorsSource;
}

export class WorkflowClient {
  constructor(private readonly ctx: WorkflowClientContext) {}

  get connection(): Connection {
    return this.ctx.connection;
  }
  get namespace(): string {
    return this.ctx.namespace;
  }

  /**
   * Starts a workflow; resolves to its handle once the server accepted it. Runs the
   * interceptors' `startWithDetails` (and deprecated `start`) around StartWorkflowExecution.
   */
  async start<W extends Workflow>(workflowTypeOrFunc: string | W, options: WorkflowStartOptions<Args<W>>): Promise<WorkflowHandleWithFirstExecutionRunId<W>> {
    const type = workflowTypeName(workflowTypeOrFunc);
    const eager = options?.requestEagerStart;
    if (eager !== undefined && typeof eager !== "boolean") {
      throw new TypeError(`WorkflowStartOptions.requestEagerStart: expected a boolean, got ${JSON.stringify(eager)}`);
    }
    const compiled = this.compileStartOptions(options as WorkflowStartOptions<unknown[]>, startOptionsShape);
    const interceptors = this.ctx.interceptors(compiled.workflowId);
    const startWithDetails = composeInterceptors(interceptors.map(adaptLegacyStart), "startWithDetails", (input: WorkflowStartInput) => this.startHandler(input));
    const out = await startWithDetails({ workflowType: type, headers: {}, options: compiled });
    // As official: the handle targets the workflow id (it follows continue-as-new), within the chain of the run started.
    const h = this.handle<W>(compiled.workflowId, undefined, {
      firstExecutionRunId: out.runId,
      resultRunId: out.runId,
      followRuns: compiled.followRuns ?? true,
      interceptors,
    });
    Object.defineProperty(h, "eagerlyStarted", { value: out.eagerlyStarted, enumerable: true });
    return h as WorkflowHandleWithFirstExecutionRunId<W>;
  }

  /** The innermost `startWithDetails`: StartWorkflowExecution with the interceptors' headers. */
  private async startHandler(input: WorkflowStartInput): Promise<WorkflowStartOutput> {
    const req = create(StartWorkflowExecutionRequestSchema, {
      ...this.startFields(input.workflowType, input.options, input.headers),
      requestId: crypto.randomUUID(),
      // Core's client (sdk-core client/src/grpc.rs, start_workflow_execution) reserves a
      // workflow task slot of a local worker registered on the same core client, namespace and
      // task queue, or clears this flag when there is none; it then hands the eager task to
      // that worker. Every RPC of ours goes through core's client, so this needs no more here.
      requestEagerExecution: input.options.requestEagerStart === true,
    } as never);
    await this.ctx.converter.encode(StartWorkflowExecutionRequestSchema, req);
    try {
      const res = await this.ctx.connection.workflowService.startWorkflowExecution(req);
      // As the official client: eager when the response carried the first workflow task.
      return { runId: res.runId, eagerlyStarted: res.eagerWorkflowTask !== undefined };
    } catch (err) {
      throw this.startError(err, input.options.workflowId, input.workflowType);
    }
  }

  /** Starts a workflow and waits for its result. */
  async execute<W extends Workflow>(workflowTypeOrFunc: string | W, options: WorkflowStartOptions<Args<W>>): Promise<Result<W>> {
    const handle = await this.start(workflowTypeOrFunc, options);
    return handle.result();
  }

  /** Signals a workflow, starting it first if it is not running (interceptors' `signalWithStart`). */
  async signalWithStart<W extends Workflow, SA extends unknown[] = unknown[]>(
    workflowTypeOrFunc: string | W,
    options: WorkflowSignalWithStartOptions<Args<W>, SA>,
  ): Promise<WorkflowHandle<W> & { signaledRunId: string }> {
    const type = workflowTypeName(workflowTypeOrFunc);
    if ((options as { requestEagerStart?: unknown })?.requestEagerStart !== undefined) {
      // The server has no eager start for SignalWithStart (nor has the official client's option type).
      throw new TypeError("WorkflowSignalWithStartOptions.requestEagerStart: not supported (only client.workflow.start can start eagerly)");
    }
    const compiled = this.compileStartOptions(options as unknown as WorkflowStartOptions<unknown[]>, signalWithStartOptionsShape);
    const signalName = nameOf(options.signal, "signalWithStart options.signal");
    if (options.signalArgs !== undefined && !Array.isArray(options.signalArgs)) throw new TypeError("WorkflowSignalWithStartOptions.signalArgs: expected an array");
    const interceptors = this.ctx.interceptors(compiled.workflowId);
    const signalWithStart = composeInterceptors(interceptors, "signalWithStart", (input: WorkflowSignalWithStartInput) => this.signalWithStartHandler(input));
    const runId = await signalWithStart({
      workflowType: type,
      signalName,
      signalArgs: [...((options.signalArgs ?? []) as unknown[])],
      headers: {},
      options: compiled,
    });
    const h = this.handle<W>(compiled.workflowId, undefined, { resultRunId: runId, followRuns: compiled.followRuns ?? true, interceptors }) as WorkflowHandle<W> & {
      signaledRunId: string;
    };
    Object.defineProperty(h, "signaledRunId", { value: runId, enumerable: true });
    return h;
  }

  /** The innermost `signalWithStart`: SignalWithStartWorkflowExecution; the headers go to the start (the signal event carries them too). */
  private async signalWithStartHandler(input: WorkflowSignalWithStartInput): Promise<string> {
    const req = create(SignalWithStartWorkflowExecutionRequestSchema, {
      ...this.startFields(input.workflowType, input.options, input.headers),
      requestId: crypto.randomUUID(),
      signalName: input.signalName,
      signalInput: { payloads: this.ctx.converter.toPayloads(input.signalArgs, "signal argument") },
    } as never);
    await this.ctx.converter.encode(SignalWithStartWorkflowExecutionRequestSchema, req);
    try {
      return (await this.ctx.connection.workflowService.signalWithStartWorkflowExecution(req)).runId;
    } catch (err) {
      throw this.startError(err, input.options.workflowId, input.workflowType);
    }
  }

  /**
   * Starts the workflow of `options.startWorkflowOperation` (or, with workflowIdConflictPolicy
   * 'USE_EXISTING', takes the running one) and sends it the update in one ExecuteMultiOperation;
   * returns the update's result. `startWorkflowOperation.workflowHandle()` gives the workflow.
   */
  async executeUpdateWithStart<T extends Workflow, Ret, A extends any[]>(
    updateDef: UpdateDefinition<Ret, A> | string,
    options: WorkflowUpdateOptions & { args?: A; startWorkflowOperation: WithStartWorkflowOperation<T> },
  ): Promise<Ret> {
    const handle = await this.updateWithStart<T, Ret>(updateDef, { ...options, waitForStage: "COMPLETED" });
    return await handle.result();
  }

  /** As executeUpdateWithStart, returning once the update was accepted (or rejected) by the workflow. */
  async startUpdateWithStart<T extends Workflow, Ret, A extends any[]>(
    updateDef: UpdateDefinition<Ret, A> | string,
    options: WorkflowUpdateOptions & { args?: A; waitForStage: "ACCEPTED"; startWorkflowOperation: WithStartWorkflowOperation<T> },
  ): Promise<WorkflowUpdateHandle<Ret>> {
    return this.updateWithStart<T, Ret>(updateDef, options);
  }

  private updateWithStart<T extends Workflow, Ret>(updateDef: UpdateDefinition<Ret, any[]> | string, options: Parameters<typeof startUpdateWithStart<T, Ret>>[2]) {
    return startUpdateWithStart<T, Ret>(this.ctx, updateDef as UpdateDefinition<Ret, never[]> | string, options, {
      compile: (workflowTypeOrFunc, o) => ({ workflowType: workflowTypeName(workflowTypeOrFunc), options: this.compileStartOptions(o, startOptionsShape) }),
      request: (workflowType, o, headers) =>
        create(StartWorkflowExecutionRequestSchema, {
          ...this.startFields(workflowType, o, headers),
          requestId: crypto.randomUUID(),
          // Passed on as the official client does; the server refuses eager start in a multi-operation.
          requestEagerExecution: o.requestEagerStart === true,
        } as never),
      // As official: the start response's run id is the handle's first execution run id; result() follows from the latest run.
      handle: (workflowId, runId, followRuns, interceptors) =>
        this.handle<T>(workflowId, undefined, { firstExecutionRunId: runId || undefined, followRuns, interceptors }),
    });
  }

  /** A handle to an existing workflow (no RPC is made). Without runId: the latest run. */
  /**
   * The result of a run, as official `client.workflow.result(workflowId, runId?, { followRuns })`:
   * the same as `getHandle(workflowId, runId).result(opts)`.
   */
  async result<W extends Workflow = Workflow>(workflowId: string, runId?: string, opts: WorkflowResultOptions = {}): Promise<Result<W>> {
    return this.getHandle<W>(workflowId, runId).result(opts);
  }

  getHandle<W extends Workflow = Workflow>(workflowId: string, runId?: string, options: GetWorkflowHandleOptions = {}): WorkflowHandle<W> {
    if (typeof workflowId !== "string" || workflowId === "") throw new TypeError(`getHandle: workflowId must be a non-empty string, got ${describeValue(workflowId)}`);
    return this.handle<W>(workflowId, runId, {
      firstExecutionRunId: options.firstExecutionRunId,
      resultRunId: runId,
      followRuns: options.followRuns ?? true,
      interceptors: this.ctx.interceptors(workflowId, runId),
    });
  }

  /**
   * Visibility: every execution matching `query`, page by page. As official, the iterable also has
   * `intoHistories({ concurrency })`: the executions' histories (raw, as `fetchHistory`).
   */
  list(options: ListOptions = {}): AsyncWorkflowListIterable {
    if (options === null || typeof options !== "object") throw new TypeError(`ListOptions: expected an object, got ${JSON.stringify(options)}`);
    checkOptions(listOptionsShape, options);
    if (options.query !== undefined && typeof options.query !== "string") throw new TypeError(`ListOptions.query: expected a visibility query string, got ${JSON.stringify(options.query)}`);
    if (options.pageSize !== undefined && !(Number.isInteger(options.pageSize) && options.pageSize >= 0)) {
      throw new TypeError(`ListOptions.pageSize: expected a non-negative integer, got ${JSON.stringify(options.pageSize)}`);
    }
    const ctx = this.ctx;
    const self = this;
    const executions: AsyncIterable<WorkflowExecutionInfo> = {
      async *[Symbol.asyncIterator]() {
        let nextPageToken: Uint8Array = new Uint8Array();
        do {
          const res = await ctx.connection.workflowService.listWorkflowExecutions({
            namespace: ctx.namespace,
            query: options.query ?? "",
            pageSize: options.pageSize ?? 0,
            nextPageToken,
          });
          await ctx.converter.decode(ListWorkflowExecutionsResponseSchema, res);
          for (const info of res.executions) yield self.decodeInfo(info);
          nextPageToken = res.nextPageToken;
        } while (nextPageToken.length > 0);
      },
    };
    return {
      [Symbol.asyncIterator]: () => executions[Symbol.asyncIterator](),
      intoHistories: (historiesOptions: IntoHistoriesOptions = {}) => {
        checkOptions(intoHistoriesOptionsShape, historiesOptions);
        const concurrency = historiesOptions.concurrency ?? 5;
        if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new TypeError(`IntoHistoriesOptions.concurrency: expected a positive integer, got ${JSON.stringify(concurrency)}`);
        return fetchHistories(executions, (info) => self.getHandle(info.workflowId, info.runId).fetchHistory(), concurrency);
      },
    };
  }

  /**
   * Visibility: how many executions match `query` (with groups for `GROUP BY`). `count(query)` as
   * official; `count({ query })` (our earlier form) is kept beside it.
   */
  async count(query?: string | { query?: string }): Promise<CountWorkflowExecution> {
    let q: string;
    if (query === undefined || query === null) q = "";
    else if (typeof query === "string") q = query;
    else if (typeof query === "object" && (query.query === undefined || typeof query.query === "string")) q = query.query ?? "";
    else throw new TypeError(`WorkflowClient.count: expected a visibility query string, got ${JSON.stringify(query)}`);
    const res = await this.ctx.connection.workflowService.countWorkflowExecutions({ namespace: this.ctx.namespace, query: q });
    return {
      count: Number(res.count),
      groups: res.groups.map((g) => ({ count: Number(g.count), groupValues: g.groupValues.map((p) => decodeGroupValue(p)) })),
    };
  }

  /** @internal */
  decodeInfo(raw: WorkflowExecutionInfoProto): WorkflowExecutionInfo {
    const exec = (e: { workflowId: string; runId: string } | undefined) => (e ? { workflowId: e.workflowId, runId: e.runId } : undefined);
    return {
      type: raw.type?.name ?? "",
      workflowId: raw.execution?.workflowId ?? "",
      runId: raw.execution?.runId ?? "",
      taskQueue: raw.taskQueue,
      status: { code: raw.status, name: workflowStatusName(raw.status) },
      historyLength: Number(raw.historyLength),
      historySize: Number(raw.historySizeBytes),
      startTime: optionalTsToDate(raw.startTime) ?? new Date(0),
      executionTime: optionalTsToDate(raw.executionTime),
      closeTime: optionalTsToDate(raw.closeTime),
      memo: raw.memo ? this.ctx.converter.fromMap(raw.memo.fields) : undefined,
      searchAttributes: decodeUntypedSearchAttributes(raw.searchAttributes),
      typedSearchAttributes: decodeTypedSearchAttributes(raw.searchAttributes),
      parentExecution: exec(raw.parentExecution),
      rootExecution: exec(raw.rootExecution),
      firstRunId: raw.firstRunId || undefined,
      priority: decodePriority(raw.priority),
      raw,
    };
  }

  /**
   * Checks start options (TypeErrors and ValueErrors name the option) and compiles them into
   * what interceptors see: `args` an array, durations as protobuf Durations. The signal of
   * signalWithStart is not part of them (as official).
   */
  private compileStartOptions(o: WorkflowStartOptions<unknown[]>, shape: OptionsShape): CompiledWorkflowOptions {
    if (o === null || typeof o !== "object") throw new TypeError(`${shape.name}: expected an object`);
    checkOptions(shape, o);
    if (typeof o.workflowId !== "string" || o.workflowId === "") throw new TypeError(`WorkflowStartOptions.workflowId: required non-empty string, got ${describeValue(o.workflowId)}`);
    if (typeof o.taskQueue !== "string" || o.taskQueue === "") throw new TypeError(`WorkflowStartOptions.taskQueue: required non-empty string, got ${describeValue(o.taskQueue)}`);
    if (o.args !== undefined && !Array.isArray(o.args)) throw new TypeError("WorkflowStartOptions.args: expected an array");
    if (o.cronSchedule !== undefined && typeof o.cronSchedule !== "string") throw new TypeError("WorkflowStartOptions.cronSchedule: expected a string");
    if (o.memo !== undefined && (o.memo === null || typeof o.memo !== "object")) throw new TypeError("WorkflowStartOptions.memo: expected an object");
    // Checked here, before any interceptor runs; startFields encodes them again from the (possibly changed) options.
    enumOption(workflowIdReusePolicyCodec, o.workflowIdReusePolicy, `${shape.name}.workflowIdReusePolicy`);
    enumOption(workflowIdConflictPolicyCodec, o.workflowIdConflictPolicy, `${shape.name}.workflowIdConflictPolicy`);
    if (o.retry !== undefined) compileRetryPolicy(o.retry, `${shape.name}.retry`);
    if (o.priority !== undefined) compilePriority(o.priority, `${shape.name}.priority`);
    const { signal: _signal, signalArgs: _signalArgs, ...rest } = o as WorkflowStartOptions<unknown[]> & { signal?: unknown; signalArgs?: unknown };
    return {
      ...rest,
      args: [...((o.args ?? []) as unknown[])],
      workflowExecutionTimeout: durationOptionTs(o.workflowExecutionTimeout, "WorkflowStartOptions.workflowExecutionTimeout"),
      workflowRunTimeout: durationOptionTs(o.workflowRunTimeout, "WorkflowStartOptions.workflowRunTimeout"),
      workflowTaskTimeout: durationOptionTs(o.workflowTaskTimeout, "WorkflowStartOptions.workflowTaskTimeout"),
      startDelay: durationOptionTs(o.startDelay, "WorkflowStartOptions.startDelay"),
    };
  }

  /** The start request's fields from compiled options (as interceptors left them) and headers. */
  private startFields(type: string, o: CompiledWorkflowOptions, headers: Record<string, Payload>): Partial<StartWorkflowExecutionRequest> {
    const conv = this.ctx.converter;
    const shape = startOptionsShape;
    // As the official client: both forms in one map (typed wins), untyped values as arrays without type metadata.
    const searchAttributes =
      o.searchAttributes || o.typedSearchAttributes ? encodeUnifiedSearchAttributes(o.searchAttributes, o.typedSearchAttributes) : undefined;
    const fields = {
      namespace: this.ctx.namespace,
      identity: this.ctx.identity,
      workflowId: o.workflowId,
      workflowType: { name: type },
      taskQueue: { name: o.taskQueue },
      input: { payloads: conv.toPayloads(o.args ?? [], "workflow argument") },
      workflowExecutionTimeout: o.workflowExecutionTimeout,
      workflowRunTimeout: o.workflowRunTimeout,
      workflowTaskTimeout: o.workflowTaskTimeout,
      workflowStartDelay: o.startDelay,
      workflowIdReusePolicy: enumOption(workflowIdReusePolicyCodec, o.workflowIdReusePolicy, `${shape.name}.workflowIdReusePolicy`),
      workflowIdConflictPolicy: enumOption(workflowIdConflictPolicyCodec, o.workflowIdConflictPolicy, `${shape.name}.workflowIdConflictPolicy`),
      retryPolicy: o.retry === undefined ? undefined : compileRetryPolicy(o.retry, `${shape.name}.retry`),
      priority: o.priority === undefined ? undefined : compilePriority(o.priority, `${shape.name}.priority`),
      cronSchedule: o.cronSchedule ?? "",
      memo: o.memo ? { fields: conv.toMap(o.memo, "memo") } : undefined,
      searchAttributes: searchAttributes ? { indexedFields: searchAttributes } : undefined,
      // Always a header (empty without interceptors), as the official client sends; never codec-encoded.
      header: { fields: headers },
      userMetadata:
        o.staticSummary !== undefined || o.staticDetails !== undefined
          ? {
              summary: o.staticSummary === undefined ? undefined : conv.toPayload(o.staticSummary, "staticSummary"),
              details: o.staticDetails === undefined ? undefined : conv.toPayload(o.staticDetails, "staticDetails"),
            }
          : undefined,
    };
    return fields as unknown as Partial<StartWorkflowExecutionRequest>;
  }

  private startError(err: unknown, workflowId: string, type: string): unknown {
    if (err instanceof ServiceError && err.code === GrpcStatus.ALREADY_EXISTS) {
      return new WorkflowExecutionAlreadyStartedError(`Workflow execution already started: ${workflowId} (${type})`, workflowId, type, { cause: err });
    }
    return err;
  }

  private handle<W extends Workflow>(
    workflowId: string,
    runId: string | undefined,
    o: { firstExecutionRunId?: string; resultRunId?: string; followRuns: boolean; interceptors: WorkflowClientInterceptor[] },
  ): WorkflowHandle<W> {
    return new WorkflowHandle<W>(this, this.ctx, workflowId, runId, o.firstExecutionRunId, o.resultRunId, o.followRuns, o.interceptors);
  }
}

function decodeGroupValue(p: Payload): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(p.data));
  } catch {
    return p.data;
  }
}

// ------------------------------------------------------------------------ handle

/** What `client.workflow.start` returns (named as in @temporalio/client). */
export type WorkflowHandleWithFirstExecutionRunId<W extends Workflow = Workflow> = WorkflowHandle<W> & {
  readonly firstExecutionRunId: string;
  /** Whether the server started the workflow eagerly (see `requestEagerStart`). */
  readonly eagerlyStarted: boolean;
};
/** The official name of what `start` returns (with `eagerlyStarted`): the same type here. */
export type WorkflowHandleWithStartDetails<W extends Workflow = Workflow> = WorkflowHandleWithFirstExecutionRunId<W>;

export class WorkflowHandle<W extends Workflow = Workflow> {
  /** @internal */
  constructor(
    readonly client: WorkflowClient,
    private readonly ctx: WorkflowClientContext,
    readonly workflowId: string,
    /** The run this handle targets; undefined = the latest run. */
    readonly runId: string | undefined,
    /** For handles from start(): the run that was started; cancel/terminate stay within its chain. */
    readonly firstExecutionRunId: string | undefined,
    private readonly resultRunId: string | undefined,
    private readonly followRuns: boolean,
    /** The interceptors of this handle's calls (ClientOptions.interceptors.workflow). */
    private readonly interceptors: WorkflowClientInterceptor[],
  ) {}

  private get execution() {
    return { workflowId: this.workflowId, runId: this.runId ?? "" };
  }

  private notFound(err: unknown): unknown {
    if (err instanceof ServiceError && err.code === GrpcStatus.NOT_FOUND) {
      return new WorkflowNotFoundError(err.message.replace(/^[A-Za-z]+: NOT_FOUND: /, ""), this.workflowId, this.runId, { cause: err });
    }
    return err;
  }

  /**
   * Waits for the workflow to close (long-polling its history for the close event) and
   * returns its result, following continue-as-new/retries/cron runs unless `followRuns`
   * is false. A failed, cancelled, terminated or timed-out run throws WorkflowFailedError.
   */
  async result(options: WorkflowResultOptions = {}): Promise<Result<W>> {
    const followRuns = options.followRuns ?? this.followRuns;
    let runId = this.resultRunId ?? this.runId ?? "";
    const ws = this.ctx.connection.workflowService;
    const conv = this.ctx.converter;
    for (;;) {
      let nextPageToken: Uint8Array = new Uint8Array();
      let event;
      for (;;) {
        let res;
        try {
          res = await ws.getWorkflowExecutionHistory({
            namespace: this.ctx.namespace,
            execution: { workflowId: this.workflowId, runId },
            historyEventFilterType: HistoryEventFilterType.CLOSE_EVENT,
            waitNewEvent: true,
            skipArchival: true,
            nextPageToken,
          });
        } catch (err) {
          throw this.notFound(err);
        }
        await conv.decode(GetWorkflowExecutionHistoryResponseSchema, res);
        event = res.history?.events[0];
        if (event) break;
        nextPageToken = res.nextPageToken;
      }
      const a = event.attributes;
      switch (a.case) {
        case "workflowExecutionCompletedEventAttributes":
          if (followRuns && a.value.newExecutionRunId) {
            runId = a.value.newExecutionRunId;
            continue;
          }
          return conv.fromPayload(a.value.result?.payloads[0]) as Result<W>;
        case "workflowExecutionFailedEventAttributes":
          if (followRuns && a.value.newExecutionRunId) {
            runId = a.value.newExecutionRunId;
            continue;
          }
          throw new WorkflowFailedError(
            "Workflow execution failed",
            a.value.failure ? conv.failureToError(a.value.failure) : undefined,
            retryStateName(a.value.retryState),
          );
        case "workflowExecutionCanceledEventAttributes":
          throw new WorkflowFailedError(
            "Workflow execution cancelled",
            conv.failureToError(failure({ message: "Workflow canceled", failureInfo: { case: "canceledFailureInfo", value: { details: a.value.details } } })),
            "NON_RETRYABLE_FAILURE",
          );
        case "workflowExecutionTerminatedEventAttributes":
          throw new WorkflowFailedError(
            a.value.reason || "Workflow execution terminated",
            conv.failureToError(failure({ message: a.value.reason || "Workflow execution terminated", failureInfo: { case: "terminatedFailureInfo", value: {} } })),
            "NON_RETRYABLE_FAILURE",
          );
        case "workflowExecutionTimedOutEventAttributes":
          if (followRuns && a.value.newExecutionRunId) {
            runId = a.value.newExecutionRunId;
            continue;
          }
          throw new WorkflowFailedError(
            "Workflow execution timed out",
            conv.failureToError(
              failure({ message: "Workflow execution timed out", failureInfo: { case: "timeoutFailureInfo", value: { timeoutType: encodeTimeoutType("START_TO_CLOSE") } } }),
            ),
            retryStateName(a.value.retryState),
          );
        case "workflowExecutionContinuedAsNewEventAttributes":
          if (followRuns) {
            runId = a.value.newExecutionRunId;
            continue;
          }
          throw new WorkflowContinuedAsNewError("Workflow execution continued as new", a.value.newExecutionRunId);
        default:
          throw new Error(`result(): unexpected close event ${EventType[event.eventType] ?? event.eventType} for ${this.workflowId}`);
      }
    }
  }

  /** The execution's info (status, times, memo, search attributes) and config (interceptors' `describe`). */
  async describe(): Promise<WorkflowExecutionDescription> {
    const describe = composeInterceptors(this.interceptors, "describe", (input: WorkflowDescribeInput) => this.describeHandler(input));
    // Interceptors see the raw response, as official: payloads (memo) still codec-encoded.
    const res = await describe({ workflowExecution: { workflowId: this.workflowId, runId: this.runId } });
    await this.ctx.converter.decode(DescribeWorkflowExecutionResponseSchema, res);
    const raw = res.workflowExecutionInfo!;
    const userMetadata = res.executionConfig?.userMetadata;
    const { raw: _info, ...info } = this.client.decodeInfo(raw);
    return {
      ...info,
      workflowExecutionTimeoutMs: optionalTsToMs(res.executionConfig?.workflowExecutionTimeout),
      workflowRunTimeoutMs: optionalTsToMs(res.executionConfig?.workflowRunTimeout),
      workflowTaskTimeoutMs: optionalTsToMs(res.executionConfig?.defaultWorkflowTaskTimeout),
      raw: res,
      rawDescription: res,
      // Payloads of the response are codec-decoded above; only the payload converter is left.
      staticDetails: async () => (userMetadata?.details ? this.ctx.converter.fromPayload<string>(userMetadata.details) : undefined),
      staticSummary: async () => (userMetadata?.summary ? this.ctx.converter.fromPayload<string>(userMetadata.summary) : undefined),
    };
  }

  private async describeHandler(input: WorkflowDescribeInput): Promise<DescribeWorkflowExecutionResponse> {
    try {
      return await this.ctx.connection.workflowService.describeWorkflowExecution({ namespace: this.ctx.namespace, execution: executionOf(input.workflowExecution) });
    } catch (err) {
      throw this.notFound(err);
    }
  }

  /**
   * Sends an update and waits for its result. Throws WorkflowUpdateFailedError when the handler
   * failed or the validator rejected it, WorkflowUpdateRPCTimeoutOrCancelledError when the call
   * hit its deadline or was cancelled.
   */
  executeUpdate<Ret, A extends [any, ...any[]]>(def: UpdateDefinition<Ret, A> | string, options: WorkflowUpdateOptions & { args: A }): Promise<Ret>;
  executeUpdate<Ret, A extends [] = []>(def: UpdateDefinition<Ret, A> | string, options?: WorkflowUpdateOptions & { args?: A }): Promise<Ret>;
  async executeUpdate<Ret>(def: UpdateDefinition<Ret, any[]> | string, options?: WorkflowUpdateOptions & { args?: unknown[] }): Promise<Ret> {
    const handle = await startUpdate<Ret>(this.ctx, this.updateTarget, def as UpdateDefinition<Ret, never[]> | string, "COMPLETED", options, "execute", this.interceptors);
    return await handle.result();
  }

  /**
   * Sends an update and returns its handle once the workflow accepted it (`waitForStage:
   * 'ACCEPTED'`, the only stage the official type allows), or rejected it (then `result()`
   * throws WorkflowUpdateFailedError).
   */
  startUpdate<Ret, A extends [any, ...any[]]>(
    def: UpdateDefinition<Ret, A> | string,
    options: WorkflowUpdateOptions & { args: A; waitForStage: "ACCEPTED" },
  ): Promise<WorkflowUpdateHandle<Ret>>;
  startUpdate<Ret, A extends [] = []>(
    def: UpdateDefinition<Ret, A> | string,
    options: WorkflowUpdateOptions & { args?: A; waitForStage: typeof WorkflowUpdateStage.ACCEPTED },
  ): Promise<WorkflowUpdateHandle<Ret>>;
  async startUpdate<Ret>(
    def: UpdateDefinition<Ret, any[]> | string,
    options: WorkflowUpdateOptions & { args?: unknown[]; waitForStage: WorkflowUpdateStage },
  ): Promise<WorkflowUpdateHandle<Ret>> {
    if (options === null || typeof options !== "object") throw new TypeError("startUpdate: options with waitForStage ('ACCEPTED') are required");
    return startUpdate<Ret>(this.ctx, this.updateTarget, def as UpdateDefinition<Ret, never[]> | string, options.waitForStage, options, "start", this.interceptors);
  }

  /** A handle to update `updateId` of this workflow (no RPC until `result()`). */
  getUpdateHandle<Ret>(updateId: string, options?: GetWorkflowUpdateHandleOptions): WorkflowUpdateHandle<Ret> {
    return getUpdateHandle<Ret>(this.ctx, this.updateTarget, updateId, options);
  }

  private get updateTarget() {
    return { workflowId: this.workflowId, runId: this.runId, firstExecutionRunId: this.firstExecutionRunId };
  }

  /** Sends a signal (interceptors' `signal`). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async signal<Args extends any[] = any[], Name extends string = string>(def: SignalDefinition<Args, Name> | SignalOrQuery, ...args: Args): Promise<void> {
    const signalName = nameOf(def, "signal");
    const signal = composeInterceptors(this.interceptors, "signal", (input: WorkflowSignalInput) => this.signalHandler(input));
    await signal({ signalName, args, workflowExecution: { workflowId: this.workflowId, runId: this.runId }, headers: {} });
  }

  private async signalHandler(input: WorkflowSignalInput): Promise<void> {
    const req = create(SignalWorkflowExecutionRequestSchema, {
      namespace: this.ctx.namespace,
      workflowExecution: executionOf(input.workflowExecution),
      signalName: input.signalName,
      input: { payloads: this.ctx.converter.toPayloads(input.args, "signal argument") },
      identity: this.ctx.identity,
      requestId: crypto.randomUUID(),
      header: { fields: input.headers },
    });
    await this.ctx.converter.encode(SignalWorkflowExecutionRequestSchema, req);
    try {
      await this.ctx.connection.workflowService.signalWorkflowExecution(req);
    } catch (err) {
      throw this.notFound(err);
    }
  }

  /**
   * Queries the workflow (interceptors' `query`). `queryRejectCondition` ('NOT_OPEN' /
   * 'NOT_COMPLETED_CLEANLY') makes the server refuse queries of closed runs with QueryRejectedError.
   */
  /** Typed by a QueryDefinition (`query(def, ...args)` infers the result and arguments), as official. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async query<R = unknown, Args extends any[] = any[]>(def: QueryDefinition<R, Args> | SignalOrQuery, ...args: Args): Promise<R> {
    return this.queryWithOptions<R>(def, args);
  }

  /**
   * query() with options. The official form is `queryWithOptions(name, { args })`; our earlier
   * form `queryWithOptions(nameOrDef, args, { queryRejectCondition })` is kept beside it, and the
   * official options object takes `queryRejectCondition` too (the official SDK sets it only on the
   * client). `typeInfo` (official, experimental) has no effect here: there are no payload type infos.
   */
  async queryWithOptions<R = unknown, Args extends unknown[] = unknown[]>(def: SignalOrQuery, options?: WorkflowQueryOptions<Args>): Promise<R>;
  async queryWithOptions<R = unknown>(def: SignalOrQuery, args: unknown[], options?: { queryRejectCondition?: QueryRejectCondition }): Promise<R>;
  async queryWithOptions<R = unknown>(
    def: SignalOrQuery,
    argsOrOptions?: unknown[] | WorkflowQueryOptions,
    ourOptions: { queryRejectCondition?: QueryRejectCondition } = {},
  ): Promise<R> {
    let args: unknown[];
    let options: { queryRejectCondition?: QueryRejectCondition };
    if (Array.isArray(argsOrOptions)) {
      args = argsOrOptions;
      options = ourOptions;
    } else if (argsOrOptions === undefined || (typeof argsOrOptions === "object" && argsOrOptions !== null)) {
      checkOptions(workflowQueryOptionsShape, argsOrOptions ?? {});
      const a = argsOrOptions?.args ?? [];
      if (!Array.isArray(a)) throw new TypeError(`WorkflowQueryOptions.args: expected an array, got ${JSON.stringify(a)}`);
      args = a;
      options = { queryRejectCondition: argsOrOptions?.queryRejectCondition };
    } else {
      throw new TypeError(`queryWithOptions: expected { args } or an args array as the second argument, got ${JSON.stringify(argsOrOptions)}`);
    }
    const queryType = nameOf(def, "query");
    // Unset is NONE, as the official client's default (the server reads UNSPECIFIED the same way).
    const condition = enumOption(queryRejectConditionCodec, options.queryRejectCondition ?? this.ctx.queryRejectCondition ?? "NONE", "queryRejectCondition");
    const query = composeInterceptors(this.interceptors, "query", (input: WorkflowQueryInput) => this.queryHandler(input));
    return (await query({
      queryType,
      args,
      workflowExecution: { workflowId: this.workflowId, runId: this.runId },
      queryRejectCondition: condition,
      headers: {},
    })) as R;
  }

  private async queryHandler(input: WorkflowQueryInput): Promise<unknown> {
    const req = create(QueryWorkflowRequestSchema, {
      namespace: this.ctx.namespace,
      execution: executionOf(input.workflowExecution),
      query: { queryType: input.queryType, queryArgs: { payloads: this.ctx.converter.toPayloads(input.args, "query argument") }, header: { fields: input.headers } },
      queryRejectCondition: input.queryRejectCondition ?? 0,
    });
    await this.ctx.converter.encode(QueryWorkflowRequestSchema, req);
    let res;
    try {
      res = await this.ctx.connection.workflowService.queryWorkflow(req);
    } catch (err) {
      if (err instanceof ServiceError && err.code === GrpcStatus.INVALID_ARGUMENT) {
        const cause = err.cause instanceof Error ? err.cause.message : err.message;
        if (/unknown queryType|query .*not (?:registered|found)|no query handler/i.test(cause)) {
          throw new QueryNotRegisteredError(cause, err.code);
        }
        const detail = err.detail("temporal.api.errordetails.v1.QueryFailedFailure") as { failure?: Failure } | undefined;
        // The workflow's own answer to an unknown query name (its message lists the registered
        // queries): as official, a QueryNotRegisteredError with that message.
        const unknownQuery = /Workflow did not register a handler for .*$/s.exec(detail?.failure?.message ?? cause)?.[0];
        if (unknownQuery !== undefined) throw new QueryNotRegisteredError(unknownQuery, err.code);
        if (detail?.failure) {
          await this.ctx.converter.decode(FailureSchema, detail.failure);
          throw this.ctx.converter.failureToError(detail.failure);
        }
        throw new WorkflowQueryFailedError(cause, { cause: err });
      }
      throw this.notFound(err);
    }
    if (res.queryRejected) {
      throw new QueryRejectedError(res.queryRejected.status, workflowStatusName(res.queryRejected.status));
    }
    await this.ctx.converter.decode(QueryWorkflowResponseSchema, res);
    return this.ctx.converter.fromPayload(res.queryResult?.payloads[0]);
  }

  /**
   * Requests cancellation (the workflow decides what to do with it); interceptors' `cancel`.
   * `reason` is ours (the official handle takes none); it reaches the cancel-requested event.
   */
  async cancel(reason?: string): Promise<RequestCancelWorkflowExecutionResponse> {
    if (reason !== undefined && typeof reason !== "string") throw new TypeError(`cancel: reason must be a string, got ${JSON.stringify(reason)}`);
    const cancel = composeInterceptors(this.interceptors, "cancel", (input: WorkflowCancelInput) => this.cancelHandler(input));
    const input: WorkflowCancelInput = { workflowExecution: { workflowId: this.workflowId, runId: this.runId }, firstExecutionRunId: this.firstExecutionRunId };
    return await cancel(reason === undefined ? input : { ...input, reason });
  }

  private async cancelHandler(input: WorkflowCancelInput): Promise<RequestCancelWorkflowExecutionResponse> {
    try {
      return await this.ctx.connection.workflowService.requestCancelWorkflowExecution({
        namespace: this.ctx.namespace,
        workflowExecution: executionOf(input.workflowExecution),
        identity: this.ctx.identity,
        requestId: crypto.randomUUID(),
        firstExecutionRunId: input.firstExecutionRunId ?? "",
        reason: input.reason ?? "",
      });
    } catch (err) {
      throw this.notFound(err);
    }
  }

  /** Terminates the run at once (no workflow code runs); interceptors' `terminate`. */
  async terminate(reason?: string, ...details: unknown[]): Promise<TerminateWorkflowExecutionResponse> {
    const terminate = composeInterceptors(this.interceptors, "terminate", (input: WorkflowTerminateInput) => this.terminateHandler(input));
    return await terminate({
      workflowExecution: { workflowId: this.workflowId, runId: this.runId },
      reason,
      details: details.length > 0 ? details : undefined,
      firstExecutionRunId: this.firstExecutionRunId,
    });
  }

  private async terminateHandler(input: WorkflowTerminateInput): Promise<TerminateWorkflowExecutionResponse> {
    const details = input.details ?? [];
    const req = create(TerminateWorkflowExecutionRequestSchema, {
      namespace: this.ctx.namespace,
      workflowExecution: executionOf(input.workflowExecution),
      reason: input.reason ?? "",
      details: details.length > 0 ? { payloads: this.ctx.converter.toPayloads(details, "terminate detail") } : undefined,
      identity: this.ctx.identity,
      firstExecutionRunId: input.firstExecutionRunId ?? "",
    });
    await this.ctx.converter.encode(TerminateWorkflowExecutionRequestSchema, req);
    try {
      return await this.ctx.connection.workflowService.terminateWorkflowExecution(req);
    } catch (err) {
      throw this.notFound(err);
    }
  }

  /**
   * The run's full history (every page), RAW: payloads exactly as the server stores them,
   * still encoded by the codecs (as @temporalio/client's fetchHistory). This is what replay
   * (`Worker.runReplayHistory`) expects: it decodes with its own `dataConverter`. To read a
   * payload here, run `decodePayloadsInMessage(codecs, HistorySchema, history)` first.
   */
  async fetchHistory(): Promise<History> {
    const events = [];
    let nextPageToken: Uint8Array = new Uint8Array();
    do {
      let res;
      try {
        res = await this.ctx.connection.workflowService.getWorkflowExecutionHistory({
          namespace: this.ctx.namespace,
          execution: this.execution,
          nextPageToken,
          skipArchival: true,
        });
      } catch (err) {
        throw this.notFound(err);
      }
      events.push(...(res.history?.events ?? []));
      nextPageToken = res.nextPageToken;
    } while (nextPageToken.length > 0);
    return create(HistorySchema, { events });
  }
}

/** The proto WorkflowExecution of an interceptor input's `workflowExecution` (no run id: the latest run). */
function executionOf(e: { workflowId: string; runId?: string }): { workflowId: string; runId: string } {
  return { workflowId: e.workflowId, runId: e.runId ?? "" };
}

function failure(f: { message: string; failureInfo: unknown }): Failure {
  return create(FailureSchema, f as never);
}
