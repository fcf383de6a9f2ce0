/**
 * The bad-input catalogue (issue 16): bad input across the public API, one table. Each case
 * asserts the error class, that the message names the offending option or value, that the call
 * ended in bounded time (nothing hung), and, where it makes sense, that the object is still
 * usable afterwards (the same client starts a valid workflow on the same worker, the same
 * workflow run makes a valid call after the bad one). One dev server, one client, one worker.
 *
 * Existing bad-option tests are not repeated here: tests/e2e/bad-options.test.ts (a bad option
 * fails only its own workflow task), tests/compat/unknown-options.test.ts (unknown options),
 * tests/envconfig (unknown load options), tests/client/workflow.test.ts (unknown start options).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createServer, type Server } from "node:net";
import {
  ActivityCompletionError,
  Client,
  Connection,
  ConnectionError,
  QueryNotRegisteredError,
  ScheduleNotFoundError,
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
} from "../../src/client/index.js";
import { IllegalStateError, PayloadConverterError, ValueError } from "../../src/common/index.js";
import { TemporalConfigError, loadTemporalConfig } from "../../src/common/config.js";
import { loadClientConfig, loadClientConfigProfile } from "../../src/envconfig/index.js";
import { Context } from "../../src/activity/index.js";
import { NativeBridgeError } from "../../src/bridge/index.js";
import { InvalidUseZigValueError } from "../../src/bridge/variant.js";
import {
  NamespaceNotFoundError,
  ReplayError,
  Runtime,
  Worker,
  WorkerOptionsError,
  bundleWorkflowCode,
  type WorkerOptions,
  type WorkflowBundle,
} from "../../src/worker/index.js";
import { WorkflowBundleError } from "../../src/worker/workflow/index.js";
import { DevServerStartError, TemporalCliNotFoundError, TestWorkflowEnvironment } from "../../src/testing/index.js";
import type { History } from "../../src/proto/temporal/api/history/v1/message_pb.js";
import { testEnv } from "../helpers/dev-server.js";
import { captureWorkerLog, type LogLine } from "../e2e/helpers.js";
import * as activities from "./fixtures/bad-inputs-activities.js";
import type { Caught } from "./fixtures/bad-inputs-workflows.js";

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;
const uid = (p: string) => `${p}-${crypto.randomUUID()}`;

type ErrorClass = abstract new (...args: never[]) => Error;

interface Case {
  area: string;
  name: string;
  /** The bad call: must throw or reject. */
  run: () => unknown;
  error: ErrorClass;
  /** Substrings (or patterns) the message must hold: the option and the value. */
  names: (string | RegExp)[];
  /** Checks that the object the bad call was made on still works. */
  after?: () => Promise<unknown> | unknown;
  /** Inspects the error beyond class and message (e.g. its cause). */
  check?: (err: Error) => void;
  timeoutMs?: number;
}

const cases: Case[] = [];
function bad(area: string, name: string, error: ErrorClass, names: (string | RegExp)[], run: () => unknown, extra: Partial<Case> = {}): void {
  cases.push({ area, name, run, error, names, ...extra });
}

// ── shared state: one environment, one client, one worker ──────────────────────────────────

let env: TestWorkflowEnvironment;
let client: Client;
let taskQueue: string;
let worker: Worker;
let running: Promise<void>;
let bundle: WorkflowBundle;
let echoHistory: History;
let waiting: WorkflowHandle;
let portHolder: Server | undefined;
let logLines: LogLine[] = [];
let restoreLog: (() => void) | undefined;

/** The same client starts a valid workflow on the same worker and gets its result. */
async function clientUsable(): Promise<void> {
  const n = Math.floor(Math.random() * 1e6);
  expect(await client.workflow.execute("echoWorkflow", { taskQueue, workflowId: uid("usable"), args: [n] })).toBe(n);
}

const start = (options: Record<string, unknown>, type: unknown = "echoWorkflow") =>
  client.workflow.start(type as string, { taskQueue, workflowId: uid("bad-start"), args: [1], ...options } as never);

/** Runs `probe(name)` in a workflow: the bad call's error, and the valid call made after it. */
async function probe(name: string): Promise<Caught> {
  return await client.workflow.execute("probe", { taskQueue, workflowId: uid("probe"), args: [name], workflowTaskTimeout: "2s", workflowExecutionTimeout: "30s" });
}

/** Throws what the workflow caught, so the catalogue checks it like any other error; checks the run went on. */
async function inWorkflow(name: string): Promise<void> {
  const r = await probe(name);
  expect(r.after).toBe("still usable");
  if (!r.caught) return;
  const err = new Error(r.message);
  err.name = r.name ?? "Error";
  throw Object.assign(err, { probeCauses: r.causes });
}

/** The failure of activity `type` as the workflow saw it: its chain as "type: message" lines. */
async function activityFailure(type: string, args: unknown[]): Promise<never> {
  const r = (await client.workflow.execute("callActivity", { taskQueue, workflowId: uid("act"), args: [type, args] })) as Caught & { result?: unknown };
  if (!r.caught) throw new Error(`activity ${type} did not fail (result ${JSON.stringify(r.result)})`);
  throw new ActivityChain(`${r.message} <- ${(r.causes ?? []).join(" <- ")}`);
}
class ActivityChain extends Error {
  override name = "ActivityChain";
}
/** A workflow-side error rebuilt from its name (the class does not cross the client). */
class WorkflowSideError extends Error {}
const byName = (name: string) => (err: Error) => expect(err.name).toBe(name);

