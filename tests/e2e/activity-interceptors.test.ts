/**
 * Activity interceptors (WorkerOptions.interceptors.activity / activityInbound), as
 * @temporalio/worker 1.24, end to end on the dev server with real workers; every finished
 * workflow's history is replayed:
 * - inbound `execute` gets the decoded args and the task's headers; changed args reach the
 *   activity, a changed result reaches history; throwing blocks the call and fails the attempt;
 * - several interceptors run in list order (deprecated `activityInbound` ones first, outermost);
 * - factories are called once per attempt with the attempt's Context; a factory that throws or
 *   returns a non-object fails the attempt and the worker goes on;
 * - outbound `getLogAttributes` shapes the attributes of `Context.log` lines and of the worker's
 *   lines about the activity;
 * - headers written by a workflow outbound interceptor (scheduleActivity/scheduleLocalActivity),
 *   or directly into a ScheduleActivityTask command, reach `execute` byte for byte, and a
 *   payload codec never touches them;
 * - outbound `getMetricTags` shapes the tags of `Context.metricMeter` records (real Prometheus);
 * - arguments that cannot be decoded fail the attempt before any factory runs;
 * - the deprecated ActivityInboundLogInterceptor / appendDefaultInterceptors;
 * - bad factories in the options are a WorkerOptionsError naming the option and the value.
 * Each scenario runs for a regular and for a local activity.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { Context } from "../../src/activity/index.js";
import { ApplicationFailure, encodePayloadsInMessage, makePayload, payloadEncoding, defaultPayloadConverter, type Payload } from "../../src/common/index.js";
import {
  ActivityInboundLogInterceptor,
  NativeConnection,
  Runtime,
  Worker,
  WorkerOptionsError,
  bundleWorkflowCode,
  activityLogAttributes,
  appendDefaultInterceptors, type ActivityExecuteInput, type ActivityInterceptorsFactory, type GetLogAttributesInput } from "../../src/worker/index.js";
import { parseWorkerOptions } from "../../src/worker/options.js";
import { CommandSchema } from "../../src/proto/temporal/api/command/v1/message_pb.js";
import { CommandType } from "../../src/proto/temporal/api/enums/v1/command_type_pb.js";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import { respondWithCommand } from "../client/helpers.js";
import { testServer } from "../helpers/dev-server.js";
import { STRICT, strictCodec } from "../../tools/compat/strict-codec.js";
import { Client } from "../../src/client/index.js";
import { captureWorkerLog, env, expectReplays, fixture, isType, startWorker, uid, waitForEvent, type LogLine, type RunningWorker } from "./helpers.js";
import type { Seen } from "./fixtures/activity-interceptor-workflows.js";

const FILE = "activity-interceptor-workflows.ts";

// What the activities and interceptors saw, per workflow id.
const trace = new Map<string, string[]>();
const note = (ctx: Context, what: string) => {
  const id = ctx.info.workflowExecution.workflowId;
  if (!trace.has(id)) trace.set(id, []);
  trace.get(id)!.push(`${what}${ctx.info.isLocal ? " (local)" : ""}`);
};
const inputs: { who: string; workflowId: string; isLocal: boolean; input: ActivityExecuteInput }[] = [];
const logInputs: { who: string; activityType: string; input: GetLogAttributesInput }[] = [];
const factoryCalls: { workflowId: string; ctx: Context; attempt: number; activityType: string; isLocal: boolean }[] = [];
const contextsSeenByActivities: Context[] = [];
let guardedCalls = 0;

const activities = {
  async greet(name: string, n: number): Promise<string> {
    const ctx = Context.current();
    contextsSeenByActivities.push(ctx);
    note(ctx, `fn(${name},${n})`);
    ctx.log.info("greeting", { n });
    return `hello ${name} #${n}`;
  },
  async guarded(): Promise<string> {
    guardedCalls++;
    return "ran";
  },
  async flaky(): Promise<number> {
    const { attempt } = Context.current().info;
    if (attempt < 2) throw new Error(`attempt ${attempt} fails`);
    return attempt;
  },
  async echoHeaders(value: string): Promise<string> {
    return value;
  },
  async counted(): Promise<string> {
    const ctx = Context.current();
    const where = ctx.info.isLocal ? "local" : "remote";
    ctx.metricMeter.createCounter("ai_interceptor_calls").add(1, { where });
    // A tag given at the call wins over the interceptors' (official order: interceptors, metric, call).
    ctx.metricMeter.createCounter("ai_interceptor_overridden").add(1, { where, tenant: "from-call" });
    return where;
  },
};

/** A traced inbound and outbound pair named `who`; `change` rewrites args/result. */
function traced(who: string, change: { args?: (a: unknown[]) => unknown[]; result?: (r: unknown) => unknown; attrs?: (a: GetLogAttributesInput) => GetLogAttributesInput } = {}): ActivityInterceptorsFactory {
  return (ctx) => {
    factoryCalls.push({ workflowId: ctx.info.workflowExecution.workflowId, ctx, attempt: ctx.info.attempt, activityType: ctx.info.activityType, isLocal: ctx.info.isLocal });
    return {
      inbound: {
        async execute(input, next) {
          inputs.push({ who, workflowId: ctx.info.workflowExecution.workflowId, isLocal: ctx.info.isLocal, input: { args: [...input.args], headers: input.headers } });
          note(ctx, `${who}:in`);
          const result = await next(change.args ? { ...input, args: change.args(input.args) } : input);
          note(ctx, `${who}:out`);
          return change.result ? change.result(result) : result;
        },
      },
      outbound: {
        getLogAttributes(input, next) {
          logInputs.push({ who, activityType: ctx.info.activityType, input: { ...input } });
          return next(change.attrs ? change.attrs(input) : input);
        },
      },
    };
  };
}

