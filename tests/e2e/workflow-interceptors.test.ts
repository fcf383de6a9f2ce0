/**
 * Workflow interceptors (WorkerOptions.interceptors.workflowModules) and sinks against the dev
 * server: every inbound, outbound and internals hook is called with the right input, and what
 * it changes takes effect — headers reach the activity, the child, the signalled workflow and
 * the next run; arguments and results change; an update is blocked; log attributes and the
 * activation's commands are seen; dispose runs at eviction. Sinks are delivered after the
 * activation, never during replay unless asked, and a throwing sink does not fail anything.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Client, WorkflowUpdateFailedError, type WorkflowClientInterceptor } from "../../src/client/index.js";
import { defaultPayloadConverter, type Payload } from "../../src/common/index.js";
import { Worker } from "../../src/worker/index.js";
import type { WorkflowInfo } from "../../src/workflow/index.js";
import { bundle, captureWorkerLog, env, expectReplays, fixture, startWorker, uid, type RunningWorker } from "./helpers.js";

const FILE = "workflow-interceptor-workflows.ts";
const MODULE = fixture("workflow-interceptors.ts");
const read = (p: Payload | undefined) => (p ? defaultPayloadConverter.fromPayload(p) : undefined);

/** Headers the activity saw (activity inbound interceptor), by activity type. */
const activityHeaders: { activityType: string; trace: unknown }[] = [];
/** Sink deliveries. */
const delivered: { fn: string; args: unknown[]; workflowId: string; isReplaying: boolean }[] = [];
let worker: RunningWorker;
let client: Client;

beforeAll(async () => {
  const e = await env();
  worker = await startWorker(FILE, {
    // Bundled by the worker from workflowsPath with the interceptor module (not the shared bundle).
    workflowBundle: undefined,
    workflowsPath: fixture(FILE),
    interceptors: {
      workflowModules: [MODULE],
      activity: [
        (ctx) => ({
          inbound: {
            async execute(input, next) {
              activityHeaders.push({ activityType: ctx.info.activityType, trace: read(input.headers.trace) });
              return next(input);
            },
          },
        }),
      ],
    },
    sinks: {
      lifecycle: { disposed: { fn: (info: WorkflowInfo, workflowId: string, activations: number) => void delivered.push({ fn: "disposed", args: [workflowId, activations], workflowId: info.workflowId, isReplaying: info.unsafe.isReplaying }) } },
      calls: {
        record: { fn: (info: WorkflowInfo, ...args: unknown[]) => void delivered.push({ fn: "record", args, workflowId: info.workflowId, isReplaying: info.unsafe.isReplaying }) },
        fails: {
          fn: () => {
            throw new Error("sink boom");
          },
        },
      },
    },
  });
  // A client whose interceptor puts a header on every call, so the inbound hooks can show it.
  const tag = (what: string) => ({ trace: defaultPayloadConverter.toPayload(`client-${what}`)! });
  const headerInterceptor: WorkflowClientInterceptor = {
    start: (input, next) => next({ ...input, headers: { ...input.headers, ...tag("start") } }),
    signal: (input, next) => next({ ...input, headers: { ...input.headers, ...tag("signal") } }),
    query: (input, next) => next({ ...input, headers: { ...input.headers, ...tag("query") } }),
    startUpdate: (input, next) => next({ ...input, headers: { ...input.headers, ...tag("update") } }),
  };
  client = new Client({ connection: e.connection, namespace: e.namespace, interceptors: { workflow: [headerInterceptor] } });
});

afterAll(async () => {
  await worker?.stop();
});

type Seen = Record<string, unknown>;

