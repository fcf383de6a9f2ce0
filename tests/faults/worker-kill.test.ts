/**
 * Short CI version of bench/faults/worker-kill.ts: two worker processes on one task queue; one
 * is SIGKILLed while it runs activities. Those activities must be retried and completed on the
 * other worker (their heartbeat timeout, 2 s, tells the server), and every workflow must
 * complete exactly once.
 */
import { expect, test } from "bun:test";
import { liveChildren, printReport } from "../../bench/faults/lib.js";
import { workerKill } from "../../bench/faults/scenarios.js";

test("one of two workers SIGKILLed mid-run: its activities complete on the other, nothing lost", async () => {
  const r = await workerKill({
    workflows: 12,
    steps: 2,
    activityMs: 1500,
    timerMs: 300,
    heartbeatTimeoutMs: 2000,
    startToCloseTimeoutMs: 30_000,
    minRunning: 2,
    timeoutMs: 40_000,
  });
  printReport("worker SIGKILL (short)", r.tally, r.figures);
  expect(r.figures.killedWorkerExit).toBe(137);
  expect({ completed: r.tally.completed, lost: r.tally.lost, duplicated: r.tally.duplicated, missing: r.tally.activitySteps.missing }).toEqual({
    completed: 12,
    lost: 0,
    duplicated: 0,
    missing: 0,
  });
  expect(r.figures.activitiesRunningOnKilledWorker as number).toBeGreaterThanOrEqual(2);
  expect(r.figures.killedActivitiesCompletedElsewhere).toBe(r.figures.activitiesRunningOnKilledWorker);
  expect(liveChildren()).toEqual([]);
}, 90_000);
