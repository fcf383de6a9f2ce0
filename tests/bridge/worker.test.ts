import { describe, expect, test } from "bun:test";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  NativeBridgeError,
  NativeClient,
  NativeErrorCode,
  NativeReplayer,
  NativeWorker,
  type BridgeCounters,
} from "../../src/bridge/index.js";
import { WorkflowActivationSchema } from "../../src/proto/temporal/sdk/core/workflow_activation/workflow_activation_pb.js";
import { WorkflowActivationCompletionSchema } from "../../src/proto/temporal/sdk/core/workflow_completion/workflow_completion_pb.js";
import { HistorySchema } from "../../src/proto/temporal/api/history/v1/message_pb.js";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import { testRuntime, testServer } from "../helpers/dev-server.js";

interface CounterRun {
  before: BridgeCounters;
  after: BridgeCounters;
  polls: unknown;
  initiateAfterFree?: string;
}

/** Runs a scenario of fixtures/counters-main.ts in a fresh process (counters are process-wide). */
async function inFreshProcess(scenario: string): Promise<CounterRun> {
  const { address } = await testServer();
  const proc = Bun.spawn([process.execPath, new URL("./fixtures/counters-main.ts", import.meta.url).pathname, scenario, address], { stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`counters-main ${scenario} exited ${code}: ${stderr}`);
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as CounterRun;
}

async function connect() {
  const { address } = await testServer();
  return NativeClient.connect(testRuntime(), { targetUrl: address });
}

/** Runs a worker through its whole life: validate, polls, two-phase shutdown, free. */
async function workerCycle(client: NativeClient, taskQueue: string) {
  const worker = NativeWorker.create(client, {
    namespace: "default",
    taskQueue,
    identity: "bridge-test",
    maxCachedWorkflows: 10,
    workflowPollers: { maximum: 2 },
    activityPollers: { maximum: 2 },
  });
  await worker.validate();
  const wfPoll = worker.pollWorkflowActivation();
  const actPoll = worker.pollActivityTask();
  worker.initiateShutdown();
  expect(await wfPoll).toEqual({ kind: "shutdown" });
  expect(await actPoll).toEqual({ kind: "shutdown" });
  await worker.finalizeShutdown();
  worker.free();
}

describe("worker through core", () => {
  test("create, validate, poll, initiate shutdown (polls end with 'shutdown'), finalize, free", async () => {
    const client = await connect();
    await workerCycle(client, `cycle-${crypto.randomUUID()}`);
    client.free();
  });

  test("bad worker options are typed errors", async () => {
    const client = await connect();
    try {
      expect(() => NativeWorker.create(client, { namespace: "default", taskQueue: "" })).toThrow(NativeBridgeError);
      expect(() => NativeWorker.create(client, { namespace: "default", taskQueue: "q", workflowSlots: 0 })).toThrow(/SlotsMustBePositive/);
      expect(() =>
        NativeWorker.create(client, { namespace: "default", taskQueue: "q", workflowPollers: { autoscaling: { minimum: 5, maximum: 2, initial: 3 } } }),
      ).toThrow(/Autoscaling/);
    } finally {
      client.free();
    }
  });

  test("validate fails for a namespace that does not exist; the worker still shuts down cleanly", async () => {
    const client = await connect();
    const worker = NativeWorker.create(client, { namespace: "no-such-namespace", taskQueue: "q" });
    try {
      const err = await worker.validate().catch((e) => e);
      expect(err).toBeInstanceOf(NativeBridgeError);
      expect(err.message).toContain("no-such-namespace");
    } finally {
      const polls = [worker.pollWorkflowActivation(), worker.pollActivityTask()];
      worker.initiateShutdown();
      expect(await Promise.all(polls)).toEqual([{ kind: "shutdown" }, { kind: "shutdown" }]);
      await worker.finalizeShutdown();
      worker.free();
      client.free();
    }
  });

  test("freeing a worker while its polls are in flight never crashes; the polls end with shutdown", async () => {
    const r = await inFreshProcess("free-mid-poll");
    expect(r.initiateAfterFree).toMatch(/not live/);
    expect(r.polls).toEqual([{ kind: "shutdown" }, { kind: "shutdown" }]);
    // The worker and the client were destroyed when the last poll released them.
    expect(r.after.live).toEqual(r.before.live);
    expect(r.after.pendingObjects).toBe(r.before.pendingObjects);
    expect(r.after.reapQueueDepth).toBe(0);
  });

  test("heartbeat and eviction on an unknown task/run are handled, not crashes", async () => {
    const client = await connect();
    const worker = NativeWorker.create(client, { namespace: "default", taskQueue: `misc-${crypto.randomUUID()}` });
    try {
      worker.requestWorkflowEviction("not-a-cached-run");
      // An empty buffer is rejected before reaching core.
      expect(() => worker.recordActivityHeartbeat(new Uint8Array(0))).toThrow(/empty/);
      const err = await worker.completeActivityTask(new Uint8Array([0xff, 0xff])).catch((e) => e);
      expect(err).toBeInstanceOf(NativeBridgeError);
    } finally {
      const polls = [worker.pollWorkflowActivation(), worker.pollActivityTask()];
      worker.initiateShutdown();
      await Promise.all(polls);
      await worker.finalizeShutdown();
      worker.free();
      client.free();
    }
  });

  test("finalize out of order is refused with a typed error (core would hang or panic), never a hang", async () => {
    const client = await connect();
    const worker = NativeWorker.create(client, { namespace: "default", taskQueue: `early-finalize-${crypto.randomUUID()}` });
    const expectRefused = async (pattern: RegExp) => {
      const err = await worker.finalizeShutdown().catch((e) => e);
      expect(err).toBeInstanceOf(NativeBridgeError);
      expect(err.code).toBe(NativeErrorCode.invalid_state);
      expect(err.message).toMatch(pattern);
    };
    await expectRefused(/initiate_shutdown first/);
    const actPoll = worker.pollActivityTask();
    worker.initiateShutdown();
    // The poll is in flight, or (if core already ended it) has not been seen to end yet.
    await expectRefused(/still in flight|until the poll returns 'shutdown'/);
    expect(await actPoll).toEqual({ kind: "shutdown" });
    await expectRefused(/poll workflow activations until/);
    expect(await worker.pollWorkflowActivation()).toEqual({ kind: "shutdown" });
    await worker.finalizeShutdown();
    // Core's worker is gone now: every call but free is refused instead of reaching it.
    expect(() => worker.initiateShutdown()).toThrow(/finalized; only free/);
    expect(() => worker.requestWorkflowEviction("run")).toThrow(/finalized/);
    expect(await worker.pollWorkflowActivation().catch((e) => e)).toBeInstanceOf(NativeBridgeError);
    await expectRefused(/already finalized/);
    worker.free();
    client.free();
  });
});

describe("replayer through core", () => {
  test("a pushed history comes back as an activation; closing the pusher ends polling", async () => {
    const replayer = NativeReplayer.create(testRuntime(), { namespace: "default", taskQueue: "replay" });
    const now = new Date();
    const history = create(HistorySchema, {
      events: [
        {
          eventId: 1n,
          eventTime: timestampFromDate(now),
          eventType: EventType.WORKFLOW_EXECUTION_STARTED,
          attributes: {
            case: "workflowExecutionStartedEventAttributes",
            value: { workflowType: { name: "replayMe" }, taskQueue: { name: "replay" }, originalExecutionRunId: "run-1", attempt: 1, firstExecutionRunId: "run-1" },
          },
        },
        { eventId: 2n, eventTime: timestampFromDate(now), eventType: EventType.WORKFLOW_TASK_SCHEDULED, attributes: { case: "workflowTaskScheduledEventAttributes", value: { taskQueue: { name: "replay" }, attempt: 1 } } },
      ],
    });
    replayer.push("wf-1", toBinary(HistorySchema, history));
    const worker = replayer.worker;
    const polled = await worker.pollWorkflowActivation();
    expect(polled.kind).toBe("task");
    if (polled.kind !== "task") return;
    const activation = fromBinary(WorkflowActivationSchema, polled.bytes);
    expect(activation.jobs[0]?.variant.case).toBe("initializeWorkflow");
    const init = activation.jobs[0]?.variant.value as { workflowType: string };
    expect(init.workflowType).toBe("replayMe");
    // Complete with no commands (the history ends at the first task).
    await worker.completeWorkflowActivation(
      toBinary(WorkflowActivationCompletionSchema, create(WorkflowActivationCompletionSchema, { runId: activation.runId, status: { case: "successful", value: { commands: [] } } })),
    );
    replayer.finishPushing();
    // Drain until core reports shutdown (it may first ask to evict the run).
    for (let i = 0; i < 10; i++) {
      const next = await worker.pollWorkflowActivation();
      if (next.kind === "shutdown") break;
      const act = fromBinary(WorkflowActivationSchema, next.bytes);
      await worker.completeWorkflowActivation(
        toBinary(WorkflowActivationCompletionSchema, create(WorkflowActivationCompletionSchema, { runId: act.runId, status: { case: "successful", value: { commands: [] } } })),
      );
    }
    worker.initiateShutdown();
    await worker.finalizeShutdown();
    worker.free();
  });

  test("a malformed history is rejected with core's message", () => {
    const replayer = NativeReplayer.create(testRuntime(), { namespace: "default", taskQueue: "replay-bad" });
    try {
      expect(() => replayer.push("wf-bad", new Uint8Array([0xff, 0x01, 0x02]))).toThrow(NativeBridgeError);
    } finally {
      replayer.finishPushing();
      replayer.worker.initiateShutdown();
      replayer.worker.free();
    }
  });
});

describe("leaks", () => {
  test("1,000 connect / RPC / free cycles and a worker cycle return the live counters to their start", async () => {
    const r = await inFreshProcess("leak");
    expect(r.polls).toEqual([{ kind: "shutdown" }, { kind: "shutdown" }]);
    expect(r.after.live).toEqual(r.before.live);
    expect(r.after.pendingObjects).toBe(r.before.pendingObjects);
    expect(r.after.bufferObjects).toBe(r.before.bufferObjects);
    expect(r.after.coreByteArrays).toBe(r.before.coreByteArrays);
    expect(r.after.reapQueueDepth).toBe(0);
    expect(r.after.pendingCreatedTotal - r.before.pendingCreatedTotal).toBeGreaterThanOrEqual(2000);
  });
});

describe("ephemeral dev server", () => {
  test("starts on a free port, answers, and shuts down", async () => {
    const { NativeEphemeralServer } = await import("../../src/bridge/index.js");
    const { cliPath } = await import("../helpers/dev-server.js");
    const server = await NativeEphemeralServer.startDev(testRuntime(), { existingPath: cliPath(), namespace: "ns-test", logLevel: "error" });
    expect(server.target).toMatch(/^127\.0\.0\.1:\d+$/);
    const client = await NativeClient.connect(testRuntime(), { targetUrl: server.target });
    const { DescribeNamespaceRequestSchema, DescribeNamespaceResponseSchema } = await import(
      "../../src/proto/temporal/api/workflowservice/v1/request_response_pb.js"
    );
    const ns = fromBinary(
      DescribeNamespaceResponseSchema,
      await client.rpc("workflow", "DescribeNamespace", toBinary(DescribeNamespaceRequestSchema, create(DescribeNamespaceRequestSchema, { namespace: "ns-test" }))),
    );
    expect(ns.namespaceInfo?.name).toBe("ns-test");
    client.free();
    await server.shutdown();
    const port = Number(server.target.split(":")[1]);
    const err = await NativeClient.connect(testRuntime(), { targetUrl: `127.0.0.1:${port}` }, 3000).catch((e) => e);
    expect(err).toBeInstanceOf(NativeBridgeError);
  });

  test("a missing CLI path is a clear error", async () => {
    const { NativeEphemeralServer } = await import("../../src/bridge/index.js");
    const err = await NativeEphemeralServer.startDev(testRuntime(), { existingPath: "/nonexistent/temporal" }).catch((e) => e);
    expect(err).toBeInstanceOf(NativeBridgeError);
    expect(err.code).toBe(NativeErrorCode.malformed_options);
    expect(err.message).toContain("./dev setup");
  });
});