let log: { lines: LogLine[]; restore: () => void };
let chain: RunningWorker;
let blocking: RunningWorker;

beforeAll(async () => {
  log = await captureWorkerLog();
  chain = await startWorker(FILE, {
    activities,
    interceptors: {
      // Deprecated form, as official: placed before (outside) the `activity` factories.
      activityInbound: [
        (ctx) => ({
          async execute(input, next) {
            note(ctx, "legacy:in");
            const r = await next(input);
            note(ctx, "legacy:out");
            return r;
          },
        }),
      ],
      activity: [
        traced("A", {
          args: ([name, n]) => [String(name).toUpperCase(), n],
          attrs: (a) => ({ ...a, tenant: "acme", taskToken: undefined }),
        }),
        traced("B", {
          result: (r) => `${r} [B]`,
          attrs: (a) => ({ ...a, layer: "B", tenantSeenByB: a.tenant }),
        }),
      ],
    },
  });
  blocking = await startWorker(FILE, {
    activities,
    interceptors: {
      activity: [
        (ctx) => ({
          inbound: {
            async execute(input, next) {
              // A policy check: the call is blocked without running the activity.
              if (ctx.info.activityType === "guarded") throw ApplicationFailure.nonRetryable(`blocked ${ctx.info.activityType} by policy`, "PolicyViolation");
              return next(input);
            },
          },
        }),
      ],
    },
  });
});

afterAll(async () => {
  log.restore();
  await chain?.stop();
  await blocking?.stop();
});

