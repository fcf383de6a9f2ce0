/**
 * Client interceptors, shaped like @temporalio/client 1.24's (interceptors.ts): the hooks of
 * `WorkflowClientInterceptor`, their inputs and outputs, and the ways to pass them
 * (`ClientOptions.interceptors.workflow` as a list, or the deprecated `{ calls: [factory] }`).
 *
 * Each client call builds its input (with empty `headers`), runs it through the chain composed by
 * src/common's `composeInterceptors` (the first interceptor of the list outermost, each calling
 * `next`), and the innermost `next` is the client's own RPC (workflow-client.ts,
 * workflow-update.ts). Headers an interceptor writes go into the request's `header` field as
 * they are: the payload codecs never run over headers (src/common/payload-visitor.ts), as in the
 * official SDK, so workflows and official workers read them unchanged.
 */
import type { Duration as ProtoDuration } from "@bufbuild/protobuf/wkt";
import type { Outcome } from "../proto/temporal/api/update/v1/message_pb.js";
import type {
  DescribeWorkflowExecutionResponse,
  RequestCancelWorkflowExecutionResponse,
  TerminateWorkflowExecutionResponse,
} from "../proto/temporal/api/workflowservice/v1/request_response_pb.js";
import type { QueryRejectCondition as QueryRejectConditionProto } from "../proto/temporal/api/enums/v1/query_pb.js";
import type { Headers, Next, WorkflowExecution } from "../common/index.js";
import { describeValue } from "../common/enums.js";
import type { WorkflowStartOptions } from "./workflow-client.js";
import type { WorkflowUpdateOptions } from "./workflow-update.js";
import type { ScheduleClientInterceptor } from "./schedule-client.js";

export type { Headers, Next } from "../common/index.js";

/**
 * Start options as interceptors see them (the official `CompiledWorkflowOptions`): `args`
 * always an array, the durations as `google.protobuf.Duration` messages (here protobuf-es
 * `{ seconds: bigint, nanos }`; the official SDK's protobufjs ones have `seconds` as a Long or
 * number).
 */
export type CompiledWorkflowOptions = Omit<
  WorkflowStartOptions,
  "args" | "workflowExecutionTimeout" | "workflowRunTimeout" | "workflowTaskTimeout" | "startDelay"
> & {
  args: unknown[];
  workflowExecutionTimeout?: ProtoDuration;
  workflowRunTimeout?: ProtoDuration;
  workflowTaskTimeout?: ProtoDuration;
  startDelay?: ProtoDuration;
};

/** Input for WorkflowClientInterceptor.start / startWithDetails */
export interface WorkflowStartInput {
  /** Name of the workflow type to start. */
  readonly workflowType: string;
  readonly headers: Headers;
  readonly options: CompiledWorkflowOptions;
}

/** Output for WorkflowClientInterceptor.startWithDetails */
export interface WorkflowStartOutput {
  readonly runId: string;
  readonly eagerlyStarted: boolean;
}

/** Input for WorkflowClientInterceptor.startUpdate */
export interface WorkflowStartUpdateInput {
  readonly updateName: string;
  readonly args: unknown[];
  readonly workflowExecution: WorkflowExecution;
  readonly firstExecutionRunId?: string;
  readonly headers: Headers;
  /** `updateId` (default: a random UUID chosen when the request is built). */
  readonly options: WorkflowUpdateOptions;
}

/** Output for WorkflowClientInterceptor.startUpdate */
export interface WorkflowStartUpdateOutput {
  readonly updateId: string;
  readonly workflowRunId: string;
  /** The outcome when the response already carried it (the update completed within the call). */
  readonly outcome?: Outcome;
}

/** Input for WorkflowClientInterceptor.startUpdateWithStart */
export interface WorkflowStartUpdateWithStartInput {
  readonly workflowType: string;
  readonly workflowStartOptions: CompiledWorkflowOptions;
  readonly workflowStartHeaders: Headers;
  readonly updateName: string;
  readonly updateArgs: unknown[];
  readonly updateOptions: WorkflowUpdateOptions;
  readonly updateHeaders: Headers;
}

/** Output for WorkflowClientInterceptor.startUpdateWithStart */
export interface WorkflowStartUpdateWithStartOutput {
  readonly workflowExecution: WorkflowExecution;
  readonly updateId: string;
  readonly updateOutcome?: Outcome;
}

