/**
 * The workflow API: timers, activities, conditions, handlers, continue-as-new, patches.
 * Every function pushes commands into, or registers completions with, the run's activator.
 */
import {
  activityCancellationTypeCodec,
  checkOptions,
  composeInterceptors,
  compilePriority,
  compileRetryPolicy,
  describeValue,
  durationOptionToTs,
  encodeUnifiedSearchAttributes,
  msToNumber,
  msToTs,
  versioningIntentCodec,
  type CompiledPriority,
  type CompiledRetryPolicy,
} from "../common/index.js";
import type { Payload } from "../proto/temporal/api/common/v1/message_pb.js";
import {
  ENHANCED_STACK_TRACE_QUERY_NAME,
  STACK_TRACE_QUERY_NAME,
  TEMPORAL_RESERVED_PREFIX,
  WORKFLOW_METADATA_QUERY_NAME,
  getActivator,
  maybeGetActivator,
  type UpdateInfo,
} from "./activator.js";
import { CancellationScope, registerSleep } from "./cancellation-scope.js";
import { uuid4FromRandom } from "./random.js";
import { ContinueAsNew, LocalActivityDoBackoff } from "./errors.js";
import type { ActivityInput, ContinueAsNewInput, ContinueAsNewInputOptions, LocalActivityInput, TimerInput } from "./interceptors.js";
import type {
  ActivityInterfaceFor,
  ActivityOptions,
  ContinueAsNewOptions,
  DefaultQueryHandler,
  DefaultSignalHandler,
  DefaultUpdateHandler,
  Duration,
  EnhancedStackTrace,
  LocalActivityOptions,
  QueryDefinition,
  QueryDefinitionOptions,
  QueryHandlerOptions,
  SignalDefinition,
  SignalDefinitionOptions,
  SignalHandlerOptions,
  TimerOptions,
  UntypedActivities,
  UpdateDefinition,
  UpdateDefinitionOptions,
  UpdateHandlerOptions,
  Workflow,
  WorkflowInfo,
} from "./interfaces.js";

registerSleep(sleep);

/** Whether the caller runs inside a workflow (as opposed to plain host code). */
export function inWorkflowContext(): boolean {
  return maybeGetActivator() !== undefined;
}

/** Information about the current run; the same on every replay. */
export function workflowInfo(): WorkflowInfo {
  const a = getActivator();
  if (a.info === undefined) throw new ReferenceError("workflowInfo() used before the workflow was initialized");
  // A snapshot, as official: later changes (a new activation, an upsert) make a new object.
  return a.info;
}

/** A durable timer. Resolves after `ms` of workflow time; rejects if its scope is cancelled. */
export function sleep(ms: Duration, options?: TimerOptions): Promise<void> {
  const a = getActivator();
  const seq = a.nextSeq.timer++;
  const durationMs = Math.max(1, msToNumber(ms));
  const execute = composeInterceptors(a.interceptors.outbound, "startTimer", timerNextHandler);
  return execute({ durationMs, seq, options });
}

/** Sends StartTimer for `input` (after the outbound interceptors), as official. */
function timerNextHandler({ seq, durationMs, options }: TimerInput): Promise<void> {
  const a = getActivator();
  const userMetadata = timerMetadata(options);
  return new Promise<void>((resolve, reject) => {
    const scope = CancellationScope.current();
    if (scope.consideredCancelled) {
      scope.cancelRequested.catch(reject);
      return;
    }
    if (scope.cancellable) {
      scope.cancelRequested.catch((err) => {
        if (!a.completions.timer.delete(seq)) return; // already fired
        a.pushCommand({ variant: { case: "cancelTimer", value: { seq } } });
        reject(err);
      });
    }
    a.pushCommand({ variant: { case: "startTimer", value: { seq, startToFireTimeout: msToTs(durationMs) } }, userMetadata });
    a.completions.timer.set(seq, { resolve: resolve as (v: unknown) => void, reject, stack: a.captureStack() });
  });
}

/** As official TimerOptions: `summary` goes into the StartTimer command's user metadata. */
function timerMetadata(options: TimerOptions | undefined): { summary: Payload } | undefined {
  // As official (`options?.summary` through the payload converter): any summary value is
  // converted, none means no user metadata; nothing here rejects code the official SDK runs.
  const summary = (options as { summary?: unknown } | null | undefined)?.summary;
  if (summary === undefined || summary === null) return undefined;
  return { summary: getActivator().toPayload(summary) };
}

// ── option checks ────────────────────────────────────────────────────────────────────────
// Options are checked where the user passes them (proxyActivities at module top level or in
// the workflow, scheduleActivity, continueAsNew, …), so a bad value throws a TypeError or
// ValueError naming the API, the option and the value: inside a workflow it fails the
// workflow task (core retries it; a fixed deployment picks it up) and is logged by the worker.
// Nothing invalid reaches the completion, whose encoding is the worker's last line of defence.

