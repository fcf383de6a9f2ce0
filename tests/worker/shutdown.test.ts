import { describe, expect, test } from "bun:test";
import { bridgeCounters } from "../../src/bridge/index.js";
import { Worker, type WorkerOptions } from "../../src/worker/index.js";
import * as activities from "./fixtures/activities.js";
import { observed } from "./fixtures/activities.js";
import { connection, fixturesDir, startWorkflow, taskQueue, workflowOutcome } from "./helpers.js";

async function makeWorker(tq: string, extra: Partial<WorkerOptions> = {}): Promise<Worker> {
  return Worker.create({
    connection: await connection(),
    taskQueue: tq,
    workflowsPath: `${fixturesDir}workflows.ts`,
    activities,
    shutdownSignals: [],
    stickyQueueScheduleToStartTimeout: 1_000,
    ...extra,
  });
}

async function activityStarted(workflowId: string, attempt = 1): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (observed.get(workflowId)?.attempts.includes(attempt)) return;
    await Bun.sleep(10);
  }
  throw new Error(`activity of ${workflowId} did not start`);
}

describe("two-phase shutdown", () => {
  test("an activity running when shutdown begins finishes within shutdownGraceTime and its result counts", async () => {
    const tq = taskQueue("grace-ok");
    const before = bridgeCounters().live.worker;
    const first = await makeWorker(tq, { shutdownGraceTime: "3s" });
    const firstRun = first.run();
    const { workflowId } = await startWorkflow("sleepingActivity", { taskQueue: tq, args: [600] });
    await activityStarted(workflowId);
    const t0 = performance.now();
    first.shutdown();
    await firstRun;
    const shutdownMs = performance.now() - t0;
    expect(first.getState()).toBe("STOPPED");
    expect(observed.get(workflowId)?.reason).toBeUndefined();
    // Drained: waited for the activity (≈ 600 ms), not for the whole grace time.
    expect(shutdownMs).toBeGreaterThan(300);
    expect(shutdownMs).toBeLessThan(2_900);
    expect(bridgeCounters().live.worker).toBe(before);

    // The workflow continues on another worker with the activity's result (no retry).
    const second = await makeWorker(tq);
    const outcome = await second.runUntil(workflowOutcome(workflowId));
    expect(outcome).toEqual({ status: "completed", result: "slept 600 ms on attempt 1" });
    expect(observed.get(workflowId)?.attempts).toEqual([1]);
  });

  test("an activity that outlives shutdownGraceTime is cancelled with WORKER_SHUTDOWN and retried by another worker", async () => {
    const tq = taskQueue("grace-expired");
    const first = await makeWorker(tq, { shutdownGraceTime: 300 });
    const firstRun = first.run();
    const { workflowId } = await startWorkflow("sleepingActivity", { taskQueue: tq, args: [20_000, 20] });
    await activityStarted(workflowId);
    const t0 = performance.now();
    first.shutdown();
    await firstRun;
    const shutdownMs = performance.now() - t0;
    expect(first.getState()).toBe("STOPPED");
    expect(observed.get(workflowId)?.reason).toBe("WORKER_SHUTDOWN");
    expect(shutdownMs).toBeGreaterThanOrEqual(250);
    expect(shutdownMs).toBeLessThan(3_000);

    const second = await makeWorker(tq);
    const outcome = await second.runUntil(workflowOutcome(workflowId));
    expect(outcome).toEqual({ status: "completed", result: "slept 20 ms on attempt 2" });
    expect(observed.get(workflowId)?.attempts).toEqual([1, 2]);
  });
});