/** Input for WorkflowClientInterceptor.signal */
export interface WorkflowSignalInput {
  readonly signalName: string;
  readonly args: unknown[];
  readonly workflowExecution: WorkflowExecution;
  readonly headers: Headers;
}

/** Input for WorkflowClientInterceptor.signalWithStart */
export interface WorkflowSignalWithStartInput {
  readonly workflowType: string;
  readonly signalName: string;
  readonly signalArgs: unknown[];
  readonly headers: Headers;
  readonly options: CompiledWorkflowOptions;
}

/** Input for WorkflowClientInterceptor.query */
export interface WorkflowQueryInput {
  readonly queryType: string;
  readonly args: unknown[];
  readonly workflowExecution: WorkflowExecution;
  /** temporal.api.enums.v1.QueryRejectCondition, as the official input carries it. */
  readonly queryRejectCondition?: QueryRejectConditionProto;
  readonly headers: Headers;
}

/** Input for WorkflowClientInterceptor.terminate */
export interface WorkflowTerminateInput {
  readonly workflowExecution: WorkflowExecution;
  readonly reason?: string;
  readonly details?: unknown[];
  readonly firstExecutionRunId?: string;
}

/** Input for WorkflowClientInterceptor.cancel */
export interface WorkflowCancelInput {
  readonly workflowExecution: WorkflowExecution;
  readonly firstExecutionRunId?: string;
  /** The reason given to `handle.cancel(reason)` (an argument the official handle does not take). */
  readonly reason?: string;
}

/** Input for WorkflowClientInterceptor.describe */
export interface WorkflowDescribeInput {
  readonly workflowExecution: WorkflowExecution;
}

/** Implement any of these methods to intercept `client.workflow` calls and the handles' RPCs. */
export interface WorkflowClientInterceptor {
  /**
   * Intercepts StartWorkflowExecution (start, execute); returns the run id.
   * @deprecated in favour of `startWithDetails`, as in the official SDK
   */
  start?: (input: WorkflowStartInput, next: Next<this, "start">) => Promise<string>;
  /** Intercepts StartWorkflowExecution (start, execute). */
  startWithDetails?: (input: WorkflowStartInput, next: Next<this, "startWithDetails">) => Promise<WorkflowStartOutput>;
  /** Intercepts UpdateWorkflowExecution (handle.startUpdate, handle.executeUpdate). */
  startUpdate?: (input: WorkflowStartUpdateInput, next: Next<this, "startUpdate">) => Promise<WorkflowStartUpdateOutput>;
  /** Intercepts update-with-start (ExecuteMultiOperation). */
  startUpdateWithStart?: (
    input: WorkflowStartUpdateWithStartInput,
    next: Next<this, "startUpdateWithStart">,
  ) => Promise<WorkflowStartUpdateWithStartOutput>;
  /** Intercepts SignalWorkflowExecution (handle.signal). */
  signal?: (input: WorkflowSignalInput, next: Next<this, "signal">) => Promise<void>;
  /** Intercepts SignalWithStartWorkflowExecution; returns the run id signaled. */
  signalWithStart?: (input: WorkflowSignalWithStartInput, next: Next<this, "signalWithStart">) => Promise<string>;
  /** Intercepts QueryWorkflow (handle.query); returns the decoded result. */
  query?: (input: WorkflowQueryInput, next: Next<this, "query">) => Promise<unknown>;
  /** Intercepts TerminateWorkflowExecution (handle.terminate). */
  terminate?: (input: WorkflowTerminateInput, next: Next<this, "terminate">) => Promise<TerminateWorkflowExecutionResponse>;
  /** Intercepts RequestCancelWorkflowExecution (handle.cancel). */
  cancel?: (input: WorkflowCancelInput, next: Next<this, "cancel">) => Promise<RequestCancelWorkflowExecutionResponse>;
  /** Intercepts DescribeWorkflowExecution (handle.describe); returns the raw response. */
  describe?: (input: WorkflowDescribeInput, next: Next<this, "describe">) => Promise<DescribeWorkflowExecutionResponse>;
}

/** @deprecated Use WorkflowClientInterceptor, as in the official SDK. */
export type WorkflowClientCallsInterceptor = WorkflowClientInterceptor;

/** @deprecated What a WorkflowClientCallsInterceptorFactory is called with. */
export interface WorkflowClientCallsInterceptorFactoryInput {
  workflowId: string;
  runId?: string;
}