const ACTIVITY_OPTIONS = [
  "taskQueue",
  "activityId",
  "scheduleToCloseTimeout",
  "startToCloseTimeout",
  "scheduleToStartTimeout",
  "heartbeatTimeout",
  "retry",
  "cancellationType",
  "allowEagerDispatch",
  "versioningIntent",
  "summary",
  "priority",
];
/** Accepted by the official SDK 1.24, not implemented here (see docs/compatibility.md). */
const ACTIVITY_OPTIONS_OFFICIAL_ONLY = ["eventGroups"];
const LOCAL_ACTIVITY_OPTIONS = [
  "scheduleToCloseTimeout",
  "startToCloseTimeout",
  "scheduleToStartTimeout",
  "localRetryThreshold",
  "retry",
  "cancellationType",
  "summary",
];
// Fields of one kind of activity in an options object shared with the other kind: the official
// SDK lets them through unused, so they must not fail a workflow that runs there.
const ACTIVITY_ONLY_OPTIONS = ACTIVITY_OPTIONS.filter((k) => !LOCAL_ACTIVITY_OPTIONS.includes(k));
const LOCAL_ACTIVITY_ONLY_OPTIONS = LOCAL_ACTIVITY_OPTIONS.filter((k) => !ACTIVITY_OPTIONS.includes(k));
const CONTINUE_AS_NEW_OPTIONS = ["workflowType", "taskQueue", "workflowRunTimeout", "workflowTaskTimeout", "memo", "searchAttributes", "typedSearchAttributes", "retry", "versioningIntent"];
const CONTINUE_AS_NEW_OPTIONS_OFFICIAL_ONLY = ["backoffStartInterval", "initialVersioningBehavior", "eventGroups"];

/** Warnings about options without effect go to the worker's logger (console before the run exists). */
export function warnOption(message: string): void {
  const a = maybeGetActivator();
  if (a) a.options.logger.warn(message, { sdkComponent: "workflow", workflowId: a.info?.workflowId, runId: a.options.runId, workflowType: a.info?.workflowType });
  else console.warn(message);
}

export function optionalString(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new TypeError(`${where}: expected a string, got ${describeValue(value)}`);
  return value;
}

export function optionalRecord(value: unknown, where: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw new TypeError(`${where}: expected an object, got ${describeValue(value)}`);
  return value as Record<string, unknown>;
}

/** Activity options checked and turned into their command fields. */
interface CompiledActivityOptions {
  taskQueue: string | undefined;
  activityId: string | undefined;
  scheduleToCloseTimeout: ReturnType<typeof durationOptionToTs>;
  scheduleToStartTimeout: ReturnType<typeof durationOptionToTs>;
  startToCloseTimeout: ReturnType<typeof durationOptionToTs>;
  heartbeatTimeout: ReturnType<typeof durationOptionToTs>;
  localRetryThreshold: ReturnType<typeof durationOptionToTs>;
  retryPolicy: CompiledRetryPolicy | undefined;
  cancellationType: number;
  doNotEagerlyExecute: boolean;
  versioningIntent: number;
  summary: unknown;
  priority: CompiledPriority | undefined;
}

/**
 * Options objects already compiled in this run, with a copy of the values they were compiled
 * from. proxyActivities' stubs pass the same object at every call, and compiling (key checks,
 * duration strings, the retry policy) was ≈ 3 % of replay CPU; a call whose object still holds
 * the same values (compared deeply, so a mutated object is compiled again) reuses the result.
 * Only plain objects and arrays are copied; anything else is compiled at every call, and so is
 * an object that failed, so bad input gets the same errors as before.
 */
const compiledActivityOptions = new WeakMap<object, { local: boolean; values: unknown; compiled: CompiledActivityOptions }>();
const NOT_PLAIN = Symbol("not plain");

/** A deep copy of plain data (objects with Object's or no prototype, arrays, primitives); NOT_PLAIN otherwise. */
function plainCopy(value: unknown, depth: number): unknown {
  if (typeof value !== "object" || value === null) return typeof value === "function" ? NOT_PLAIN : value;
  if (depth > 4) return NOT_PLAIN;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) {
      const c = plainCopy(v, depth + 1);
      if (c === NOT_PLAIN) return NOT_PLAIN;
      out.push(c);
    }
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return NOT_PLAIN;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    const c = plainCopy((value as Record<string, unknown>)[k], depth + 1);
    if (c === NOT_PLAIN) return NOT_PLAIN;
    out[k] = c;
  }
  return out;
}

