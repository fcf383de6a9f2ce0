import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Worker } from "../../src/worker/index.js";
import * as activities from "./fixtures/activities.js";
import { observed } from "./fixtures/activities.js";
import { connection, executeWorkflow, fixturesDir, startWorkflow, taskQueue, workflowOutcome } from "./helpers.js";

// One worker for the file; each test uses its own workflow.
const tq = taskQueue("activities");
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  worker = await Worker.create({
    connection: await connection(),
    taskQueue: tq,
    workflowsPath: `${fixturesDir}workflows.ts`,
    activities,
    shutdownSignals: [],
    // Heartbeats reach the server at most every 100 ms, so cancellation arrives quickly.
    maxHeartbeatThrottleInterval: 100,
    defaultHeartbeatThrottleInterval: 100,
  });
  running = worker.run();
});

afterAll(async () => {
  worker.shutdown();
  await running;
});

describe("activities", () => {
  test("an activity that heartbeats is cancelled by its workflow and sees reason CANCELLED", async () => {
    const { workflowId } = await startWorkflow("cancelHeartbeatingActivity", { taskQueue: tq, args: [300] });
    const outcome = await workflowOutcome(workflowId);
    expect(outcome).toEqual({ status: "completed", result: "cancelled" });
    expect(observed.get(workflowId)?.reason).toBe("CANCELLED");
    expect(observed.get(workflowId)!.heartbeats).toBeGreaterThan(1);
  });

  test("an activity that stops heartbeating times out (HEARTBEAT) and sees reason TIMED_OUT", async () => {
    const { workflowId } = await startWorkflow("heartbeatTimeout", { taskQueue: tq });
    const outcome = await workflowOutcome(workflowId);
    expect(outcome.status).toBe("completed");
    expect((outcome as { result: string }).result).toMatch(/^TimeoutFailure/);
    // The server times the activity out after 1 s; core's own timer tells the activity
    // 5 s later (core's local_timeout_buffer_for_activities, not exposed by the C bridge).
    for (let i = 0; i < 400 && observed.get(workflowId)?.reason === undefined; i++) await Bun.sleep(20);
    expect(observed.get(workflowId)?.reason).toBe("TIMED_OUT");
  }, 15_000);

  test("an activity that fails twice succeeds on the third attempt (server retries)", async () => {
    const { workflowId } = await startWorkflow("flaky", { taskQueue: tq });
    const outcome = await workflowOutcome(workflowId);
    expect(outcome).toEqual({ status: "completed", result: 3 });
    expect(observed.get(workflowId)?.attempts).toEqual([1, 2, 3]);
  });

  test("an unknown activity type fails with a retryable NotFoundError naming the registered types (the official failure)", async () => {
    const result = (await executeWorkflow("unknownActivity", { taskQueue: tq })) as string;
    expect(result).toContain("NotFoundError nonRetryable=false");
    expect(result).toContain("Activity function notRegistered is not registered on this Worker, available activities: [");
    for (const name of ["failTwice", "greet", "heartbeatUntilCancelled", "sleepFor"]) expect(result).toContain(name);
  });
});
