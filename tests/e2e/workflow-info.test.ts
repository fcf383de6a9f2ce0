/**
 * workflowInfo() end to end: what a run sees about itself on the dev server, for a plain start
 * with every client option, cron runs (lastResult, lastFailure), workflow retries,
 * continue-as-new, and queries; what it sees live and in replay. The workflows
 * (tests/e2e/fixtures/info-workflows.ts) return JSON snapshots of workflowInfo(), compared here
 * with what the client set and what describe() and the history say. Every history is replayed.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { tsToMs, type TypedSearchAttributes } from "../../src/common/index.js";
import type { WorkflowExecutionDescription, WorkflowHandleWithFirstExecutionRunId } from "../../src/client/index.js";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import { TEST_SEARCH_ATTRIBUTES } from "../helpers/dev-server.js";
import { OBSERVED_LOG, QUERY_LOG, snapshotQuery, type InfoSnapshot } from "./fixtures/info-workflows.js";
import { bundle, captureWorkerLog, client, expectReplays, startWorker, type RunningWorker } from "./helpers.js";
import pkg from "../../package.json";
import { CRON_SCHEDULE, MEMO, START_DELAY_MS, TYPED_SA, WHEN, runContinueAsNew, runCron, runFamily, runPlain, runRetry } from "./info-scenarios.js";

const FILE = "info-workflows.ts";
let w: RunningWorker;

beforeAll(async () => {
  w = await startWorker(FILE);
});
afterAll(async () => {
  await w?.stop();
});

const UNDEFINED = { $undefined: true };
const date = (d: Date) => ({ $date: d.toISOString() });
const ms = (d: unknown) => new Date((d as { $date: string }).$date).getTime();

/** The $typedSearchAttributes description of the snapshot for TYPED_SA (and of describe()'s). */
function describedTyped(attrs: { key: { name: string; type: string }; value: unknown }[]) {
  return {
    $typedSearchAttributes: attrs
      .map(({ key, value }) => ({ name: key.name, type: key.type, value: value instanceof Date ? date(value) : value }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

describe("workflowInfo() of a plain start", () => {
  test("every field equals what the client set and what describe() and the history say; isReplaying is false live and true in replay and in queries", async () => {
    const log = await captureWorkerLog();
    try {
      const before = Date.now();
      let d: WorkflowExecutionDescription | undefined;
      const { handle: h, live, queried, result, replayed } = await runPlain(w.taskQueue, async (handle) => {
        // Live, while running: a query sees the state of the last task, as replaying but not
        // replaying history events, and its log line is not dropped.
        const lines = log.lines.filter((l) => l.message === QUERY_LOG && l.meta?.workflowId === handle.workflowId);
        expect(lines.length).toBe(1);
        expect(lines[0]!.meta).toMatchObject({ isReplaying: true, isReplayingHistoryEvents: false, runId: handle.firstExecutionRunId });
        d = await handle.describe();
      });
      const { first, last, observations } = result;
      const workflowId = h.workflowId;
      const runId = (h as WorkflowHandleWithFirstExecutionRunId).firstExecutionRunId;
      expect(live.at(-1)).toEqual({ where: "query", historyLength: live.find((o) => o.where === "after timer")!.historyLength, isReplaying: true, isReplayingHistoryEvents: false });
      expect(queried.fields.unsafe).toMatchObject({ isReplaying: true, isReplayingHistoryEvents: false });
      const after = Date.now();

      // Every official 1.24 field is present (undefined ones as keys), and no other.
      const officialKeys = [
        "attempt", "continueAsNewSuggested", "continuedFromExecutionRunId", "cronSchedule", "cronScheduleToScheduleInterval",
        "currentBuildId", "currentDeploymentVersion", "executionExpirationTime", "executionTimeoutMs", "firstExecutionRunId",
        "historyLength", "historySize", "lastFailure", "lastResult", "memo", "namespace", "originalExecutionRunId", "parent",
        "priority", "retryPolicy", "root", "runId", "runStartTime", "runTimeoutMs", "searchAttributes", "startTime",
        "suggestedContinueAsNewReasons", "targetWorkerDeploymentVersionChanged", "taskQueue", "taskTimeoutMs", "typedSearchAttributes",
        "unsafe", "workflowId", "workflowType",
      ];
      expect(first.keys).toEqual(officialKeys.sort());
      expect(first.unsafeKeys).toEqual(["isReplaying", "isReplayingHistoryEvents", "now", "random"]);

      const f = first.fields;
      expect(f.workflowId).toBe(workflowId);
      expect(f.runId).toBe(runId);
      expect(f.workflowType).toBe("infoReport");
      expect(f.taskQueue).toBe(w.taskQueue);
      expect(f.namespace).toBe("default");
      expect(f.firstExecutionRunId).toBe(runId);
      expect(f.originalExecutionRunId).toBe(runId);
      expect(f.continuedFromExecutionRunId).toEqual(UNDEFINED);
      expect(f.parent).toEqual(UNDEFINED);
      expect(f.root).toEqual(UNDEFINED);
      expect(f.lastResult).toEqual(UNDEFINED);
      expect(f.lastFailure).toEqual(UNDEFINED);
      expect(f.attempt).toBe(1);
      expect(f.cronSchedule).toEqual(UNDEFINED);
      expect(f.cronScheduleToScheduleInterval).toEqual(UNDEFINED);
      // Timeouts and retry policy: as set, and as the server's execution config says.
      expect(f.executionTimeoutMs).toBe(600_000);
      expect(f.runTimeoutMs).toBe(300_000);
      expect(f.taskTimeoutMs).toBe(7_000);
      if (!d) throw new Error("describe() did not run");
      expect([d.workflowExecutionTimeoutMs, d.workflowRunTimeoutMs, d.workflowTaskTimeoutMs]).toEqual([600_000, 300_000, 7_000]);
      expect(f.retryPolicy).toEqual({ initialInterval: 2000, backoffCoefficient: 3, maximumInterval: 30_000, maximumAttempts: 4, nonRetryableErrorTypes: ["NotRetryable"] });
      // Core's Priority message: unset fields are the proto defaults, as the official worker reads them.
      expect(f.priority).toEqual({ priorityKey: 2, fairnessKey: "", fairnessWeight: 0 });
      // Memo and search attributes: as set, and as describe() reports them.
      expect(f.memo).toEqual(MEMO);
      expect(d.memo).toEqual(MEMO);
      expect(f.typedSearchAttributes).toEqual(describedTyped(TYPED_SA));
      // describe() also lists what the server adds (BuildIds); the run sees what was set at start.
      const isTestAttribute = (name: string) => name in TEST_SEARCH_ATTRIBUTES;
      expect(f.typedSearchAttributes).toEqual(describedTyped((d.typedSearchAttributes as TypedSearchAttributes).getAll().filter((p) => isTestAttribute(p.key.name))));
      expect(f.searchAttributes).toEqual({
        TestBool: [true],
        TestDatetime: [date(WHEN)],
        TestDouble: [2.5],
        TestInt: [42],
        TestKeyword: ["info-kw"],
        TestKeywordList: ["a", "b"],
        TestText: ["some text to index"],
      });
      for (const [name, values] of Object.entries(d.searchAttributes).filter(([name]) => isTestAttribute(name))) {
        expect(f.searchAttributes as Record<string, unknown>).toHaveProperty([name], values.map((v) => (v instanceof Date ? date(v) : v)));
      }
      // Times: this run started when the server says (its WorkflowExecutionStarted event), within the test's window.
      expect(ms(f.startTime)).toBe(d.startTime.getTime());
      expect(ms(f.startTime)).toBeGreaterThanOrEqual(before - 1000);
      expect(ms(f.runStartTime)).toBeGreaterThanOrEqual(ms(f.startTime));
      expect(ms(f.runStartTime)).toBeLessThanOrEqual(after);
      expect(Math.abs(ms(f.executionExpirationTime) - (ms(f.startTime) + 600_000))).toBeLessThan(1000);
      // Per-task fields: history length is the WorkflowTaskStarted event of the task; it and the size grow.
      // (The replay runs with the same runtime logger: the workflow's log lines are dropped there
      // too, as the count of OBSERVED_LOG lines below shows.)
      const history = await expectReplays(h, FILE);
      expect(ms(f.startTime)).toBe(tsToMs(history.events[0]!.eventTime!));
      const started = history.events[0]!.attributes;
      if (started.case !== "workflowExecutionStartedEventAttributes") throw new Error("history does not begin with WorkflowExecutionStarted");
      expect(ms(f.executionExpirationTime)).toBe(tsToMs(started.value.workflowExecutionExpirationTime!));
      const eventAt = (id: number) => history.events.find((e) => Number(e.eventId) === id);
      expect(f.historyLength).toBe(3);
      expect(eventAt(f.historyLength as number)?.eventType).toBe(EventType.WORKFLOW_TASK_STARTED);
      expect(eventAt(last.fields.historyLength as number)?.eventType).toBe(EventType.WORKFLOW_TASK_STARTED);
      expect(last.fields.historyLength as number).toBeGreaterThan(f.historyLength as number);
      expect(f.historySize as number).toBeGreaterThan(0);
      expect(last.fields.historySize as number).toBeGreaterThan(f.historySize as number);
      expect(f.continueAsNewSuggested).toBe(false);
      // No reason: undefined, as on the official worker.
      expect(f.suggestedContinueAsNewReasons).toEqual(UNDEFINED);
      expect(f.targetWorkerDeploymentVersionChanged).toBe(false);
      // No Build Id given to the worker: its default, as official (<sdk>@<version>+<sha256 of the bundle>).
      const buildId = `temporal-bun-sdk@${pkg.version}+${new Bun.CryptoHasher("sha256").update((await bundle(FILE)).code).digest("hex")}`;
      expect(w.worker.options.buildId).toBe(buildId);
      expect(f.currentBuildId).toBe(buildId);
      expect(f.currentDeploymentVersion).toEqual({ buildId, deploymentName: "" });
      expect(f.unsafe).toEqual({ isReplaying: false, isReplayingHistoryEvents: false, now: "function returning a number", random: "UnsafeRandomSource" });
      // The query saw the state of its last task and changed nothing.
      expect(queried.fields.historyLength).toBe(live.find((o) => o.where === "after timer")!.historyLength);
      const { unsafe: _u, historyLength: _h, historySize: _s, ...rest } = queried.fields;
      const { unsafe: _u1, historyLength: _h1, historySize: _s1, ...firstRest } = f;
      expect(rest).toEqual(firstRest);

      // Live (a cached run): every step saw isReplaying false; each logged once.
      expect(observations.map((o) => [o.where, o.isReplaying, o.isReplayingHistoryEvents])).toEqual([
        ["start", false, false],
        ["after timer", false, false],
        ["after signal", false, false],
      ]);
      const observedLines = () => log.lines.filter((l) => l.message === OBSERVED_LOG && l.meta?.workflowId === workflowId);
      expect(observedLines().length).toBe(3);

      // A query of the closed run: the worker rebuilds the run from history, and the code saw
      // every step as replaying (and logged nothing again); the query itself is a live read.
      expect(replayed.map((o): unknown[] => [o.where, o.historyLength, o.isReplaying, o.isReplayingHistoryEvents])).toEqual([
        ...observations.map((o) => [o.where, o.historyLength, true, true]),
        ["query", last.fields.historyLength, true, false],
      ]);
      const closedQueried = await h.query<InfoSnapshot>(snapshotQuery);
      expect(closedQueried.fields.unsafe).toMatchObject({ isReplaying: true, isReplayingHistoryEvents: false });
      expect(observedLines().length).toBe(3);
      expect(log.lines.filter((l) => l.message === QUERY_LOG && l.meta?.workflowId === workflowId).length).toBe(2);
    } finally {
      log.restore();
    }
  });
});

describe("cron", () => {
  test("a cron workflow from the client runs on schedule; later runs see lastResult, lastFailure, the schedule and the chain", async () => {
    const c = await client();
    const { workflowId, runIds, closes, results } = await runCron(w.taskQueue);
    const [run1, run2, run3] = runIds as [string, string, string];
    const [r1, r2, r3] = results;
    expect(closes.map((e) => e.eventType)).toEqual([EventType.WORKFLOW_EXECUTION_COMPLETED, EventType.WORKFLOW_EXECUTION_FAILED, EventType.WORKFLOW_EXECUTION_COMPLETED]);
    expect([r1.n, r2.n, r3.n]).toEqual([1, 2, 3]);
    for (const [r, runId] of [[r1, run1], [r2, run2], [r3, run3]] as const) {
      expect(r.info.fields.runId).toBe(runId);
      expect(r.info.fields.cronSchedule).toBe(CRON_SCHEDULE);
      // The backoff before the run (the first run's too: it waits for the first tick).
      expect(r.info.fields.cronScheduleToScheduleInterval as number).toBeGreaterThan(0);
      expect(r.info.fields.cronScheduleToScheduleInterval as number).toBeLessThanOrEqual(2000);
      expect(r.info.fields.firstExecutionRunId).toBe(run1);
      expect(r.info.fields.originalExecutionRunId).toBe(runId);
      expect(r.info.fields.attempt).toBe(1);
    }
    expect(r1.info.fields.lastResult).toEqual(UNDEFINED);
    expect(r1.info.fields.lastFailure).toEqual(UNDEFINED);
    expect(r1.info.fields.continuedFromExecutionRunId).toEqual(UNDEFINED);
    // Run 2 sees run 1's result.
    expect(r2.info.fields.lastResult).toEqual(r1);
    expect(r2.info.fields.lastFailure).toEqual(UNDEFINED);
    expect(r2.info.fields.continuedFromExecutionRunId).toBe(run1);
    // Run 3 sees run 2's failure (and, from the server, the last successful result: run 1's).
    expect(r3.info.fields.lastFailure).toMatchObject({ $error: "ApplicationFailure", message: "cron run 2 fails", type: "CronRunFails", nonRetryable: false, details: [r2] });
    expect(r3.info.fields.lastResult).toEqual(r1);
    expect(r3.info.fields.continuedFromExecutionRunId).toBe(run2);
    // Each run's start time is its own; runs are about 2 s apart.
    expect(ms(r2.info.fields.runStartTime)).toBeGreaterThan(ms(r1.info.fields.runStartTime));
    expect(ms(r3.info.fields.runStartTime)).toBeGreaterThan(ms(r2.info.fields.runStartTime));
    for (const runId of runIds) await expectReplays(c.workflow.getHandle(workflowId, runId), FILE);
  }, 60_000);
});

describe("workflow retry", () => {
  test("attempt 2 sees attempt, lastFailure, the decompiled retry policy and the previous attempt's run", async () => {
    const c = await client();
    const { workflowId, runIds, closes, results } = await runRetry(w.taskQueue);
    const { first, second } = results;
    const [run1, run2] = runIds as [string, string];
    expect(closes[0]!.eventType).toBe(EventType.WORKFLOW_EXECUTION_FAILED);
    const policy = { initialInterval: 100, backoffCoefficient: 2, maximumInterval: 1000, maximumAttempts: 3, nonRetryableErrorTypes: ["Other"] };
    expect(first.fields).toMatchObject({ runId: run1, attempt: 1, lastFailure: UNDEFINED, lastResult: UNDEFINED, retryPolicy: policy, continuedFromExecutionRunId: UNDEFINED });
    expect(second.fields).toMatchObject({
      runId: run2,
      attempt: 2,
      retryPolicy: policy,
      firstExecutionRunId: run1,
      originalExecutionRunId: run2,
      continuedFromExecutionRunId: run1,
      lastResult: UNDEFINED,
      lastFailure: { $error: "ApplicationFailure", message: "attempt 1 fails", type: "FirstAttemptFails", nonRetryable: false, details: [first] },
    });
    // startTime is each run's WorkflowExecutionStarted event time (core's, as for the official SDK).
    expect(ms(second.fields.startTime)).toBeGreaterThan(ms(first.fields.startTime));
    expect(ms(second.fields.runStartTime)).toBeGreaterThan(ms(first.fields.runStartTime));
    for (const runId of runIds) await expectReplays(c.workflow.getHandle(workflowId, runId), FILE);
  });
});

describe("continue-as-new", () => {
  test("the new run sees the run it continued from, no lastResult, and the same first run", async () => {
    const c = await client();
    const { workflowId, runIds, closes, results } = await runContinueAsNew(w.taskQueue);
    const { first, second } = results;
    const [run1, run2] = runIds as [string, string];
    expect(closes[0]!.eventType).toBe(EventType.WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
    expect(first.fields).toMatchObject({ runId: run1, firstExecutionRunId: run1, continuedFromExecutionRunId: UNDEFINED, lastResult: UNDEFINED });
    expect(second.fields).toMatchObject({
      runId: run2,
      firstExecutionRunId: run1,
      originalExecutionRunId: run2,
      continuedFromExecutionRunId: run1,
      lastResult: UNDEFINED,
      lastFailure: UNDEFINED,
      attempt: 1,
      historyLength: 3,
      executionTimeoutMs: 60_000,
    });
    // The start delay is the first run's firstWorkflowTaskBackoff, which core reports as
    // cronScheduleToScheduleInterval (the official worker too); the continued run waited for nothing.
    expect(first.fields.cronScheduleToScheduleInterval).toBe(START_DELAY_MS);
    expect(first.fields.cronSchedule).toEqual(UNDEFINED);
    expect(second.fields.cronScheduleToScheduleInterval).toEqual(UNDEFINED);
    expect(ms(first.fields.runStartTime) - ms(first.fields.startTime)).toBeGreaterThanOrEqual(START_DELAY_MS);
    expect(ms(second.fields.startTime)).toBeGreaterThan(ms(first.fields.startTime));
    expect(ms(second.fields.runStartTime)).toBeGreaterThan(ms(first.fields.runStartTime));
    for (const runId of runIds) await expectReplays(c.workflow.getHandle(workflowId, runId), FILE);
  });
});

describe("child workflows", () => {
  test("a child sees its parent and the root; a grandchild sees its parent and the same root", async () => {
    const c = await client();
    const { workflowIds, runId, snapshots } = await runFamily(w.taskQueue);
    const [top, child, grandchild] = snapshots.map((s) => s.fields) as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
    expect(snapshots.length).toBe(3);
    expect(top).toMatchObject({ workflowId: workflowIds[0], runId, parent: UNDEFINED, root: UNDEFINED });
    expect(child).toMatchObject({
      workflowId: workflowIds[1],
      workflowType: "infoFamily",
      taskQueue: w.taskQueue,
      parent: { workflowId: workflowIds[0], runId, namespace: "default" },
      root: { workflowId: workflowIds[0], runId },
      firstExecutionRunId: child.runId,
      memo: {},
      typedSearchAttributes: { $typedSearchAttributes: [] },
      attempt: 1,
    });
    expect(grandchild).toMatchObject({
      workflowId: workflowIds[2],
      parent: { workflowId: workflowIds[1], runId: child.runId, namespace: "default" },
      root: { workflowId: workflowIds[0], runId },
    });
    for (const id of workflowIds) await expectReplays(c.workflow.getHandle(id), FILE);
  });
});
