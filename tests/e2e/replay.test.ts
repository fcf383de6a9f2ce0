/**
 * Determinism across code changes: patched/deprecatePatch with workers of three versions of
 * one workflow, and replay of histories against changed code (DeterminismViolationError),
 * buggy code (ReplayError), and the history formats users have.
 */
import { describe, expect, test } from "bun:test";
import { toJson } from "@bufbuild/protobuf";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import { HistorySchema, type History } from "../../src/proto/temporal/api/history/v1/message_pb.js";
import { DeterminismViolationError, ReplayError, Worker } from "../../src/worker/index.js";
import { bundle, client, expectReplays, isType, replay, startWorker, uid, waitForEvent } from "./helpers.js";
import type { WorkflowHandle } from "../../src/client/index.js";

async function waitForStep(h: WorkflowHandle): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const step = await h.query<string>("step");
    if (step) return step;
    await Bun.sleep(50);
  }
  throw new Error(`${h.workflowId} never finished its step`);
}

describe("patched / deprecatePatch across a code change", () => {
  test("a run started on v1 keeps its old path on v2; new runs take the patch; v3 deprecates it", async () => {
    const c = await client();
    const taskQueue = uid("versioned");
    const start = () => c.workflow.start("versioned", { taskQueue, workflowId: uid("versioned"), workflowExecutionTimeout: "60s" });

    // v1: run A takes its step and waits for `go`.
    const v1 = await startWorker("versioned-v1.ts", { taskQueue });
    const a = await start();
    expect(await waitForStep(a)).toBe("old step");
    await v1.stop();

    // v2 replaces v1 on the same task queue. A is replayed from history on v2 (old path);
    // B starts on v2 (new path, with a patch marker).
    const v2 = await startWorker("versioned-v2.ts", { taskQueue });
    await a.signal("go");
    expect(await a.result()).toBe("old step then done");
    const b = await start();
    expect(await waitForStep(b)).toBe("NEW STEP");
    await v2.stop();

    // v3: the patch is deprecated. B (new path, marker) continues on v3; C starts on v3.
    const v3 = await startWorker("versioned-v3.ts", { taskQueue });
    await b.signal("go");
    expect(await b.result()).toBe("NEW STEP then done");
    const cRun = await start();
    await cRun.signal("go");
    expect(await cRun.result()).toBe("NEW STEP then done");
    await v3.stop();

    const markers = (h: History) => h.events.filter(isType(EventType.MARKER_RECORDED)).length;
    const ha = await expectReplays(a, "versioned-v2.ts");
    expect(markers(ha)).toBe(0);
    await expectReplays(a, "versioned-v1.ts");
    const hb = await expectReplays(b, "versioned-v2.ts");
    expect(markers(hb)).toBe(1);
    await expectReplays(b, "versioned-v3.ts");
    await expectReplays(cRun, "versioned-v3.ts");
    await expectReplays(cRun, "versioned-v2.ts");

    // What the patch protects against: the new code without it, or the old code on new runs.
    expect(await replay(a, "versioned-v3.ts").catch((e: unknown) => e)).toBeInstanceOf(DeterminismViolationError);
    expect(await replay(b, "versioned-v1.ts").catch((e: unknown) => e)).toBeInstanceOf(DeterminismViolationError);
  });
});

