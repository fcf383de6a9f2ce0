/**
 * `new Client({ connection: nativeConnection })` and eager workflow start. Core's client
 * reserves a workflow task slot of a worker registered on the same core client (namespace and
 * task queue) and hands it the first workflow task that comes back in the start response; the
 * handle says whether that happened (`eagerlyStarted`). Without a local worker on the same
 * core client, core clears the request and the workflow starts normally.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Client, Connection } from "../../src/client/index.js";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import { NativeConnection, Worker } from "../../src/worker/index.js";
import * as activities from "../e2e/fixtures/activities.js";
import { bundle, env, expectReplays, uid } from "../e2e/helpers.js";

let nc: NativeConnection;
let worker: Worker;
let running: Promise<void>;
const taskQueue = uid("eager");

beforeAll(async () => {
  const e = await env();
  nc = await NativeConnection.connect({ address: e.address });
  worker = await Worker.create({ connection: nc, taskQueue, workflowBundle: await bundle("workflows.ts"), activities, shutdownSignals: [] });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await nc?.close();
});

describe("Client with a NativeConnection", () => {
  test("is accepted (as in @temporalio/client) and uses the connection's core client", async () => {
    const client = new Client({ connection: nc });
    expect(client.connection).toBe(nc.connection);
    const h = await client.workflow.start("ping", { taskQueue, workflowId: uid("nc-ping") });
    expect(await h.result()).toBe("pong");
  });

  test("it is a ConnectionLike itself, as the official one: raw RPCs and call contexts", async () => {
    const info = await nc.withDeadline(Date.now() + 10_000, () => nc.workflowService.getSystemInfo({}));
    expect(info.capabilities?.signalAndQueryHeader).toBe(true);
    await nc.ensureConnected();
    expect((await nc.healthService.check({})).status).toBe(1); // SERVING
  });

  test("anything else is refused, naming the option", () => {
    expect(() => new Client({ connection: {} as never })).toThrow(
      "ClientOptions.connection: expected a Connection (Connection.connect()) or a NativeConnection (NativeConnection.connect())",
    );
  });
});

describe("requestEagerStart", () => {
  test("with the worker's NativeConnection: the server hands the first task to that worker (eagerlyStarted), the workflow completes and replays", async () => {
    const client = new Client({ connection: nc });
    const h = await client.workflow.start("activityChain", { taskQueue, workflowId: uid("eager"), args: [1], requestEagerStart: true });
    expect(h.eagerlyStarted).toBe(true);
    expect(await h.result()).toBe("a4,b4");
    const history = await expectReplays(h, "workflows.ts");
    // The eager task was started by the start request itself: scheduled and started are events
    // 2 and 3, written in the start's own transaction (consecutive task ids; a polled task is
    // started later, in a transaction of its own that also records the history size).
    const [started, scheduled, taskStarted] = history.events;
    expect([started!.eventType, scheduled!.eventType, taskStarted!.eventType]).toEqual([
      EventType.WORKFLOW_EXECUTION_STARTED,
      EventType.WORKFLOW_TASK_SCHEDULED,
      EventType.WORKFLOW_TASK_STARTED,
    ]);
    expect(taskStarted!.taskId).toBe(scheduled!.taskId + 1n);
    if (taskStarted!.attributes.case !== "workflowTaskStartedEventAttributes") throw new Error("not a task-started event");
    expect(taskStarted!.attributes.value.historySizeBytes).toBe(0n);
  });

  test("a client Connection the worker was created from works the same way (all our RPCs go through core's client)", async () => {
    const e = await env();
    const conn = await Connection.connect({ address: e.address });
    const tq = uid("eager-conn");
    const w = await Worker.create({ connection: conn, taskQueue: tq, workflowBundle: await bundle("workflows.ts"), activities, shutdownSignals: [] });
    try {
      const client = new Client({ connection: conn });
      const eagerly = await w.runUntil(async () => {
        const h = await client.workflow.start("ping", { taskQueue: tq, workflowId: uid("eager-conn"), requestEagerStart: true });
        expect(await h.result()).toBe("pong");
        return h.eagerlyStarted;
      });
      expect(eagerly).toBe(true);
    } finally {
      await conn.close();
    }
  });

  test("without a worker on the client's core client, or without the option, the start is normal (eagerlyStarted false)", async () => {
    const e = await env();
    const other = new Client({ connection: await Connection.connect({ address: e.address }) });
    try {
      const h = await other.workflow.start("ping", { taskQueue, workflowId: uid("not-eager"), requestEagerStart: true });
      expect(h.eagerlyStarted).toBe(false);
      expect(await h.result()).toBe("pong");
    } finally {
      await other.connection.close();
    }
    const h2 = await new Client({ connection: nc }).workflow.start("ping", { taskQueue, workflowId: uid("no-option") });
    expect(h2.eagerlyStarted).toBe(false);
    expect(await h2.result()).toBe("pong");
  });

  test("a non-boolean value, or the option on signalWithStart, is refused naming it", async () => {
    const client = new Client({ connection: nc });
    await expect(client.workflow.start("ping", { taskQueue, workflowId: uid("bad"), requestEagerStart: "yes" as never })).rejects.toThrow(
      'WorkflowStartOptions.requestEagerStart: expected a boolean, got "yes"',
    );
    await expect(
      client.workflow.signalWithStart("ping", { taskQueue, workflowId: uid("bad"), signal: "s", requestEagerStart: true } as never),
    ).rejects.toThrow("WorkflowSignalWithStartOptions.requestEagerStart: not supported");
  });
});