async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T> | T): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const workerOptions = (o: Record<string, unknown>): WorkerOptions =>
  ({ connection: env.nativeConnection, taskQueue: uid("bad-worker"), workflowBundle: bundle, activities, shutdownSignals: [], ...o }) as WorkerOptions;
/** Worker.create with one bad option; a worker that is made anyway is shut down at once. */
async function createWorker(o: Record<string, unknown>): Promise<void> {
  const w = await Worker.create(workerOptions(o));
  w.shutdown();
  throw new Error("Worker.create accepted the options");
}

// ── connection ─────────────────────────────────────────────────────────────────────────────

const connect = (o: Record<string, unknown>) => Connection.connect({ address: env.address, ...o } as never);
bad("connection", "address ''", TypeError, ["ConnectionOptions.address", '""'], () => connect({ address: "" }));
bad("connection", "address with port 99999", TypeError, ["ConnectionOptions.address", "localhost:99999"], () => connect({ address: "localhost:99999" }));
bad("connection", "address a number", TypeError, ["ConnectionOptions.address", "7233"], () => connect({ address: 7233 }));
bad("connection", "address 'a:b:c'", TypeError, ["ConnectionOptions.address", "a:b:c"], () => connect({ address: "a:b:c" }));
bad("connection", "address where nothing listens", ConnectionError, ["127.0.0.1:1"], () => connect({ address: "127.0.0.1:1", connectTimeout: "2s" }), { after: clientUsable });
bad("connection", "tls 'yes'", TypeError, ["ConnectionOptions.tls"], () => connect({ tls: "yes" }));
bad("connection", "tls.serverRootCACertificate 42", TypeError, ["serverRootCACertificate"], () => connect({ tls: { serverRootCACertificate: 42 } }));
bad("connection", "tls.clientCertPair without key", TypeError, ["clientCertPair", "key"], () => connect({ tls: { clientCertPair: { crt: "x" } } }));
bad("connection", "apiKey 42", TypeError, ["ConnectionOptions.apiKey", "42"], () => connect({ apiKey: 42 }));
bad("connection", "apiKey function returning ''", TypeError, ["ConnectionOptions.apiKey", "returned"], () => connect({ apiKey: () => "", tls: false }));
bad("connection", "metadata value 5", TypeError, ["ConnectionOptions.metadata", "x-n"], () => connect({ metadata: { "x-n": 5 } }));
bad("connection", "metadata a string", TypeError, ["ConnectionOptions.metadata"], () => connect({ metadata: "a=b" }));
bad("connection", "connectTimeout 'soon'", TypeError, ["connectTimeout", "soon"], () => connect({ connectTimeout: "soon" }));
bad("connection", "connectTimeout -1", TypeError, ["connectTimeout", "-1"], () => connect({ connectTimeout: -1 }));
bad("connection", "unknown option 'adress'", TypeError, ["ConnectionOptions", "'adress'", "did you mean 'address'"], () => connect({ adress: "x" }));
bad("connection", "identity 5", TypeError, ["identity", "5"], () => connect({ identity: 5 }));
bad("connection", "NativeConnection address ''", TypeError, ["address", '""'], async () => {
  const { NativeConnection } = await import("../../src/worker/index.js");
  return NativeConnection.connect({ address: "" });
});
bad("connection", "withApiKey('')", TypeError, ["withApiKey", '""'], () => env.connection.withApiKey("", async () => undefined), { after: clientUsable });
bad("connection", "setApiKey(5)", TypeError, ["setApiKey", "5"], () => env.connection.setApiKey(5 as never), { after: clientUsable });
bad("connection", "raw RPC with an empty namespace", ServiceError, [/namespace/i], () => env.connection.workflowService.describeNamespace({ namespace: "" }), { after: clientUsable });
bad("connection", "raw RPC timeout 'bogus'", TypeError, ["timeout", "bogus"], () => env.connection.workflowService.getSystemInfo({}, { timeout: "bogus" as never }), { after: clientUsable });

// ── client ────────────────────────────────────────────────────────────────────────────────

