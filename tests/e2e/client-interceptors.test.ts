/**
 * Client interceptors (`ClientOptions.interceptors.workflow`) against the dev server with real
 * workers: every WorkflowClientInterceptor hook is called with the official input, in the
 * official order (the first interceptor outermost), and what it does takes effect — headers it
 * writes reach history byte for byte (the client, the workers and the server all run the strict
 * codec, which fails on any payload it did not encode: headers are never codec-encoded), changed
 * arguments and results are what the caller and the workflow see, and a hook that throws stops
 * the call before any RPC.
 */
import { afterAll, beforeAll, describe, expect, spyOn, test } from "bun:test";
import { toBinary } from "@bufbuild/protobuf";
import {
  Client,
  Connection,
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  type Next,
  type WorkflowClientInterceptor,
  type WorkflowSignalInput,
  type WorkflowStartInput,
  type WorkflowStartUpdateOutput,
} from "../../src/client/index.js";
import { defaultPayloadConverter, payloadEncoding, type Payload } from "../../src/common/index.js";
import { PayloadSchema } from "../../src/proto/temporal/api/common/v1/message_pb.js";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import type { History, HistoryEvent } from "../../src/proto/temporal/api/history/v1/message_pb.js";
import { STRICT, strictCodec } from "../../tools/compat/strict-codec.js";
import { Worker } from "../../src/worker/index.js";
import { bundle, env, isType, startWorker, uid, waitForEvent, type RunningWorker } from "./helpers.js";
import { addSignal, doneSignal, itemsQuery, signalsAndQueries } from "./fixtures/workflows.js";
import { appliedQuery, counter, done, increment } from "./fixtures/update-workflows.js";

const codecs = { payloadCodecs: [strictCodec] };
let wf: RunningWorker;
let upd: RunningWorker;

beforeAll(async () => {
  wf = await startWorker("workflows.ts", { dataConverter: codecs });
  upd = await startWorker("update-workflows.ts", { dataConverter: codecs });
});
afterAll(async () => {
  await wf?.stop();
  await upd?.stop();
});

/** Replays the run's history with the workers' codec (as helpers' expectReplays, which has none). */
async function expectReplays(h: { workflowId: string; fetchHistory(): Promise<History> }, file: string): Promise<History> {
  const history = await h.fetchHistory();
  await Worker.runReplayHistory({ workflowBundle: await bundle(file), dataConverter: codecs }, history, h.workflowId);
  expect(history.events.length).toBeGreaterThan(2);
  return history;
}

const header = (value: unknown): Payload => defaultPayloadConverter.toPayload(value) as Payload;
const bytes = (p: Payload | undefined) => (p === undefined ? undefined : toBinary(PayloadSchema, p));

async function newClient(interceptors: unknown): Promise<Client> {
  const e = await env();
  return new Client({ connection: e.connection, namespace: e.namespace, dataConverter: codecs, interceptors: { workflow: interceptors as WorkflowClientInterceptor[] } });
}

type Call = { who: string; hook: string; input: any; headersSeen: string[] };

/**
 * An interceptor that records each call (with the headers it found), adds header `who` =
 * `${who}:${hook}` and calls next; `after` records the return.
 */
function recorder(who: string, calls: Call[], order: string[]): WorkflowClientInterceptor {
  const hook =
    (name: string, headersField = "headers") =>
    async (input: any, next: (input: any) => Promise<any>) => {
      const headers = input[headersField];
      calls.push({ who, hook: name, input, headersSeen: headers ? Object.keys(headers).sort() : [] });
      order.push(`${who}>${name}`);
      const withHeader = headers === undefined ? input : { ...input, [headersField]: { ...headers, [who]: header(`${who}:${name}`) } };
      const out = await next(withHeader);
      order.push(`${who}<${name}`);
      return out;
    };
  const withStartHook = async (input: any, next: (input: any) => Promise<any>) => {
    calls.push({ who, hook: "startUpdateWithStart", input, headersSeen: Object.keys(input.updateHeaders).sort() });
    order.push(`${who}>startUpdateWithStart`);
    const out = await next({
      ...input,
      workflowStartHeaders: { ...input.workflowStartHeaders, [who]: header(`${who}:start`) },
      updateHeaders: { ...input.updateHeaders, [who]: header(`${who}:update`) },
    });
    order.push(`${who}<startUpdateWithStart`);
    return out;
  };
  return {
    startWithDetails: hook("startWithDetails"),
    signalWithStart: hook("signalWithStart"),
    signal: hook("signal"),
    query: hook("query"),
    startUpdate: hook("startUpdate"),
    startUpdateWithStart: withStartHook,
    terminate: hook("terminate", "none"),
    cancel: hook("cancel", "none"),
    describe: hook("describe", "none"),
  };
}

