/**
 * Workflow updates from the client's side with our worker: the suite (updates-client.suite.ts;
 * tests/compat/updates-official.test.ts runs it on the official worker), then what only the
 * client decides (deadlines and aborts, bad options, multi-operation failures) and what only our
 * worker is checked for here (the unfinished-handler warning; a changed handler failing replay).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  ServiceError,
  ValueError,
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from "../../src/client/index.js";
import { DeterminismViolationError } from "../../src/worker/index.js";
import { captureWorkerLog, client, expectReplays, replay, startWorker, uid, type RunningWorker } from "./helpers.js";
import { act, counter, forever, handlerCommands, increment, unfinished } from "./fixtures/update-workflows.js";
import { updatesClientSuite } from "./updates-client.suite.js";

const FILE = "update-workflows.ts";

updatesClientSuite("our worker", () => startWorker(FILE));

// ------------------------------------------------------------------ ours only (the client alone decides these)

let w: RunningWorker;
beforeAll(async () => {
  w = await startWorker(FILE);
});
afterAll(async () => {
  await w?.stop();
});

describe("update errors", () => {
  test("a deadline or an abort while the update waits for a worker is WorkflowUpdateRPCTimeoutOrCancelledError", async () => {
    const c = await client();
    // No worker polls this task queue: the update waits in the server.
    const h = await c.workflow.start(counter, { workflowId: uid("upd-timeout"), taskQueue: uid("no-worker"), args: [0] });
    try {
      const t0 = Date.now();
      const err = await c.withDeadline(Date.now() + 500, () => h.executeUpdate(increment, { args: [1] })).catch((e: any) => e);
      expect(err).toBeInstanceOf(WorkflowUpdateRPCTimeoutOrCancelledError);
      expect(err.cause).toBeInstanceOf(ServiceError);
      expect(Date.now() - t0).toBeLessThan(5000);
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 300);
      const aborted = await c.withAbortSignal(ac.signal, () => h.startUpdate(increment, { args: [1], waitForStage: "ACCEPTED" })).catch((e: any) => e);
      expect(aborted).toBeInstanceOf(WorkflowUpdateRPCTimeoutOrCancelledError);
      const op = new WithStartWorkflowOperation(counter, { workflowId: h.workflowId, taskQueue: "unused", workflowIdConflictPolicy: "USE_EXISTING" });
      const withStart = await c.withDeadline(Date.now() + 500, () => c.workflow.executeUpdateWithStart(increment, { args: [1], startWorkflowOperation: op })).catch((e: any) => e);
      expect(withStart).toBeInstanceOf(WorkflowUpdateRPCTimeoutOrCancelledError);
    } finally {
      await h.terminate();
    }
  });

  test("bad options are typed errors naming the option; nothing is sent", async () => {
    const c = await client();
    const h = c.workflow.getHandle(uid("upd-never-started"));
    const cases: [() => Promise<unknown>, ErrorConstructor | typeof ValueError, RegExp][] = [
      [() => h.executeUpdate(increment, { args: [1], updateID: "x" } as never), TypeError, /WorkflowUpdateOptions: unknown option 'updateID' \(did you mean 'updateId'\?\)/],
      [() => h.executeUpdate(increment, { args: 1 } as never), TypeError, /WorkflowUpdateOptions\.args: expected an array/],
      [() => h.executeUpdate(increment, { args: [1], updateId: 5 } as never), TypeError, /WorkflowUpdateOptions\.updateId: expected a non-empty string, got number 5/],
      [() => h.executeUpdate("", {}), TypeError, /update: expected an update name/],
      [() => h.startUpdate(increment, { args: [1], waitForStage: "DONE" } as never), ValueError, /WorkflowUpdateOptions\.waitForStage: expected one of ADMITTED, ACCEPTED, COMPLETED, got "DONE"/],
      [() => h.startUpdate(increment, undefined as never), TypeError, /startUpdate: options with waitForStage/],
      [() => h.executeUpdate(increment, { args: [1], typeInfo: {} }), TypeError, /Cannot provide call-site Update TypeInfo with an Update definition/],
      [async () => h.getUpdateHandle(""), TypeError, /getUpdateHandle: updateId must be a non-empty string/],
      [async () => h.getUpdateHandle("x", { runId: "y" } as never), TypeError, /GetWorkflowUpdateHandleOptions: unknown option 'runId'/],
      [() => c.workflow.executeUpdateWithStart(increment, { args: [1], startWorkflowOperation: { workflowTypeOrFunc: "counter" } as never }), TypeError, /startWorkflowOperation: expected a WithStartWorkflowOperation/],
    ];
    for (const [call, cls, message] of cases) {
      const err: any = await call().catch((e: any) => e);
      expect(err).toBeInstanceOf(cls);
      expect(err.message).toMatch(message);
    }

    // Without workflowIdConflictPolicy (required by the official type): a TypeError, also for workflowHandle().
    const op = new WithStartWorkflowOperation(counter, { workflowId: uid("upd-no-policy"), taskQueue: w.taskQueue } as never);
    const err = await c.workflow.executeUpdateWithStart(increment, { args: [1], startWorkflowOperation: op }).catch((e: any) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toBe("WithStartWorkflowOperation options.workflowIdConflictPolicy: required ('USE_EXISTING' or 'FAIL')");
    expect(await op.workflowHandle().catch((e: any) => e)).toBe(err);
    // A bad start option of the operation: the start path's own error.
    const op2 = new WithStartWorkflowOperation(counter, { workflowId: uid("upd-bad-start"), taskQueue: w.taskQueue, workflowIdConflictPolicy: "FAIL", workflowIdd: "x" } as never);
    const err2 = await c.workflow.executeUpdateWithStart(increment, { args: [1], startWorkflowOperation: op2 }).catch((e: any) => e);
    expect(err2).toBeInstanceOf(TypeError);
    expect(err2.message).toMatch(/unknown option 'workflowIdd'/);
  });

  test("a multi-operation failure is the failing operation's error (not the aborted update's)", async () => {
    const c = await client();
    // The server refuses a cron schedule in update-with-start: the start operation fails, the update is aborted.
    const workflowId = uid("upd-cron");
    const op = new WithStartWorkflowOperation(counter, { workflowId, taskQueue: w.taskQueue, workflowIdConflictPolicy: "FAIL", cronSchedule: "* * * * *" });
    const err = await c.workflow.executeUpdateWithStart(increment, { args: [1], startWorkflowOperation: op }).catch((e: any) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect(err.codeName).toBe("INVALID_ARGUMENT");
    expect(err.message).toContain("CronSchedule is not allowed");
    expect(await op.workflowHandle().catch((e: any) => e)).toBe(err);
    expect(await c.workflow.getHandle(workflowId).describe().catch((e: any) => e)).toBeInstanceOf(WorkflowNotFoundError);
  });
});

describe("update handlers in our worker", () => {
  test("completing with a WARN_AND_ABANDON update handler still running logs the official [TMPRL1102] warning once; ABANDON logs none", async () => {
    const c = await client();
    const { lines, restore } = await captureWorkerLog();
    try {
      for (const abandon of [false, true]) {
        const h = await c.workflow.start(unfinished, { workflowId: uid("upd-warn"), taskQueue: w.taskQueue, args: [abandon] });
        const u = await h.startUpdate(forever, { waitForStage: "ACCEPTED" });
        await h.result();
        const warnings = lines.filter((l) => l.message.startsWith("[TMPRL1102] Workflow finished while an update handler was still running.") && l.meta?.workflowId === h.workflowId);
        if (abandon) {
          expect(warnings).toEqual([]);
        } else {
          expect(warnings.length).toBe(1);
          expect(warnings[0]!.level).toBe("warn");
          expect(warnings[0]!.message).toEndWith(`The following updates were unfinished (and warnings were not disabled for their handler): [{"name":"forever","id":"${u.updateId}"}]`);
        }
        await expectReplays(h, FILE);
      }
    } finally {
      restore();
    }
  });

  test("an update handler changed in its commands fails replay with DeterminismViolationError", async () => {
    const c = await client();
    const h = await c.workflow.start(handlerCommands, { workflowId: uid("upd-commands"), taskQueue: w.taskQueue });
    expect(await h.executeUpdate(act, { args: ["x"] })).toBe("x");
    expect(await h.result()).toBe("x");
    await expectReplays(h, FILE);
    await replay(h, "update-workflows-changed.ts", "unchanged");
    for (const [variant, mismatch] of [
      ["reordered", /Activity machine does not handle this event: HistoryEvent\(id: \d+, TimerStarted\)/],
      ["other-activity", /Activity type of scheduled event 'echo' does not match activity type of activity command 'upper'/],
      ["no-timer", /Activity machine does not handle this event: HistoryEvent\(id: \d+, TimerStarted\)/],
    ] as const) {
      const err = await replay(h, "update-workflows-changed.ts", variant).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeterminismViolationError);
      expect((err as Error).message).toMatch(/nondetermin/i);
      expect((err as Error).message).toMatch(mismatch);
    }
  });
});