/** Whether `value` still holds exactly the data of `copy` (a plainCopy result). */
function samePlain(copy: unknown, value: unknown): boolean {
  if (typeof copy !== "object" || copy === null) return Object.is(copy, value);
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(copy)) {
    if (!Array.isArray(value) || value.length !== copy.length) return false;
    for (let i = 0; i < copy.length; i++) if (!samePlain(copy[i], value[i])) return false;
    return true;
  }
  if (Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Object.keys(value);
  const c = copy as Record<string, unknown>;
  let n = 0;
  for (const k in c) n++;
  if (keys.length !== n) return false;
  for (const k of keys) {
    if (!Object.hasOwn(c, k) || !samePlain(c[k], (value as Record<string, unknown>)[k])) return false;
  }
  return true;
}

function compileActivityOptions(options: unknown, api: string, local: boolean): CompiledActivityOptions {
  const cacheable = typeof options === "object" && options !== null;
  if (cacheable) {
    const hit = compiledActivityOptions.get(options);
    if (hit && hit.local === local && samePlain(hit.values, options)) return hit.compiled;
  }
  const compiled = compileActivityOptionsOnce(options, api, local);
  if (cacheable) {
    const values = plainCopy(options, 0);
    if (values !== NOT_PLAIN) compiledActivityOptions.set(options, { local, values, compiled });
  }
  return compiled;
}

function compileActivityOptionsOnce(options: unknown, api: string, local: boolean): CompiledActivityOptions {
  if (options === undefined || options === null) throw new TypeError(`${api}: got empty activity options`);
  if (typeof options !== "object" || Array.isArray(options)) throw new TypeError(`${api}: expected an options object, got ${describeValue(options)}`);
  checkOptions(
    {
      name: `${api} options`,
      supported: local ? LOCAL_ACTIVITY_OPTIONS : ACTIVITY_OPTIONS,
      officialOnly: ACTIVITY_OPTIONS_OFFICIAL_ONLY,
      ignoredByOfficial: local ? ACTIVITY_ONLY_OPTIONS : LOCAL_ACTIVITY_ONLY_OPTIONS,
    },
    options,
    warnOption,
  );
  const all = options as Record<string, unknown>;
  // Only the fields of this kind of activity are read (and checked); the others are ignored, as officially.
  const o = Object.fromEntries((local ? LOCAL_ACTIVITY_OPTIONS : ACTIVITY_OPTIONS).map((k) => [k, all[k]]));
  const where = (key: string) => `${api} option ${key}`;
  if ((o.scheduleToCloseTimeout ?? undefined) === undefined && (o.startToCloseTimeout ?? undefined) === undefined) {
    throw new TypeError(`${api}: required either scheduleToCloseTimeout or startToCloseTimeout`);
  }
  return {
    taskQueue: optionalString(o.taskQueue, where("taskQueue")),
    activityId: optionalString(o.activityId, where("activityId")),
    scheduleToCloseTimeout: durationOptionToTs(o.scheduleToCloseTimeout, where("scheduleToCloseTimeout")),
    scheduleToStartTimeout: durationOptionToTs(o.scheduleToStartTimeout, where("scheduleToStartTimeout")),
    startToCloseTimeout: durationOptionToTs(o.startToCloseTimeout, where("startToCloseTimeout")),
    heartbeatTimeout: durationOptionToTs(o.heartbeatTimeout, where("heartbeatTimeout")),
    localRetryThreshold: durationOptionToTs(o.localRetryThreshold, where("localRetryThreshold")),
    retryPolicy: o.retry === undefined || o.retry === null ? undefined : compileRetryPolicy(o.retry, where("retry")),
    cancellationType: activityCancellationTypeCodec.encode(o.cancellationType, where("cancellationType")) ?? 0,
    // As the official SDK: any truthy value allows eager dispatch, unset means allowed.
    doNotEagerlyExecute: !(o.allowEagerDispatch ?? true),
    versioningIntent: versioningIntentCodec.encode(o.versioningIntent, where("versioningIntent")) ?? 0,
    summary: o.summary,
    priority: o.priority === undefined || o.priority === null ? undefined : compilePriority(o.priority, where("priority")),
  };
}

/** The user metadata of a command whose options carry a `summary` (none when unset, as the official SDK). */
function summaryMetadata(summary: unknown): { summary: Payload } | undefined {
  return summary === undefined || summary === null ? undefined : { summary: getActivator().toPayload(summary) };
}

/**
 * The type and arguments of an activity call. The server refuses a command without an activity
 * type, and that refusal fails the workflow task again on every retry: a TypeError at the call
 * names the problem instead.
 */
