/**
 * One workflow's bad input never takes the worker down (issue 9 §1), end to end on the dev
 * server: 20 good workflows and bad ones on one worker. The good ones complete; each bad one
 * fails only its own workflow task, with a message naming the option and the value in the
 * WorkflowTaskFailed event and in the worker's log; the worker stays RUNNING throughout. Then a
 * second worker with fixed code (another bundle, same task queue, after the first stopped)
 * completes the bad workflow. Every finished history is replayed.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { WorkflowHandle } from "../../src/client/index.js";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import type { HistoryEvent } from "../../src/proto/temporal/api/history/v1/message_pb.js";
import { captureWorkerLog, client, expectReplays, isType, startWorker, uid, waitForEvent, type LogLine, type RunningWorker } from "./helpers.js";

const V1 = "bad-options-v1.ts";
const V2 = "bad-options-v2.ts";
const GOOD = 20;

let w1: RunningWorker | undefined;
let lines: LogLine[];
let restore: () => void;
/** Every state the first worker was seen in while it should have been running. */
const seenStates = new Set<string>();
let watcher: ReturnType<typeof setInterval> | undefined;

beforeAll(async () => {
  ({ lines, restore } = await captureWorkerLog());
  w1 = await startWorker(V1);
  watcher = setInterval(() => seenStates.add(w1!.worker.getState()), 20);
});

afterAll(async () => {
  clearInterval(watcher);
  await w1?.stop().catch(() => undefined);
  restore?.();
});

async function start(type: string, taskQueue: string, args: unknown[] = []): Promise<WorkflowHandle> {
  const c = await client();
  // A short task timeout makes the server hand out the failed task again quickly.
  return c.workflow.start(type, { taskQueue, workflowId: uid(type), args, workflowExecutionTimeout: "120s", workflowTaskTimeout: "2s" });
}

function failureMessage(e: HistoryEvent): string {
  return e.attributes.case === "workflowTaskFailedEventAttributes" ? (e.attributes.value.failure?.message ?? "") : "";
}

async function firstTaskFailure(handle: WorkflowHandle): Promise<string> {
  return failureMessage(await waitForEvent(handle, isType(EventType.WORKFLOW_TASK_FAILED), "WorkflowTaskFailed"));
}

/** The worker logged the failure with the run's identity. */
function expectLogged(handle: WorkflowHandle, text: string): void {
  const line = lines.find((l) => l.level === "error" && l.message.includes(text) && l.meta?.runId !== undefined);
  expect(line).toBeDefined();
  const meta = line!.meta!;
  expect(meta.workflowId === undefined || meta.workflowId === handle.workflowId).toBe(true);
  expect(typeof meta.runId).toBe("string");
}

describe("a workflow with a bad option fails its own task, never the worker", () => {
  let bad: WorkflowHandle;
  let good: WorkflowHandle[];

  test("20 good workflows complete beside one with a bad option, whose task fails naming the option and the value", async () => {
    const taskQueue = w1!.taskQueue;
    bad = await start("badOptionWorkflow", taskQueue);
    good = await Promise.all(Array.from({ length: GOOD }, (_, i) => start("goodWorkflow", taskQueue, [i])));
    const results = await Promise.all(good.map((h) => h.result()));
    expect(results).toEqual(Array.from({ length: GOOD }, (_, i) => `good-${i}`));

    const message = await firstTaskFailure(bad);
    expect(message).toBe('proxyActivities option cancellationType: expected one of TRY_CANCEL, WAIT_CANCELLATION_COMPLETED, ABANDON, got "WAIT_CANCEL"');
    expectLogged(bad, 'got "WAIT_CANCEL"');
    expect((await bad.describe()).status.name).toBe("RUNNING");
    expect(w1!.worker.getState()).toBe("RUNNING");
    for (const h of good) await expectReplays(h, V1);
  }, 60_000);

  test("every kind of bad input fails only its own task, with a message naming the cause", async () => {
    const taskQueue = w1!.taskQueue;
    const cases: [string, string | RegExp][] = [
      ["unknownOptionWorkflow", "proxyActivities options: unknown option 'heartbeatTimout' (did you mean 'heartbeatTimeout'?)"],
      ["nanRetryWorkflow", "scheduleActivity option retry.maximumAttempts: expected a positive integer, got number NaN"],
      ["badContinueAsNewWorkflow", "continueAsNew option workflowRunTimeout: must not be negative, got number -1"],
      ["unconvertibleArgumentWorkflow", /bigint/i],
      [
        "unencodableCommandWorkflow",
        /^could not encode command 1 of 1 \(continueAsNewWorkflowExecution\) of the activation's completion: .*versioning_intent/,
      ],
    ];
    const handles = await Promise.all(cases.map(([type]) => start(type, taskQueue)));
    for (let i = 0; i < cases.length; i++) {
      const expected = cases[i]![1];
      const message = await firstTaskFailure(handles[i]!);
      if (typeof expected === "string") expect(message).toBe(expected);
      else expect(message).toMatch(expected);
      expectLogged(handles[i]!, message.slice(0, 40));
    }
    // The worker still serves everyone else.
    const after = await start("goodWorkflow", taskQueue, [99]);
    expect(await after.result()).toBe("good-99");
    await expectReplays(after, V1);
    // ActivityOptions shared with proxyLocalActivities: ignored fields warn, as the official SDK ignores them.
    const shared = await start("sharedOptionsWorkflow", taskQueue);
    expect(await shared.result()).toBe("SHARED");
    await expectReplays(shared, V1);
    expect(lines.some((l) => l.level === "warn" && l.message === "proxyLocalActivities options: option 'taskQueue' has no effect here (the official Temporal SDK ignores it too)")).toBe(true);
    // summary and priority are sent as the official SDK sends them.
    const summarized = await start("summaryWorkflow", taskQueue);
    expect(await summarized.result()).toBe("LOUD");
    const history = await expectReplays(summarized, V1);
    const scheduled = history.events.find(isType(EventType.ACTIVITY_TASK_SCHEDULED))!;
    expect(new TextDecoder().decode(scheduled.userMetadata?.summary?.data)).toBe('"shout it"');
    if (scheduled.attributes.case !== "activityTaskScheduledEventAttributes") throw new Error("not an ActivityTaskScheduled event");
    expect(scheduled.attributes.value.priority?.priorityKey).toBe(3);
    expect(scheduled.attributes.value.retryPolicy?.initialInterval?.seconds).toBe(1n);
    for (const h of handles) {
      expect((await h.describe()).status.name).toBe("RUNNING");
      await h.terminate("test over");
    }
    expect(w1!.worker.getState()).toBe("RUNNING");
  }, 60_000);

  test("the worker was RUNNING throughout and stops cleanly; fixed code on a second worker completes the bad workflow", async () => {
    clearInterval(watcher);
    expect([...seenStates]).toEqual(["RUNNING"]);
    const taskQueue = w1!.taskQueue;
    await w1!.stop(); // rejects if the worker had failed
    expect(w1!.worker.getState()).toBe("STOPPED");
    w1 = undefined;

    const w2 = await startWorker(V2, { taskQueue });
    try {
      expect(await bad.result()).toBe("FIXED");
      expect(w2.worker.getState()).toBe("RUNNING");
    } finally {
      await w2.stop();
    }
    const history = await expectReplays(bad, V2);
    expect(history.events.some(isType(EventType.WORKFLOW_TASK_FAILED))).toBe(true);
    for (const h of good) await expectReplays(h, V2);
  }, 90_000);
});
