/**
 * The fault suite's activity. Every execution appends JSON lines to the shared log file named
 * by FAULT_ACTIVITY_LOG (start, then done or cancelled), with the worker's name and pid, so the
 * driver can count executions per (workflow key, step) across worker processes: a step with no
 * "done" line is lost work, more than one "done" line is an at-least-once re-execution.
 * Appends of one short line with O_APPEND land whole on Linux, from any number of processes.
 */
import { appendFileSync } from "node:fs";
import { activityInfo, Context, heartbeat } from "../../src/activity/index.js";

const LOG = process.env.FAULT_ACTIVITY_LOG ?? "";
const WORKER = process.env.FAULT_WORKER_NAME ?? `pid${process.pid}`;

export interface ActivityLogLine {
  ev: "start" | "done" | "cancelled" | "failed";
  key: string;
  step: number;
  attempt: number;
  worker: string;
  pid: number;
  /** Epoch ms. */
  t: number;
  reason?: string;
}

function record(line: Omit<ActivityLogLine, "worker" | "pid" | "t">): void {
  if (LOG === "") return;
  const full: ActivityLogLine = { ...line, worker: WORKER, pid: process.pid, t: Date.now() };
  appendFileSync(LOG, JSON.stringify(full) + "\n");
}

/** Works for `ms`, heartbeating every 200 ms (so a dead worker is noticed by its heartbeat timeout). */
export async function work(key: string, step: number, ms: number): Promise<string> {
  const attempt = activityInfo().attempt;
  record({ ev: "start", key, step, attempt });
  const ctx = Context.current();
  const until = Date.now() + ms;
  try {
    for (;;) {
      heartbeat();
      const left = until - Date.now();
      if (left <= 0) break;
      await ctx.sleep(Math.min(200, left));
    }
  } catch (err) {
    const reason = ctx.cancellationDetails?.reason ?? (err instanceof Error ? err.message : String(err));
    record({ ev: ctx.cancellationSignal.aborted ? "cancelled" : "failed", key, step, attempt, reason });
    throw err;
  }
  record({ ev: "done", key, step, attempt });
  return `${key}:${step}`;
}