describe("inbound execute", () => {
  test("every interceptor runs in list order with the decoded args and the headers; changed args reach the activity and a changed result reaches history", async () => {
    const c = (await env()).client;
    const workflowId = uid("ai-chain");
    const handle = await c.workflow.start("greetBoth", { workflowId, taskQueue: chain.taskQueue, args: ["alice"] });
    expect(await handle.result()).toEqual(["hello ALICE #1 [B]", "hello ALICE #2 [B]"]);

    // Order: activityInbound, then A, then B (outermost first), for both kinds.
    const one = ["legacy:in", "A:in", "B:in", "fn(ALICE,1)", "B:out", "A:out", "legacy:out"];
    const two = ["legacy:in", "A:in", "B:in", "fn(ALICE,2)", "B:out", "A:out", "legacy:out"].map((s) => `${s} (local)`);
    expect(trace.get(workflowId)).toEqual([...one, ...two]);

    // A got what the workflow sent; B got A's change. No headers were written: an empty map.
    const mine = inputs.filter((i) => i.workflowId === workflowId);
    expect(mine.map((i) => [i.who, i.isLocal, i.input.args, i.input.headers])).toEqual([
      ["A", false, ["alice", 1], {}],
      ["B", false, ["ALICE", 1], {}],
      ["A", true, ["alice", 2], {}],
      ["B", true, ["ALICE", 2], {}],
    ]);

    // The factories ran once per attempt, with the attempt's Context (the one the activity sees).
    const calls = factoryCalls.filter((f) => f.workflowId === workflowId);
    expect(calls.map((f) => [f.activityType, f.isLocal, f.attempt])).toEqual([
      ["greet", false, 1],
      ["greet", false, 1],
      ["greet", true, 1],
      ["greet", true, 1],
    ]);
    expect(contextsSeenByActivities).toContain(calls[0]!.ctx);
    expect(contextsSeenByActivities).toContain(calls[2]!.ctx);

    // The interceptor's result is what reached history (remote activity) and the marker (local).
    const history = await handle.fetchHistory();
    const completed = history.events.find(isType(EventType.ACTIVITY_TASK_COMPLETED))!;
    if (completed.attributes.case !== "activityTaskCompletedEventAttributes") throw new Error("unexpected event");
    expect(defaultPayloadConverter.fromPayload(completed.attributes.value.result!.payloads[0]!)).toBe("hello ALICE #1 [B]");
    await expectReplays(handle, FILE);
  });

  test("an interceptor that throws blocks the call: the activity does not run and the attempt fails with its error", async () => {
    const c = (await env()).client;
    const before = guardedCalls;
    const handle = await c.workflow.start("guardedBoth", { workflowId: uid("ai-block"), taskQueue: blocking.taskQueue });
    const seen = (await handle.result()) as [Seen, Seen];
    for (const s of seen) {
      expect(s.ok).toBeUndefined();
      expect(s.causeType).toBe("PolicyViolation");
      expect(s.causeMessage).toBe("blocked guarded by policy");
    }
    expect(guardedCalls).toBe(before);
    const failed = (await handle.fetchHistory()).events.find(isType(EventType.ACTIVITY_TASK_FAILED))!;
    if (failed.attributes.case !== "activityTaskFailedEventAttributes") throw new Error("unexpected event");
    expect(failed.attributes.value.failure?.message).toBe("blocked guarded by policy");
    expect(failed.attributes.value.failure?.failureInfo.case).toBe("applicationFailureInfo");
    await expectReplays(handle, FILE);
    // The same worker still runs activities its interceptor lets through.
    expect(await (await c.workflow.start("greetBoth", { workflowId: uid("ai-block-ok"), taskQueue: blocking.taskQueue, args: ["bo"] })).result()).toEqual([
      "hello bo #1",
      "hello bo #2",
    ]);
  });

  test("factories are called again for each retry attempt", async () => {
    const c = (await env()).client;
    const workflowId = uid("ai-retry");
    expect(await c.workflow.execute("flakyRemote", { workflowId, taskQueue: chain.taskQueue })).toBe("2 [B]");
    const calls = factoryCalls.filter((f) => f.workflowId === workflowId);
    expect(calls.map((f) => [f.activityType, f.attempt])).toEqual([
      ["flaky", 1],
      ["flaky", 1],
      ["flaky", 2],
      ["flaky", 2],
    ]);
    expect(calls[0]!.ctx).not.toBe(calls[2]!.ctx);
  });
});

