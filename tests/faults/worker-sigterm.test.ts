/**
 * Short CI version of bench/faults/worker-sigterm.ts: SIGTERM to one of two workers while it
 * runs activities of 1.5 s. With shutdownGraceTime 5 s they finish on that worker; with 200 ms
 * core cancels them (WORKER_SHUTDOWN) and they complete elsewhere. Either way the worker exits
 * 0 soon after, and every workflow completes exactly once.
 */
import { expect, test } from "bun:test";
import { liveChildren, printReport } from "../../bench/faults/lib.js";
import { workerSigterm } from "../../bench/faults/scenarios.js";

const spec = {
  workflows: 8,
  steps: 2,
  activityMs: 1500,
  timerMs: 300,
  heartbeatTimeoutMs: 5000,
  startToCloseTimeoutMs: 30_000,
  minRunning: 2,
  timeoutMs: 30_000,
};

function expectNothingLost(r: Awaited<ReturnType<typeof workerSigterm>>): void {
  expect(r.figures.signalledWorkerExit).toBe(0);
  expect({ completed: r.tally.completed, lost: r.tally.lost, duplicated: r.tally.duplicated, missing: r.tally.activitySteps.missing }).toEqual({
    completed: spec.workflows,
    lost: 0,
    duplicated: 0,
    missing: 0,
  });
  expect(liveChildren()).toEqual([]);
}

test("SIGTERM with shutdownGraceTime longer than the running activities: they finish there, exit 0", async () => {
  const r = await workerSigterm({ ...spec, shutdownGraceMs: 5000 });
  printReport("SIGTERM, grace 5000 ms (short)", r.tally, r.figures);
  expectNothingLost(r);
  expect(r.figures.activitiesRunningAtSignal as number).toBeGreaterThanOrEqual(2);
  expect(r.figures.finishedOnSignalledWorker).toBe(r.figures.activitiesRunningAtSignal);
  expect(r.figures.cancelledOnSignalledWorker).toBe(0);
  // It waited for them, but not for the whole grace time.
  expect(r.figures.signalToExitMs as number).toBeLessThan(5000 + 3000);
}, 60_000);

test("SIGTERM with shutdownGraceTime shorter than the running activities: cancelled (WORKER_SHUTDOWN), completed elsewhere, exit 0", async () => {
  const r = await workerSigterm({ ...spec, shutdownGraceMs: 200 });
  printReport("SIGTERM, grace 200 ms (short)", r.tally, r.figures);
  expectNothingLost(r);
  expect(r.figures.activitiesRunningAtSignal as number).toBeGreaterThanOrEqual(2);
  expect(r.figures.cancelledOnSignalledWorker).toBe(r.figures.activitiesRunningAtSignal);
  expect(r.figures.cancelReasons).toBe("WORKER_SHUTDOWN");
  expect(r.figures.cancelledCompletedElsewhere).toBe(r.figures.cancelledOnSignalledWorker);
  // Not a race against the activities (their cancellation above proves it did not wait for
  // them); a bound that catches a hang even on a loaded machine.
  expect(r.figures.signalToExitMs as number).toBeLessThan(200 + 5000);
}, 60_000);
