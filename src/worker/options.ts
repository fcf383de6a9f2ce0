/**
 * `Worker.create` options: the zod schema (errors name the option), the defaults, and the
 * compiled form the worker and the native bridge use.
 */
import { constants as osConstants, totalmem } from "node:os";
import { z } from "zod";
import { msToNumber, sortOptions, type DataConverter, type Duration, type LoadedDataConverter } from "../common/index.js";
import { loadDataConverterWithModules } from "../common/converter-module.js";
import { describeValue } from "../common/enums.js";
import type { NativeWorkerOptions } from "../bridge/index.js";
import { checkWorkflowBundleOption, type WorkflowBundleOption } from "./workflow/index.js";
import { WorkerOptionsError } from "./errors.js";
import type { ActivityInboundCallsInterceptorFactory, ActivityInterceptorsFactory, WorkerInterceptors } from "./interceptors.js";
import { checkSinks, type InjectedSinks } from "./sinks.js";
import type { Sinks } from "../workflow/interceptors.js";

/** A number of milliseconds, or an ms-style string ("30s", "5 minutes"): src/common's Duration. */
export type { Duration } from "../common/index.js";

/** Anything with the bridge client and the Runtime: a client `Connection` / `NativeConnection`. */
export interface WorkerConnection {
  readonly nativeClient: import("../bridge/index.js").NativeClient;
  readonly runtime: import("../runtime/index.js").Runtime;
  close(): Promise<void>;
}

export interface WorkerOptions {
  /** Default: a connection to TEMPORAL_ADDRESS or localhost:7233, owned (and closed) by the worker. */
  connection?: WorkerConnection;
  /** Default "default". */
  namespace?: string;
  taskQueue: string;
  /** Module exporting the workflow functions; bundled with Bun.build at create time. */
  workflowsPath?: string;
  /**
   * A prebuilt bundle (instead of workflowsPath), as in @temporalio/worker: `{ codePath }` (a
   * file holding `(await bundleWorkflowCode(…)).code`) or `{ code }` (bundleWorkflowCode's
   * result itself works). Only bundles made by this SDK's bundleWorkflowCode are accepted.
   */
  workflowBundle?: WorkflowBundleOption;
  /** Modules replaced by an empty module when bundling workflowsPath (type-only imports). */
  bundlerIgnoreModules?: string[];
  /** Activity functions by activity type name. */
  /** Activity functions by type name; a module namespace works (non-functions are ignored). */
  activities?: object;
  identity?: string;
  buildId?: string;
  maxCachedWorkflows?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  maxConcurrentActivityTaskExecutions?: number;
  maxConcurrentLocalActivityExecutions?: number;
  maxConcurrentWorkflowTaskPolls?: number;
  maxConcurrentActivityTaskPolls?: number;
  /**
   * Activity slots a workflow task completion may reserve for activities the server then hands
   * back in its response (eager activity dispatch, when the server enables it), sparing an
   * activity poll. 0 disables it. Default 3, as official.
   */
  maxEagerActivityReservationsPerWorkflowTask?: number;
  maxActivitiesPerSecond?: number;
  maxTaskQueueActivitiesPerSecond?: number;
  /** Time running activities get after shutdown begins before they are cancelled. Default 0. */
  shutdownGraceTime?: Duration;
  /** If set: run() fails with GracefulShutdownPeriodExpiredError when draining takes longer. */
  shutdownForceTime?: Duration;
  stickyQueueScheduleToStartTimeout?: Duration;
  maxHeartbeatThrottleInterval?: Duration;
  defaultHeartbeatThrottleInterval?: Duration;
  /** An activation running longer fails the workflow task (deadlock detection). Default 5 s, as in the official SDK. */
  isolateExecutionTimeout?: Duration;
  /** Send the user's source files with `__enhanced_stack_trace` answers (official option). Default false. */
  showStackTraceSources?: boolean;
  /**
   * Payload converter / failure converter / codecs (src/common's DataConverter); codecs run over
   * every activation, completion, activity task and heartbeat. `payloadConverterPath` /
   * `failureConverterPath` are loaded here for activities and bundled into the workflow code
   * when the worker bundles `workflowsPath` (a prebuilt bundle carries its own).
   */
  dataConverter?: DataConverter;
  /**
   * `activity`: activity interceptor factories, called per attempt (src/worker/interceptors.ts);
   * `activityInbound` (deprecated, as official) is placed before them.
   */
  interceptors?: WorkerInterceptors;
  /**
   * Functions workflow code calls through `proxySinks()`, delivered after each activation
   * (src/worker/sinks.ts): `{ [sinkName]: { [fnName]: { fn(info, ...args), callDuringReplay? } } }`.
   */
  sinks?: InjectedSinks<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Signals that start a graceful shutdown while run() is active (a second one exits). Default SIGINT, SIGTERM. */
  shutdownSignals?: NodeJS.Signals[];
  enableNonLocalActivities?: boolean;
}