describe("outbound getLogAttributes", () => {
  test("shapes Context.log lines and the worker's activity lines, composed in list order, from the official attributes", async () => {
    const c = (await env()).client;
    const workflowId = uid("ai-log");
    const from = log.lines.length;
    await c.workflow.execute("greetBoth", { workflowId, taskQueue: chain.taskQueue, args: ["carol"] });
    const lines = log.lines.slice(from).filter((l) => l.meta?.workflowId === workflowId);

    // The activity's own lines (both kinds): A's and B's attributes, A's removal, sdkComponent activity.
    const greetings = lines.filter((l) => l.message === "greeting");
    expect(greetings.map((l) => [l.meta?.isLocal, l.meta?.n])).toEqual([
      [false, 1],
      [true, 2],
    ]);
    for (const g of greetings) {
      expect(g.level).toBe("info");
      expect(g.meta).toMatchObject({ sdkComponent: "activity", tenant: "acme", layer: "B", tenantSeenByB: "acme", activityType: "greet", workflowType: "greetBoth" });
      expect(g.meta).not.toHaveProperty("taskToken");
    }
    // The worker's lines about the activity carry them too (sdkComponent worker).
    for (const message of ["Activity started", "Activity completed"]) {
      const workerLines = lines.filter((l) => l.message === message);
      expect(workerLines.length).toBe(2);
      for (const w of workerLines) expect(w.meta).toMatchObject({ sdkComponent: "worker", tenant: "acme", layer: "B", activityType: "greet" });
    }
    // A (outermost) got the official attributes; B got A's output.
    const remoteCtx = factoryCalls.find((f) => f.workflowId === workflowId && !f.isLocal)!.ctx;
    const aInput = logInputs.find((l) => l.who === "A" && l.input.workflowId === workflowId && l.input.isLocal === false)!.input;
    expect(aInput).toEqual(activityLogAttributes(remoteCtx.info));
    const bInput = logInputs.find((l) => l.who === "B" && l.input.workflowId === workflowId)!.input;
    expect(bInput.tenant).toBe("acme");
    expect(bInput.taskToken).toBeUndefined();
  });
});

