/**
 * The workflow API end to end: one real Worker (tests/e2e/fixtures/workflows.ts) on the dev
 * server; each test runs a workflow through the client, checks its result and history, and
 * replays the history with the same code through core's replayer.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import { tsToMs } from "../../src/common/index.js";
import type * as wf from "./fixtures/workflows.js";
import { activities, client, expectReplays, isType, startWorker, uid, waitForEvent, type RunningWorker } from "./helpers.js";

const FILE = "workflows.ts";
let w: RunningWorker;

beforeAll(async () => {
  w = await startWorker(FILE);
});

afterAll(async () => {
  await w?.stop();
});

async function start<W extends (...args: never[]) => unknown>(type: string, args: Parameters<W>) {
  const c = await client();
  return c.workflow.start(type, { taskQueue: w.taskQueue, workflowId: uid(type), args: args as unknown[], workflowExecutionTimeout: "60s" });
}

describe("timers", () => {
  test("sleep, parallel sleeps and setTimeout are durable timers; workflow time advances by their durations", async () => {
    const h = await start<typeof wf.timers>("timers", [30]);
    const elapsed = (await h.result()) as number;
    expect(elapsed).toBeGreaterThanOrEqual(30 + 60 + 30);
    const history = await expectReplays(h, FILE);
    const started = history.events.filter(isType(EventType.TIMER_STARTED));
    const fired = history.events.filter(isType(EventType.TIMER_FIRED));
    expect(started.length).toBe(4);
    expect(fired.length).toBe(4);
  });
});

describe("activities", () => {
  test("sequential and parallel activities return their results to the workflow", async () => {
    const h = await start<typeof wf.activityChain>("activityChain", [1]);
    expect(await h.result()).toBe("a4,b4");
    const history = await expectReplays(h, FILE);
    expect(history.events.filter(isType(EventType.ACTIVITY_TASK_COMPLETED)).length).toBe(5);
  });
});

describe("signals and queries", () => {
  test("signals reach their handlers in order; queries answer from workflow state, with arguments", async () => {
    const h = await start<typeof wf.signalsAndQueries>("signalsAndQueries", []);
    await h.signal("add", "x");
    await h.signal("add", "y");
    // A query is answered from the run's current state, without a new workflow task in history.
    let items: string[] = [];
    for (let i = 0; i < 50 && items.length < 2; i++) {
      items = await h.query<string[]>("items");
      if (items.length < 2) await Bun.sleep(50);
    }
    expect(items).toEqual(["x", "y"]);
    expect(await h.query<number>("count", 10)).toBe(12);
    await h.signal("add", "z");
    await h.signal("done");
    expect(await h.result()).toEqual(["x", "y", "z"]);
    // Queries of a closed workflow still work (core replays it to answer).
    expect(await h.query<string[]>("items")).toEqual(["x", "y", "z"]);
    await expectReplays(h, FILE);
  });

  test("an unknown query fails with a message naming the registered queries", async () => {
    const h = await start<typeof wf.signalsAndQueries>("signalsAndQueries", []);
    const err = await h.query("nope").catch((e: unknown) => e);
    expect(String((err as Error).message)).toMatch(/nope/);
    expect(String((err as Error).message)).toMatch(/items/);
    await h.signal("done");
    expect(await h.result()).toEqual([]);
    await expectReplays(h, FILE);
  });
});

describe("condition with timeout", () => {
  test("resolves false when the timeout passes first", async () => {
    const h = await start<typeof wf.conditionWithTimeout>("conditionWithTimeout", [50]);
    expect(await h.result()).toBe(false);
    await expectReplays(h, FILE);
  });

  test("resolves true when the condition holds first (and cancels its timer)", async () => {
    const h = await start<typeof wf.conditionWithTimeout>("conditionWithTimeout", [30_000]);
    // Signal only once the condition is waiting on its timer: a signal that arrives with the
    // first workflow task makes the condition true before any timer is started.
    await waitForEvent(h, isType(EventType.TIMER_STARTED), "the condition's timer");
    await h.signal("go");
    expect(await h.result()).toBe(true);
    const history = await expectReplays(h, FILE);
    expect(history.events.some(isType(EventType.TIMER_CANCELED))).toBe(true);
  });
});

describe("cancellation scopes", () => {
  test("cancelling a scope cancels its running activity; the activity sees the cancellation", async () => {
    const h = await start<typeof wf.cancelRunningActivity>("cancelRunningActivity", [300]);
    expect(await h.result()).toBe("cancelled");
    const seen = activities.events.get(h.workflowId) ?? [];
    expect(seen[0]).toBe("started");
    expect(seen.some((l) => l.startsWith("cancelled:"))).toBe(true);
    const history = await expectReplays(h, FILE);
    expect(history.events.some(isType(EventType.ACTIVITY_TASK_CANCEL_REQUESTED))).toBe(true);
    expect(history.events.some(isType(EventType.ACTIVITY_TASK_CANCELED))).toBe(true);
  });

  test("a cancelled workflow runs its cleanup in a non-cancellable scope, then ends cancelled", async () => {
    const h = await start<typeof wf.cleanupOnCancel>("cleanupOnCancel", []);
    await waitForEvent(h, isType(EventType.TIMER_STARTED), "the long timer");
    await h.cancel();
    const err = await h.result().catch((e: unknown) => e);
    expect((err as Error).name).toBe("WorkflowFailedError");
    expect((err as Error).message).toMatch(/cancel/i);
    expect(activities.events.get(h.workflowId)).toEqual([`cleanup:${h.workflowId}`]);
    const history = await expectReplays(h, FILE);
    expect(history.events.at(-1)?.eventType).toBe(EventType.WORKFLOW_EXECUTION_CANCELED);
    expect(history.events.some(isType(EventType.TIMER_CANCELED))).toBe(true);
  });

  test("withTimeout cancels an activity that outlives the scope's timeout", async () => {
    // The dev server fires timers up to ~1 s late, so the activity must clearly outlive that.
    const h = await start<typeof wf.withTimeout>("withTimeout", [100, 3000]);
    const t0 = Date.now();
    expect(await h.result()).toBe("timed out");
    expect(Date.now() - t0).toBeLessThan(3000);
    const history = await expectReplays(h, FILE);
    expect(history.events.some(isType(EventType.ACTIVITY_TASK_CANCEL_REQUESTED))).toBe(true);
  });
});

describe("continue-as-new", () => {
  test("a chain of runs: each continues as new with its arguments; every run's history replays", async () => {
    const c = await client();
    const h = await start<typeof wf.countdown>("countdown", [3, []]);
    const result = (await h.result()) as { n: number; runs: number; lastContinuedFrom?: string };
    expect(result.n).toBe(0);
    expect(result.runs).toBe(4);
    expect(result.lastContinuedFrom).toBeTruthy();
    // Walk the chain from the first run, replaying each.
    let runId: string | undefined = h.firstExecutionRunId;
    let count = 0;
    while (runId) {
      const run = c.workflow.getHandle(h.workflowId, runId);
      const history = await expectReplays(run, FILE);
      const last = history.events.at(-1)!;
      count++;
      runId = last.attributes.case === "workflowExecutionContinuedAsNewEventAttributes" ? last.attributes.value.newExecutionRunId : undefined;
    }
    expect(count).toBe(4);
  });
});

describe("isolation", () => {
  test("two concurrent runs of one workflow type each have their own module state and globals", async () => {
    const [a, b] = await Promise.all([
      start<typeof wf.moduleState>("moduleState", ["a", 3]),
      start<typeof wf.moduleState>("moduleState", ["b", 4]),
    ]);
    const [ra, rb] = await Promise.all([a.result(), b.result()]);
    expect(ra).toEqual({ counter: 3, list: ["a0", "a1", "a2"], global: 3 });
    expect(rb).toEqual({ counter: 4, list: ["b0", "b1", "b2", "b3"], global: 4 });
    await expectReplays(a, FILE);
    await expectReplays(b, FILE);
  });

  test("workflow time is the activation's time (the workflow task's start), not the activity's real time", async () => {
    const h = await start<typeof wf.workflowTime>("workflowTime", []);
    const r = (await h.result()) as { t0: number; t0Again: number; afterActivity: number; activityNow: number; random: number; uuid: string };
    expect(r.t0Again).toBe(r.t0); // constant within an activation, however long it runs
    const history = await expectReplays(h, FILE);
    const wftStarted = history.events.filter(isType(EventType.WORKFLOW_TASK_STARTED)).map((e) => tsToMs(e.eventTime!));
    expect(r.t0).toBe(wftStarted[0]!);
    expect(wftStarted).toContain(r.afterActivity);
    expect(r.activityNow).toBeGreaterThanOrEqual(r.t0);
    expect(r.afterActivity).toBeGreaterThanOrEqual(r.activityNow - 5); // the next task started after the activity ran (± clock rounding)
    expect(r.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("outcomes", () => {
  test("an ApplicationFailure thrown by the workflow fails the workflow with its type and message", async () => {
    const h = await start<typeof wf.failing>("failing", []);
    const err = (await h.result().catch((e: unknown) => e)) as Error & { cause?: Error & { type?: string } };
    expect(err.name).toBe("WorkflowFailedError");
    expect(err.cause?.message).toBe("meant to fail");
    expect(err.cause?.type).toBe("Deliberate");
    const history = await expectReplays(h, FILE);
    expect(history.events.at(-1)?.eventType).toBe(EventType.WORKFLOW_EXECUTION_FAILED);
  });
});