describe("inbound interceptors", () => {
  test("execute, handleSignal, handleQuery, validateUpdate, handleUpdate: called with the headers and arguments; their changes take effect", async () => {
    const handle = await client.workflow.start("inbound", { taskQueue: worker.taskQueue, workflowId: uid("inbound"), args: ["Bun"] });
    await handle.signal("poke", "x");
    expect(await handle.query<string>("status")).toBe("pokes=1+query");
    expect(await handle.executeUpdate<string, [string]>("echo", { args: ["u"] })).toBe("u+update");
    // A blocked validator: the update is rejected and never reaches history.
    const blocked = await handle.executeUpdate("echo", { args: ["block-me"] }).catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(((blocked as Error).cause as Error).message).toBe("blocked by the interceptor");
    const seen = await handle.query<Seen[]>("seen");
    await handle.signal("finish");
    expect(await handle.result()).toBe("hello Bun+in [x+sig]+out");

    expect(seen.find((s) => s.hook === "execute")).toEqual({ hook: "execute", args: ["Bun"], trace: "client-start" });
    expect(seen.find((s) => s.hook === "handleSignal")).toEqual({ hook: "handleSignal", signalName: "poke", args: ["x"], trace: "client-signal" });
    expect(seen.find((s) => s.hook === "handleQuery" && s.queryName === "status")).toEqual({ hook: "handleQuery", queryName: "status", trace: "client-query" });
    const validations = seen.filter((s) => s.hook === "validateUpdate");
    expect(validations).toEqual([
      { hook: "validateUpdate", name: "echo", args: ["u"], trace: "client-update" },
      { hook: "validateUpdate", name: "echo", args: ["block-me"], trace: "client-update" },
    ]);
    expect(seen.filter((s) => s.hook === "handleUpdate")).toHaveLength(1);
    const history = await expectReplays(handle, FILE);
    const updates = history.events.filter((e) => e.attributes.case === "workflowExecutionUpdateAcceptedEventAttributes");
    expect(updates).toHaveLength(1);
  });

  test("the SDK's own queries do not go through the interceptors", async () => {
    const handle = await client.workflow.start("inbound", { taskQueue: worker.taskQueue, workflowId: uid("builtin"), args: ["x"] });
    await handle.query("__stack_trace");
    const seen = await handle.query<Seen[]>("seen");
    expect(seen.filter((s) => s.hook === "handleQuery").map((s) => s.queryName)).toEqual(["seen"]);
    await handle.signal("finish");
    await handle.result();
  });
});

describe("outbound interceptors", () => {
  test("startTimer, scheduleActivity, scheduleLocalActivity, startChildWorkflowExecution, getLogAttributes: inputs seen, changes applied", async () => {
    const log = await captureWorkerLog();
    try {
      const workflowId = uid("outbound");
      const handle = await client.workflow.start("outbound", { taskQueue: worker.taskQueue, workflowId });
      const result = (await handle.result()) as Record<string, unknown>;
      // The timer's duration was doubled by the interceptor: 200 ms of workflow time.
      expect(result.slept as number).toBeGreaterThanOrEqual(200);
      expect(result).toMatchObject({ remote: "a", local: "b", child: "to-child" });
      // concludeActivation saw each activation's commands, in order.
      expect(result.kinds).toEqual(["startTimer", "scheduleActivity", "scheduleLocalActivity", "startChildWorkflowExecution", ""]);
      const history = await handle.fetchHistory();
      const timer = history.events.find((e) => e.attributes.case === "timerStartedEventAttributes");
      expect(Number((timer?.attributes.value as { startToFireTimeout?: { nanos: number } }).startToFireTimeout?.nanos) / 1e6).toBe(200);
      // Headers set by the workflow's interceptor reach the activities' interceptors and the history.
      expect(activityHeaders).toContainEqual({ activityType: "echo", trace: "to-activity" });
      expect(activityHeaders).toContainEqual({ activityType: "echo", trace: "to-local-activity" });
      const scheduled = history.events.find((e) => e.attributes.case === "activityTaskScheduledEventAttributes");
      expect(read((scheduled?.attributes.value as { header?: { fields: Record<string, Payload> } }).header?.fields.trace)).toBe("to-activity");
      const line = log.lines.find((l) => l.message === "outbound done" && l.meta?.workflowId === workflowId);
      expect(line?.meta).toMatchObject({ interceptedBy: "workflow-interceptors", sdkComponent: "workflow", workflowType: "outbound" });
      await expectReplays(handle, FILE);
      await expectReplays(client.workflow.getHandle(`${workflowId}-child`), FILE);
    } finally {
      log.restore();
    }
  });

  test("signalWorkflow: the header reaches the signalled workflow's handleSignal", async () => {
    const target = await client.workflow.start("inbound", { taskQueue: worker.taskQueue, workflowId: uid("target"), args: ["t"] });
    const signaller = await client.workflow.start("signaller", { taskQueue: worker.taskQueue, workflowId: uid("signaller"), args: [target.workflowId] });
    await signaller.result();
    const seen = await target.query<Seen[]>("seen");
    expect(seen.find((s) => s.hook === "handleSignal")).toEqual({ hook: "handleSignal", signalName: "poke", args: ["from-signaller"], trace: "to-signal" });
    await target.signal("finish");
    expect(await target.result()).toBe("hello t+in [from-signaller+sig]+out");
    await expectReplays(signaller, FILE);
  });

  test("continueAsNew: the header reaches the next run's execute", async () => {
    const handle = await client.workflow.start("continuing", { taskQueue: worker.taskQueue, workflowId: uid("continuing"), args: [0] });
    expect(await handle.result()).toEqual({ round: 1, trace: "to-next-run" });
  });
});

