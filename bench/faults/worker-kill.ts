#!/usr/bin/env bun
/**
 * Long fault run: two worker processes on one task queue, SIGKILL one while it runs
 * activities. Nothing may be lost; its activities are retried on the other worker.
 *
 *   bun bench/faults/worker-kill.ts --workflows 200
 *
 * Exit code 1 when a workflow was lost or duplicated.
 */
import { installExitHandlers, numericArgs, printReport } from "./lib.js";
import { workerKill } from "./scenarios.js";

installExitHandlers();
const a = numericArgs(process.argv.slice(2), {
  workflows: 200,
  steps: 3,
  "activity-ms": 1000,
  "timer-ms": 1000,
  "heartbeat-timeout": 2000,
  "min-running": 3,
  timeout: 600_000,
});
const r = await workerKill({
  workflows: a.workflows,
  steps: a.steps,
  activityMs: a["activity-ms"],
  timerMs: a["timer-ms"],
  heartbeatTimeoutMs: a["heartbeat-timeout"],
  startToCloseTimeoutMs: 30_000,
  minRunning: a["min-running"],
  timeoutMs: a.timeout,
});
printReport("one of two workers SIGKILLed mid-run", r.tally, r.figures);
process.exit(r.tally.lost === 0 && r.tally.duplicated === 0 && r.tally.activitySteps.missing === 0 ? 0 : 1);
