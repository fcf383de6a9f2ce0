/**
 * What goes wrong in workflow code, end to end: a deadlock, an unknown workflow type and a
 * bug each fail the workflow *task* (the workflow stays open, core retries the task), the
 * error reaches the worker's log, and the worker keeps serving other workflows.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import type { HistoryEvent } from "../../src/proto/temporal/api/history/v1/message_pb.js";
import { captureWorkerLog, client, isType, startWorker, uid, waitForEvent, type LogLine, type RunningWorker } from "./helpers.js";

const DEADLOCK_MS = 300;
let w: RunningWorker;
let lines: LogLine[];
let restore: () => void;

beforeAll(async () => {
  ({ lines, restore } = await captureWorkerLog());
  w = await startWorker("workflows.ts", { isolateExecutionTimeout: DEADLOCK_MS });
});

afterAll(async () => {
  await w?.stop();
  restore?.();
});

async function start(type: string) {
  const c = await client();
  // A short task timeout makes core's retry of a failed task come quickly.
  return c.workflow.start(type, { taskQueue: w.taskQueue, workflowId: uid(type), workflowExecutionTimeout: "60s", workflowTaskTimeout: "2s" });
}

function failureMessage(e: HistoryEvent): string {
  return e.attributes.case === "workflowTaskFailedEventAttributes" ? (e.attributes.value.failure?.message ?? "") : "";
}

async function expectStillServing(): Promise<void> {
  const c = await client();
  expect(await c.workflow.execute("ping", { taskQueue: w.taskQueue, workflowId: uid("ping"), workflowExecutionTimeout: "30s" })).toBe("pong");
  expect(w.worker.getState()).toBe("RUNNING");
}

describe("workflow task failures", () => {
  test("an infinite loop fails the workflow task after isolateExecutionTimeout; the worker stays healthy", async () => {
    const h = await start("infiniteLoop");
    const t0 = Date.now();
    const failed = await waitForEvent(h, isType(EventType.WORKFLOW_TASK_FAILED), "a workflow task failure");
    expect(failureMessage(failed)).toMatch(/deadlock/i);
    expect(failureMessage(failed)).toContain(`${DEADLOCK_MS} ms`);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect((await h.describe()).status.name).toBe("RUNNING");
    await expectStillServing();
    expect(lines.some((l) => l.level === "error" && /deadlock/i.test(l.message))).toBe(true);
    await h.terminate("test done");
  });

  test("an unknown workflow type (no default export) fails the workflow task with the official message", async () => {
    const h = await start("noSuchWorkflow");
    const failed = await waitForEvent(h, isType(EventType.WORKFLOW_TASK_FAILED), "a workflow task failure");
    expect(failureMessage(failed)).toBe("Failed to initialize workflow of type 'noSuchWorkflow': no such function is exported by the workflow bundle");
    expect((await h.describe()).status.name).toBe("RUNNING");
    await expectStillServing();
    await h.terminate("test done");
  });

  test("a non-Temporal error thrown by workflow code fails the task (not the workflow); the error and its stack reach the worker log", async () => {
    const h = await start("buggy");
    const failed = await waitForEvent(h, isType(EventType.WORKFLOW_TASK_FAILED), "a workflow task failure");
    expect(failureMessage(failed)).toMatch(/undefined/);
    // The workflow stays open and core retries the task (it fails again the same way).
    expect((await h.describe()).status.name).toBe("RUNNING");
    const logged = lines.find((l) => l.level === "error" && l.message.includes("Workflow task failed") && l.meta?.workflowType === "buggy");
    expect(logged).toBeDefined();
    expect(String(logged!.meta?.stack)).toContain("buggy");
    expect(String(logged!.meta?.stack)).toMatch(/TypeError/);
    await expectStillServing();
    await h.terminate("test done");
  });
});