function checkActivityCall(activityType: unknown, args: unknown, api: string): void {
  if (typeof activityType !== "string" || activityType === "") throw new TypeError(`${api}: activityType: expected a non-empty string, got ${describeValue(activityType)}`);
  if (!Array.isArray(args)) throw new TypeError(`${api}: args: expected an array of arguments, got ${describeValue(args)}`);
}

/** Schedule an activity by name. Prefer `proxyActivities`, which is typed. */
export function scheduleActivity<R>(activityType: string, args: unknown[], options: ActivityOptions): Promise<R> {
  return scheduleCompiledActivity<R>(activityType, args, options, compileActivityOptions(options, "scheduleActivity", false), "scheduleActivity");
}

/**
 * Through the outbound interceptors to ScheduleActivity. `compiled` is `options` checked at the
 * call; an interceptor that replaces `input.options` has its options checked and compiled anew.
 */
function scheduleCompiledActivity<R>(activityType: string, args: unknown[], options: ActivityOptions, compiled: CompiledActivityOptions, api: string): Promise<R> {
  checkActivityCall(activityType, args, api);
  const a = getActivator();
  const seq = a.nextSeq.activity++;
  const execute = composeInterceptors(a.interceptors.outbound, "scheduleActivity", (input: ActivityInput) =>
    scheduleActivityNextHandler(input, input.options === options ? compiled : compileActivityOptions(input.options, api, false)),
  );
  return execute({ activityType, headers: {}, options, args, seq }) as Promise<R>;
}

function scheduleActivityNextHandler({ activityType, args, headers, seq }: ActivityInput, options: CompiledActivityOptions): Promise<unknown> {
  const a = getActivator();
  const activityId = options.activityId ?? `${seq}`;
  return new Promise<unknown>((resolve, reject) => {
    const scope = CancellationScope.current();
    if (scope.consideredCancelled) {
      scope.cancelRequested.catch(reject);
      return;
    }
    if (scope.cancellable) {
      scope.cancelRequested.catch(() => {
        if (!a.completions.activity.has(seq)) return; // already resolved
        // Core answers with a resolveActivity job (cancelled) when the cancellation type says so.
        a.pushCommand({ variant: { case: "requestCancelActivity", value: { seq } } });
      });
    }
    a.pushCommand({
      variant: {
        case: "scheduleActivity",
        value: {
          seq,
          activityId,
          activityType,
          taskQueue: options.taskQueue || a.info!.taskQueue,
          arguments: args.map((v) => a.toPayload(v)),
          scheduleToCloseTimeout: options.scheduleToCloseTimeout,
          scheduleToStartTimeout: options.scheduleToStartTimeout,
          startToCloseTimeout: options.startToCloseTimeout,
          heartbeatTimeout: options.heartbeatTimeout,
          retryPolicy: options.retryPolicy,
          cancellationType: options.cancellationType,
          doNotEagerlyExecute: options.doNotEagerlyExecute,
          versioningIntent: options.versioningIntent,
          priority: options.priority,
          headers,
        },
      },
      userMetadata: summaryMetadata(options.summary),
    });
    a.completions.activity.set(seq, { resolve, reject, stack: a.captureStack() });
  });
}

// async, as the official attempt function is: awaiting it takes the same number of microtask
// ticks on both SDKs, so racing branches produce their commands in the same order.
async function scheduleLocalActivityNextHandler(
  { activityType, args, headers, seq, attempt, originalScheduleTime }: LocalActivityInput,
  options: CompiledActivityOptions,
): Promise<unknown> {
  const a = getActivator();
  // As official: a local activity this worker cannot run fails at the call (a ReferenceError,
  // so the workflow task fails and is retried, e.g. by a worker that has it), unless replaying.
  const registered = a.options.registeredActivityNames;
  if (registered && !a.isReplaying && !registered.has(activityType) && !registered.has("default")) {
    return Promise.reject(new ReferenceError(`Local activity of type '${activityType}' not registered on worker`));
  }
  return new Promise((resolve, reject) => {
    const scope = CancellationScope.current();
    if (scope.consideredCancelled) {
      scope.cancelRequested.catch(reject);
      return;
    }
    if (scope.cancellable) {
      scope.cancelRequested.catch(() => {
        if (!a.completions.activity.has(seq)) return;
        a.pushCommand({ variant: { case: "requestCancelLocalActivity", value: { seq } } });
      });
    }
    a.pushCommand({
      variant: {
        case: "scheduleLocalActivity",
        value: {
          seq,
          activityId: `${seq}`,
          activityType,
          attempt,
          originalScheduleTime: originalScheduleTime as undefined,
          arguments: args.map((v) => a.toPayload(v)),
          scheduleToCloseTimeout: options.scheduleToCloseTimeout,
          scheduleToStartTimeout: options.scheduleToStartTimeout,
          startToCloseTimeout: options.startToCloseTimeout,
          localRetryThreshold: options.localRetryThreshold,
          retryPolicy: options.retryPolicy,
          cancellationType: options.cancellationType,
          headers,
        },
      },
      userMetadata: summaryMetadata(options.summary),
    });
    a.completions.activity.set(seq, { resolve, reject, stack: a.captureStack() });
  });
}

