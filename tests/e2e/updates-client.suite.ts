/**
 * Workflow updates from the client's side, end to end (src/client/workflow-update.ts): results,
 * startUpdate at ACCEPTED and update handles, validator rejections and failing handlers, 100
 * concurrent updates and reused update ids, update-with-start, an update before its handler,
 * updates across continue-as-new, not-found errors. The workflows are
 * tests/e2e/fixtures/update-workflows.ts; every history is replayed with our SDK.
 *
 * Run by tests/e2e/updates-client.test.ts with our worker, and by
 * tests/compat/updates-official.test.ts with the official SDK 1.24's worker on Node (the same
 * assertions hold for both; the official histories replay on ours).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  ApplicationFailure,
  ServiceError,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateStage,
  type WorkflowHandle,
} from "../../src/client/index.js";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import type { History } from "../../src/proto/temporal/api/history/v1/message_pb.js";
import { client, expectReplays, uid } from "./helpers.js";
import { appliedQuery, continuing, counter, done, fail, forever, increment, lateHandler, release, slowIncrement, step, unfinished } from "./fixtures/update-workflows.js";

const FILE = "update-workflows.ts";

/** A worker serving the fixture file on its own task queue. */
export interface SuiteWorker {
  taskQueue: string;
  stop(): Promise<void>;
}

/** The update ids of the history's update events, by event type. */
export function updateEvents(history: History): { accepted: string[]; completed: { id: string; outcome: string | undefined }[] } {
  const accepted: string[] = [];
  const completed: { id: string; outcome: string | undefined }[] = [];
  for (const e of history.events) {
    const a = e.attributes;
    if (a.case === "workflowExecutionUpdateAcceptedEventAttributes") accepted.push(a.value.acceptedRequest?.meta?.updateId ?? "");
    if (a.case === "workflowExecutionUpdateCompletedEventAttributes") completed.push({ id: a.value.meta?.updateId ?? "", outcome: a.value.outcome?.value.case });
  }
  return { accepted, completed };
}

export async function finish(h: WorkflowHandle<typeof counter>): Promise<number> {
  await h.signal(done);
  return await h.result();
}

/**
 * Registers the suite. `startWorker` starts a worker for the fixture file; `label` names it in
 * the test names; `onHistory` receives every history the suite replayed (by workflow id).
 */