/**
 * Defaults, chosen from measurements (docs/worker-runtime.md, bench/worker.ts):
 * - cache: a cached run costs ~24 KB of JS heap in the sandbox plus core's copy of its state
 *   (bench/worker.ts measures ≈ 50–100 KB RSS per cached sample run end to end). We allow a
 *   quarter of physical memory at a conservative 256 KB per run, clamped to [100, 10 000].
 * - workflow slots and pollers: the official SDK's — 40 workflow task slots, and
 *   min(10, slots) pollers of each kind. An earlier default scaled them with the cores (20 slots,
 *   4 + 4 pollers on 2 cores) on the idea that the one JS thread could not serve more; the
 *   live-path counters (docs/benchmarks.md, "The live-path stall") show it ≈ 5 % busy under
 *   load, while 4 workflow pollers meant a single poll of the normal task queue (core gives it
 *   20 % of them, at least 1): every new workflow's first task waited for that one long poll.
 * - activity slots: activities are usually I/O-bound; 100 as in the official SDKs.
 */
export function defaultCacheSize(totalMemoryBytes = totalmem()): number {
  const perRunBytes = 256 * 1024;
  return Math.min(10_000, Math.max(100, Math.floor(totalMemoryBytes / 4 / perRunBytes)));
}

/** The official default of maxConcurrentWorkflowTaskExecutions (without a tuner). */
export function defaultWorkflowSlots(): number {
  return 40;
}

/** The official default of maxConcurrentWorkflowTaskPolls / …ActivityTaskPolls: min(10, that kind's slots). */
export function defaultPollers(slots = 40): number {
  return Math.min(10, slots);
}