/** Schedule a local activity by name; backs off on a durable timer when core asks for it. */
export function scheduleLocalActivity<R>(activityType: string, args: unknown[], options: LocalActivityOptions): Promise<R> {
  return scheduleCompiledLocalActivity<R>(activityType, args, options, compileActivityOptions(options, "scheduleLocalActivity", true), "scheduleLocalActivity");
}

/** Each attempt through the outbound interceptors (a new seq each, as official); backs off on a timer when core asks. */
async function scheduleCompiledLocalActivity<R>(activityType: string, args: unknown[], options: LocalActivityOptions, compiled: CompiledActivityOptions, api: string): Promise<R> {
  checkActivityCall(activityType, args, api);
  const a = getActivator();
  let attempt = 1;
  let originalScheduleTime: LocalActivityInput["originalScheduleTime"] = undefined;
  for (;;) {
    const seq = a.nextSeq.activity++;
    const execute = composeInterceptors(a.interceptors.outbound, "scheduleLocalActivity", (input: LocalActivityInput) =>
      scheduleLocalActivityNextHandler(input, input.options === options ? compiled : compileActivityOptions(input.options, api, true)),
    );
    try {
      return (await execute({ activityType, headers: {}, options, args, seq, attempt, originalScheduleTime })) as R;
    } catch (err) {
      if (!(err instanceof LocalActivityDoBackoff)) throw err;
      await sleep(err.backoffMs);
      attempt = err.attempt;
      originalScheduleTime = err.originalScheduleTime as LocalActivityInput["originalScheduleTime"];
    }
  }
}

/**
 * Typed stubs for activities: `const { greet } = proxyActivities<typeof activities>({ startToCloseTimeout: "1m" })`.
 * Import the activities module with `import type` so it is not bundled. The options are
 * checked here (a bad one throws a TypeError/ValueError naming it) and at each call.
 */
export function proxyActivities<A = UntypedActivities>(options: ActivityOptions): ActivityInterfaceFor<A> {
  // Checked now, for immediate feedback; compiled again at each call, as official, so changes
  // made to the options object later are seen (and checked) too.
  compileActivityOptions(options, "proxyActivities", false);
  return new Proxy({} as ActivityInterfaceFor<A>, {
    get(_, activityType) {
      if (typeof activityType !== "string") throw new TypeError(`Only strings are supported for activity types, got: ${String(activityType)}`);
      return (...args: unknown[]) => scheduleCompiledActivity(activityType, args, options, compileActivityOptions(options, "proxyActivities", false), "proxyActivities");
    },
  });
}

export function proxyLocalActivities<A = UntypedActivities>(options: LocalActivityOptions): ActivityInterfaceFor<A> {
  compileActivityOptions(options, "proxyLocalActivities", true);
  return new Proxy({} as ActivityInterfaceFor<A>, {
    get(_, activityType) {
      if (typeof activityType !== "string") throw new TypeError(`Only strings are supported for activity types, got: ${String(activityType)}`);
      return (...args: unknown[]) => scheduleCompiledLocalActivity(activityType, args, options, compileActivityOptions(options, "proxyLocalActivities", true), "proxyLocalActivities");
    },
  });
}

function conditionInner(fn: () => boolean): Promise<void> {
  const a = getActivator();
  return new Promise<void>((resolve, reject) => {
    const scope = CancellationScope.current();
    if (scope.consideredCancelled) {
      scope.cancelRequested.catch(reject);
      return;
    }
    const seq = a.nextSeq.condition++;
    if (scope.cancellable) {
      scope.cancelRequested.catch((err) => {
        a.blockedConditions.delete(seq);
        reject(err);
      });
    }
    if (fn()) {
      resolve();
      return;
    }
    a.blockedConditions.set(seq, { fn, resolve, stack: a.captureStack() });
  });
}

/** The official SDK's patch for `condition(fn, 0)` (before 1.5.0 it meant "no timeout"). */
const CONDITION_0_PATCH = "__sdk_internal_patch_number:1";

/**
 * Wait until `fn()` is true (checked after every change of state in an activation).
 * With a timeout: resolves true when `fn()` became true, false when the timeout passed.
 * `options.summary` is the timer's summary (user metadata), as official.
 */
