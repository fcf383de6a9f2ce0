/**
 * Workflow updates from the client's side with our worker: the suite (updates-client.suite.ts;
 * tests/compat/updates-official.test.ts runs it on the official worker), then what only the
 * client decides: deadlines and aborts, bad options, multi-operation failures.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  ServiceError,
  ValueError,
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from "../../src/client/index.js";
import { client, startWorker, uid, type RunningWorker } from "./helpers.js";
import { counter, increment } from "./fixtures/update-workflows.js";
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