bad("client", "ClientOptions.namespace 5", TypeError, ["ClientOptions.namespace", "number 5"], () => new Client({ connection: env.connection, namespace: 5 as never }));
bad("client", "ClientOptions.interceptors a string", TypeError, ["interceptors"], () => new Client({ connection: env.connection, interceptors: "x" as never }));
bad("client", "ClientOptions.dataConverter.payloadConverterPath 5", TypeError, ["payloadConverterPath", "5"], () => new Client({ connection: env.connection, dataConverter: { payloadConverterPath: 5 as never } }));
bad("client", "ClientOptions.identity 5", TypeError, ["ClientOptions.identity", "number 5"], () => new Client({ connection: env.connection, identity: 5 as never }));
bad("client", "start without taskQueue", TypeError, ["taskQueue"], () => start({ taskQueue: undefined }), { after: clientUsable });
bad("client", "start taskQueue ''", TypeError, ["WorkflowStartOptions.taskQueue", 'got ""'], () => start({ taskQueue: "" }), { after: clientUsable });
bad("client", "start workflowId ''", TypeError, ["WorkflowStartOptions.workflowId", 'got ""'], () => start({ workflowId: "" }), { after: clientUsable });
bad("client", "start workflowId 5", TypeError, ["WorkflowStartOptions.workflowId", "number 5"], () => start({ workflowId: 5 }), { after: clientUsable });
bad("client", "start args not an array", TypeError, ["args"], () => start({ args: "x" }), { after: clientUsable });
bad("client", "start args [BigInt]", TypeError, ["workflow argument 0", "BigInt at $"], () => start({ args: [1n] }), { after: clientUsable });
bad("client", "start workflowExecutionTimeout 'bogus'", TypeError, ["workflowExecutionTimeout", "bogus"], () => start({ workflowExecutionTimeout: "bogus" }), { after: clientUsable });
bad("client", "start workflowRunTimeout -1", TypeError, ["workflowRunTimeout", "-1"], () => start({ workflowRunTimeout: -1 }), { after: clientUsable });
bad("client", "start workflowTaskTimeout '2 eons'", TypeError, ["workflowTaskTimeout", "2 eons"], () => start({ workflowTaskTimeout: "2 eons" }), { after: clientUsable });
bad("client", "start retry.maximumAttempts -1", ValueError, ["maximumAttempts", "-1"], () => start({ retry: { maximumAttempts: -1 } }), { after: clientUsable });
bad("client", "start retry.backoffCoefficient 0.5", ValueError, ["backoffCoefficient", "0.5"], () => start({ retry: { backoffCoefficient: 0.5 } }), { after: clientUsable });
bad("client", "start cronSchedule 'every day'", ServiceError, ["CronSchedule"], () => start({ cronSchedule: "every day" }), { after: clientUsable });
bad("client", "start memo a string", TypeError, ["WorkflowStartOptions.memo", "object"], () => start({ memo: "x" }), { after: clientUsable });
bad("client", "start searchAttributes value an object", ValueError, ["TestKeyword"], () => start({ searchAttributes: { TestKeyword: { a: 1 } } }), { after: clientUsable });
bad("client", "start workflowIdReusePolicy 'SOMETIMES'", ValueError, ["workflowIdReusePolicy", "SOMETIMES"], () => start({ workflowIdReusePolicy: "SOMETIMES" }), { after: clientUsable });
bad("client", "start workflowIdConflictPolicy 'MAYBE'", ValueError, ["workflowIdConflictPolicy", "MAYBE"], () => start({ workflowIdConflictPolicy: "MAYBE" }), { after: clientUsable });
bad("client", "start startDelay 'later'", TypeError, ["startDelay", "later"], () => start({ startDelay: "later" }), { after: clientUsable });
bad("client", "start workflow type ''", TypeError, ["workflowTypeOrFunc", 'got ""'], () => start({}, ""), { after: clientUsable });
bad("client", "start workflow type 42", TypeError, ["workflowTypeOrFunc", "number 42"], () => start({}, 42), { after: clientUsable });
bad("client", "start priority.priorityKey -1", RangeError, ["priorityKey", "-1"], () => start({ priority: { priorityKey: -1 } }), { after: clientUsable });
bad("client", "start a workflow id that is running", WorkflowExecutionAlreadyStartedError, [/already started/i], () => start({ workflowId: waiting.workflowId }), { after: clientUsable });
bad("client", "signal a workflow that does not exist", WorkflowNotFoundError, ["no-such-workflow"], () => client.workflow.getHandle("no-such-workflow").signal("finish"), { after: clientUsable });
bad("client", "signal name ''", TypeError, ["signal", 'got ""'], () => waiting.signal(""), { after: clientUsable });
bad("client", "signal argument BigInt", TypeError, ["signal argument 0", "BigInt"], () => waiting.signal("finish", 1n as never), { after: clientUsable });
bad("client", "signalWithStart without signal", TypeError, ["signal"], () => client.workflow.signalWithStart("waitsForFinish", { taskQueue, workflowId: uid("sws") } as never), { after: clientUsable });
bad("client", "getHandle('')", TypeError, ["getHandle", "workflowId", 'got ""'], () => client.workflow.getHandle(""), { after: clientUsable });
bad("client", "query name that is not registered", QueryNotRegisteredError, ["Workflow did not register a handler for nope. Registered queries: [", "status"], () => waiting.query("nope"), {
  after: async () => expect(await waiting.query<string>("status")).toBe("waiting"),
});
bad("client", "query argument BigInt", TypeError, ["query argument 0", "BigInt"], () => waiting.query("status", 1n as never), { after: clientUsable });
bad("client", "query queryRejectCondition 'SOMETIMES'", ValueError, ["queryRejectCondition", "SOMETIMES"], () => waiting.queryWithOptions("status", { queryRejectCondition: "SOMETIMES" } as never), {
  after: clientUsable,
});
bad("client", "query a workflow that does not exist", WorkflowNotFoundError, ["no-such-workflow"], () => client.workflow.getHandle("no-such-workflow").query("status"), { after: clientUsable });
bad("client", "update name that is not registered", WorkflowUpdateFailedError, [/update/i], () => waiting.executeUpdate("nope", { args: [] }), {
  check: (err) => expect(String((err.cause as Error)?.message)).toContain("nope"),
  after: async () => expect(await waiting.executeUpdate<string, [string]>("approve", { args: ["ann"] })).toBe("approved by ann"),
});
bad("client", "update rejected by its validator", WorkflowUpdateFailedError, [/update/i], () => waiting.executeUpdate("approve", { args: [""] }), {
  check: (err) => expect(String((err.cause as Error)?.message)).toContain("approve: expected a non-empty name"),
  after: clientUsable,
});
bad("client", "startUpdate waitForStage 'DONE'", ValueError, ["waitForStage", "DONE"], () => waiting.startUpdate("approve", { args: ["x"], waitForStage: "DONE" as never }), { after: clientUsable });
bad("client", "update argument BigInt", TypeError, ["update argument 0", "BigInt"], () => waiting.executeUpdate("approve", { args: [1n as never] }), { after: clientUsable });
bad("client", "result of a workflow that does not exist", WorkflowNotFoundError, ["no-such-workflow"], () => client.workflow.getHandle("no-such-workflow").result(), { after: clientUsable });
bad("client", "terminate a workflow that does not exist", WorkflowNotFoundError, ["no-such-workflow"], () => client.workflow.getHandle("no-such-workflow").terminate(), { after: clientUsable });
bad("client", "cancel a workflow that does not exist", WorkflowNotFoundError, ["no-such-workflow"], () => client.workflow.getHandle("no-such-workflow").cancel(), { after: clientUsable });
bad("client", "describe a workflow that does not exist", WorkflowNotFoundError, ["no-such-workflow"], () => client.workflow.getHandle("no-such-workflow").describe(), { after: clientUsable });
bad("client", "describe with a runId that is not a UUID", ServiceError, [/run ?id/i], () => client.workflow.getHandle(waiting.workflowId, "not-a-uuid").describe(), { after: clientUsable });
bad("client", "fetchHistory of a workflow that does not exist", WorkflowNotFoundError, ["no-such-workflow"], () => client.workflow.getHandle("no-such-workflow").fetchHistory(), { after: clientUsable });
bad("client", "list with a query naming an unknown attribute", ServiceError, ["NoSuchAttribute"], async () => {
  for await (const _ of client.workflow.list({ query: "NoSuchAttribute = 'x'" })) break;
}, { after: clientUsable });
bad("client", "count with a query that does not parse", ServiceError, ["CountWorkflowExecutions", "invalid query"], () => client.workflow.count("WorkflowType ="), { after: clientUsable });
bad("client", "async completion with a task token that is not one", ActivityCompletionError, ["complete", "task token"], () => client.activity.complete(new Uint8Array([1, 2, 3]), "done"), { after: clientUsable });

