#!/usr/bin/env bun
/**
 * The fault suite's workload without a fault (one worker, one dev server on a file database):
 * how long the same workflows take on this machine, to read the recovery figures against.
 *
 *   bun bench/faults/baseline.ts --workflows 200
 */
import { installExitHandlers, numericArgs, printReport } from "./lib.js";
import { baseline } from "./scenarios.js";

installExitHandlers();
const a = numericArgs(process.argv.slice(2), { workflows: 200, steps: 3, "activity-ms": 1000, "timer-ms": 1000, timeout: 600_000 });
const r = await baseline({
  workflows: a.workflows,
  steps: a.steps,
  activityMs: a["activity-ms"],
  timerMs: a["timer-ms"],
  heartbeatTimeoutMs: 5000,
  startToCloseTimeoutMs: 15_000,
  timeoutMs: a.timeout,
});
printReport("no fault (baseline)", r.tally, r.figures);
process.exit(r.tally.lost === 0 && r.tally.duplicated === 0 ? 0 : 1);