describe("internals interceptors and sinks", () => {
  test("dispose runs when the run leaves the cache; a sink call made there is delivered", async () => {
    // A worker without a cache: every activation ends with an eviction.
    const e = await env();
    const noCache = await Worker.create({
      connection: e.connection,
      taskQueue: uid("nocache"),
      workflowsPath: fixture(FILE),
      interceptors: { workflowModules: [MODULE] },
      maxCachedWorkflows: 0,
      shutdownSignals: [],
      sinks: {
        lifecycle: { disposed: { fn: (info: WorkflowInfo, workflowId: string, activations: number) => void delivered.push({ fn: "disposed", args: [workflowId, activations], workflowId: info.workflowId, isReplaying: false }) } },
      },
    });
    const running = noCache.run();
    try {
      const id = uid("disposed");
      const h = await client.workflow.start("sinky", { taskQueue: noCache.options.taskQueue, workflowId: id });
      await h.result();
      const disposals = delivered.filter((d) => d.fn === "disposed" && d.workflowId === id);
      expect(disposals.length).toBeGreaterThanOrEqual(1);
      // The internals' `activate` ran for each activation the run instance processed before it was disposed.
      for (const d of disposals) expect(d.args[1] as number).toBeGreaterThanOrEqual(1);
    } finally {
      noCache.shutdown();
      await running;
    }
  });

  test("sinks: delivered after each activation with the run's info; a throwing sink is logged and fails nothing; not called in replay unless callDuringReplay", async () => {
    const log = await captureWorkerLog();
    try {
      const workflowId = uid("sinky");
      const handle = await client.workflow.start("sinky", { taskQueue: worker.taskQueue, workflowId });
      expect(await handle.result()).toBe("sinky done");
      const mine = delivered.filter((d) => d.fn === "record" && d.workflowId === workflowId);
      expect(mine.map((d) => d.args)).toEqual([
        ["first", 1],
        ["second", 2],
      ]);
      expect(mine.every((d) => !d.isReplaying)).toBe(true);
      expect(log.lines.some((l) => l.level === "error" && l.message === "External sink function threw an error" && l.meta?.fnName === "fails")).toBe(true);

      // Replay: a sink without callDuringReplay is not called; one with it is.
      const history = await handle.fetchHistory();
      const replayed: unknown[][] = [];
      await Worker.runReplayHistory(
        { workflowsPath: fixture(FILE), interceptors: { workflowModules: [MODULE] }, sinks: { calls: { record: { fn: (_info, ...args) => void replayed.push(args) }, fails: { fn: () => undefined } } } },
        history,
        workflowId,
      );
      expect(replayed).toEqual([]);
      await Worker.runReplayHistory(
        {
          workflowsPath: fixture(FILE),
          interceptors: { workflowModules: [MODULE] },
          sinks: { calls: { record: { fn: (_info, ...args) => void replayed.push(args), callDuringReplay: true }, fails: { fn: () => undefined } } },
        },
        history,
        workflowId,
      );
      expect(replayed).toEqual([
        ["first", 1],
        ["second", 2],
      ]);
    } finally {
      log.restore();
    }
  });
});

describe("bad input", () => {
  test("an interceptor module that cannot be found fails Worker.create, naming it", async () => {
    const e = await env();
    await expect(
      Worker.create({ connection: e.connection, taskQueue: uid("bad"), workflowsPath: fixture(FILE), interceptors: { workflowModules: ["./no-such-interceptors"] }, shutdownSignals: [] }),
    ).rejects.toThrow("workflowInterceptorModules: cannot find module './no-such-interceptors'");
  });

  test("bad sinks are a WorkerOptionsError naming the entry", async () => {
    const e = await env();
    await expect(
      Worker.create({ connection: e.connection, taskQueue: uid("bad"), workflowsPath: fixture(FILE), sinks: { calls: { record: (() => undefined) as never } }, shutdownSignals: [] }),
    ).rejects.toThrow("sinks.calls.record: expected { fn: (info, ...args) => void, callDuringReplay?: boolean }");
  });
});

void bundle;