// ── schedules ─────────────────────────────────────────────────────────────────────────────

const scheduleAction = () => ({ type: "startWorkflow" as const, workflowType: "echoWorkflow", taskQueue, args: [1] });
const createSchedule = (o: Record<string, unknown>) =>
  client.schedule.create({ scheduleId: uid("bad-schedule"), spec: { intervals: [{ every: "1h" }] }, action: scheduleAction(), ...o } as never);
bad("schedule", "create without scheduleId", TypeError, ["scheduleId"], () => createSchedule({ scheduleId: undefined }), { after: clientUsable });
bad("schedule", "create with a cron that does not parse", TypeError, ["Minute", "range"], () => createSchedule({ spec: { cronExpressions: ["99 * * * *"] } }), { after: clientUsable });
bad("schedule", "create calendar hour 25", TypeError, ["calendars[0].hour", "25"], () => createSchedule({ spec: { calendars: [{ hour: 25 }] } }), { after: clientUsable });
bad("schedule", "create policies.overlap 'SOMETIMES'", ValueError, ["overlap", "SOMETIMES"], () => createSchedule({ policies: { overlap: "SOMETIMES" } }), { after: clientUsable });
bad("schedule", "create action without workflowType", TypeError, ["workflowType"], () => createSchedule({ action: { type: "startWorkflow", taskQueue } }), { after: clientUsable });
bad("schedule", "create interval every 'bogus'", TypeError, ["every", "bogus"], () => createSchedule({ spec: { intervals: [{ every: "bogus" }] } }), { after: clientUsable });
bad("schedule", "describe a schedule that does not exist", ScheduleNotFoundError, ["no-such-schedule"], () => client.schedule.getHandle("no-such-schedule").describe(), { after: clientUsable });
bad("schedule", "trigger a schedule that does not exist", ScheduleNotFoundError, ["no-such-schedule"], () => client.schedule.getHandle("no-such-schedule").trigger(), { after: clientUsable });

// ── worker options ────────────────────────────────────────────────────────────────────────

