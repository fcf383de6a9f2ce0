/**
 * The live path (issue 17): the official defaults for pollers, slots and eager activity
 * reservations, and the live-path counters (TEMPORAL_BUN_SDK_LIVE_STATS) against the dev server.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { Worker, WorkerOptionsError } from "../../src/worker/index.js";
import { nativeWorkerOptions, parseWorkerOptions } from "../../src/worker/options.js";
import { LIVE_STATS_ENV, TIMELINE_INTERVAL_MS, liveStatsEnabled } from "../../src/worker/live-stats.js";
import * as activities from "./fixtures/activities.js";
import { connection, executeWorkflow, fixturesDir, taskQueue } from "./helpers.js";

const base = { taskQueue: "q", activities: { a: async () => 1 } };

describe("official defaults", () => {
  test("40 workflow task slots, min(10, slots) pollers of each kind, 3 eager activity reservations", () => {
    const o = parseWorkerOptions(base);
    expect(o.maxConcurrentWorkflowTaskExecutions).toBe(40);
    expect(o.maxConcurrentActivityTaskExecutions).toBe(100);
    expect(o.maxConcurrentWorkflowTaskPolls).toBe(10);
    expect(o.maxConcurrentActivityTaskPolls).toBe(10);
    const n = nativeWorkerOptions(o, true);
    expect(n.workflowPollers).toEqual({ maximum: 10 });
    expect(n.activityPollers).toEqual({ maximum: 10 });
    expect(n.maxEagerActivityReservations).toBe(3);
  });

  test("fewer slots than 10 bound the default pollers; explicit values win", () => {
    const o = parseWorkerOptions({ ...base, maxConcurrentWorkflowTaskExecutions: 4, maxConcurrentActivityTaskExecutions: 3 });
    expect(o.maxConcurrentWorkflowTaskPolls).toBe(4);
    expect(o.maxConcurrentActivityTaskPolls).toBe(3);
    const e = parseWorkerOptions({ ...base, maxConcurrentWorkflowTaskPolls: 20, maxEagerActivityReservationsPerWorkflowTask: 0 });
    expect(e.maxConcurrentWorkflowTaskPolls).toBe(20);
    expect(nativeWorkerOptions(e, true).maxEagerActivityReservations).toBe(0);
  });

  test.each([-1, 1.5, Number.NaN, "3"])("maxEagerActivityReservationsPerWorkflowTask %p is a WorkerOptionsError naming it", (value) => {
    let err: unknown;
    try {
      parseWorkerOptions({ ...base, maxEagerActivityReservationsPerWorkflowTask: value as number });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WorkerOptionsError);
    expect((err as WorkerOptionsError).option).toBe("maxEagerActivityReservationsPerWorkflowTask");
  });
});

describe("live-path counters", () => {
  const saved = process.env[LIVE_STATS_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[LIVE_STATS_ENV];
    else process.env[LIVE_STATS_ENV] = saved;
  });

  test("the switch: unset, empty, 0 and false are off", () => {
    expect(liveStatsEnabled({})).toBe(false);
    for (const v of ["", "0", "false", "FALSE"]) expect(liveStatsEnabled({ [LIVE_STATS_ENV]: v })).toBe(false);
    for (const v of ["1", "true", "yes"]) expect(liveStatsEnabled({ [LIVE_STATS_ENV]: v })).toBe(true);
  });

  test("off by default: the worker records nothing", async () => {
    delete process.env[LIVE_STATS_ENV];
    const tq = taskQueue("live-off");
    const worker = await Worker.create({ connection: await connection(), taskQueue: tq, workflowsPath: `${fixturesDir}workflows.ts`, activities, shutdownSignals: [] });
    await worker.runUntil(() => executeWorkflow("hello", { taskQueue: tq, args: ["off"] }));
    expect(worker.liveStats()).toBeUndefined();
  });

  test("with TEMPORAL_BUN_SDK_LIVE_STATS=1: waits, phases, gauges and wake-ups of real workflows", async () => {
    process.env[LIVE_STATS_ENV] = "1";
    const tq = taskQueue("live-on");
    const worker = await Worker.create({ connection: await connection(), taskQueue: tq, workflowsPath: `${fixturesDir}workflows.ts`, activities, shutdownSignals: [] });
    const N = 5;
    const results = await worker.runUntil(() => Promise.all(Array.from({ length: N }, (_, i) => executeWorkflow("hello", { taskQueue: tq, args: [`w${i}`] }))));
    expect(results).toEqual(Array.from({ length: N }, (_, i) => `Hello, w${i}!`));
    const s = worker.liveStats()!;
    const status = worker.getStatus();
    // Every completion core accepted was timed; every activity ran and completed once.
    expect(s.waits.completeWorkflow.n).toBe(status.workflowActivationsCompleted);
    expect(s.waits.completeActivity.n).toBe(N);
    expect(s.phases.actRun.n).toBe(N);
    // Polls: one per task, plus the last one that ended with shutdown.
    expect(s.waits.pollWorkflow.n).toBe(s.phases.wfDecode.n + 1);
    expect(s.waits.pollActivity.n).toBe(s.phases.actDecode.n + 1);
    expect(s.phases.wfSandbox.n).toBe(s.phases.wfDecode.n);
    expect(s.waits.completeWorkflow.totalMs).toBeGreaterThan(0);
    expect(s.windowMs).toBeGreaterThan(0);
    // One JS poll of each kind at a time; everything in flight has ended.
    expect(s.gauges.pollWorkflowOutstanding.max).toBe(1);
    expect(s.gauges.pollActivityOutstanding.max).toBe(1);
    expect(s.gauges.activationsInFlight.max).toBeGreaterThanOrEqual(1);
    expect(s.gauges.activitiesInFlight.max).toBeGreaterThanOrEqual(1);
    // The bridge timed the wake-up of at least every completion of this worker.
    expect(s.wake.completions).toBeGreaterThanOrEqual(s.waits.completeWorkflow.n + s.waits.completeActivity.n);
    expect(s.wake.p50Us).toBeGreaterThan(0);
    expect(s.jsThreadBusy).toBeGreaterThanOrEqual(0);
    // The timeline sampled the in-flight gauges while the worker ran (and stopped with it).
    const samples = s.timeline.activationsInFlight!.length;
    expect(samples).toBe(s.timeline.activitiesInFlight!.length);
    await Bun.sleep(3 * TIMELINE_INTERVAL_MS);
    expect(worker.liveStats()!.timeline.activationsInFlight!.length).toBe(samples);
  });
});