export function condition(fn: () => boolean, timeout: Duration, options: TimerOptions): Promise<boolean>;
export function condition(fn: () => boolean, timeout: Duration): Promise<boolean>;
export function condition(fn: () => boolean): Promise<void>;
export async function condition(fn: () => boolean, timeout?: Duration, options?: TimerOptions): Promise<void | boolean> {
  if (typeof fn !== "function") throw new TypeError(`condition: expected a function returning a boolean as the first argument, got ${describeValue(fn)}`);
  // As official: a timeout of 0 sets the SDK-internal patch marker (replays of histories made
  // before the patch treat 0 as no timeout), so the commands match the official SDK's.
  if (timeout === 0 && !patched(CONDITION_0_PATCH)) return conditionInner(fn);
  if (typeof timeout !== "number" && typeof timeout !== "string") return conditionInner(fn);
  return CancellationScope.cancellable(async () => {
    try {
      return await Promise.race([sleep(timeout, options).then(() => false), conditionInner(fn).then(() => true)]);
    } finally {
      CancellationScope.current().cancel();
    }
  });
}

/** A handler name is a string (a number or an object would only fail later, far from the definition). */
function checkDefinitionName(name: unknown, api: string): void {
  if (typeof name !== "string") throw new TypeError(`${api}: name: expected a string, got ${describeValue(name)}`);
}

/** A signal definition; `options` (the official SignalDefinitionOptions) are kept on it, as official. */
export function defineSignal<Args extends unknown[] = [], Name extends string = string>(name: Name, options: SignalDefinitionOptions = {}): SignalDefinition<Args, Name> {
  checkDefinitionName(name, "defineSignal");
  return { type: "signal", name, ...options } as SignalDefinition<Args, Name>;
}

/** A query definition; `options` (the official QueryDefinitionOptions) are kept on it, as official. */
export function defineQuery<Ret, Args extends unknown[] = [], Name extends string = string>(name: Name, options: QueryDefinitionOptions = {}): QueryDefinition<Ret, Args, Name> {
  checkDefinitionName(name, "defineQuery");
  return { type: "query", name, ...options } as QueryDefinition<Ret, Args, Name>;
}

/** An update definition; `options` (the official UpdateDefinitionOptions) are kept on it, as official. */
export function defineUpdate<Ret, Args extends unknown[] = [], Name extends string = string>(name: Name, options: UpdateDefinitionOptions = {}): UpdateDefinition<Ret, Args, Name> {
  checkDefinitionName(name, "defineUpdate");
  return { type: "update", name, ...options } as UpdateDefinition<Ret, Args, Name>;
}

/** The built-in queries' definitions, as official (e.g. `handle.query(stackTraceQuery)` from a client). */
export const stackTraceQuery = defineQuery<string>(STACK_TRACE_QUERY_NAME);
export const enhancedStackTraceQuery = defineQuery<EnhancedStackTrace>(ENHANCED_STACK_TRACE_QUERY_NAME);
export const workflowMetadataQuery = defineQuery<unknown>(WORKFLOW_METADATA_QUERY_NAME);

/** Reserved names the official SDK lets its own packages use (@temporalio/workflow-streams), by kind. */
const RESERVED_NAME_ALLOWLIST: ReadonlyMap<string, string> = new Map([
  ["__temporal_workflow_stream_publish", "signal"],
  ["__temporal_workflow_stream_offset", "query"],
]);

/** As official: handler names starting `__temporal_`, and the stack trace query names, are the SDK's. */
function throwIfReservedName(type: string, name: string): void {
  if (name.startsWith(TEMPORAL_RESERVED_PREFIX) && RESERVED_NAME_ALLOWLIST.get(name) !== type) {
    throw new TypeError(`Cannot use ${type} name: '${name}', with reserved prefix: '${TEMPORAL_RESERVED_PREFIX}'`);
  }
  if (name === STACK_TRACE_QUERY_NAME || name === ENHANCED_STACK_TRACE_QUERY_NAME) {
    throw new TypeError(`Cannot use ${type} name: '${name}', which is a reserved name`);
  }
}

/**
 * Set (or, with `undefined`, remove) the handler of an update, signal or query.
 * `options.description` is reported by the `__temporal_workflow_metadata` query; an update's
 * or signal's `unfinishedPolicy` is kept with it (official default WARN_AND_ABANDON); an
 * update's `validator` runs before the update is accepted (throwing rejects it).
 */
