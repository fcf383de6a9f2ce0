/**
 * Types shared by workflow, activity and client code, named and shaped as in
 * @temporalio/common (interfaces.ts, activity-options.ts, interceptors.ts, logger.ts), which
 * re-exports them from /workflow and /client as well. Types only: nothing here exists at run
 * time.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { ActivityCancellationType, VersioningIntent } from "./enums.js";
import type { History } from "../proto/temporal/api/history/v1/message_pb.js";
import type { Payload } from "./payload-converter.js";
import type { Priority, RetryPolicy } from "./retry-policy.js";
import type { TimestampLike } from "./time.js";

/** A number of milliseconds or an ms-style string such as "30s", "5 minutes". */
type Duration = number | string;

export interface ActivityOptions {
  /** Defaults to the workflow's task queue. */
  taskQueue?: string;
  /** Defaults to the activity's sequence number in this run. */
  activityId?: string;
  scheduleToCloseTimeout?: Duration;
  startToCloseTimeout?: Duration;
  scheduleToStartTimeout?: Duration;
  heartbeatTimeout?: Duration;
  retry?: RetryPolicy;
  /** A string of ActivityCancellationType (the proto number is accepted too); unset = TRY_CANCEL. */
  cancellationType?: ActivityCancellationType;
  /** Let core run the activity on this worker right away when it can (default true). */
  allowEagerDispatch?: boolean;
  /** Deprecated worker versioning: run on a compatible or the default Build Id. */
  versioningIntent?: VersioningIntent;
  /** A single-line summary shown in the UI (user metadata of the ScheduleActivityTask command). */
  summary?: string;
  priority?: Priority;
}

export interface LocalActivityOptions {
  scheduleToCloseTimeout?: Duration;
  startToCloseTimeout?: Duration;
  scheduleToStartTimeout?: Duration;
  /** Above this backoff, core asks the workflow to sleep on a timer between attempts. */
  localRetryThreshold?: Duration;
  retry?: RetryPolicy;
  cancellationType?: ActivityCancellationType;
  /** A single-line summary shown in the UI (user metadata of the local activity's marker). */
  summary?: string;
}

/** An activity implementation. Unlike the official type, a synchronous return is allowed (the worker awaits it either way). */
export type ActivityFunction<P extends any[] = any[], R = any> = (...args: P) => Promise<R> | R;
/** @deprecated as in the official SDK: use UntypedActivities. */
export type ActivityInterface = Record<string, ActivityFunction>;
export type UntypedActivities = Record<string, ActivityFunction>;

/** What a workflow function returns. */
export type WorkflowReturnType = Promise<any>;
export type Workflow = (...args: any[]) => WorkflowReturnType;
/** The result type of workflow `W` (what its promise resolves to). */
export type WorkflowResultType<W extends Workflow> = ReturnType<W> extends Promise<infer R> ? R : never;
/** A signal handler. */
export type WorkflowSignalType = (...args: any[]) => Promise<void> | void;
/** A query handler. */
export type WorkflowQueryType = (...args: any[]) => any;

export interface SignalDefinition<Args extends any[] = [], Name extends string = string> {
  type: "signal";
  name: Name;
  /** Phantom field so TypeScript keeps Args; never set. */
  __argsBrand?: Args;
}
export interface QueryDefinition<Ret, Args extends any[] = [], Name extends string = string> {
  type: "query";
  name: Name;
  __argsBrand?: Args;
  __retBrand?: Ret;
}
/** An update handler. */
export type WorkflowUpdateType = (...args: any[]) => Promise<any> | any;
/** An update validator: throws to reject the update; may not change state. */
export type WorkflowUpdateValidatorType = (...args: any[]) => void;
/** An update handler as registered: handler, validator, policy, description. */
export type WorkflowUpdateAnnotatedType = {
  handler: WorkflowUpdateType;
  unfinishedPolicy: import("./enums.js").HandlerUnfinishedPolicy;
  validator?: WorkflowUpdateValidatorType;
  description?: string;
  typeInfo?: unknown;
};
/** An update definition (`defineUpdate`); Args and Ret are type-level only, as official. */
export interface UpdateDefinition<Ret, Args extends any[] = [], Name extends string = string> {
  type: "update";
  name: Name;
  __argsBrand?: Args;
  __retBrand?: Ret;
}
/** `defineUpdate(name, options)`: kept on the definition, as official (its `typeInfo` is not used by this SDK's converters). */
export interface UpdateDefinitionOptions {
  typeInfo?: unknown;
}
/** `defineSignal(name, options)`: kept on the definition, as official (its `typeInfo` is not used by this SDK's converters). */
export interface SignalDefinitionOptions {
  typeInfo?: unknown;
}
/** `defineQuery(name, options)`: kept on the definition, as official (its `typeInfo` is not used by this SDK's converters). */
export interface QueryDefinitionOptions {
  typeInfo?: unknown;
}

/** Headers of a workflow, activity, signal or query call: payloads by name. */
export type Headers = Record<string, Payload>;

/** A protobuf Timestamp (or Duration): seconds and nanos. */
export type Timestamp = TimestampLike;

export type LogLevel = "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR";
export type LogMetadata = Record<string | symbol, any>;
/** A logger, as @temporalio/common's (what `Runtime.install({ logger })` takes). */
export interface Logger {
  log(level: LogLevel, message: string, meta?: LogMetadata): any;
  trace(message: string, meta?: LogMetadata): any;
  debug(message: string, meta?: LogMetadata): any;
  info(message: string, meta?: LogMetadata): any;
  warn(message: string, meta?: LogMetadata): any;
  error(message: string, meta?: LogMetadata): any;
}

/** A history (History message, its protobuf JSON, or serialized bytes) and the workflow id it belongs to (what replay takes). */
export interface HistoryAndWorkflowId {
  workflowId: string;
  history: History | unknown | undefined;
}
