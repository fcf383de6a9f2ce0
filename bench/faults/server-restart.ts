#!/usr/bin/env bun
/**
 * Long fault run: SIGKILL the dev server with workflows in flight, restart it on the same port
 * and database after `--outage` ms; the worker must reconnect by itself. Nothing may be lost.
 *
 *   bun bench/faults/server-restart.ts --workflows 200 --outage 30000
 *
 * Exit code 1 when a workflow was lost or duplicated.
 */
import { installExitHandlers, numericArgs, printReport } from "./lib.js";
import { serverRestart } from "./scenarios.js";

installExitHandlers();
const a = numericArgs(process.argv.slice(2), {
  workflows: 200,
  steps: 3,
  "activity-ms": 1000,
  "timer-ms": 1000,
  outage: 3000,
  "fault-after": 2000,
  timeout: 600_000,
});
const r = await serverRestart({
  workflows: a.workflows,
  steps: a.steps,
  activityMs: a["activity-ms"],
  timerMs: a["timer-ms"],
  heartbeatTimeoutMs: 5000,
  startToCloseTimeoutMs: 15_000,
  outageMs: a.outage,
  faultAfterMs: a["fault-after"],
  timeoutMs: a.timeout,
});
printReport(`dev server SIGKILL, ${a.outage} ms outage, restart on the same database`, r.tally, r.figures);
process.exit(r.tally.lost === 0 && r.tally.duplicated === 0 && r.tally.activitySteps.missing === 0 ? 0 : 1);