export function setHandler<Args extends unknown[], Name extends string>(
  def: SignalDefinition<Args, Name>,
  handler: ((...args: Args) => void | Promise<void>) | undefined,
  options?: SignalHandlerOptions,
): void;
export function setHandler<Ret, Args extends unknown[], Name extends string>(
  def: QueryDefinition<Ret, Args, Name>,
  handler: ((...args: Args) => Ret) | undefined,
  options?: QueryHandlerOptions,
): void;
export function setHandler<Ret, Args extends unknown[], Name extends string>(
  def: UpdateDefinition<Ret, Args, Name>,
  handler: ((...args: NoInfer<Args>) => Ret | Promise<Ret>) | undefined,
  options?: UpdateHandlerOptions<NoInfer<Args>>,
): void;
export function setHandler(
  def: UpdateDefinition<unknown, unknown[]> | SignalDefinition<unknown[]> | QueryDefinition<unknown, unknown[]>,
  handler: ((...args: unknown[]) => unknown) | undefined,
  options?: UpdateHandlerOptions<unknown[]> | SignalHandlerOptions | QueryHandlerOptions,
): void {
  const a = getActivator();
  throwIfReservedName(def.type, def.name);
  // Not checked, as official: the description is reported as given.
  const description = options?.description;
  const notAFunction = () => new TypeError(`Expected handler to be either a function or 'undefined'. Got: '${typeof handler}'`);
  if (def.type === "update") {
    if (typeof handler === "function") {
      const o = options as UpdateHandlerOptions<unknown[]> | undefined;
      const validator = o?.validator;
      if (validator !== undefined && validator !== null && typeof validator !== "function") {
        throw new TypeError(`setHandler option validator: expected a function, got ${describeValue(validator)}`);
      }
      a.updateHandlers.set(def.name, { handler, validator: validator ?? undefined, description, unfinishedPolicy: o?.unfinishedPolicy ?? "WARN_AND_ABANDON" });
      a.dispatchBufferedUpdates();
    } else if (handler === undefined || handler === null) a.updateHandlers.delete(def.name);
    else throw notAFunction();
  } else if (def.type === "signal") {
    if (typeof handler === "function") {
      const unfinishedPolicy = (options as SignalHandlerOptions | undefined)?.unfinishedPolicy ?? "WARN_AND_ABANDON";
      a.signalHandlers.set(def.name, { handler, description, unfinishedPolicy });
      a.flushBufferedSignals();
    } else if (handler === undefined || handler === null) a.signalHandlers.delete(def.name);
    else throw notAFunction();
  } else if (def.type === "query") {
    if (typeof handler === "function") a.queryHandlers.set(def.name, { handler, description });
    else if (handler === undefined || handler === null) a.queryHandlers.delete(def.name);
    else throw notAFunction();
  } else {
    throw new TypeError(`Invalid definition type: ${(def as { type: string }).type}`);
  }
}

/** Handler for signals that have no handler of their own (receives the name first). */
export function setDefaultSignalHandler(handler: DefaultSignalHandler | undefined): void {
  const a = getActivator();
  if (typeof handler === "function") {
    a.defaultSignalHandler = handler;
    a.flushBufferedSignals();
  } else if (handler === undefined || handler === null) a.defaultSignalHandler = undefined;
  else throw new TypeError(`Expected handler to be either a function or 'undefined'. Got: '${typeof handler}'`);
}

/**
 * Handler for updates that have no handler of their own (receives the name first); buffered
 * updates are dispatched to it in arrival order, as official.
 */
export function setDefaultUpdateHandler(handler: DefaultUpdateHandler | undefined): void {
  const a = getActivator();
  if (typeof handler === "function") {
    a.defaultUpdateHandler = handler;
    a.dispatchBufferedUpdates();
  } else if (handler === undefined || handler === null) a.defaultUpdateHandler = undefined;
  else throw new TypeError(`Expected handler to be either a function or 'undefined'. Got: '${typeof handler}'`);
}

/** The update whose handler (or validator) is running here, through its awaits; undefined elsewhere. */
export function currentUpdateInfo(): UpdateInfo | undefined {
  return getActivator().currentUpdateInfo();
}

/** Handler for queries that have no handler of their own (receives the name first). */
export function setDefaultQueryHandler(handler: DefaultQueryHandler | undefined): void {
  getActivator().defaultQueryHandler = handler;
}

/**
 * True when no signal or update handler execution is still running, as official:
 * `await condition(allHandlersFinished)` before returning lets handlers finish.
 */
export function allHandlersFinished(): boolean {
  const a = getActivator();
  return a.inProgressSignals.size === 0 && a.inProgressUpdates.size === 0;
}

/** The workflow's current details (`setCurrentDetails`), '' until set, as official. */
export function getCurrentDetails(): string {
  return getActivator().currentDetails;
}

/**
 * Sets the workflow's current details (a string, e.g. Markdown), reported by the
 * `__temporal_workflow_metadata` query (the UI shows them), as official.
 */
