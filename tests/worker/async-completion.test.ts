/**
 * Async activity completion against the dev server: an activity throws CompleteAsyncError
 * and the test completes, fails, heartbeats or cancels it through `client.activity`, by
 * task token or by `{ workflowId, activityId }`.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { Worker } from "../../src/worker/index.js";
import {
  ActivityCancelledError,
  ActivityCompletionError,
  ActivityFailure,
  ActivityNotFoundError,
  ActivityPausedError,
  ActivityResetError,
  ApplicationFailure,
  GrpcStatus,
  ServiceError,
  WorkflowFailedError,
  defaultPayloadConverter,
  type Client,
} from "../../src/client/index.js";
import { PauseActivityRequestSchema, ResetActivityRequestSchema } from "../../src/proto/temporal/api/workflowservice/v1/request_response_pb.js";
import { testEnv } from "../helpers/dev-server.js";
import * as activities from "./fixtures/async-completion-activities.js";
import { pendingFor } from "./fixtures/async-completion-activities.js";
import { fixturesDir, taskQueue } from "./helpers.js";

const tq = taskQueue("async-completion");
let client: Client;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  const env = await testEnv();
  client = env.client;
  worker = await Worker.create({
    connection: env.connection,
    taskQueue: tq,
    workflowsPath: `${fixturesDir}async-completion-workflows.ts`,
    activities,
    shutdownSignals: [],
  });
  running = worker.run();
});

afterAll(async () => {
  worker.shutdown();
  await running;
});

const start = (workflowType: string, input = "in") =>
  client.workflow.start(workflowType, { taskQueue: tq, workflowId: `${workflowType}-${crypto.randomUUID()}`, args: [input], workflowExecutionTimeout: "30s" });

describe("async activity completion", () => {
  test("a local activity that throws CompleteAsyncError fails the attempt with a clear reason; the worker keeps running", async () => {
    const handle = await start("localAsyncActivity");
    const result = (await handle.result()) as string;
    expect(result).toContain("ApplicationFailure CompleteAsyncError");
    expect(result).toContain("local activities cannot complete asynchronously");
    expect(worker.getState()).toBe("RUNNING");
  });

  test("complete by task token: the workflow gets the result", async () => {
    const handle = await start("asyncActivity");
    const p = await pendingFor(handle.workflowId);
    expect(p.taskToken).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(p.taskToken).toString("base64")).toBe(p.base64TaskToken);
    await client.activity.complete(p.taskToken, { answer: 42, from: "token" });
    expect(await handle.result()).toEqual({ answer: 42, from: "token" });
    // The worker reported "will complete async" and nothing else: no retry ran the function again.
    expect(p.runs).toBe(1);

    // The token is spent: completing again is ActivityNotFoundError (NOT_FOUND), not a hang.
    const again = await client.activity.complete(p.taskToken, "twice").catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ActivityNotFoundError);
    expect((again as Error).cause).toBeInstanceOf(ServiceError);
    expect(((again as Error).cause as ServiceError).code).toBe(GrpcStatus.NOT_FOUND);
  });

  test("complete by { workflowId, activityId } (with and without runId)", async () => {
    const handle = await start("asyncActivity");
    const p = await pendingFor(handle.workflowId);
    await client.activity.complete({ workflowId: p.workflowId, activityId: p.activityId }, "by id");
    expect(await handle.result()).toBe("by id");

    const h2 = await start("asyncActivity");
    const p2 = await pendingFor(h2.workflowId);
    expect(h2.firstExecutionRunId).toBe(p2.runId);
    await client.activity.complete({ workflowId: p2.workflowId, runId: p2.runId, activityId: p2.activityId }, "by id and run");
    expect(await h2.result()).toBe("by id and run");
  });

  test("fail by task token: WorkflowFailedError > ActivityFailure > the ApplicationFailure", async () => {
    const handle = await start("asyncActivity");
    const p = await pendingFor(handle.workflowId);
    await client.activity.fail(p.taskToken, ApplicationFailure.nonRetryable("failed from outside", "AsyncFailure", { detail: 1 }));
    const err = await handle.result().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const activityFailure = (err as WorkflowFailedError).cause;
    expect(activityFailure).toBeInstanceOf(ActivityFailure);
    expect((activityFailure as ActivityFailure).activityType).toBe("completeLater");
    const cause = (activityFailure as ActivityFailure).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe("AsyncFailure");
    expect((cause as ApplicationFailure).message).toBe("failed from outside");
    expect((cause as ApplicationFailure).nonRetryable).toBe(true);
    expect((cause as ApplicationFailure).details).toEqual([{ detail: 1 }]);
  });

  test("fail by id: the workflow catches the ActivityFailure and sees the cause", async () => {
    const handle = await start("asyncActivityCatching");
    const p = await pendingFor(handle.workflowId);
    await client.activity.fail({ workflowId: p.workflowId, activityId: p.activityId }, ApplicationFailure.nonRetryable("nope", "ById"));
    expect(await handle.result()).toBe("ActivityFailure > ApplicationFailure/ById: nope (nonRetryable=true)");
  });

  test("heartbeat is accepted; after the workflow cancels, heartbeat throws ActivityCancelledError and reportCancellation ends it", async () => {
    const handle = await start("asyncActivityCancelled");
    const p = await pendingFor(handle.workflowId);
    await client.activity.heartbeat(p.taskToken, { progress: 1 });
    await client.activity.heartbeat({ workflowId: p.workflowId, activityId: p.activityId }, { progress: 2 });
    const described = await handle.describe();
    const hb = described.rawDescription.pendingActivities[0]?.heartbeatDetails?.payloads ?? [];
    expect(hb.map((x) => defaultPayloadConverter.fromPayload(x))).toEqual([{ progress: 2 }]);

    await handle.signal("cancelActivity");
    // The cancel request reaches the server with the workflow's next task completion.
    let cancelled: unknown;
    for (let i = 0; i < 200 && cancelled === undefined; i++) {
      cancelled = await client.activity.heartbeat(p.taskToken, { progress: 3 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (cancelled === undefined) await Bun.sleep(25);
    }
    expect(cancelled).toBeInstanceOf(ActivityCancelledError);
    // By id says the same.
    expect(await client.activity.heartbeat({ workflowId: p.workflowId, activityId: p.activityId }).catch((e: unknown) => e)).toBeInstanceOf(ActivityCancelledError);

    await client.activity.reportCancellation(p.taskToken, "stopped");
    expect(await handle.result()).toBe("cancelled: CancelledFailure");
  });

  test("heartbeat after the activity is paused or reset throws ActivityPausedError / ActivityResetError", async () => {
    const ws = client.connection.workflowService;
    const target = (p: { workflowId: string; activityId: string }) => ({
      namespace: "default",
      execution: { workflowId: p.workflowId },
      activity: { case: "id" as const, value: p.activityId },
      identity: "async-completion-test",
    });

    const paused = await start("asyncActivity");
    const p = await pendingFor(paused.workflowId);
    await ws.pauseActivity(create(PauseActivityRequestSchema, { ...target(p), reason: "test" }));
    expect(await client.activity.heartbeat(p.taskToken).catch((e: unknown) => e)).toBeInstanceOf(ActivityPausedError);

    const reset = await start("asyncActivity");
    const r = await pendingFor(reset.workflowId);
    await ws.resetActivity(create(ResetActivityRequestSchema, target(r)));
    expect(await client.activity.heartbeat(r.taskToken).catch((e: unknown) => e)).toBeInstanceOf(ActivityResetError);

    await Promise.all([paused.terminate("done"), reset.terminate("done")]);
  });

  test("unknown targets are typed errors, not hangs", async () => {
    // Bytes that are not a task token: the server cannot decode them (INVALID_ARGUMENT),
    // ActivityCompletionError as in @temporalio/client, the ServiceError as its cause.
    for (const call of [
      () => client.activity.complete(new Uint8Array([1, 2, 3, 4]), "x"),
      () => client.activity.heartbeat(new Uint8Array([1, 2, 3, 4])),
    ]) {
      const garbage = await call().catch((e: unknown) => e);
      expect(garbage).toBeInstanceOf(ActivityCompletionError);
      expect((garbage as Error).cause).toBeInstanceOf(ServiceError);
      expect(((garbage as Error).cause as ServiceError).code).toBe(GrpcStatus.INVALID_ARGUMENT);
    }

    // No such workflow / activity: ActivityNotFoundError.
    const noWorkflow = await client.activity.complete({ workflowId: `missing-${crypto.randomUUID()}`, activityId: "1" }, "x").catch((e: unknown) => e);
    expect(noWorkflow).toBeInstanceOf(ActivityNotFoundError);
    const noHeartbeat = await client.activity.heartbeat({ workflowId: `missing-${crypto.randomUUID()}`, activityId: "1" }).catch((e: unknown) => e);
    expect(noHeartbeat).toBeInstanceOf(ActivityNotFoundError);

    // An empty token or a malformed id never reaches the server.
    await expect(client.activity.complete(new Uint8Array(), "x")).rejects.toThrow(TypeError);
    await expect(client.activity.fail({ workflowId: "w" } as never, new Error("x"))).rejects.toThrow(TypeError);
  });
});