bad("worker", "taskQueue missing", WorkerOptionsError, ["taskQueue"], () => createWorker({ taskQueue: undefined }));
bad("worker", "taskQueue ''", WorkerOptionsError, ["taskQueue"], () => createWorker({ taskQueue: "" }));
bad("worker", "maxCachedWorkflows -1", WorkerOptionsError, ["maxCachedWorkflows"], () => createWorker({ maxCachedWorkflows: -1 }));
bad("worker", "maxCachedWorkflows '10'", WorkerOptionsError, ["maxCachedWorkflows"], () => createWorker({ maxCachedWorkflows: "10" }));
bad("worker", "maxConcurrentActivityTaskExecutions 0", WorkerOptionsError, ["maxConcurrentActivityTaskExecutions"], () => createWorker({ maxConcurrentActivityTaskExecutions: 0 }));
bad("worker", "maxActivitiesPerSecond 0", WorkerOptionsError, ["maxActivitiesPerSecond"], () => createWorker({ maxActivitiesPerSecond: 0 }));
bad("worker", "shutdownGraceTime 'bogus'", WorkerOptionsError, ["shutdownGraceTime", "bogus"], () => createWorker({ shutdownGraceTime: "bogus" }));
bad("worker", "isolateExecutionTimeout -1", WorkerOptionsError, ["isolateExecutionTimeout", "-1"], () => createWorker({ isolateExecutionTimeout: -1 }));
bad("worker", "workflowsPath that does not exist", WorkflowBundleError, ["/no/such/workflows.ts"], () => createWorker({ workflowBundle: undefined, workflowsPath: "/no/such/workflows.ts" }));
bad("worker", "workflowBundle { code: 5 }", WorkerOptionsError, ["workflowBundle"], () => createWorker({ workflowBundle: { code: 5 } }));
bad("worker", "activities a string", WorkerOptionsError, ["activities"], () => createWorker({ activities: "x" }));
bad("worker", "namespace the server does not know", NamespaceNotFoundError, ["no-such-namespace"], () => createWorker({ namespace: "no-such-namespace" }));
bad("worker", "identity ''", WorkerOptionsError, ["identity"], () => createWorker({ identity: "" }));
bad("worker", "shutdownSignals ['SIGBOGUS']", WorkerOptionsError, ["shutdownSignals", "SIGBOGUS"], () => createWorker({ shutdownSignals: ["SIGBOGUS"] }));
bad("worker", "shutdownSignals ['term']", WorkerOptionsError, ["shutdownSignals", '"term"', "SIGTERM"], () => createWorker({ shutdownSignals: ["term"] }));
bad("worker", "shutdownSignals ['SIGKILL']", WorkerOptionsError, ["shutdownSignals", "SIGKILL"], () => createWorker({ shutdownSignals: ["SIGKILL"] }));
bad("worker", "interceptors.workflowModules ['']", WorkerOptionsError, ["interceptors.workflowModules"], () => createWorker({ interceptors: { workflowModules: [""] } }));
bad("worker", "sinks entry not an object", WorkerOptionsError, ["sinks"], () => createWorker({ sinks: { audit: 5 } }));
bad("worker", "dataConverter.payloadConverterPath that does not exist", WorkerOptionsError, ["payloadConverterPath", "/no/such/converter.ts"], () => createWorker({ dataConverter: { payloadConverterPath: "/no/such/converter.ts" } }));
bad("worker", "options null", WorkerOptionsError, ["options"], () => Worker.create(null as never));
bad("worker", "neither workflows nor activities", WorkerOptionsError, ["workflowsPath", "nothing to do"], () => createWorker({ workflowBundle: undefined, activities: {} }));
bad("worker", "a workflow module that throws while loading", WorkflowBundleError, ["RangeError: workflow settings: REGION is not set", "bad-inputs-throws-on-load.ts:3"], () => createWorker({ workflowBundle: undefined, workflowsPath: fixture("bad-inputs-throws-on-load.ts") }), {
  check: (err) => {
    // The module ran in the workflow sandbox's realm: its RangeError is that realm's class.
    expect((err.cause as Error).name).toBe("RangeError");
    expect((err.cause as Error).message).toBe("workflow settings: REGION is not set");
  },
  after: clientUsable,
});
bad("worker", "workflowsPath importing node:child_process", WorkflowBundleError, ["node:child_process"], () => createWorker({ workflowBundle: undefined, workflowsPath: fixture("bad-inputs-forbidden-import.ts") }));
bad("worker", "run() of a worker that is running", IllegalStateError, ["run()", "RUNNING"], () => worker.run(), { after: clientUsable });

// ── workflow code: options and values inside a workflow (each run goes on afterwards) ─────

const wf = (name: string, error: string, names: (string | RegExp)[]) =>
  bad("workflow", name, WorkflowSideError, names, () => inWorkflow(name).catch((e: Error) => Promise.reject(Object.assign(new WorkflowSideError(e.message), { name: e.name }))), { check: byName(error) });