function eventHeader(e: HistoryEvent): Record<string, Payload> {
  const a = e.attributes;
  switch (a.case) {
    case "workflowExecutionStartedEventAttributes":
    case "workflowExecutionSignaledEventAttributes":
      return a.value.header?.fields ?? {};
    case "workflowExecutionUpdateAcceptedEventAttributes":
      return a.value.acceptedRequest?.input?.header?.fields ?? {};
    default:
      throw new Error(`no header on ${a.case}`);
  }
}

/** The header reached history exactly as the converter made it: not codec-encoded. */
function expectHeaders(e: HistoryEvent, expected: Record<string, string>): void {
  const fields = eventHeader(e);
  expect(Object.keys(fields).sort()).toEqual(Object.keys(expected).sort());
  for (const [k, v] of Object.entries(expected)) {
    expect(payloadEncoding(fields[k]!)).toBe("json/plain");
    expect(bytes(fields[k])).toEqual(bytes(header(v)));
  }
}

describe("every hook, in order, with the official input", () => {
  test("start, signal, query, describe, terminate: inputs, the first interceptor outermost, headers in history unencoded", async () => {
    const calls: Call[] = [];
    const order: string[] = [];
    const c = await newClient([recorder("a", calls, order), recorder("b", calls, order)]);
    const workflowId = uid("ci-start");
    const h = await c.workflow.start(signalsAndQueries, { workflowId, taskQueue: wf.taskQueue, memo: { m: 1 }, workflowRunTimeout: "1 minute" });
    expect(order).toEqual(["a>startWithDetails", "b>startWithDetails", "b<startWithDetails", "a<startWithDetails"]);
    const [a, b] = calls;
    expect(a!.input).toMatchObject({ workflowType: "signalsAndQueries", headers: {} });
    expect(a!.input.options).toMatchObject({ workflowId, taskQueue: wf.taskQueue, args: [], memo: { m: 1 }, workflowRunTimeout: { seconds: 60n, nanos: 0 } });
    expect(b!.headersSeen).toEqual(["a"]);
    expect(h.firstExecutionRunId).toBeString();
    expect(h.eagerlyStarted).toBe(false);

    await h.signal(addSignal, "x");
    expect(calls.slice(2).map((x) => [x.who, x.hook, x.headersSeen])).toEqual([
      ["a", "signal", []],
      ["b", "signal", ["a"]],
    ]);
    expect(calls[2]!.input).toEqual({ signalName: "add", args: ["x"], workflowExecution: { workflowId, runId: undefined }, headers: {} });

    expect(await h.query(itemsQuery)).toEqual(["x"]);
    expect(calls[4]!.input).toMatchObject({ queryType: "items", args: [], workflowExecution: { workflowId, runId: undefined }, headers: {} });
    expect(calls[4]!.input.queryRejectCondition).toBe(1); // QUERY_REJECT_CONDITION_NONE, the official default
    expect(calls[5]!.headersSeen).toEqual(["a"]);

    const d = await h.describe();
    expect(d.memo).toEqual({ m: 1 }); // decoded after the chain: interceptors saw the raw (codec-encoded) response
    expect(calls.slice(6).map((x) => [x.who, x.hook])).toEqual([
      ["a", "describe"],
      ["b", "describe"],
    ]);
    expect(calls[6]!.input).toEqual({ workflowExecution: { workflowId, runId: undefined } });

    const started = await waitForEvent(h, isType(EventType.WORKFLOW_EXECUTION_STARTED), "the start");
    expectHeaders(started, { a: "a:startWithDetails", b: "b:startWithDetails" });
    const signaled = await waitForEvent(h, isType(EventType.WORKFLOW_EXECUTION_SIGNALED), "the signal");
    expectHeaders(signaled, { a: "a:signal", b: "b:signal" });

    const res = await h.terminate("enough", "detail");
    expect(res.$typeName).toBe("temporal.api.workflowservice.v1.TerminateWorkflowExecutionResponse");
    expect(calls.slice(8).map((x) => [x.who, x.hook])).toEqual([
      ["a", "terminate"],
      ["b", "terminate"],
    ]);
    expect(calls[8]!.input).toEqual({ workflowExecution: { workflowId, runId: undefined }, reason: "enough", details: ["detail"], firstExecutionRunId: h.firstExecutionRunId });
    const terminated = await waitForEvent(h, isType(EventType.WORKFLOW_EXECUTION_TERMINATED), "the termination");
    if (terminated.attributes.case !== "workflowExecutionTerminatedEventAttributes") throw new Error("unexpected");
    expect(terminated.attributes.value.reason).toBe("enough");
    expect(payloadEncoding(terminated.attributes.value.details!.payloads[0]!)).toBe(STRICT);
  });

  test("cancel and a handle from getHandle(workflowId, runId) go through the hooks with that run", async () => {
    const calls: Call[] = [];
    const order: string[] = [];
    const c = await newClient([recorder("a", calls, order)]);
    const started = await c.workflow.start(signalsAndQueries, { workflowId: uid("ci-cancel"), taskQueue: wf.taskQueue });
    const h = c.workflow.getHandle(started.workflowId, started.firstExecutionRunId);
    await h.cancel();
    const cancel = calls.find((x) => x.hook === "cancel")!;
    expect(cancel.input).toEqual({ workflowExecution: { workflowId: started.workflowId, runId: started.firstExecutionRunId }, firstExecutionRunId: undefined });
    await waitForEvent(h, isType(EventType.WORKFLOW_EXECUTION_CANCEL_REQUESTED), "the cancel request");
    // The workflow ignores cancellation (it waits in a condition, so the scope's cancellation fails it).
    await h.result().catch(() => undefined);
    await expectReplays(h, "workflows.ts");
  });

  test("signalWithStart: the input, headers on the start and the signal events", async () => {
    const calls: Call[] = [];
    const order: string[] = [];
    const c = await newClient([recorder("a", calls, order), recorder("b", calls, order)]);
    const workflowId = uid("ci-sws");
    const h = await c.workflow.signalWithStart(signalsAndQueries, { workflowId, taskQueue: wf.taskQueue, signal: addSignal, signalArgs: ["first"] });
    expect(order).toEqual(["a>signalWithStart", "b>signalWithStart", "b<signalWithStart", "a<signalWithStart"]);
    expect(calls[0]!.input).toMatchObject({ workflowType: "signalsAndQueries", signalName: "add", signalArgs: ["first"], headers: {} });
    expect(calls[0]!.input.options).toMatchObject({ workflowId, taskQueue: wf.taskQueue, args: [] });
    expect(calls[0]!.input.options.signal).toBeUndefined();
    expect(h.signaledRunId).toBeString();
    await h.signal(doneSignal);
    expect(await h.result()).toEqual(["first"]);
    const history = await expectReplays(h, "workflows.ts");
    expectHeaders(history.events.find(isType(EventType.WORKFLOW_EXECUTION_STARTED))!, { a: "a:signalWithStart", b: "b:signalWithStart" });
    expectHeaders(history.events.find(isType(EventType.WORKFLOW_EXECUTION_SIGNALED))!, { a: "a:signalWithStart", b: "b:signalWithStart" });
  });

  test("startUpdate, executeUpdate, startUpdateWithStart, executeUpdateWithStart: inputs and headers in the accepted events", async () => {
    const calls: Call[] = [];
    const order: string[] = [];
    const c = await newClient([recorder("a", calls, order), recorder("b", calls, order)]);
    const workflowId = uid("ci-upd");
    const op = new WithStartWorkflowOperation(counter, { workflowId, taskQueue: upd.taskQueue, args: [1], workflowIdConflictPolicy: "FAIL" });
    expect(await c.workflow.executeUpdateWithStart(increment, { args: [2], startWorkflowOperation: op, updateId: "u1" })).toBe(3);
    expect(order).toEqual(["a>startUpdateWithStart", "b>startUpdateWithStart", "b<startUpdateWithStart", "a<startUpdateWithStart"]);
    expect(calls[0]!.input).toMatchObject({
      workflowType: "counter",
      workflowStartHeaders: {},
      updateName: "increment",
      updateArgs: [2],
      updateOptions: { updateId: "u1" },
      updateHeaders: {},
    });
    expect(calls[0]!.input.workflowStartOptions).toMatchObject({ workflowId, taskQueue: upd.taskQueue, args: [1], workflowIdConflictPolicy: "FAIL" });
    const h = await op.workflowHandle();

    const op2 = new WithStartWorkflowOperation(counter, { workflowId, taskQueue: upd.taskQueue, args: [0], workflowIdConflictPolicy: "USE_EXISTING" });
    const u2 = await c.workflow.startUpdateWithStart(increment, { args: [3], waitForStage: "ACCEPTED", startWorkflowOperation: op2, updateId: "u2" });
    expect(await u2.result()).toBe(6);

    const u3 = await h.startUpdate(increment, { args: [4], waitForStage: "ACCEPTED", updateId: "u3" });
    expect(u3.workflowRunId).toBe(h.firstExecutionRunId);
    expect(await u3.result()).toBe(10);
    expect(await h.executeUpdate(increment, { args: [5] })).toBe(15);
    const startUpdates = calls.filter((x) => x.hook === "startUpdate" && x.who === "a");
    expect(startUpdates.map((x) => x.input)).toEqual([
      {
        updateName: "increment",
        args: [4],
        workflowExecution: { workflowId, runId: undefined },
        firstExecutionRunId: h.firstExecutionRunId,
        headers: {},
        options: { updateId: "u3", waitForStage: "ACCEPTED" },
      },
      { updateName: "increment", args: [5], workflowExecution: { workflowId, runId: undefined }, firstExecutionRunId: h.firstExecutionRunId, headers: {}, options: {} },
    ]);
    expect(calls.filter((x) => x.hook === "startUpdate" && x.who === "b").map((x) => x.headersSeen)).toEqual([["a"], ["a"]]);

    const applied = await h.query(appliedQuery);
    expect(applied.length).toBe(4);
    expect(applied.slice(0, 3)).toEqual(["u1", "u2", "u3"]);
    await h.signal(done);
    expect(await h.result()).toBe(15);
    const history = await expectReplays(h, "update-workflows.ts");
    expectHeaders(history.events.find(isType(EventType.WORKFLOW_EXECUTION_STARTED))!, { a: "a:start", b: "b:start" });
    const accepted = history.events.filter(isType(EventType.WORKFLOW_EXECUTION_UPDATE_ACCEPTED));
    expect(accepted.length).toBe(4);
    expectHeaders(accepted[0]!, { a: "a:update", b: "b:update" });
    expectHeaders(accepted[1]!, { a: "a:update", b: "b:update" });
    expectHeaders(accepted[2]!, { a: "a:startUpdate", b: "b:startUpdate" });
    expectHeaders(accepted[3]!, { a: "a:startUpdate", b: "b:startUpdate" });
  });
});