const durationMs = (option: string) =>
  z.union([z.number(), z.string()]).transform((value, ctx) => {
    try {
      const ms = msToNumber(value as never);
      if (!Number.isFinite(ms) || ms < 0) throw new Error("negative");
      return ms;
    } catch {
      ctx.addIssue({ code: "custom", message: `${option} must be a non-negative number of ms or a duration string like "10s", got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
  });

const positiveInt = z.number().int().min(1);

/** Why `name` cannot be a shutdown signal (undefined when it can). */
function shutdownSignalProblem(name: string): string | undefined {
  if (name === "SIGKILL" || name === "SIGSTOP") return `${name} cannot be caught, so it cannot start a graceful shutdown`;
  if (Object.hasOwn(osConstants.signals, name)) return undefined;
  const near = Object.keys(osConstants.signals).find((s) => s === `SIG${name.toUpperCase()}` || s === name.toUpperCase());
  return `unknown signal ${JSON.stringify(name)}${near ? ` (did you mean '${near}'?)` : ""}: expected a signal name such as SIGINT, SIGTERM, SIGHUP, SIGUSR2`;
}

/** An interceptor factory entry: a function (its result is checked per attempt, where a bad one fails that attempt). */
const factory = <T>(expected: string) =>
  z.custom<T>((v) => typeof v === "function", { error: (issue) => `expected a function (${expected}), got ${describeValue(issue.input)}` });

const schema = z.strictObject({
  connection: z
    .custom<WorkerConnection>((v) => typeof v === "object" && v !== null && "nativeClient" in v && "runtime" in v, {
      message: "expected a Connection (from Connection.connect / NativeConnection.connect)",
    })
    .optional(),
  namespace: z.string().min(1).default("default"),
  taskQueue: z.string().min(1, "taskQueue is required and must not be empty"),
  workflowsPath: z.string().min(1).optional(),
  // Read and checked (header, SDK version) by Worker.create; here only the shape.
  workflowBundle: z
    .custom<WorkflowBundleOption>()
    .superRefine((v, ctx) => {
      const problem = checkWorkflowBundleOption(v);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .optional(),
  bundlerIgnoreModules: z.array(z.string()).optional(),
  // A module namespace is the usual value: non-function exports are ignored (as in @temporalio/worker).
  activities: z
    .custom<Record<string, unknown>>((v) => typeof v === "object" && v !== null, { message: "expected an object (or module) of activity functions" })
    .default({})
    .transform((v) => Object.fromEntries(Object.entries(v).filter(([, f]) => typeof f === "function")) as Record<string, (...args: unknown[]) => unknown>),
  identity: z.string().min(1).optional(),
  buildId: z.string().min(1).optional(),
  maxCachedWorkflows: z.number().int().min(0).optional(),
  maxConcurrentWorkflowTaskExecutions: positiveInt.optional(),
  maxConcurrentActivityTaskExecutions: positiveInt.optional(),
  maxConcurrentLocalActivityExecutions: positiveInt.optional(),
  maxConcurrentWorkflowTaskPolls: positiveInt.optional(),
  maxConcurrentActivityTaskPolls: positiveInt.optional(),
  maxEagerActivityReservationsPerWorkflowTask: z.number().int().min(0).max(2 ** 32 - 1).default(3),
  maxActivitiesPerSecond: z.number().positive().optional(),
  maxTaskQueueActivitiesPerSecond: z.number().positive().optional(),
  shutdownGraceTime: durationMs("shutdownGraceTime").default(0),
  shutdownForceTime: durationMs("shutdownForceTime").optional(),
  stickyQueueScheduleToStartTimeout: durationMs("stickyQueueScheduleToStartTimeout").default(10_000),
  maxHeartbeatThrottleInterval: durationMs("maxHeartbeatThrottleInterval").default(60_000),
  defaultHeartbeatThrottleInterval: durationMs("defaultHeartbeatThrottleInterval").default(30_000),
  isolateExecutionTimeout: durationMs("isolateExecutionTimeout").default(5_000),
  showStackTraceSources: z.boolean().default(false),
  // Checked in full by src/common's loadDataConverter (in parseWorkerOptions).
  dataConverter: z.custom<DataConverter>((v) => typeof v === "object" && v !== null, "expected a DataConverter object").optional(),
  interceptors: z
    .strictObject({
      activity: z.array(factory<ActivityInterceptorsFactory>("ActivityInterceptorsFactory, (ctx) => ({ inbound?, outbound? })")).optional(),
      activityInbound: z.array(factory<ActivityInboundCallsInterceptorFactory>("ActivityInboundCallsInterceptorFactory, (ctx) => interceptor")).optional(),
      workflowModules: z.array(z.string().min(1, "expected a module path")).optional(),
    })
    .optional(),
  // Checked by checkSinks (src/worker/sinks.ts), which names the bad entry.
  sinks: z
    .custom<InjectedSinks<Sinks>>((v) => checkSinks(v) === undefined, { error: (issue) => checkSinks(issue.input) ?? "invalid sinks" })
    .optional(),
  // A name the OS does not know would be an ordinary event name to process.on: never delivered.
  shutdownSignals: z
    .array(
      z.string().superRefine((v, ctx) => {
        const problem = shutdownSignalProblem(v);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
    )
    .default(["SIGINT", "SIGTERM"]),
  enableNonLocalActivities: z.boolean().default(true),
});

export type ParsedWorkerOptions = Omit<z.output<typeof schema>, "dataConverter"> & {
  /** With src/common's defaults filled in and the converter modules loaded. */
  dataConverter: LoadedDataConverter;
  /** The module paths, for bundling workflowsPath with them. */
  converterPaths: { payloadConverterPath?: string; failureConverterPath?: string };
  maxCachedWorkflows: number;
  maxConcurrentWorkflowTaskExecutions: number;
  maxConcurrentActivityTaskExecutions: number;
  maxConcurrentLocalActivityExecutions: number;
  maxConcurrentWorkflowTaskPolls: number;
  maxConcurrentActivityTaskPolls: number;
};

/**
 * Options of the official WorkerOptions 1.24 that this Worker does not implement: they warn
 * once (src/common/option-check.ts) and have no effect, instead of failing code that runs on
 * the official SDK. Options unknown to both stay a WorkerOptionsError (the schema is strict).
 */
const OFFICIAL_ONLY_OPTIONS = [
  "useVersioning",
  "workerDeploymentOptions",
  "patchActivationCallback",
  "nexusServices",
  "tuner",
  "maxConcurrentNexusTaskExecutions",
  "disablePayloadErrorLimit",
  "nonStickyToStickyPollRatio",
  "workflowTaskPollerBehavior",
  "activityTaskPollerBehavior",
  "nexusTaskPollerBehavior",
  "maxConcurrentNexusTaskPolls",
  "workflowThreadPoolSize",
  "plugins",
  "workflowFailureErrorTypes",
  "enableSDKTracing",
  "debugMode",
  "bundlerOptions",
];
// `client`: the official worker hands activities a Client (`Context.client`) that these intercept; ours has none.
const OFFICIAL_ONLY_INTERCEPTORS = ["nexus", "client"];

/** `options` without the official-only options (warned about through the connection's logger, else the console). */
function withoutOfficialOnlyOptions(options: WorkerOptions): WorkerOptions {
  const logger = (options as { connection?: Partial<WorkerConnection> }).connection?.runtime?.logger;
  const warn = (message: string) => (logger ? logger.warn(message, { sdkComponent: "worker" }) : console.warn(message));
  const shape = { name: "WorkerOptions", supported: Object.keys(schema.shape), officialOnly: OFFICIAL_ONLY_OPTIONS };
  const { ignored } = sortOptions(shape, options, warn);
  const copy: Record<string, unknown> = { ...options };
  for (const key of ignored) delete copy[key];
  // An official-only option set to undefined is no option at all (the strict schema would call it unknown).
  for (const key of OFFICIAL_ONLY_OPTIONS) if (copy[key] === undefined) delete copy[key];
  const interceptors = copy.interceptors;
  if (interceptors !== null && typeof interceptors === "object" && !Array.isArray(interceptors)) {
    const sub = { name: "WorkerOptions.interceptors", supported: ["activity", "activityInbound", "workflowModules"], officialOnly: OFFICIAL_ONLY_INTERCEPTORS };
    const inner = sortOptions(sub, interceptors, warn).ignored;
    if (inner.length > 0) copy.interceptors = Object.fromEntries(Object.entries(interceptors).filter(([k]) => !inner.includes(k)));
  }
  return copy as unknown as WorkerOptions;
}

/** Validates and fills defaults; throws WorkerOptionsError naming the first bad option. */
export function parseWorkerOptions(options: WorkerOptions): ParsedWorkerOptions {
  if (typeof options !== "object" || options === null) throw new WorkerOptionsError("options", "Worker.create needs an options object");
  const result = schema.safeParse(withoutOfficialOnlyOptions(options));
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const option =
      issue.code === "unrecognized_keys" ? issue.keys.join(", ") : issue.path.length > 0 ? issue.path.map(String).join(".") : "options";
    const message = issue.code === "unrecognized_keys" ? "unknown option (not supported by temporal-bun-sdk's Worker)" : issue.message;
    throw new WorkerOptionsError(option, message);
  }
  const o = result.data;
  // workflowsPath beside workflowBundle: ignored with a warning, as the official worker does (Worker.create).
  const hasWorkflows = o.workflowsPath !== undefined || o.workflowBundle !== undefined;
  const hasActivities = o.enableNonLocalActivities && Object.keys(o.activities).length > 0;
  if (!hasWorkflows && !hasActivities) {
    throw new WorkerOptionsError("workflowsPath", "the worker has nothing to do: pass workflowsPath (or workflowBundle) and/or activities");
  }
  let dataConverter: LoadedDataConverter;
  try {
    dataConverter = loadDataConverterWithModules(o.dataConverter);
  } catch (err) {
    // src/common's messages start with the option path: "dataConverter.payloadCodecs[0]: expected …".
    const text = err instanceof Error ? err.message : String(err);
    const m = /^(dataConverter[^:\s]*): (.*)$/s.exec(text);
    throw new WorkerOptionsError(m?.[1] ?? "dataConverter", m?.[2] ?? text);
  }
  const parsed: ParsedWorkerOptions = {
    ...o,
    dataConverter,
    converterPaths: { payloadConverterPath: o.dataConverter?.payloadConverterPath, failureConverterPath: o.dataConverter?.failureConverterPath },
    maxCachedWorkflows: o.maxCachedWorkflows ?? defaultCacheSize(),
    maxConcurrentWorkflowTaskExecutions: o.maxConcurrentWorkflowTaskExecutions ?? defaultWorkflowSlots(),
    maxConcurrentActivityTaskExecutions: o.maxConcurrentActivityTaskExecutions ?? 100,
    maxConcurrentLocalActivityExecutions: o.maxConcurrentLocalActivityExecutions ?? 100,
    maxConcurrentWorkflowTaskPolls: o.maxConcurrentWorkflowTaskPolls ?? defaultPollers(o.maxConcurrentWorkflowTaskExecutions ?? defaultWorkflowSlots()),
    maxConcurrentActivityTaskPolls: o.maxConcurrentActivityTaskPolls ?? defaultPollers(o.maxConcurrentActivityTaskExecutions ?? 100),
  };
  if (parsed.maxCachedWorkflows > 0 && parsed.maxConcurrentWorkflowTaskExecutions > Math.max(2, parsed.maxCachedWorkflows)) {
    // Core needs a cache slot for every workflow task it hands out, but never fewer than 2
    // task slots: with a cache it polls the sticky and the normal queue, each poll holding a
    // slot (core caps its slots at max(2, cache size)). With 1 slot the sticky poll holds it
    // and work on the normal queue is never picked up (seen with maxCachedWorkflows: 1).
    parsed.maxConcurrentWorkflowTaskExecutions = Math.max(2, parsed.maxCachedWorkflows);
  }
  return parsed;
}

/** The options core gets through the bridge. */
export function nativeWorkerOptions(o: ParsedWorkerOptions, hasWorkflows: boolean): NativeWorkerOptions {
  const hasActivities = Object.keys(o.activities).length > 0;
  return {
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    identity: o.identity,
    buildId: o.buildId,
    maxCachedWorkflows: o.maxCachedWorkflows,
    workflowSlots: o.maxConcurrentWorkflowTaskExecutions,
    activitySlots: o.maxConcurrentActivityTaskExecutions,
    localActivitySlots: o.maxConcurrentLocalActivityExecutions,
    enableWorkflows: hasWorkflows,
    enableActivities: hasActivities && o.enableNonLocalActivities,
    enableLocalActivities: hasWorkflows && hasActivities,
    workflowPollers: { maximum: o.maxConcurrentWorkflowTaskPolls },
    activityPollers: { maximum: o.maxConcurrentActivityTaskPolls },
    stickyQueueScheduleToStartTimeoutMs: o.stickyQueueScheduleToStartTimeout,
    maxHeartbeatThrottleIntervalMs: o.maxHeartbeatThrottleInterval,
    defaultHeartbeatThrottleIntervalMs: o.defaultHeartbeatThrottleInterval,
    maxActivitiesPerSecond: o.maxActivitiesPerSecond,
    maxTaskQueueActivitiesPerSecond: o.maxTaskQueueActivitiesPerSecond,
    gracefulShutdownPeriodMs: o.shutdownGraceTime,
    maxEagerActivityReservations: o.maxEagerActivityReservationsPerWorkflowTask,
  };
}