wf("sleep('bogus')", "ValueError", ["duration", "bogus"]);
wf("sleep(NaN)", "ValueError", ["duration", "NaN"]);
wf("sleep({})", "ValueError", ["duration", "[object Object]"]);
wf("condition(not a function)", "TypeError", ["condition", '"ready"']);
wf("condition(fn, 'soon')", "ValueError", ["duration", "soon"]);
wf("proxyActivities without a timeout", "TypeError", ["proxyActivities", "startToCloseTimeout"]);
wf("proxyActivities startToCloseTimeout 'ten'", "ValueError", ["startToCloseTimeout", "ten"]);
wf("proxyActivities retry.backoffCoefficient 0.5", "ValueError", ["retry.backoffCoefficient", "0.5"]);
wf("proxyActivities retry.initialInterval -1", "ValueError", ["retry.initialInterval", "-1"]);
wf("proxyActivities retry.maximumAttempts 1.5", "ValueError", ["retry.maximumAttempts", "1.5"]);
wf("proxyActivities taskQueue 42", "TypeError", ["taskQueue", "42"]);
wf("proxyActivities heartbeatTimeout -5", "ValueError", ["heartbeatTimeout", "-5"]);
wf("proxyActivities activityId 7", "TypeError", ["activityId", "7"]);
wf("scheduleActivity type ''", "TypeError", ["activityType", '""']);
wf("scheduleActivity args not an array", "TypeError", ["args", '"x"']);
wf("scheduleLocalActivity type 5", "TypeError", ["activityType", "5"]);
wf("activity argument BigInt", "PayloadConverterError", ["BigInt", "$"]);
wf("proxyLocalActivities without a timeout", "TypeError", ["proxyLocalActivities", "startToCloseTimeout"]);
wf("proxyLocalActivities unregistered activity", "ReferenceError", ["notRegistered"]);
wf("proxyLocalActivities localRetryThreshold 'x'", "ValueError", ["localRetryThreshold", "'x'"]);
wf("startChild workflowId 5", "TypeError", ["workflowId", "5"]);
wf("startChild parentClosePolicy 'KILL'", "ValueError", ["parentClosePolicy", "KILL"]);
wf("startChild workflowExecutionTimeout 'forever'", "ValueError", ["workflowExecutionTimeout", "forever"]);
wf("startChild unknown option", "TypeError", ["workflowIdd", "workflowId"]);
wf("executeChild argument BigInt", "PayloadConverterError", ["BigInt"]);
wf("makeContinueAsNewFunc workflowRunTimeout 'abc'", "ValueError", ["workflowRunTimeout", "abc"]);
wf("continueAsNew argument BigInt", "PayloadConverterError", ["BigInt"]);
wf("upsertSearchAttributes value an object", "ValueError", ["TestKeyword"]);
wf("upsertMemo not an object", "TypeError", ["memo", "string"]);
wf("setHandler handler not a function", "TypeError", ["handler", "string"]);
wf("defineQuery name 42", "TypeError", ["defineQuery", "42"]);
wf("defineSignal name {}", "TypeError", ["defineSignal", "name"]);
wf("getExternalWorkflowHandle('')", "TypeError", ["workflowId", '""']);
wf("getExternalWorkflowHandle(5)", "TypeError", ["workflowId", "5"]);
wf("CancellationScope.withTimeout('bogus')", "ValueError", ["duration", "bogus"]);
wf("defineUpdate handler validator not a function", "TypeError", ["validator", "5"]);

// ── activities ────────────────────────────────────────────────────────────────────────────

/** The worker logged the refused heartbeat naming the value's kind and path, as the failure does. */
const heartbeatLogged = (names: string[]) => () => {
  const line = logLines.find((l) => l.level === "warn" && l.message.startsWith("Failed to encode heartbeat details, cancelling Activity: ") && names.every((n) => l.message.includes(n)));
  expect(line).toBeDefined();
};
const heartbeatCase = (kind: string, names: string[]) =>
  bad("activity", `heartbeat with ${kind} details`, ActivityChain, ["HEARTBEAT_DETAILS_CONVERSION_FAILED", ...names], () => activityFailure("heartbeatBad", [kind]), {
    check: heartbeatLogged(names),
    after: clientUsable,
    timeoutMs: 20_000,
  });
heartbeatCase("nested BigInt", ["BigInt", "$.progress.total"]);
heartbeatCase("function", ["function", "$.onDone"]);
heartbeatCase("cyclic", ["cyclic", "$.self"]);
heartbeatCase("Map", ["Map", "$.seen"]);
heartbeatCase("symbol", ["symbol", "$[1]"]);
bad("activity", "a result the converter refuses", ActivityChain, ["BigInt", "$.total"], () => activityFailure("returnsBigInt", []), { after: clientUsable });
bad("activity", "an activity type the worker does not have", ActivityChain, ["noSuchActivity", "is not registered on this Worker", "heartbeatBad"], () => activityFailure("noSuchActivity", []), { after: clientUsable });
bad("activity", "Context.current() outside an activity", Error, [/activity/i, /context/i], () => Context.current());

// ── replay inputs ─────────────────────────────────────────────────────────────────────────

const replayWith = (history: unknown, o: Record<string, unknown> = {}) => Worker.runReplayHistory({ workflowBundle: bundle, ...o } as never, history, "replayed");
bad("replay", "history null", ReplayError, ["history", "null"], () => replayWith(null));
bad("replay", "history a string that is not JSON", ReplayError, ["not JSON"], () => replayWith("not json"));
bad("replay", "history { events: 'x' }", ReplayError, ["array of events"], () => replayWith({ events: "x" }));
bad("replay", "history with no events", ReplayError, [/event/i], () => replayWith({ events: [] }));
bad("replay", "a workflow type the bundle does not have", ReplayError, ["echoWorkflow"], async () => {
  const other = await bundleWorkflowCode({ workflowsPath: fixture("bad-inputs-activities-free-workflows.ts") });
  return Worker.runReplayHistory({ workflowBundle: other }, echoHistory, "replayed");
});
bad("replay", "runReplayHistories of a number", TypeError, ["runReplayHistories", "histories", "number 5"], async () => {
  for await (const _ of Worker.runReplayHistories({ workflowBundle: bundle }, 5 as never)) break;
});
bad("replay", "workflowsPath that does not exist", WorkflowBundleError, ["/no/such/replay-workflows.ts"], () => replayWith(echoHistory, { workflowBundle: undefined, workflowsPath: "/no/such/replay-workflows.ts" }));
bad("replay", "workflowBundle { code: 5 }", WorkflowBundleError, ["workflowBundle.code"], () => replayWith(echoHistory, { workflowBundle: { code: 5 } }));