export function updatesClientSuite(label: string, startWorker: () => Promise<SuiteWorker>, onHistory?: (workflowId: string, history: History) => void): void {
  let w: SuiteWorker;
  beforeAll(async () => {
    w = await startWorker();
  });
  afterAll(async () => {
    await w?.stop();
  });
  const replayed = async (h: WorkflowHandle): Promise<History> => {
    const history = await expectReplays(h, FILE);
    onHistory?.(h.workflowId, history);
    return history;
  };

  describe(`updates through the client (${label})`, () => {
    test("executeUpdate returns the handler's value; startUpdate returns once the update is accepted; getUpdateHandle finds it", async () => {
      const c = await client();
      const h = await c.workflow.start(counter, { workflowId: uid("upd-basic"), taskQueue: w.taskQueue, args: [10] });
      expect(await h.executeUpdate(increment, { args: [5] })).toBe(15);
      // By name, with an id of our own.
      expect(await h.executeUpdate<number, [number]>("increment", { args: [1], updateId: "by-name" })).toBe(16);

      const u = await h.startUpdate(slowIncrement, { args: [100], waitForStage: WorkflowUpdateStage.ACCEPTED });
      expect(u.updateId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(u.workflowId).toBe(h.workflowId);
      expect(u.workflowRunId).toBe(h.firstExecutionRunId);
      // Accepted, not completed: the handler waits for `release`.
      const before = updateEvents(await h.fetchHistory());
      expect(before.accepted).toContain(u.updateId);
      expect(before.completed.map((x) => x.id)).not.toContain(u.updateId);

      // Handles made from the id alone, with and without the run.
      const byId = c.workflow.getHandle(h.workflowId).getUpdateHandle<number>(u.updateId);
      const byRun = c.workflow.getHandle(h.workflowId).getUpdateHandle<number>(u.updateId, { workflowRunId: h.firstExecutionRunId });
      expect(byRun.workflowRunId).toBe(h.firstExecutionRunId);
      const pending = byId.result();
      await h.signal(release);
      expect(await u.result()).toBe(116);
      expect(await pending).toBe(116);
      expect(await byRun.result()).toBe(116);

      expect(await finish(h)).toBe(116);
      const history = await replayed(h);
      const ev = updateEvents(history);
      expect(ev.accepted).toEqual([ev.accepted[0]!, "by-name", u.updateId]);
      expect(ev.completed.map((x) => x.outcome)).toEqual(["success", "success", "success"]);
    });

    test("a validator's rejection is a WorkflowUpdateFailedError and never reaches history; so is an update with no handler", async () => {
      const c = await client();
      const h = await c.workflow.start(counter, { workflowId: uid("upd-reject"), taskQueue: w.taskQueue, args: [0] });
      const err = await h.executeUpdate(increment, { args: [-1], updateId: "negative" }).catch((e: any) => e);
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(err.message).toBe("Workflow Update failed");
      expect(err.cause).toBeInstanceOf(ApplicationFailure);
      expect(err.cause.message).toBe("increment: expected a non-negative number, got -1");

      // startUpdate hands back the rejected update's handle; its result() throws.
      const rejected = await h.startUpdate(increment, { args: [-2], waitForStage: "ACCEPTED", updateId: "negative-2" });
      const err2 = await rejected.result().catch((e: any) => e);
      expect(err2).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(err2.cause.message).toContain("got -2");

      const unknown: any = await h.executeUpdate("noSuchUpdate", { updateId: "unknown" }).catch((e: any) => e);
      expect(unknown).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(unknown.cause).toBeInstanceOf(ApplicationFailure);
      expect(unknown.cause.message).toBe("No registered handler for update: noSuchUpdate");

      // The workflow goes on.
      expect(await h.executeUpdate(increment, { args: [2], updateId: "fine" })).toBe(2);
      expect(await finish(h)).toBe(2);
      const history = await replayed(h);
      const ev = updateEvents(history);
      expect(ev.accepted).toEqual(["fine"]);
      expect(ev.completed.map((x) => x.id)).toEqual(["fine"]);
      expect(JSON.stringify(history.events.map((e) => e.attributes.value), (_k, v) => (typeof v === "bigint" ? String(v) : v))).not.toContain("negative");
    });

    test("a handler that throws an ApplicationFailure fails the update (cause: the failure) and the workflow goes on", async () => {
      const c = await client();
      const h = await c.workflow.start(counter, { workflowId: uid("upd-throw"), taskQueue: w.taskQueue, args: [7] });
      const err = await h.executeUpdate(fail, { args: ["not today"], updateId: "boom" }).catch((e: any) => e);
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(err.cause).toBeInstanceOf(ApplicationFailure);
      expect(err.cause.type).toBe("UpdateRefused");
      expect(err.cause.message).toBe("not today");
      expect(err.cause.details).toEqual([{ total: 7 }]);
      // The same failure again from a handle made later (the outcome is read from the server).
      const again: any = await h.getUpdateHandle("boom").result().catch((e: any) => e);
      expect(again).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(again.cause.type).toBe("UpdateRefused");

      expect(await h.executeUpdate(increment, { args: [1] })).toBe(8);
      expect(await finish(h)).toBe(8);
      const ev = updateEvents(await replayed(h));
      expect(ev.completed.map((x) => x.outcome)).toEqual(["failure", "success"]);
    });

    test("100 concurrent updates with unique ids are each applied once; an id sent again is not applied again", async () => {
      const c = await client();
      const h = await c.workflow.start(counter, { workflowId: uid("upd-many"), taskQueue: w.taskQueue, args: [0] });
      const ids = Array.from({ length: 100 }, (_, i) => `inc-${i}`);
      const totals = await Promise.all(ids.map((updateId) => h.executeUpdate(increment, { args: [1], updateId })));
      // Each update saw a different total: 1..100 in some order.
      expect([...totals].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      const applied = await h.query<string[]>(appliedQuery);
      expect(applied.length).toBe(100);
      expect([...applied].sort()).toEqual([...ids].sort());

      // The same id twice at once, then a third time with other arguments: one application, one answer.
      const twice = await Promise.all([
        h.executeUpdate(increment, { args: [1000], updateId: "dup" }),
        h.executeUpdate(increment, { args: [1000], updateId: "dup" }),
      ]);
      expect(twice).toEqual([1100, 1100]);
      expect(await h.executeUpdate(increment, { args: [5], updateId: "dup" })).toBe(1100);
      expect(await h.executeUpdate(increment, { args: [1], updateId: "inc-0" })).toBe(totals[0]!);
      expect((await h.query<string[]>(appliedQuery)).filter((id: string) => id === "dup").length).toBe(1);

      expect(await finish(h)).toBe(1100);
      const history = await replayed(h);
      expect(history.events.filter((e) => e.eventType === EventType.WORKFLOW_TASK_FAILED)).toEqual([]);
      const ev = updateEvents(history);
      expect(ev.accepted.length).toBe(101);
      expect(new Set(ev.accepted).size).toBe(101);
    });

    test("update-with-start starts the workflow, or updates the running one with USE_EXISTING; FAIL refuses a running one", async () => {
      const c = await client();
      const workflowId = uid("upd-with-start");
      const op = new WithStartWorkflowOperation(counter, { workflowId, taskQueue: w.taskQueue, args: [1], workflowIdConflictPolicy: "USE_EXISTING" });
      expect(await c.workflow.executeUpdateWithStart(increment, { args: [2], startWorkflowOperation: op })).toBe(3);
      const h = await op.workflowHandle();
      expect(h.workflowId).toBe(workflowId);
      expect(h.firstExecutionRunId).toMatch(/[0-9a-f-]{36}/);
      expect((await h.describe()).status.name).toBe("RUNNING");

      const op2 = new WithStartWorkflowOperation(counter, { workflowId, taskQueue: w.taskQueue, args: [999], workflowIdConflictPolicy: "USE_EXISTING" });
      const u = await c.workflow.startUpdateWithStart(increment, { args: [3], waitForStage: "ACCEPTED", startWorkflowOperation: op2, updateId: "second" });
      expect(u.updateId).toBe("second");
      expect(u.workflowRunId).toBe(h.firstExecutionRunId!);
      expect(await u.result()).toBe(6);
      expect((await op2.workflowHandle()).firstExecutionRunId).toBe(h.firstExecutionRunId!);

      const op3 = new WithStartWorkflowOperation(counter, { workflowId, taskQueue: w.taskQueue, args: [0], workflowIdConflictPolicy: "FAIL" });
      const err = await c.workflow.executeUpdateWithStart(increment, { args: [4], startWorkflowOperation: op3 }).catch((e: any) => e);
      expect(err).toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
      expect(err.workflowId).toBe(workflowId);
      expect(err.workflowType).toBe("counter");
      expect(await op3.workflowHandle().catch((e: any) => e)).toBe(err);

      // One operation serves one call.
      const reused = await c.workflow.executeUpdateWithStart(increment, { args: [4], startWorkflowOperation: op }).catch((e: any) => e);
      expect(reused.message).toBe("This WithStartWorkflowOperation instance has already been executed.");

      expect(await finish(h as WorkflowHandle<typeof counter>)).toBe(6);
      const ev = updateEvents(await replayed(h));
      expect(ev.accepted.slice(1)).toEqual(["second"]);
      expect(ev.completed.length).toBe(2);
    });

    test("an update that comes with the first workflow task waits for the handler the workflow sets later in that activation", async () => {
      const c = await client();
      const op = new WithStartWorkflowOperation(lateHandler, { workflowId: uid("upd-late"), taskQueue: w.taskQueue, args: ["hi"], workflowIdConflictPolicy: "FAIL" });
      expect(await c.workflow.executeUpdateWithStart<typeof lateHandler, number, [number, number]>("hello", { args: [1, 2], startWorkflowOperation: op })).toBe(1);
      const h = await op.workflowHandle();
      expect(await h.executeUpdate<number, []>("again")).toBe(2);
      expect(await h.result()).toEqual(["hi hello(1,2)", "hi again()"]);
      const history = await replayed(h);
      // The update was delivered with the first workflow task: accepted in its completion.
      const firstCompleted = history.events.findIndex((e) => e.eventType === EventType.WORKFLOW_TASK_COMPLETED);
      const firstAccepted = history.events.findIndex((e) => e.eventType === EventType.WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
      expect(firstAccepted).toBe(firstCompleted + 1);
    });

    test("updates follow the workflow across continue-as-new", async () => {
      const c = await client();
      const h = await c.workflow.start(continuing, { workflowId: uid("upd-can"), taskQueue: w.taskQueue, args: [0, 2, 2] });
      const first = h.firstExecutionRunId;
      expect(await h.executeUpdate(step, { args: [1] })).toBe(`${first}:1`);
      expect(await h.executeUpdate(step, { args: [2] })).toBe(`${first}:3`);
      // Wait until the first run has continued as new, then update the chain through the same handle.
      const firstRun = c.workflow.getHandle(h.workflowId, first);
      for (let i = 0; (await firstRun.describe()).status.name === "RUNNING"; i++) {
        if (i > 300) throw new Error("the first run did not continue as new");
        await Bun.sleep(20);
      }
      expect((await firstRun.describe()).status.name).toBe("CONTINUED_AS_NEW");
      const u = await h.startUpdate(step, { args: [3], waitForStage: "ACCEPTED" });
      const second = u.workflowRunId!;
      expect(second).not.toBe(first);
      expect(await u.result()).toBe(`${second}:6`);
      expect(await c.workflow.getHandle(h.workflowId).executeUpdate(step, { args: [4] })).toBe(`${second}:10`);
      expect(await h.result()).toBe(10);

      await replayed(firstRun);
      await replayed(c.workflow.getHandle(h.workflowId, second));
    });
    test("a workflow that completes while an accepted update's handler runs: the update fails as the server says; later updates are WorkflowNotFoundError", async () => {
      const c = await client();
      for (const abandon of [false, true]) {
        const h = await c.workflow.start(unfinished, { workflowId: uid("upd-unfinished"), taskQueue: w.taskQueue, args: [abandon] });
        const u = await h.startUpdate(forever, { waitForStage: "ACCEPTED" });
        expect(await h.result()).toBe("a handler still runs");
        const err: any = await u.result().catch((e: any) => e);
        expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
        expect(err.cause).toBeInstanceOf(ApplicationFailure);
        expect(err.cause.type).toBe("AcceptedUpdateCompletedWorkflow");
        expect(err.cause.message).toBe("Workflow Update failed because the Workflow completed before the Update completed.");
        const late: any = await h.executeUpdate(forever).catch((e: any) => e);
        expect(late).toBeInstanceOf(WorkflowNotFoundError);
        expect(late.message).toBe("workflow execution already completed");
        const ev = updateEvents(await replayed(h));
        expect(ev.accepted).toEqual([u.updateId]);
        expect(ev.completed).toEqual([]);
      }
    });

    test("an unknown or closed workflow is WorkflowNotFoundError", async () => {
      const c = await client();
      const missing = c.workflow.getHandle(uid("upd-missing"));
      for (const call of [
        () => missing.executeUpdate(increment, { args: [1] }),
        () => missing.startUpdate(increment, { args: [1], waitForStage: "ACCEPTED" }),
        () => missing.getUpdateHandle("x").result(),
      ]) {
        const err: any = await call().catch((e: any) => e);
        expect(err).toBeInstanceOf(WorkflowNotFoundError);
        expect(err.workflowId).toBe(missing.workflowId);
        expect(err.cause).toBeInstanceOf(ServiceError);
      }
      const h = await c.workflow.start(counter, { workflowId: uid("upd-closed"), taskQueue: w.taskQueue, args: [0] });
      expect(await finish(h)).toBe(0);
      const closed = await h.executeUpdate(increment, { args: [1] }).catch((e: any) => e);
      expect(closed).toBeInstanceOf(WorkflowNotFoundError);
      expect(closed.message).toBe("workflow execution already completed");
      await replayed(h);
    });

  });
}
