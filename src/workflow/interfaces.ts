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
import type { Priority } from "../common/retry-policy.js";
import type { SearchAttributePair, SearchAttributes, TypedSearchAttributes } from "../common/search-attributes.js";
import type { SuggestContinueAsNewReason } from "../common/enums.js";
import type { WorkerDeploymentVersion } from "../common/official-helpers.js";

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
  UpdateDefinition,
  UpdateDefinitionOptions,
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
/** Handles updates that have no handler of their own (receives the update's name first). */
export type DefaultUpdateHandler = (updateName: string, ...args: unknown[]) => Promise<unknown> | unknown;
/** Validates an update's arguments before it is accepted: throw to reject it; must not change state. */
export type UpdateValidator<Args extends any[]> = (...args: Args) => void;
/** `setHandler(updateDef, handler, options)`, as official. */
export type UpdateHandlerOptions<Args extends any[]> = {
  validator?: UpdateValidator<Args>;
  description?: string;
  unfinishedPolicy?: import("../common/enums.js").HandlerUnfinishedPolicy;
};
/** Information about the update being handled (`currentUpdateInfo()`). */
export interface UpdateInfo {
  /** The update's workflow-unique id. */
  readonly id: string;
  /** The update type name. */
  readonly name: string;
}

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

/**
 * What a run knows about itself (`workflowInfo()`), field for field as @temporalio/workflow
 * 1.24's WorkflowInfo. Deterministic: the same on every replay. `workflowInfo()` returns a
 * frozen snapshot; fields that change during a run (history length, search attributes, memo,
 * …) are read again by calling it again, as in the official SDK.
 */
export interface WorkflowInfo {
  readonly workflowId: string;
  readonly runId: string;
  readonly workflowType: string;
  /** @deprecated Use {@link typedSearchAttributes}: name → values, as the server indexed them (start values and every upsert). */
  readonly searchAttributes: SearchAttributes;
  /** The start values and every upsert, typed. */
  readonly typedSearchAttributes: TypedSearchAttributes;
  /** Start memo merged with every `upsertMemo` ({} when none). */
  readonly memo?: Record<string, unknown>;
  /** Present when this run is a child workflow. */
  readonly parent?: ParentWorkflowInfo;
  /** The root of the chain of child workflows; undefined when this run is its own root. */
  readonly root?: RootWorkflowInfo;
  /** The previous run's result (cron, continue-as-new). */
  readonly lastResult?: unknown;
  /** The previous run's failure (a retry, or a cron run after a failed one). */
  readonly lastFailure?: Error;
  readonly historyLength: number;
  /** Bytes of history up to the current workflow task (0 when the server does not say). */
  readonly historySize: number;
  readonly continueAsNewSuggested: boolean;
  /** @experimental Worker Deployment Versioning: the target version moved away from this run's pinned one. */
  readonly targetWorkerDeploymentVersionChanged: boolean;
  /** @experimental Why continue-as-new is suggested. */
  readonly suggestedContinueAsNewReasons?: SuggestContinueAsNewReason[];
  readonly taskQueue: string;
  readonly namespace: string;
  /** Run Id of the first run of this execution chain. */
  readonly firstExecutionRunId: string;
  /** The Run Id of the WorkflowExecutionStarted event (kept across resets). */
  readonly originalExecutionRunId: string;
  /** The previous run of the chain (continue-as-new, cron, retry). */
  readonly continuedFromExecutionRunId?: string;
  /** When the execution chain started. */
  readonly startTime: Date;
  /** When this run started. */
  readonly runStartTime: Date;
  readonly executionTimeoutMs?: number;
  readonly executionExpirationTime?: Date;
  readonly runTimeoutMs?: number;
  readonly taskTimeoutMs: number;
  readonly retryPolicy?: RetryPolicy;
  /** 1, plus one per retry of the workflow. */
  readonly attempt: number;
  readonly cronSchedule?: string;
  /** Milliseconds between cron runs. */
  readonly cronScheduleToScheduleInterval?: number;
  /** @deprecated Use currentDeploymentVersion. The Build Id of the worker that ran the current task ('' when none). */
  readonly currentBuildId?: string;
  readonly currentDeploymentVersion?: WorkerDeploymentVersion;
  readonly unsafe: UnsafeWorkflowInfo;
  readonly priority?: Priority;
}

/** Never branch workflow logic on these: they are not deterministic. */
export interface UnsafeWorkflowInfo {
  /** Real wall-clock time in ms. */
  readonly now: () => number;
  /** True while the run replays history, and while it answers a query. */
  readonly isReplaying: boolean;
  /** True while the run replays history events (false in query handlers); logs are suppressed while true. */
  readonly isReplayingHistoryEvents: boolean;
  /** @experimental Fresh entropy, not replay-stable: only for read-only query handlers. */
  readonly random: UnsafeRandomSource;
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
  /** @deprecated as official (use typedSearchAttributes): the new run's search attributes, untyped form. Neither set: the new run keeps this run's (core). */
  searchAttributes?: SearchAttributes;
  /** The new run's search attributes (merged with `searchAttributes`, these win). Neither set: the new run keeps this run's (core). */
  typedSearchAttributes?: SearchAttributePair[] | TypedSearchAttributes;
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