describe("what interceptors change takes effect", () => {
  test("changed arguments reach the workflow, changed results reach the caller", async () => {
    const rewrite: WorkflowClientInterceptor = {
      async startWithDetails(input, next) {
        return next({ ...input, options: { ...input.options, args: [(input.options.args[0] as number) * 10] } });
      },
      async signal(input, next) {
        return next({ ...input, args: input.args.map((a) => String(a).toUpperCase()) });
      },
      async query(input, next) {
        const result = (await next(input)) as string[];
        return [...result, "via-interceptor"];
      },
      async startUpdate(input, next) {
        const out = await next({ ...input, args: [(input.args[0] as number) + 100] });
        return out;
      },
      async describe(input, next) {
        const raw = await next(input);
        raw.workflowExecutionInfo!.taskQueue = "rewritten-by-interceptor";
        return raw;
      },
    };
    const c = await newClient([rewrite]);
    const h = await c.workflow.start(counter, { workflowId: uid("ci-rewrite"), taskQueue: upd.taskQueue, args: [1] });
    expect(await h.executeUpdate(increment, { args: [1] })).toBe(111); // 10 (start arg × 10) + 101
    expect((await h.describe()).taskQueue).toBe("rewritten-by-interceptor");
    await h.signal(done);
    expect(await h.result()).toBe(111);

    const s = await c.workflow.start(signalsAndQueries, { workflowId: uid("ci-rewrite-sq"), taskQueue: wf.taskQueue });
    await s.signal(addSignal, "lower");
    expect(await s.query(itemsQuery)).toEqual(["LOWER", "via-interceptor"]);
    await s.signal(doneSignal);
    expect(await s.result()).toEqual(["LOWER"]);
  });

  test("an interceptor can answer without calling next (a startUpdate output of its own)", async () => {
    const fake: WorkflowClientInterceptor = {
      async startUpdate(input): Promise<WorkflowStartUpdateOutput> {
        return { updateId: input.options.updateId ?? "none", workflowRunId: "not-sent" };
      },
    };
    const c = await newClient([fake]);
    const h = c.workflow.getHandle(uid("ci-never-started"));
    const u = await h.startUpdate(increment, { args: [1], waitForStage: "ACCEPTED", updateId: "local" });
    expect(u.updateId).toBe("local");
    expect(u.workflowRunId).toBe("not-sent");
  });

  test("a hook that throws blocks the call: nothing reaches the server", async () => {
    const blocked = new Error("blocked by interceptor");
    const guard: WorkflowClientInterceptor = {
      async startWithDetails(input, next) {
        if (input.options.workflowId.includes("forbidden")) throw blocked;
        return next(input);
      },
      async signal(input, next) {
        if (input.signalName === "add") throw blocked;
        return next(input);
      },
      async terminate() {
        throw blocked;
      },
      async signalWithStart() {
        throw blocked;
      },
      async startUpdateWithStart() {
        throw blocked;
      },
    };
    const c = await newClient([guard]);
    const forbiddenId = uid("ci-forbidden");
    expect(await c.workflow.start(signalsAndQueries, { workflowId: forbiddenId, taskQueue: wf.taskQueue }).catch((e) => e)).toBe(blocked);
    expect(await c.workflow.getHandle(forbiddenId).describe().catch((e) => e)).toBeInstanceOf(WorkflowNotFoundError);
    const sws = uid("ci-sws-blocked");
    expect(await c.workflow.signalWithStart(signalsAndQueries, { workflowId: sws, taskQueue: wf.taskQueue, signal: addSignal, signalArgs: ["x"] }).catch((e) => e)).toBe(blocked);
    expect(await c.workflow.getHandle(sws).describe().catch((e) => e)).toBeInstanceOf(WorkflowNotFoundError);
    const uws = uid("ci-uws-blocked");
    const op = new WithStartWorkflowOperation(counter, { workflowId: uws, taskQueue: upd.taskQueue, args: [0], workflowIdConflictPolicy: "FAIL" });
    expect(await c.workflow.executeUpdateWithStart(increment, { args: [1], startWorkflowOperation: op }).catch((e) => e)).toBe(blocked);
    // Here workflowHandle() fails with the same error (the official one never settles then).
    expect(await op.workflowHandle().catch((e) => e)).toBe(blocked);
    expect(await c.workflow.getHandle(uws).describe().catch((e) => e)).toBeInstanceOf(WorkflowNotFoundError);

    const h = await c.workflow.start(signalsAndQueries, { workflowId: uid("ci-allowed"), taskQueue: wf.taskQueue });
    expect(await h.signal(addSignal, "x").catch((e) => e)).toBe(blocked);
    expect(await h.terminate().catch((e) => e)).toBe(blocked);
    await h.signal(doneSignal);
    expect(await h.result()).toEqual([]); // the blocked signal never arrived; the run was not terminated
    const history = await h.fetchHistory();
    expect(history.events.filter(isType(EventType.WORKFLOW_EXECUTION_SIGNALED)).length).toBe(1);
  });
});