describe("factories", () => {
  test("a factory that throws, or returns no object, fails the attempt (logged as the task that could not start) and the worker goes on", async () => {
    const c = (await env()).client;
    const w = await startWorker(FILE, {
      activities,
      interceptors: {
        activity: [
          (ctx) => {
            if (ctx.info.isLocal) return undefined as never;
            throw new Error("factory exploded");
          },
        ],
      },
    });
    try {
      const from = log.lines.length;
      const seen = (await c.workflow.execute("guardedBoth", { workflowId: uid("ai-factory"), taskQueue: w.taskQueue })) as [Seen, Seen];
      expect(seen[0]).toMatchObject({ causeType: "Error", causeMessage: "factory exploded" });
      expect(seen[1]).toMatchObject({ causeType: "TypeError" });
      expect(seen[1].causeMessage).toContain("returned undefined; expected { inbound?, outbound? }");
      const errors = log.lines.slice(from).filter((l) => l.level === "error" && l.message.startsWith("Error while processing ActivityTask.start"));
      expect(errors.map((l) => l.meta?.activityType)).toEqual(["guarded", "guarded"]);
      expect(w.worker.getState()).toBe("RUNNING");
    } finally {
      await w.stop();
    }
  });

  test("a factory that is not a function is a WorkerOptionsError naming the option and the value", () => {
    const base = { connection: { nativeClient: {}, runtime: {} }, taskQueue: "q", activities: {} } as never;
    const bad = (interceptors: unknown) => () => parseWorkerOptions({ ...(base as object), interceptors } as never);
    expect(bad({ activity: ["nope"] })).toThrow(WorkerOptionsError);
    expect(bad({ activity: ["nope"] })).toThrow(`Invalid worker option 'interceptors.activity.0': expected a function (ActivityInterceptorsFactory, (ctx) => ({ inbound?, outbound? })), got "nope"`);
    expect(bad({ activityInbound: [{ execute() {} }] })).toThrow("Invalid worker option 'interceptors.activityInbound.0': expected a function (ActivityInboundCallsInterceptorFactory");
    expect(bad({ activty: [] })).toThrow(WorkerOptionsError);
  });

  test("arguments that cannot be decoded fail the attempt before any factory runs (logged as the task that could not start)", async () => {
    const e = await env();
    const c = e.client;
    let factories = 0;
    const worker = await Worker.create({
      connection: e.connection,
      taskQueue: uid("ai-badargs-activities"),
      activities,
      shutdownSignals: [],
      interceptors: { activity: [() => (factories++, {})] },
    });
    const running = worker.run();
    try {
      const workflowTaskQueue = uid("ai-badargs-workflow");
      const handle = await c.workflow.start("handDriven", { workflowId: uid("ai-badargs"), taskQueue: workflowTaskQueue });
      const from = log.lines.length;
      const command = create(CommandSchema, {
        commandType: CommandType.SCHEDULE_ACTIVITY_TASK,
        attributes: {
          case: "scheduleActivityTaskCommandAttributes",
          value: {
            activityId: "1",
            activityType: { name: "echoHeaders" },
            taskQueue: { name: worker.taskQueue },
            // No converter of the default data converter knows this encoding.
            input: { payloads: [makePayload("binary/unknown-test", new Uint8Array([1]))] },
            startToCloseTimeout: { seconds: 10n },
            retryPolicy: { maximumAttempts: 1 },
          },
        },
      });
      await respondWithCommand(c, workflowTaskQueue, command);
      const failed = await waitForEvent(handle, isType(EventType.ACTIVITY_TASK_FAILED), "activity failed");
      if (failed.attributes.case !== "activityTaskFailedEventAttributes") throw new Error("unexpected event");
      expect(failed.attributes.value.failure?.message).toStartWith("Failed to parse activity args for activity echoHeaders: ");
      expect(factories).toBe(0);
      const lines = log.lines.slice(from).filter((l) => l.meta?.workflowId === handle.workflowId);
      expect(lines.map((l) => [l.level, l.message.split(":")[0]])).toEqual([["error", "Error while processing ActivityTask.start"]]);
      await handle.terminate("test done");
    } finally {
      worker.shutdown();
      await running;
    }
  });
});

