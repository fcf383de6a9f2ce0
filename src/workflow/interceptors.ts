/**
 * Workflow interceptors and sinks: the official @temporalio/workflow 1.24 interfaces.
 *
 * A module listed in the Worker's `interceptors.workflowModules` (bundled with the workflows)
 * exports `interceptors(): WorkflowInterceptors`; the factory is called once per run, before
 * the workflow function starts. Inbound interceptors wrap what reaches the workflow (its
 * start, signals, queries, updates), outbound ones what it sends (timers, activities, child
 * workflows, signals, continue-as-new, log attributes), internals the activation itself.
 * The first interceptor of a list is the outermost.
 */
import type { Headers, MetricTags, Next } from "../common/index.js";
import type { WorkflowActivation } from "../proto/temporal/sdk/core/workflow_activation/workflow_activation_pb.js";
import type { ActivityOptions, LocalActivityOptions } from "../common/interfaces.js";
import type { ChildWorkflowOptionsWithDefaults } from "./child-workflow.js";
import type { CommandInit } from "./activator.js";
import type { ContinueAsNewOptions, TimerOptions, WorkflowInfo } from "./interfaces.js";

export type { Headers, Next };

export type WorkflowInterceptorsFactory = () => WorkflowInterceptors;

export interface WorkflowInterceptors {
  inbound?: WorkflowInboundCallsInterceptor[];
  outbound?: WorkflowOutboundCallsInterceptor[];
  internals?: WorkflowInternalsInterceptor[];
}

// ── inbound ──────────────────────────────────────────────────────────────────────────────

export interface WorkflowInboundCallsInterceptor {
  /** The workflow function's execution (its result or failure). */
  execute?: (input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, "execute">) => Promise<unknown>;
  handleUpdate?: (input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, "handleUpdate">) => Promise<unknown>;
  /** Synchronous; throwing rejects the update. */
  validateUpdate?: (input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, "validateUpdate">) => void;
  handleSignal?: (input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, "handleSignal">) => Promise<void>;
  handleQuery?: (input: QueryInput, next: Next<WorkflowInboundCallsInterceptor, "handleQuery">) => Promise<unknown>;
}

export interface WorkflowExecuteInput {
  readonly args: unknown[];
  readonly headers: Headers;
}

export interface UpdateInput {
  readonly updateId: string;
  readonly name: string;
  readonly args: unknown[];
  readonly headers: Headers;
}

export interface SignalInput {
  readonly signalName: string;
  readonly args: unknown[];
  readonly headers: Headers;
}

export interface QueryInput {
  readonly queryId: string;
  readonly queryName: string;
  readonly args: unknown[];
  readonly headers: Headers;
}

// ── outbound ─────────────────────────────────────────────────────────────────────────────

export interface WorkflowOutboundCallsInterceptor {
  startTimer?: (input: TimerInput, next: Next<WorkflowOutboundCallsInterceptor, "startTimer">) => Promise<void>;
  scheduleActivity?: (input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, "scheduleActivity">) => Promise<unknown>;
  scheduleLocalActivity?: (input: LocalActivityInput, next: Next<WorkflowOutboundCallsInterceptor, "scheduleLocalActivity">) => Promise<unknown>;
  startChildWorkflowExecution?: (
    input: StartChildWorkflowExecutionInput,
    next: Next<WorkflowOutboundCallsInterceptor, "startChildWorkflowExecution">,
  ) => Promise<[Promise<string>, Promise<unknown>]>;
  signalWorkflow?: (input: SignalWorkflowInput, next: Next<WorkflowOutboundCallsInterceptor, "signalWorkflow">) => Promise<void>;
  continueAsNew?: (input: ContinueAsNewInput, next: Next<WorkflowOutboundCallsInterceptor, "continueAsNew">) => Promise<never>;
  /** The attributes of the workflow's log lines. */
  getLogAttributes?: (input: GetLogAttributesInput, next: Next<WorkflowOutboundCallsInterceptor, "getLogAttributes">) => Record<string, unknown>;
  /** The tags of the workflow's metrics. */
  getMetricTags?: (input: GetMetricTagsInput, next: Next<WorkflowOutboundCallsInterceptor, "getMetricTags">) => MetricTags;
}

export interface TimerInput {
  readonly durationMs: number;
  readonly seq: number;
  readonly options?: TimerOptions;
}

export interface ActivityInput {
  readonly activityType: string;
  readonly args: unknown[];
  readonly options: ActivityOptions;
  readonly headers: Headers;
  readonly seq: number;
}

export interface LocalActivityInput {
  readonly activityType: string;
  readonly args: unknown[];
  readonly options: LocalActivityOptions;
  readonly headers: Headers;
  readonly seq: number;
  readonly originalScheduleTime?: { seconds: bigint; nanos: number };
  readonly attempt: number;
}

export interface StartChildWorkflowExecutionInput {
  readonly workflowType: string;
  readonly options: ChildWorkflowOptionsWithDefaults;
  readonly headers: Headers;
  readonly seq: number;
}

export interface SignalWorkflowInput {
  readonly seq: number;
  readonly signalName: string;
  readonly args: unknown[];
  readonly headers: Headers;
  readonly target:
    | { readonly type: "external"; readonly workflowExecution: { workflowId: string; runId?: string } }
    | { readonly type: "child"; readonly childWorkflowId: string };
}

export type ContinueAsNewInputOptions = ContinueAsNewOptions & Required<Pick<ContinueAsNewOptions, "workflowType">>;

export interface ContinueAsNewInput {
  readonly args: unknown[];
  readonly headers: Headers;
  readonly options: ContinueAsNewInputOptions;
}

export type GetLogAttributesInput = Record<string, unknown>;
export type GetMetricTagsInput = MetricTags;

// ── internals ────────────────────────────────────────────────────────────────────────────

export interface WorkflowInternalsInterceptor {
  /** One activation's jobs (this runtime processes an activation as one batch: batchIndex 0). */
  activate?(input: ActivateInput, next: Next<WorkflowInternalsInterceptor, "activate">): void;
  /** The commands the activation produced; what it returns is sent. */
  concludeActivation?(input: ConcludeActivationInput, next: Next<WorkflowInternalsInterceptor, "concludeActivation">): ConcludeActivationOutput;
  /** The run leaves the worker's cache. */
  dispose?(input: DisposeInput, next: Next<WorkflowInternalsInterceptor, "dispose">): void;
}

export interface ActivateInput {
  readonly activation: WorkflowActivation;
  readonly batchIndex: number;
}

export interface ConcludeActivationInput {
  readonly commands: CommandInit[];
}

export type ConcludeActivationOutput = ConcludeActivationInput;

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DisposeInput {}

// ── sinks ────────────────────────────────────────────────────────────────────────────────

/* eslint-disable @typescript-eslint/no-explicit-any */
/** A function workflow code calls on the host, after the activation (never awaited). */
export type SinkFunction = (...args: any[]) => void;
/* eslint-enable @typescript-eslint/no-explicit-any */
export type Sink = Record<string, SinkFunction>;
export type Sinks = Record<string, Sink>;

/** One buffered call of a sink function, delivered to the Worker's `sinks` after the activation. */
export interface SinkCall {
  ifaceName: string;
  fnName: string;
  args: unknown[];
  /** The run's WorkflowInfo when the call was made. */
  workflowInfo: WorkflowInfo;
}