/**
 * A function making the interceptor of one workflow id's calls.
 * @deprecated Define interceptors directly, as in the official SDK.
 */
export interface WorkflowClientCallsInterceptorFactory {
  (input: WorkflowClientCallsInterceptorFactoryInput): WorkflowClientCallsInterceptor;
}

/** @deprecated Define interceptors directly (`interceptors: { workflow: [interceptor] }`). */
export interface WorkflowClientInterceptors {
  /** @deprecated */
  calls?: WorkflowClientCallsInterceptorFactory[];
}

/**
 * `ClientOptions.interceptors`. `schedule`: the ScheduleClient's (src/client/schedule-client.ts).
 * `nexus` and `activity` are accepted as in the official SDK and have no effect here (no Nexus
 * or standalone-activity client yet): they warn once.
 */
export interface ClientInterceptors {
  workflow?: WorkflowClientInterceptors | WorkflowClientInterceptor[];
  schedule?: ScheduleClientInterceptor[];
  nexus?: unknown[];
  activity?: unknown[];
}

/** The interceptors of calls to `workflowId` (the factories of the deprecated form called per handle or call, as official). */
export type WorkflowInterceptorsSource = (workflowId: string, runId?: string) => WorkflowClientInterceptor[];

/**
 * Checks `ClientOptions.interceptors.workflow` and returns how to get the interceptors of a
 * call. TypeErrors name the option and the bad value.
 */
export function workflowInterceptorsSource(option: unknown): WorkflowInterceptorsSource {
  const name = "ClientOptions.interceptors.workflow";
  if (option === undefined || option === null) return () => [];
  if (Array.isArray(option)) {
    option.forEach((i, n) => checkInterceptor(i, `${name}[${n}]`));
    const list = [...(option as WorkflowClientInterceptor[])];
    return () => list;
  }
  if (typeof option === "object" && "calls" in option) {
    const calls = (option as WorkflowClientInterceptors).calls ?? [];
    if (!Array.isArray(calls)) throw new TypeError(`${name}.calls: expected an array of factory functions, got ${describeValue(calls)}`);
    calls.forEach((f, n) => {
      if (typeof f !== "function") throw new TypeError(`${name}.calls[${n}]: expected a factory function, got ${describeValue(f)}`);
    });
    return (workflowId, runId) =>
      calls.map((factory, n) => {
        const i = factory({ workflowId, runId });
        checkInterceptor(i, `${name}.calls[${n}] result`);
        return i;
      });
  }
  // The official client ignores other shapes silently; they are certainly a mistake.
  throw new TypeError(`${name}: expected an array of WorkflowClientInterceptor objects (or the deprecated { calls: [factory] }), got ${describeValue(option)}`);
}

const HOOKS = ["start", "startWithDetails", "startUpdate", "startUpdateWithStart", "signal", "signalWithStart", "query", "terminate", "cancel", "describe"];

function checkInterceptor(i: unknown, where: string): void {
  if (i === null || typeof i !== "object") throw new TypeError(`${where}: expected a WorkflowClientInterceptor object, got ${describeValue(i)}`);
  for (const hook of HOOKS) {
    const fn = (i as Record<string, unknown>)[hook];
    if (fn !== undefined && typeof fn !== "function") throw new TypeError(`${where}.${hook}: expected a function, got ${describeValue(fn)}`);
  }
}

/**
 * For the `startWithDetails` chain only (as the official client does): an interceptor with only
 * the deprecated `start` becomes one whose `startWithDetails` calls it, with the interceptor as
 * `this`. Its run id wins; `eagerlyStarted` comes from the call below it, or is false when it did
 * not call `next`.
 */
export function adaptLegacyStart(i: WorkflowClientInterceptor): WorkflowClientInterceptor {
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const legacy = i.start;
  if (i.startWithDetails !== undefined || legacy === undefined) return i;
  const adapted: WorkflowClientInterceptor = {};
  adapted.startWithDetails = async (input, next) => {
    let below: WorkflowStartOutput | undefined;
    const runId = await legacy.call(i, input, async (nextInput: WorkflowStartInput) => {
      below = await next(nextInput);
      return below.runId;
    });
    return below === undefined ? { runId, eagerlyStarted: false } : { ...below, runId };
  };
  return adapted;
}