// ── environment variables and config files ────────────────────────────────────────────────

bad("env", "TEMPORAL_BUN_SDK_USE_ZIG=maybe", InvalidUseZigValueError, ["TEMPORAL_BUN_SDK_USE_ZIG", "maybe"], () => withEnv({ TEMPORAL_BUN_SDK_USE_ZIG: "maybe" }, () => createWorker({})), { after: clientUsable });
bad("env", "TEMPORAL_BUN_SDK_USE_ZIG=0 and Worker.create", NativeBridgeError, ["TEMPORAL_BUN_SDK_USE_ZIG"], () => withEnv({ TEMPORAL_BUN_SDK_USE_ZIG: "0" }, () => createWorker({})), { after: clientUsable });
bad("env", "TEMPORAL_ADDRESS 'a:b:c' for a worker without connection", TypeError, ["address", "a:b:c"], () => withEnv({ TEMPORAL_ADDRESS: "a:b:c" }, () => createWorker({ connection: undefined })));
bad("env", "loadTemporalConfig TEMPORAL_ADDRESS with port 99999", TemporalConfigError, ["TEMPORAL_ADDRESS", "x:99999"], () => loadTemporalConfig({ TEMPORAL_ADDRESS: "x:99999" }));
bad("env", "loadTemporalConfig TEMPORAL_TLS_CERT_PATH without key", TemporalConfigError, ["TEMPORAL_TLS_KEY_PATH"], () => loadTemporalConfig({ TEMPORAL_TLS_CERT_PATH: "/etc/hostname" }));
bad("env", "loadTemporalConfig TEMPORAL_TLS_CA_PATH that does not exist", TemporalConfigError, ["TEMPORAL_TLS_CA_PATH", "/no/such/ca.pem"], () => loadTemporalConfig({ TEMPORAL_TLS_CA_PATH: "/no/such/ca.pem" }));
bad("env", "loadTemporalConfig TEMPORAL_BUN_SDK_USE_ZIG=yes please", TemporalConfigError, ["TEMPORAL_BUN_SDK_USE_ZIG", "yes please"], () => loadTemporalConfig({ TEMPORAL_BUN_SDK_USE_ZIG: "yes please" }));
bad("env", "envconfig TOML that does not parse", Error, [/toml|parse/i], () => loadClientConfig({ configSource: { data: "[profile.default\naddress = " } }));
bad("env", "envconfig profile that is not in the file", Error, ["nope", "profile"], () => loadClientConfigProfile({ profile: "nope", configSource: { data: '[profile.default]\naddress = "x:1"\n' } }));
bad("env", "envconfig address a number", Error, ["address"], () => loadClientConfigProfile({ configSource: { data: "[profile.default]\naddress = 5\n" } }));

// ── runtime and telemetry ─────────────────────────────────────────────────────────────────

const runtimeWith = (telemetryOptions: unknown) => Runtime.create({ telemetryOptions } as never);
bad("runtime", "log filter with a level that does not exist", TypeError, ["telemetryOptions.logging.filter", "temporal_sdk_core=loud", '"loud" is not a level'], () => runtimeWith({ logging: { filter: "temporal_sdk_core=loud" } }));
bad("runtime", "log filter directive '=debug'", TypeError, ["telemetryOptions.logging.filter", "=debug"], () => runtimeWith({ logging: { filter: "warn,=debug" } }));
bad("runtime", "log filter with an unclosed span", TypeError, ["telemetryOptions.logging.filter", "x[span"], () => runtimeWith({ logging: { filter: "x[span=info" } }));
bad("runtime", "log filter { core: 'LOUD' }", TypeError, ["telemetryOptions.logging.filter.core", "LOUD"], () => runtimeWith({ logging: { filter: { core: "LOUD" } } }));
bad("runtime", "log filter a number", TypeError, ["telemetryOptions.logging.filter"], () => runtimeWith({ logging: { filter: 5 } }));
bad("runtime", "prometheus bindAddress 'not-an-address'", TypeError, ["telemetryOptions.metrics.prometheus.bindAddress", "not-an-address"], () => runtimeWith({ metrics: { prometheus: { bindAddress: "not-an-address" } } }));
bad("runtime", "otel url 'not a url'", TypeError, ["telemetryOptions.metrics.otel.url", "not a url"], () => runtimeWith({ metrics: { otel: { url: "not a url" } } }));
bad("runtime", "Runtime.install after the runtime is in use", IllegalStateError, ["Runtime.install()"], () => Runtime.install({}));

// ── testing environment ───────────────────────────────────────────────────────────────────

