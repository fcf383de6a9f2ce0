/**
 * Short CI version of bench/faults/server-restart.ts: the dev server is SIGKILLed with
 * workflows in flight (activities running, timers pending: the kill waits for a running activity) and restarted 3 s later on the same
 * port and database file. The worker process is left alone: it must reconnect by itself, and
 * every workflow must complete exactly once with its expected result.
 */
import { expect, test } from "bun:test";
import { liveChildren, printReport } from "../../bench/faults/lib.js";
import { serverRestart } from "../../bench/faults/scenarios.js";

test("dev server SIGKILL + restart on the same database: nothing lost, the worker reconnects by itself", async () => {
  const r = await serverRestart({
    workflows: 12,
    steps: 3,
    activityMs: 1000,
    timerMs: 500,
    heartbeatTimeoutMs: 5000,
    startToCloseTimeoutMs: 10_000,
    outageMs: 3000,
    faultAfterMs: 1200,
    timeoutMs: 40_000,
  });
  printReport("server restart (short)", r.tally, r.figures);
  expect(r.figures.workflowsInFlightAtFault).toBe(12);
  expect({ completed: r.tally.completed, lost: r.tally.lost, duplicated: r.tally.duplicated, missing: r.tally.activitySteps.missing }).toEqual({
    completed: 12,
    lost: 0,
    duplicated: 0,
    missing: 0,
  });
  expect(r.figures.worker).toStartWith("same process");
  expect(r.figures.nextWorkflowCompletionAfterBackMs).not.toBeNull();
  expect(liveChildren()).toEqual([]);
}, 90_000);
