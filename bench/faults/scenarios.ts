/**
 * The three faults of the suite, each a function the long scripts (bench/faults/*.ts) and the
 * short CI tests (tests/faults/*.test.ts) both call with their own sizes:
 *
 * - serverRestart: SIGKILL the dev server with workflows in flight, keep it down `outageMs`,
 *   restart it on the same port and database file; the worker process is left alone and must
 *   reconnect by itself.
 * - workerKill: two worker processes on one task queue; SIGKILL one while it runs activities.
 *   Its activities are retried on the other once their heartbeat timeout passes.
 * - workerSigterm: two workers; SIGTERM one while it runs activities, with `shutdownGraceMs`
 *   longer or shorter than what is left of them. Longer: they finish there. Shorter: core
 *   cancels them (WORKER_SHUTDOWN) after the grace time and the server retries them elsewhere.
 *   The signalled worker must exit 0; it is then started again (the "after restart" path).
 *
 * Each returns the tally (lib.ts) and its figures (ms, relative to the fault unless named so).
 * Every process ends on every path: the finally blocks call stopAll().
 */
import {
  makeRunDir,
  startDevServer,
  startWorker,
  startWorkload,
  waitClosed,
  waitForLog,
  tally,
  runningOn,
  nextCompletionAfter,
  nextActivityDoneAfter,
  readActivityLog,
  stopAll,
  sleepMs,
  type Tally,
  type Workload,
  type WorkloadSpec,
} from "./lib.js";

export interface FaultResult {
  tally: Tally;
  figures: Record<string, number | string | null>;
}