export function setCurrentDetails(details: string): void {
  getActivator().currentDetails = details;
}

/**
 * A function that continues this workflow as new with the given options. The options are
 * checked here (TypeError/ValueError naming the option), not when the function is called.
 */
export function makeContinueAsNewFunc<F extends Workflow>(options?: ContinueAsNewOptions): (...args: Parameters<F>) => Promise<never> {
  const a = getActivator();
  const info = a.info!;
  if (options !== undefined && options !== null && (typeof options !== "object" || Array.isArray(options))) {
    throw new TypeError(`continueAsNew: expected an options object, got ${describeValue(options)}`);
  }
  // As official: the type and task queue default to this run's; interceptors see these options.
  const { workflowType, taskQueue, ...rest } = (options ?? {}) as ContinueAsNewOptions;
  const requiredOptions: ContinueAsNewInputOptions = { workflowType: workflowType ?? info.workflowType, taskQueue: taskQueue ?? info.taskQueue, ...rest };
  const compiled = compileContinueAsNewOptions(a, requiredOptions);
  // Not async, as official: the composed call returns a promise rejected with ContinueAsNew
  // (code after the call runs until the promise is awaited).
  return (...args: Parameters<F>): Promise<never> => {
    const execute = composeInterceptors(a.interceptors.outbound, "continueAsNew", async (input: ContinueAsNewInput): Promise<never> => {
      const c = input.options === requiredOptions ? compiled : compileContinueAsNewOptions(a, input.options);
      throw new ContinueAsNew({ ...c, arguments: input.args.map((v) => a.toPayload(v)), headers: input.headers });
    });
    return execute({ args, headers: {}, options: requiredOptions });
  };
}

/** Continue-as-new options checked (TypeError/ValueError naming the option) and turned into the command's fields. */
function compileContinueAsNewOptions(a: ReturnType<typeof getActivator>, options: ContinueAsNewInputOptions) {
  const api = "continueAsNew";
  const o = options as unknown as Record<string, unknown>;
  checkOptions({ name: `${api} options`, supported: CONTINUE_AS_NEW_OPTIONS, officialOnly: CONTINUE_AS_NEW_OPTIONS_OFFICIAL_ONLY }, o, warnOption);
  const where = (key: string) => `${api} option ${key}`;
  const memo = optionalRecord(o.memo, where("memo"));
  return {
    workflowType: optionalString(o.workflowType, where("workflowType")) ?? a.info!.workflowType,
    taskQueue: optionalString(o.taskQueue, where("taskQueue")) ?? a.info!.taskQueue,
    workflowRunTimeout: durationOptionToTs(o.workflowRunTimeout, where("workflowRunTimeout")),
    workflowTaskTimeout: durationOptionToTs(o.workflowTaskTimeout, where("workflowTaskTimeout")),
    retryPolicy: o.retry === undefined || o.retry === null ? undefined : compileRetryPolicy(o.retry, where("retry")),
    versioningIntent: versioningIntentCodec.encode(o.versioningIntent, where("versioningIntent")) ?? 0,
    memo: memo ? (Object.fromEntries(Object.entries(memo).map(([k, v]) => [k, a.toPayload(v)])) as Record<string, Payload>) : {},
    // Both forms in one map, typed winning, as official (src/common/search-attributes.ts); bad values are a ValueError here.
    searchAttributes:
      o.searchAttributes || o.typedSearchAttributes
        ? { indexedFields: encodeUnifiedSearchAttributes(o.searchAttributes as ContinueAsNewOptions["searchAttributes"], o.typedSearchAttributes as ContinueAsNewOptions["typedSearchAttributes"]) }
        : undefined,
  };
}

/** Continue this workflow as new (same type and task queue) with `args`; never returns. */
export function continueAsNew<F extends Workflow>(...args: Parameters<F>): Promise<never> {
  return makeContinueAsNewFunc<F>()(...args);
}

/**
 * True when this run should take the new code path. A new run records a marker and takes it;
 * a replay takes it only if the history has that marker.
 */
export function patched(patchId: string): boolean {
  return getActivator().patch(patchId, false);
}

/** Once every run that could take the old path is closed, mark the patch deprecated. */
export function deprecatePatch(patchId: string): void {
  getActivator().patch(patchId, true);
}

/** A random v4 UUID, deterministic for this run (seeded like Math.random). */
export function uuid4(): string {
  // Module top-level code runs before the activator exists; Math.random() is then already the
  // run's stream (as in the official SDK, where top-level uuid4() works too).
  const activator = maybeGetActivator();
  return activator ? activator.uuid4() : uuid4FromRandom(Math.random);
}
