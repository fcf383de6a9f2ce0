#!/usr/bin/env bun
/**
 * Long fault run: SIGTERM one of two workers while it runs activities, once with a
 * shutdownGraceTime longer than the activities (they finish there) and once shorter (core
 * cancels them with WORKER_SHUTDOWN and they are retried elsewhere). The signalled worker must
 * exit 0; it is restarted afterwards. Nothing may be lost.
 *
 *   bun bench/faults/worker-sigterm.ts --workflows 200 --activity-ms 3000 --long-grace 10000 --short-grace 500
 *
 * Exit code 1 when a workflow was lost or duplicated, or the signalled worker did not exit 0.
 */
import { installExitHandlers, numericArgs, printReport } from "./lib.js";
import { workerSigterm } from "./scenarios.js";

installExitHandlers();
const a = numericArgs(process.argv.slice(2), {
  workflows: 200,
  steps: 3,
  "activity-ms": 3000,
  "timer-ms": 1000,
  "long-grace": 10_000,
  "short-grace": 500,
  "min-running": 3,
  timeout: 600_000,
});
let ok = true;
for (const grace of [a["long-grace"], a["short-grace"]]) {
  const r = await workerSigterm({
    workflows: a.workflows,
    steps: a.steps,
    activityMs: a["activity-ms"],
    timerMs: a["timer-ms"],
    heartbeatTimeoutMs: 5000,
    startToCloseTimeoutMs: 30_000,
    shutdownGraceMs: grace,
    minRunning: a["min-running"],
    timeoutMs: a.timeout,
  });
  printReport(`SIGTERM to one of two workers, shutdownGraceTime ${grace} ms, activities of ${a["activity-ms"]} ms`, r.tally, r.figures);
  ok &&= r.tally.lost === 0 && r.tally.duplicated === 0 && r.tally.activitySteps.missing === 0 && r.figures.signalledWorkerExit === 0;
}
process.exit(ok ? 0 : 1);