describe("the deprecated forms, as official", () => {
  test("{ calls: [factory] }: one interceptor per call or handle, made with its workflow id and run id", async () => {
    const made: { workflowId: string; runId?: string }[] = [];
    const calls: Call[] = [];
    const order: string[] = [];
    const c = await newClient({
      calls: [
        (input: { workflowId: string; runId?: string }) => {
          made.push(input);
          return recorder("f", calls, order);
        },
      ],
    });
    const workflowId = uid("ci-factory");
    const h = await c.workflow.start(signalsAndQueries, { workflowId, taskQueue: wf.taskQueue });
    expect(made).toEqual([{ workflowId, runId: undefined }]);
    const byRun = c.workflow.getHandle(workflowId, h.firstExecutionRunId);
    expect(made[1]).toEqual({ workflowId, runId: h.firstExecutionRunId });
    await byRun.signal(doneSignal);
    expect(await h.result()).toEqual([]);
    expect(calls.map((x) => x.hook)).toEqual(["startWithDetails", "signal"]);
    const history = await h.fetchHistory();
    expectHeaders(history.events[0]!, { f: "f:startWithDetails" });
  });

  test("a legacy `start` hook is adapted: its run id wins, eagerlyStarted comes from below", async () => {
    const seen: string[] = [];
    const legacy: WorkflowClientInterceptor = {
      async start(input, next) {
        seen.push(input.workflowType);
        const runId = await next({ ...input, headers: { legacy: header("yes") } });
        seen.push(runId);
        return runId;
      },
    };
    const c = await newClient([legacy]);
    const h = await c.workflow.start(signalsAndQueries, { workflowId: uid("ci-legacy"), taskQueue: wf.taskQueue });
    expect(seen).toEqual(["signalsAndQueries", h.firstExecutionRunId]);
    expect(h.eagerlyStarted).toBe(false);
    await h.signal(doneSignal);
    await h.result();
    expectHeaders((await h.fetchHistory()).events[0]!, { legacy: "yes" });

    // A class instance: every hook, the adapted legacy `start` too, runs with the instance as `this`.
    class Counting implements WorkflowClientInterceptor {
      #calls: string[] = [];
      get calls() {
        return this.#calls;
      }
      async start(input: WorkflowStartInput, next: Next<WorkflowClientInterceptor, "start">): Promise<string> {
        this.#calls.push("start");
        return next(input);
      }
      async signal(input: WorkflowSignalInput, next: Next<WorkflowClientInterceptor, "signal">): Promise<void> {
        this.#calls.push(`signal:${input.signalName}`);
        return next(input);
      }
    }
    const counting = new Counting();
    const cc = await newClient([counting]);
    const ch = await cc.workflow.start(signalsAndQueries, { workflowId: uid("ci-class"), taskQueue: wf.taskQueue });
    await ch.signal(doneSignal);
    await ch.result();
    expect(counting.calls).toEqual(["start", "signal:done"]);

    const shortCircuit = await newClient([{ start: async () => "made-up-run" } satisfies WorkflowClientInterceptor]);
    const fake = await shortCircuit.workflow.start(signalsAndQueries, { workflowId: uid("ci-legacy-fake"), taskQueue: wf.taskQueue });
    expect(fake.firstExecutionRunId).toBe("made-up-run");
    expect(fake.eagerlyStarted).toBe(false);
  });
});