const median = (xs: number[]) => (xs.length === 0 ? null : [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!);
const max = (xs: number[]) => (xs.length === 0 ? null : Math.max(...xs));

function inFlightAt(w: Workload, t: Tally, at: number): number {
  return w.ids.length - t.closeTimes.filter((c) => c < at).length;
}

/** Time from `at` until each of `steps` (key/step) first completed on a worker other than `not`. */
function reRunDelays(runDir: ReturnType<typeof makeRunDir>, steps: { key: string; step: number }[], at: number, not: string): number[] {
  const log = readActivityLog(runDir);
  const out: number[] = [];
  for (const s of steps) {
    const done = log.find((l) => l.ev === "done" && l.key === s.key && l.step === s.step && l.worker !== not && l.t >= at);
    if (done) out.push(done.t - at);
  }
  return out;
}

/** The same workload with no fault: what the recovery figures compare with on this machine. */
export async function baseline(o: WorkloadSpec & { timeoutMs: number }): Promise<FaultResult> {
  const run = makeRunDir("baseline");
  let w: Workload | undefined;
  try {
    const server = await startDevServer(run, "any");
    const taskQueue = `faults-baseline-${Date.now()}`;
    await startWorker(run, { name: "w1", address: server.address, taskQueue });
    w = await startWorkload(server.address, taskQueue, o);
    await waitClosed(w, o.timeoutMs);
    const t = await tally(w, run);
    const last = t.closeTimes[t.closeTimes.length - 1];
    return {
      tally: t,
      figures: {
        startingMs: w.startedAt - w.beganAt,
        firstClosedAfterFirstStartMs: t.closeTimes.length > 0 ? t.closeTimes[0]! - w.beganAt : null,
        allClosedAfterFirstStartMs: last !== undefined ? last - w.beganAt : null,
        idealWorkflowMs: o.steps * (o.activityMs + o.timerMs),
      },
    };
  } finally {
    await w?.connection.close();
    await stopAll();
    run.remove();
  }
}

export interface ServerRestartOptions extends WorkloadSpec {
  /** How long the server stays down. */
  outageMs: number;
  /** Time after the last start before the SIGKILL. */
  faultAfterMs: number;
  /** Bound on waiting for every workflow to close after the restart. */
  timeoutMs: number;
}

export async function serverRestart(o: ServerRestartOptions): Promise<FaultResult> {
  const run = makeRunDir("server-restart");
  let w: Workload | undefined;
  try {
    let server = await startDevServer(run, "any");
    const port = server.port;
    const taskQueue = `faults-server-restart-${Date.now()}`;
    const worker = await startWorker(run, { name: "w1", address: server.address, taskQueue });
    let workerExit: number | undefined;
    void worker.exited.then((c) => (workerExit = c));
    w = await startWorkload(server.address, taskQueue, o);
    await sleepMs(o.faultAfterMs);
    // Kill while activities run (and other runs wait on timers), not in a quiet moment.
    const runningAtFault = runningOn(await waitForLog(run, (l) => runningOn(l, "w1").length > 0, 30_000, "a running activity"), "w1").length;
    const faultAt = Date.now();
    await server.kill("SIGKILL");
    await sleepMs(o.outageMs);
    const restartAt = Date.now();
    server = await startDevServer(run, port);
    const backAt = Date.now();
    await waitClosed(w, o.timeoutMs);
    const t = await tally(w, run);
    return {
      tally: t,
      figures: {
        outageMs: o.outageMs,
        workflowsInFlightAtFault: inFlightAt(w, t, faultAt),
        activitiesRunningAtFault: runningAtFault,
        serverBackAfterFaultMs: backAt - faultAt,
        serverStartMs: backAt - restartAt,
        nextActivityDoneAfterBackMs: nextActivityDoneAfter(run, backAt),
        nextWorkflowCompletionAfterFaultMs: nextCompletionAfter(t, faultAt),
        nextWorkflowCompletionAfterBackMs: nextCompletionAfter(t, backAt),
        allClosedAfterBackMs: t.closeTimes.length > 0 ? t.closeTimes[t.closeTimes.length - 1]! - backAt : null,
        worker: workerExit === undefined ? "same process throughout (reconnected by itself)" : `exited ${workerExit}`,
      },
    };
  } finally {
    await w?.connection.close();
    await stopAll();
    run.remove();
  }
}

export interface WorkerKillOptions extends WorkloadSpec {
  /** Bound on waiting for every workflow to close after the kill. */
  timeoutMs: number;
  /** Activities the doomed worker must be running before the SIGKILL. */
  minRunning: number;
}

export async function workerKill(o: WorkerKillOptions): Promise<FaultResult> {
  const run = makeRunDir("worker-kill");
  let w: Workload | undefined;
  try {
    const server = await startDevServer(run, "any");
    const taskQueue = `faults-worker-kill-${Date.now()}`;
    const w1 = await startWorker(run, { name: "w1", address: server.address, taskQueue });
    await startWorker(run, { name: "w2", address: server.address, taskQueue });
    w = await startWorkload(server.address, taskQueue, o);
    const log = await waitForLog(run, (l) => runningOn(l, "w1").length >= o.minRunning, 120_000, `w1 to run ${o.minRunning} activities`);
    const killed = runningOn(log, "w1");
    const faultAt = Date.now();
    w1.kill("SIGKILL");
    const code = await w1.exited;
    await waitClosed(w, o.timeoutMs);
    const t = await tally(w, run);
    const delays = reRunDelays(run, killed, faultAt, "w1");
    return {
      tally: t,
      figures: {
        killedWorkerExit: code,
        workflowsInFlightAtFault: inFlightAt(w, t, faultAt),
        activitiesRunningOnKilledWorker: killed.length,
        killedActivitiesCompletedElsewhere: delays.length,
        killedActivityReRunMedianMs: median(delays),
        killedActivityReRunMaxMs: max(delays),
        nextWorkflowCompletionAfterFaultMs: nextCompletionAfter(t, faultAt),
        allClosedAfterFaultMs: t.closeTimes.length > 0 ? t.closeTimes[t.closeTimes.length - 1]! - faultAt : null,
      },
    };
  } finally {
    await w?.connection.close();
    await stopAll();
    run.remove();
  }
}

export interface WorkerSigtermOptions extends WorkloadSpec {
  /** shutdownGraceTime of the worker that gets SIGTERM. */
  shutdownGraceMs: number;
  timeoutMs: number;
  minRunning: number;
}

export async function workerSigterm(o: WorkerSigtermOptions): Promise<FaultResult> {
  const run = makeRunDir("worker-sigterm");
  let w: Workload | undefined;
  try {
    const server = await startDevServer(run, "any");
    const taskQueue = `faults-worker-sigterm-${Date.now()}`;
    const w1 = await startWorker(run, { name: "w1", address: server.address, taskQueue, shutdownGraceMs: o.shutdownGraceMs });
    await startWorker(run, { name: "w2", address: server.address, taskQueue });
    w = await startWorkload(server.address, taskQueue, o);
    const log = await waitForLog(run, (l) => runningOn(l, "w1").length >= o.minRunning, 120_000, `w1 to run ${o.minRunning} activities`);
    const running = runningOn(log, "w1");
    const faultAt = Date.now();
    w1.kill("SIGTERM");
    // Bounded: grace + the longest activity + core's finalize; a hang fails here instead of later.
    const bound = o.shutdownGraceMs + o.activityMs + 20_000;
    const code = await Promise.race([w1.exited, sleepMs(bound).then(() => "hung" as const)]);
    const exitedAt = Date.now();
    if (code === "hung") w1.kill("SIGKILL");
    const stoppedLine = w1.lines.find((l) => l.startsWith("stopped "));
    // The restart: the same worker again, as a deployment would.
    await startWorker(run, { name: "w1-restarted", address: server.address, taskQueue, shutdownGraceMs: o.shutdownGraceMs });
    await waitClosed(w, o.timeoutMs);
    const t = await tally(w, run);
    const after = readActivityLog(run);
    const same = (a: { key: string; step: number; attempt: number }, b: { key: string; step: number; attempt: number }) => a.key === b.key && a.step === b.step && a.attempt === b.attempt;
    const finishedThere = running.filter((r) => after.some((l) => l.ev === "done" && l.worker === "w1" && same(l, r)));
    const cancelledThere = running.filter((r) => after.some((l) => l.ev === "cancelled" && l.worker === "w1" && same(l, r)));
    const cancelReasons = [...new Set(after.filter((l) => l.ev === "cancelled" && l.worker === "w1").map((l) => l.reason ?? "?"))].join(",");
    const delays = reRunDelays(run, cancelledThere, faultAt, "w1");
    return {
      tally: t,
      figures: {
        shutdownGraceMs: o.shutdownGraceMs,
        activityMs: o.activityMs,
        signalledWorkerExit: code === "hung" ? "hung (killed)" : code,
        signalToExitMs: exitedAt - faultAt,
        workerReportedShutdownMs: stoppedLine ? Number(stoppedLine.split(" ")[1]) : null,
        activitiesRunningAtSignal: running.length,
        finishedOnSignalledWorker: finishedThere.length,
        cancelledOnSignalledWorker: cancelledThere.length,
        cancelReasons: cancelReasons === "" ? null : cancelReasons,
        cancelledCompletedElsewhere: delays.length,
        cancelledReRunMaxMs: max(delays),
        nextWorkflowCompletionAfterFaultMs: nextCompletionAfter(t, faultAt),
        allClosedAfterFaultMs: t.closeTimes.length > 0 ? t.closeTimes[t.closeTimes.length - 1]! - faultAt : null,
      },
    };
  } finally {
    await w?.connection.close();
    await stopAll();
    run.remove();
  }
}