bad("testing", "createLocal on a port another server holds", DevServerStartError, ["LocalServerOptions.port", "already in use"], () => TestWorkflowEnvironment.createLocal({ server: { port: Number(env.address.split(":")[1]) } }), {
  after: clientUsable,
});
bad("testing", "createLocal on a port a plain socket holds", DevServerStartError, ["LocalServerOptions.port", "already in use"], () => TestWorkflowEnvironment.createLocal({ server: { port: (portHolder!.address() as { port: number }).port } }));
bad("testing", "createLocal with the UI on a port in use", DevServerStartError, ["LocalServerOptions.uiPort", "already in use"], () => TestWorkflowEnvironment.createLocal({ server: { ui: true, uiPort: (portHolder!.address() as { port: number }).port } }));
bad("testing", "createLocal port 70000", TypeError, ["LocalServerOptions.port", "70000"], () => TestWorkflowEnvironment.createLocal({ server: { port: 70000 } }));
bad("testing", "createLocal executable that does not exist", TemporalCliNotFoundError, ["/no/such/temporal"], () => TestWorkflowEnvironment.createLocal({ server: { executable: { type: "existing-path", path: "/no/such/temporal" } } }));
bad("testing", "createLocal executable cached-download", TypeError, ["LocalServerOptions.executable", "cached-download"], () => TestWorkflowEnvironment.createLocal({ server: { executable: { type: "cached-download" } } }));
bad("testing", "createLocal searchAttributes type 'Bogus'", TypeError, ["LocalServerOptions.searchAttributes", "Bogus"], () => TestWorkflowEnvironment.createLocal({ server: { searchAttributes: { X: "Bogus" } } }));
bad("testing", "createTimeSkipping address without a port", TypeError, ["TimeSkippingServerConfig.address", "nohost"], () => TestWorkflowEnvironment.createTimeSkipping({ server: { address: "nohost" } }));
bad("testing", "createTimeSkipping executable cached-download", TypeError, ["executable", "cached-download"], () => TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: "cached-download" } } }));
bad("testing", "createTimeSkipping port 0.5", TypeError, ["port", "0.5"], () => TestWorkflowEnvironment.createTimeSkipping({ server: { port: 0.5 } }));
bad("testing", "MockActivityEnvironment unknown option", TypeError, ["MockActivityEnvironment", "loger"], async () => {
  const { MockActivityEnvironment } = await import("../../src/testing/index.js");
  return new MockActivityEnvironment({}, { loger: console } as never);
});

// ── the run ───────────────────────────────────────────────────────────────────────────────

const HUNG = Symbol("hung");
const NO_ERROR = Symbol("no error");

/** The error `run` ends with, NO_ERROR if it succeeds, HUNG if it does not end in `ms`. */
async function outcome(run: () => unknown, ms: number): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const settled = Promise.resolve()
      .then(run)
      .then(
        () => NO_ERROR,
        (err: unknown) => err,
      );
    return await Promise.race([settled, new Promise((resolve) => (timer = setTimeout(() => resolve(HUNG), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

beforeAll(async () => {
  env = await testEnv();
  client = env.client;
  ({ lines: logLines, restore: restoreLog } = await captureWorkerLog());
  taskQueue = uid("bad-inputs");
  bundle = await bundleWorkflowCode({ workflowsPath: fixture("bad-inputs-workflows.ts") });
  worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities, shutdownSignals: [] });
  running = worker.run();
  running.catch(() => undefined);
  const echo = await client.workflow.start("echoWorkflow", { taskQueue, workflowId: uid("echo"), args: ["history"] });
  await echo.result();
  echoHistory = await echo.fetchHistory();
  waiting = await client.workflow.start("waitsForFinish", { taskQueue, workflowId: uid("waiting") });
  portHolder = await new Promise<Server>((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => resolve(s));
  });
}, 120_000);

afterAll(async () => {
  restoreLog?.();
  await waiting?.signal("finish").catch(() => undefined);
  portHolder?.close();
  worker?.shutdown();
  await running?.catch(() => undefined);
});

describe(`bad-input catalogue (${cases.length} cases)`, () => {
  for (const c of cases) {
    test(`${c.area}: ${c.name}`, async () => {
      const err = await outcome(c.run, c.timeoutMs ?? 15_000);
      if (err === HUNG) throw new Error(`hung: no answer within ${c.timeoutMs ?? 15_000} ms`);
      if (err === NO_ERROR) throw new Error("accepted silently: the call succeeded");
      // One message with what was seen, so a failing case shows the class and text it got.
      const e = err as Error;
      const seen = `got ${e?.constructor?.name ?? typeof err} (${e?.name}): ${e?.message ?? String(err)}`;
      if (!(err instanceof c.error)) throw new Error(`expected a ${c.error.name}; ${seen}`);
      const missing = c.names.filter((n) => (typeof n === "string" ? !e.message.includes(n) : !n.test(e.message)));
      if (missing.length > 0) throw new Error(`the message does not name ${missing.map(String).join(", ")}; ${seen}`);
      c.check?.(e);
      if (c.after) {
        const after = await outcome(c.after, 15_000);
        if (after !== NO_ERROR) throw new Error(`not usable afterwards: ${after === HUNG ? "hung" : String(after)}`);
      }
    }, (c.timeoutMs ?? 15_000) + 20_000);
  }

  test("after every case: the worker is still RUNNING and the client still works", async () => {
    console.log(`bad-input catalogue: ${cases.length} cases`);
    expect(cases.length).toBeGreaterThanOrEqual(120);
    expect(worker.getState()).toBe("RUNNING");
    await clientUsable();
  }, 30_000);
});