describe("bad interceptor options", () => {
  test("are TypeErrors naming the option; the official-only kinds warn once", async () => {
    const e = await env();
    const make = (interceptors: unknown) => () => new Client({ connection: e.connection, interceptors: interceptors as never });
    expect(make({ workflow: "nope" })).toThrow(/ClientOptions\.interceptors\.workflow: expected an array of WorkflowClientInterceptor/);
    expect(make({ workflow: [null] })).toThrow(/ClientOptions\.interceptors\.workflow\[0\]: expected a WorkflowClientInterceptor object/);
    expect(make({ workflow: [{ query: 3 }] })).toThrow(/ClientOptions\.interceptors\.workflow\[0\]\.query: expected a function/);
    expect(make({ workflow: { calls: [1] } })).toThrow(/ClientOptions\.interceptors\.workflow\.calls\[0\]: expected a factory function/);
    expect(make({ workflw: [] })).toThrow(/ClientOptions\.interceptors: unknown option 'workflw' \(did you mean 'workflow'\?\)/);
    expect(make(5)).toThrow(/ClientOptions\.interceptors: expected an object/);
    expect(make({ schedule: {} })).toThrow(/ClientOptions\.interceptors\.schedule: expected an array of ScheduleClientInterceptor/);
    expect(make({ schedule: [{ create: 3 }] })).toThrow(/ClientOptions\.interceptors\.schedule\[0\]\.create: expected a function/);
    const warn = spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      new Client({ connection: e.connection, interceptors: { nexus: [], workflow: [] } });
      new Client({ connection: e.connection, interceptors: { nexus: [] } });
      // `schedule` is implemented (ScheduleClientInterceptor): no warning.
      new Client({ connection: e.connection, interceptors: { schedule: [] } });
      new Client({ connection: e.connection, workflow: { interceptors: [] } as never });
      // grpc-js call interceptors cannot apply to core's gRPC client: accepted, warned about, no effect.
      Connection.lazy({ address: "127.0.0.1:1", interceptors: [() => undefined] } as never);
      const messages = warn.mock.calls.map((args) => String(args[0]));
      expect(messages.filter((m) => m.includes("ClientOptions.interceptors: option 'nexus'"))).toHaveLength(1);
      expect(messages.filter((m) => m.includes("'schedule'"))).toHaveLength(0);
      expect(messages.filter((m) => m.includes("ClientOptions.workflow: option 'interceptors' has no effect here (the official Temporal SDK ignores it too)"))).toHaveLength(1);
      expect(messages.filter((m) => m.includes("ConnectionOptions: option 'interceptors' is accepted by the official Temporal SDK but not implemented"))).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });
});
