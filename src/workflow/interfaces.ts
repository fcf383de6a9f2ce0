/**
 * Types of the workflow API, named as in @temporalio/workflow so workflow code moves over
 * with an import change.
 */

/** A number of milliseconds or an ms-style string such as "30s", "5 minutes". */
export type Duration = number | string;

/** Retry policy of an activity (or a workflow), in the official SDK's shape. */
export type { RetryPolicy } from "../common/retry-policy.js";
import type { RetryPolicy } from "../common/retry-policy.js";

export { ActivityCancellationType, ChildWorkflowCancellationType, ParentClosePolicy, type VersioningIntent } from "../common/enums.js";
import type { VersioningIntent } from "../common/enums.js";

export type { Priority } from "../common/retry-policy.js";

// Defined in src/common (as in @temporalio/common, which /workflow re-exports).
export type {
  ActivityFunction,
  ActivityInterface,
  ActivityOptions,
  LocalActivityOptions,
  QueryDefinition,
  QueryDefinitionOptions,
  SignalDefinition,
  SignalDefinitionOptions,
  UntypedActivities,
  Workflow,
  WorkflowQueryType,
  WorkflowResultType,
  WorkflowReturnType,
  WorkflowSignalType,
} from "../common/interfaces.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
/** `proxyActivities<typeof activities>()`: every activity becomes an async function. */
export type ActivityInterfaceFor<T> = {
  [K in keyof T]: T[K] extends (...args: infer P) => infer R ? (...args: P) => Promise<Awaited<R>> : never;
};

export type Handler<Args extends any[], R> = (...args: Args) => R;

export type DefaultSignalHandler = (signalName: string, ...args: unknown[]) => void | Promise<void>;
export type DefaultQueryHandler = (queryName: string, ...args: unknown[]) => unknown;

/** `setHandler(querydef, handler, options)`: the description is reported by `__temporal_workflow_metadata`. */
export type QueryHandlerOptions = { description?: string };
/** `setHandler(signalDef, handler, options)`, as official. */
export type SignalHandlerOptions = { description?: string; unfinishedPolicy?: import("../common/enums.js").HandlerUnfinishedPolicy };
/** `sleep(ms, options)` / `condition(fn, timeout, options)`: the timer's summary (user metadata of StartTimer), as official. */
export interface TimerOptions {
  readonly summary?: string;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface ParentWorkflowInfo {
  workflowId: string;
  runId: string;
  namespace: string;
}

/** The root workflow of a chain of child workflows (`workflowInfo().root`). */
export interface RootWorkflowInfo {
  workflowId: string;
  runId: string;
}

/** What a run knows about itself (`workflowInfo()`); the same on every replay. */
export interface WorkflowInfo {
  workflowId: string;
  runId: string;
  workflowType: string;
  namespace: string;
  taskQueue: string;
  attempt: number;
  firstExecutionRunId: string;
  continuedFromExecutionRunId?: string;
  originalRunId?: string;
  identity?: string;
  cronSchedule?: string;
  executionTimeoutMs?: number;
  runTimeoutMs?: number;
  taskTimeoutMs?: number;
  executionExpirationTime?: Date;
  startTime: Date;
  runStartTime: Date;
  parent?: ParentWorkflowInfo;
  root?: RootWorkflowInfo;
  memo?: Record<string, unknown>;
  lastResult?: unknown;
  lastFailure?: Error;
  historyLength: number;
  historySize: number;
  continueAsNewSuggested: boolean;
  unsafe: {
    /** True while the run replays history; side effects such as logs are suppressed. */
    readonly isReplaying: boolean;
    /** Real wall-clock time; never use it for workflow logic. */
    now(): number;
    /** @experimental Fresh entropy, not replay-stable: only for read-only query handlers. */
    readonly random: UnsafeRandomSource;
  };
}

/**
 * A nondeterministic random source (`workflowInfo().unsafe.random`): every draw is fresh
 * entropy, not derived from the run's seed. Using it on the workflow's main path breaks replay.
 * @experimental
 */
export interface UnsafeRandomSource {
  random(): number;
  uuid4(): string;
  fillRandom(bytes: Uint8Array): Uint8Array;
}

export interface ContinueAsNewOptions {
  workflowType?: string;
  taskQueue?: string;
  workflowRunTimeout?: Duration;
  workflowTaskTimeout?: Duration;
  memo?: Record<string, unknown>;
  /** Not in the official ContinueAsNewOptions (which drops it): here it becomes the new run's retry policy. */
  retry?: RetryPolicy;
  /** Deprecated worker versioning: continue on a compatible or the default Build Id. */
  versioningIntent?: VersioningIntent;
}

/** The logger the worker hands to the runtime; `log` in workflow code forwards to it. */
export interface Logger {
  trace?(message: string, meta?: Record<string, unknown>): void;
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

/** What `__enhanced_stack_trace` answers, as @temporalio/workflow's types (the Temporal UI reads it). */
export interface StackTraceSDKInfo {
  name: string;
  version: string;
}
/** A slice of a source file: its text from `line_offset`. */
export interface StackTraceFileSlice {
  line_offset: number;
  content: string;
}
/** One frame. */
export interface StackTraceFileLocation {
  file_path?: string;
  line?: number;
  column?: number;
  function_name?: string;
  internal_code: boolean;
}
export interface StackTrace {
  locations: StackTraceFileLocation[];
}
export interface EnhancedStackTrace {
  sdk: StackTraceSDKInfo;
  /** File path → slices of its text (only when the worker shows stack trace sources). */
  sources: Record<string, StackTraceFileSlice[]>;
  stacks: StackTrace[];
}
