/**
 * Activity interceptor interfaces, named and shaped as @temporalio/worker 1.24's, so code that
 * implements them for the official worker compiles and runs here unchanged.
 *
 * Per activity attempt the worker calls every factory of `WorkerOptions.interceptors.activity`
 * with the attempt's Context, in list order (after the deprecated `activityInbound` factories,
 * as official). For each hook the first interceptor of the list is the outermost: it gets the
 * next one (or the SDK's own implementation) as `next`.
 */
import type { Context } from "../activity/context.js";
import type { Headers, MetricTags, Next } from "../common/index.js";
import type { ClientInterceptors } from "../client/interceptors.js";

export type { Headers, Next };

/** Called once per activity attempt with its Context; may return the same object for every call. */
export type ActivityInterceptorsFactory = (ctx: Context) => ActivityInterceptors;

export interface ActivityInterceptors {
  inbound?: ActivityInboundCallsInterceptor;
  outbound?: ActivityOutboundCallsInterceptor;
}

export interface ActivityInboundCallsInterceptor {
  /**
   * Runs the activity: resolves to its result (what `next` resolves to, or a replacement);
   * throwing fails the attempt as if the activity had thrown.
   */
  execute?: (input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, "execute">) => Promise<unknown>;
}

export interface ActivityExecuteInput {
  /** The decoded arguments. */
  readonly args: unknown[];
  /** The activity task's headers as the workflow (or its interceptors) wrote them: never codec-decoded. */
  readonly headers: Headers;
}

export interface ActivityOutboundCallsInterceptor {
  /**
   * Called at each log call of the activity's `Context.log` (and of the worker's lines about the
   * activity): the attributes returned are put on the line (the line's own metadata wins).
   */
  getLogAttributes?: (input: GetLogAttributesInput, next: Next<ActivityOutboundCallsInterceptor, "getLogAttributes">) => Record<string, unknown>;

  /**
   * Called each time a metric of the activity's metric meter is recorded: the tags returned come
   * before the metric's own tags and the call's.
   */
  getMetricTags?: (input: GetMetricTagsInput, next: Next<ActivityOutboundCallsInterceptor, "getMetricTags">) => MetricTags;
}

export type GetLogAttributesInput = Record<string, unknown>;

export type GetMetricTagsInput = MetricTags;

/** @deprecated As official: use {@link ActivityInterceptorsFactory} (`interceptors.activity`). */
export interface ActivityInboundCallsInterceptorFactory {
  (ctx: Context): ActivityInboundCallsInterceptor;
}

/** The activity part of `WorkerOptions.interceptors` (@temporalio/worker's `WorkerInterceptors`). */
export interface WorkerActivityInterceptors {
  /** Factories of inbound and outbound activity interceptors, called per attempt in list order. */
  activity?: ActivityInterceptorsFactory[];
  /**
   * @deprecated As official: use `activity`. Each factory's interceptor is an inbound one, placed
   * before (outside) those of `activity`.
   */
  activityInbound?: ActivityInboundCallsInterceptorFactory[];
}

/**
 * `WorkerOptions.interceptors`, as @temporalio/worker's `WorkerInterceptors`. `client` and `nexus`
 * are accepted for compatibility and warned about (no effect: activities here have no worker
 * client, and there is no Nexus).
 */
export interface WorkerInterceptors extends WorkerActivityInterceptors {
  /** Modules exporting workflow interceptors (`interceptors()`), bundled with the workflow code. */
  workflowModules?: string[];
  /** Accepted, warned about, no effect (the official Client handed to activities). */
  client?: ClientInterceptors;
  /** Accepted, warned about, no effect (no Nexus). */
  nexus?: unknown[];
}

/** As official: every kind with its list (the worker's view after compiling the options). */
export type CompiledWorkerInterceptors = Required<Pick<WorkerInterceptors, "client" | "activity" | "nexus" | "workflowModules">>;

/**
 * The official composition: `activityInbound` factories first, as inbound-only factories, then
 * `activity`.
 */
export function compileActivityInterceptors(i: WorkerActivityInterceptors | undefined): ActivityInterceptorsFactory[] {
  const legacy = (i?.activityInbound ?? []).map((factory): ActivityInterceptorsFactory => (ctx) => ({ inbound: factory(ctx) }));
  return [...legacy, ...(i?.activity ?? [])];
}