describe("outbound getMetricTags", () => {
  test("shapes the tags of Context.metricMeter records, composed in list order from the official tags, before the record's own tags", async () => {
    // A runtime with a real Prometheus endpoint (the shared test runtime has no exporter).
    const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = probe.port;
    probe.stop(true);
    const runtime = Runtime.create({ telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${port}` } }, logging: { forward: false } } });
    const connection = await NativeConnection.connect({ address: (await testServer()).address, runtime });
    const tagInputs: { who: string; input: Record<string, unknown> }[] = [];
    let w: RunningWorker | undefined;
    try {
      w = await startWorker(FILE, {
        connection,
        activities,
        interceptors: {
          activity: [
            () => ({ outbound: { getMetricTags: (input, next) => (tagInputs.push({ who: "A", input: { ...input } }), next({ ...input, tenant: "acme", order: "A" })) } }),
            () => ({ outbound: { getMetricTags: (input, next) => (tagInputs.push({ who: "B", input: { ...input } }), next({ ...input, order: `${input.order}>B` })) } }),
          ],
        },
      });
      const c = (await env()).client;
      expect(await c.workflow.execute("countedBoth", { workflowId: uid("ai-metrics"), taskQueue: w.taskQueue })).toEqual(["remote", "local"]);
      const base = { namespace: "default", taskQueue: w.taskQueue, activityType: "counted" };
      expect(tagInputs.find((t) => t.who === "A")!.input).toEqual(base);
      expect(tagInputs.find((t) => t.who === "B")!.input).toEqual({ ...base, tenant: "acme", order: "A" });
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const sample = (name: string, labels: Record<string, string>) =>
        text.split("\n").filter((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
      for (const where of ["remote", "local"]) {
        const calls = sample("ai_interceptor_calls", { ...base, tenant: "acme", order: "A>B", where });
        expect(calls.length).toBe(1);
        expect(calls[0]!.endsWith(" 1")).toBe(true);
        expect(sample("ai_interceptor_overridden", { ...base, tenant: "from-call", order: "A>B", where }).length).toBe(1);
      }
    } finally {
      await w?.stop();
      await connection.close();
      await runtime.shutdown();
    }
  });
});

describe("deprecated helpers (kept as official)", () => {
  test("appendDefaultInterceptors with a logger sends Context.log lines to it through an ActivityInboundLogInterceptor; without one it changes nothing", async () => {
    const none = { activity: [traced("none")] };
    expect(appendDefaultInterceptors(none)).toBe(none);
    expect(appendDefaultInterceptors(none, Runtime.instance().logger)).toBe(none);

    const received: LogLine[] = [];
    const record = (level: string) => (message: string, meta?: Record<string, unknown>) => void received.push({ level, message, meta });
    const logger = { log: (level: string, m: string, meta?: Record<string, unknown>) => record(level.toLowerCase())(m, meta), trace: record("trace"), debug: record("debug"), info: record("info"), warn: record("warn"), error: record("error") };
    const interceptors = appendDefaultInterceptors({}, logger);
    expect(interceptors.activityInbound?.length).toBe(1);
    const w = await startWorker(FILE, { activities, interceptors });
    try {
      const workflowId = uid("ai-legacy-log");
      const c = (await env()).client;
      expect(await c.workflow.execute("greetBoth", { workflowId, taskQueue: w.taskQueue, args: ["dan"] })).toEqual(["hello dan #1", "hello dan #2"]);
      const greetings = received.filter((l) => l.message === "greeting");
      expect(greetings.map((l) => [l.level, l.meta?.isLocal, l.meta?.n, l.meta?.sdkComponent, l.meta?.workflowId])).toEqual([
        ["info", false, 1, "activity", workflowId],
        ["info", true, 2, "activity", workflowId],
      ]);
    } finally {
      await w.stop();
    }
  });

  test("an ActivityInboundLogInterceptor made without a logger leaves Context.log alone", async () => {
    const w = await startWorker(FILE, { activities, interceptors: { activityInbound: [(ctx) => new ActivityInboundLogInterceptor(ctx)] } });
    try {
      const workflowId = uid("ai-legacy-noop");
      const from = log.lines.length;
      await (await env()).client.workflow.execute("greetBoth", { workflowId, taskQueue: w.taskQueue, args: ["eve"] });
      const greetings = log.lines.slice(from).filter((l) => l.message === "greeting" && l.meta?.workflowId === workflowId);
      expect(greetings.length).toBe(2);
    } finally {
      await w.stop();
    }
  });
});

describe("headers", () => {
  test("headers written by a workflow outbound interceptor reach execute unchanged, for regular and local activities, past a strict codec", async () => {
    const seen: { isLocal: boolean; tenant: unknown; encoding: string | undefined }[] = [];
    const w = await startWorker(FILE, {
      activities,
      workflowBundle: await bundleWorkflowCode({ workflowsPath: fixture(FILE), workflowInterceptorModules: [fixture("activity-header-interceptors.ts")] }),
      dataConverter: { payloadCodecs: [strictCodec] },
      interceptors: {
        activity: [
          (ctx) => ({
            inbound: {
              async execute(input, next) {
                const h = input.headers.tenant;
                seen.push({ isLocal: ctx.info.isLocal, tenant: h && defaultPayloadConverter.fromPayload(h), encoding: h && payloadEncoding(h) });
                return next(input);
              },
            },
          }),
        ],
      },
    });
    try {
      const c = new Client({ connection: (await env()).connection, dataConverter: { payloadCodecs: [strictCodec] } });
      const handle = await c.workflow.start("greetBoth", { workflowId: uid("ai-wf-headers"), taskQueue: w.taskQueue, args: ["fay"] });
      expect(await handle.result()).toEqual(["hello fay #1", "hello fay #2"]);
      // Not codec-decoded: the strict codec would have refused them, and they arrive as the converter wrote them.
      expect(seen).toEqual([
        { isLocal: false, tenant: "acme/greet/remote", encoding: "json/plain" },
        { isLocal: true, tenant: "acme/greet/local", encoding: "json/plain" },
      ]);
      // Not codec-encoded on the way into history either.
      const scheduled = (await handle.fetchHistory()).events.find(isType(EventType.ACTIVITY_TASK_SCHEDULED))!;
      if (scheduled.attributes.case !== "activityTaskScheduledEventAttributes") throw new Error("unexpected event");
      const header = scheduled.attributes.value.header!.fields.tenant!;
      expect(payloadEncoding(header)).toBe("json/plain");
      expect(payloadEncoding(scheduled.attributes.value.input!.payloads[0]!)).toBe(STRICT);
    } finally {
      await w.stop();
    }
  });

  test("the ScheduleActivityTask command's headers reach execute byte for byte, never through the payload codec", async () => {
    const e = await env();
    const c = e.client;
    const seenHeaders: Record<string, Payload>[] = [];
    // An activity-only worker with a strict codec: a header passed to the codec would fail the attempt.
    const worker = await Worker.create({
      connection: e.connection,
      taskQueue: uid("ai-headers-activities"),
      activities,
      shutdownSignals: [],
      dataConverter: { payloadCodecs: [strictCodec] },
      interceptors: {
        activity: [
          () => ({
            inbound: {
              async execute(input, next) {
                seenHeaders.push(input.headers);
                return next(input);
              },
            },
          }),
        ],
      },
    });
    const running = worker.run();
    try {
      // The workflow side is driven by hand: its task writes the command with a header.
      const workflowTaskQueue = uid("ai-headers-workflow");
      const handle = await c.workflow.start("handDriven", { workflowId: uid("ai-headers"), taskQueue: workflowTaskQueue });
      const tenant = defaultPayloadConverter.toPayload("acme") as Payload;
      const opaque = makePayload("binary/opaque-header", new Uint8Array([0, 1, 2, 255]));
      const command = create(CommandSchema, {
        commandType: CommandType.SCHEDULE_ACTIVITY_TASK,
        attributes: {
          case: "scheduleActivityTaskCommandAttributes",
          value: {
            activityId: "1",
            activityType: { name: "echoHeaders" },
            taskQueue: { name: worker.taskQueue },
            header: { fields: { tenant, opaque } },
            input: { payloads: [defaultPayloadConverter.toPayload("v") as Payload] },
            startToCloseTimeout: { seconds: 10n },
          },
        },
      });
      // The input goes through the strict codec (as a workflow worker with it would do); the header does not.
      await encodePayloadsInMessage([strictCodec], CommandSchema, command);
      await respondWithCommand(c, workflowTaskQueue, command);
      const done = await waitForEvent(handle, (ev) => ev.eventType === EventType.ACTIVITY_TASK_COMPLETED || ev.eventType === EventType.ACTIVITY_TASK_FAILED, "activity closed");
      expect(done.eventType).toBe(EventType.ACTIVITY_TASK_COMPLETED);
      expect(seenHeaders.length).toBe(1);
      const h = seenHeaders[0]!;
      expect(Object.keys(h).sort()).toEqual(["opaque", "tenant"]);
      expect(payloadEncoding(h.tenant!)).toBe("json/plain");
      expect(defaultPayloadConverter.fromPayload(h.tenant!)).toBe("acme");
      expect(payloadEncoding(h.opaque!)).toBe("binary/opaque-header");
      expect([...h.opaque!.data]).toEqual([0, 1, 2, 255]);
      // The result was encoded by the worker's codec (the codec ran, just not over headers).
      if (done.attributes.case !== "activityTaskCompletedEventAttributes") throw new Error("unexpected event");
      expect(payloadEncoding(done.attributes.value.result!.payloads[0]!)).toBe(STRICT);
      await handle.terminate("test done");
    } finally {
      worker.shutdown();
      await running;
    }
  });
});
