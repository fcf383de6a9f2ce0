/**
 * Child workflows and external workflow handles end to end with our workers (the suite is in
 * child-workflows.suite.ts; tests/compat/child-workflows-official.test.ts runs it on the
 * official SDK's workers).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import { childWorkflowSuite } from "./child-workflows.suite.js";
import type { Outcome } from "./fixtures/child-workflows.js";
import { client, expectReplays, isType, startWorker, uid, type RunningWorker } from "./helpers.js";

const FILE = "child-workflows.ts";

childWorkflowSuite(() => Promise.all([startWorker(FILE), startWorker(FILE)]));

// ------------------------------------------------------------------ ours only

let w: RunningWorker;
beforeAll(async () => {
  w = await startWorker(FILE);
});
afterAll(async () => {
  await w?.stop();
});

test("bad child options reject startChild/executeChild with a typed error naming the option and the value; nothing is sent and the parent goes on", async () => {
  const c = await client();
  const handle = await c.workflow.start("badChildOptions", { taskQueue: w.taskQueue, workflowId: uid("bad-child-options"), workflowExecutionTimeout: "30s" });
  const result = (await handle.result()) as Record<string, Outcome>;
  const expected: Record<string, [string, RegExp]> = {
    cancellationType: ["ValueError", /cancellationType.*WAIT_CANCEL/],
    parentClosePolicy: ["ValueError", /parentClosePolicy.*KILL/],
    workflowIdReusePolicy: ["ValueError", /workflowIdReusePolicy.*NEVER/],
    workflowRunTimeout: ["ValueError", /workflowRunTimeout.*soonish/],
    retry: ["ValueError", /backoffCoefficient.*0\.5/],
    unknownOption: ["TypeError", /unknown option 'workflowid' \(did you mean 'workflowId'\?\)/],
    args: ["TypeError", /args.*not an array/],
  };
  for (const [name, [errorName, message]] of Object.entries(expected)) {
    for (const api of ["startChild", "executeChild"]) {
      const o = result[`${api}.${name}`]!;
      expect(o.outcome, `${api}.${name}`).toBe("rejected");
      if (o.outcome !== "rejected") continue;
      expect(o.error.name, `${api}.${name}: ${o.error.message}`).toBe(errorName);
      expect(o.error.message).toMatch(message);
      expect(o.error.message).toContain(api);
    }
  }
  expect(result.externalHandle).toMatchObject({ outcome: "rejected", error: { name: "TypeError", message: "getExternalWorkflowHandle: workflowId: expected a non-empty string, got number 42" } });
  expect(result.good).toMatchObject({ outcome: "resolved", value: 8 });
  const history = await handle.fetchHistory();
  expect(history.events.filter(isType(EventType.WORKFLOW_TASK_FAILED))).toHaveLength(0);
  expect(history.events.filter(isType(EventType.START_CHILD_WORKFLOW_EXECUTION_INITIATED))).toHaveLength(1);
  expect(w.worker.getState()).toBe("RUNNING");
  await expectReplays(handle, FILE);
});

test("without a workflow cache (every task replays the run from its start): fan-out with default ids, signals and a cancelled child still complete, with no failed task", async () => {
  const noCache = await startWorker(FILE, { maxCachedWorkflows: 0 });
  try {
    const c = await client();
    const opts = (type: string) => ({ taskQueue: noCache.taskQueue, workflowId: uid(type), workflowExecutionTimeout: "30s" });
    const fan = await c.workflow.start("fanOutHandles", { ...opts("fanOutHandles"), args: [8] });
    const signals = await c.workflow.start("signalChild", opts("signalChild"));
    const cancelId = uid("no-cache-cancel");
    const cancel = await c.workflow.start("cancelStartedChild", { ...opts("cancelStartedChild"), args: ["WAIT_CANCELLATION_COMPLETED", cancelId, 200, 0] });
    const fanResult = (await fan.result()) as { children: { workflowId: string }[]; results: number[] };
    expect(fanResult.results).toEqual([200, 202, 204, 206, 208, 210, 212, 214]);
    expect(((await signals.result()) as { received: unknown[] }).received).toEqual([
      [1, "one"],
      [2, "two"],
    ]);
    expect(await cancel.result()).toMatchObject({ outcome: "rejected", error: { class: "ChildWorkflowFailure", cause: { class: "CancelledFailure" } } });
    for (const h of [fan, signals, cancel]) {
      expect((await h.fetchHistory()).events.filter(isType(EventType.WORKFLOW_TASK_FAILED))).toHaveLength(0);
      await expectReplays(h, FILE);
    }
    for (const child of fanResult.children) await expectReplays(c.workflow.getHandle(child.workflowId), FILE);
    await expectReplays(c.workflow.getHandle(cancelId), FILE);
  } finally {
    await noCache.stop();
  }
});