describe("replaying a changed workflow", () => {
  let original: Promise<WorkflowHandle> | undefined;
  /** One run of changed-original.ts, shared by the tests below. */
  function originalRun(): Promise<WorkflowHandle> {
    original ??= (async () => {
      const w = await startWorker("changed-original.ts");
      try {
        const c = await client();
        const h = await c.workflow.start("changeMe", { taskQueue: w.taskQueue, workflowId: uid("changeMe"), workflowExecutionTimeout: "60s" });
        expect(await h.result()).toBe("a2");
        return h;
      } finally {
        await w.stop();
      }
    })();
    return original;
  }

  test("unchanged code replays", async () => {
    const h = await originalRun();
    await expectReplays(h, "changed-original.ts");
    await replay(h, "changed-variants.ts", "unchanged");
  });

  for (const [variant, mismatch] of [
    ["different-activity", /echo|upper/i],
    ["different-order", /timer|activity/i],
    ["removed-timer", /timer|activity/i],
  ] as const) {
    test(`${variant}: DeterminismViolationError naming the mismatch`, async () => {
      const h = await originalRun();
      const err = await replay(h, "changed-variants.ts", variant).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeterminismViolationError);
      expect((err as Error).name).toBe("DeterminismViolationError");
      expect((err as Error).message).toMatch(/nondetermin/i);
      expect((err as Error).message).toMatch(mismatch);
    });
  }

  test("runReplayHistories yields one result per history, failures included, and goes on after a failure", async () => {
    const h = await originalRun();
    const history = await h.fetchHistory();
    const histories = ["unchanged", "removed-timer", "unchanged", "different-activity"].map((workflowId) => ({ workflowId, history }));
    const results = [];
    for await (const r of Worker.runReplayHistories({ workflowBundle: await bundle("changed-variants.ts") }, histories)) results.push(r);
    expect(results.map((r) => r.workflowId)).toEqual(["unchanged", "removed-timer", "unchanged", "different-activity"]);
    expect(results.map((r) => r.error?.name)).toEqual([undefined, "DeterminismViolationError", undefined, "DeterminismViolationError"]);
    expect(results[0]!.runId).toBe(h.firstExecutionRunId!);
  });

  test("a workflow type the code does not export fails replay with ReplayError", async () => {
    const h = await originalRun();
    const history = await h.fetchHistory();
    const first = history.events[0]!;
    if (first.attributes.case !== "workflowExecutionStartedEventAttributes") throw new Error("unexpected first event");
    first.attributes.value.workflowType!.name = "notExported";
    const err = await Worker.runReplayHistory({ workflowBundle: await bundle("changed-original.ts") }, history).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplayError);
    expect((err as Error).message).toMatch(/notExported/);
  });
});

describe("history formats", () => {
  test("protobuf JSON (as `temporal workflow show --output json` writes it), its string, older PascalCase enums, and bytes all replay", async () => {
    const w = await startWorker("changed-original.ts");
    let h: WorkflowHandle;
    try {
      const c = await client();
      h = await c.workflow.start("changeMe", { taskQueue: w.taskQueue, workflowId: uid("formats"), workflowExecutionTimeout: "60s" });
      await h.result();
    } finally {
      await w.stop();
    }
    const history = await h.fetchHistory();
    const json = toJson(HistorySchema, history) as { events: Record<string, unknown>[] };
    expect(json.events[0]!.eventType).toBe("EVENT_TYPE_WORKFLOW_EXECUTION_STARTED");
    expect(typeof json.events[0]!.eventId).toBe("string");
    const options = { workflowBundle: await bundle("changed-original.ts") };
    await Worker.runReplayHistory(options, json);
    await Worker.runReplayHistory(options, JSON.stringify(json));
    const pascal = {
      events: json.events.map((e) => ({
        ...e,
        eventType: String(e.eventType)
          .replace(/^EVENT_TYPE_/, "")
          .toLowerCase()
          .replace(/(^|_)([a-z])/g, (_m, _u, ch: string) => ch.toUpperCase()),
      })),
    };
    expect(pascal.events[0]!.eventType).toBe("WorkflowExecutionStarted");
    await Worker.runReplayHistory(options, pascal);
    const { toBinary } = await import("@bufbuild/protobuf");
    await Worker.runReplayHistory(options, toBinary(HistorySchema, history));
    // A history with the wrong code is still caught in JSON form.
    const err = await Worker.runReplayHistory({ workflowBundle: await bundle("changed-variants.ts") }, json, "removed-timer").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeterminismViolationError);
  });

  test("malformed histories are ReplayErrors, not crashes", async () => {
    const options = { workflowBundle: await bundle("changed-original.ts") };
    for (const bad of [{}, { events: [] }, "not json", { events: [{ eventId: "1", eventType: "EVENT_TYPE_TIMER_FIRED" }] }]) {
      const err = await Worker.runReplayHistory(options, bad).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReplayError);
    }
  });
});

describe("a workflow whose task fails", () => {
  test("replaying its history surfaces the workflow-task failure as ReplayError", async () => {
    const w = await startWorker("workflows.ts");
    try {
      const c = await client();
      const h = await c.workflow.start("buggy", { taskQueue: w.taskQueue, workflowId: uid("buggy-replay"), workflowExecutionTimeout: "60s" });
      await waitForEvent(h, isType(EventType.WORKFLOW_TASK_FAILED), "a workflow task failure");
      // The failing task is the history's last: core's replayer evicts with LANG_REQUESTED
      // after it, so this checks that the failure itself is reported.
      const err = await replay(h, "workflows.ts").catch((e: unknown) => e);
      await h.terminate("test done");
      expect(err).toBeInstanceOf(ReplayError);
      expect((err as Error).message).toMatch(/TypeError: undefined is not an object/);
    } finally {
      await w.stop();
    }
  });
});
