/**
 * Determinism of child workflows and external handles: a history of a parent that starts
 * children (explicit and default ids) and signals one through an external handle, recorded live
 * on the dev server, replays with the same code and fails replay with DeterminismViolationError
 * naming the change when the code changes (child type, child id, a removed or reordered start,
 * an extra random draw before a default id, a removed external signal). Histories the official
 * SDK 1.24 recorded (tests/compat/corpus/) are checked the same way after their child commands'
 * events are altered.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import type { History } from "../../src/proto/temporal/api/history/v1/message_pb.js";
import { DeterminismViolationError, Worker } from "../../src/worker/index.js";
import type { WorkflowHandle } from "../../src/client/index.js";
import { WORKFLOWS_PATH, readCorpus } from "../../tools/compat/corpus.js";
import { client, expectReplays, isType, replay, startWorker, uid } from "./helpers.js";

interface OriginalRun {
  parent: WorkflowHandle;
  prefix: string;
  history: History;
}

let original: Promise<OriginalRun> | undefined;
/** One run of child-changed-original.ts (parent and children on one worker), shared by the tests below. */
function originalRun(): Promise<OriginalRun> {
  original ??= (async () => {
    const w = await startWorker("child-changed-original.ts");
    try {
      const c = await client();
      const prefix = uid("child-replay");
      const parent = await c.workflow.start("childParent", { taskQueue: w.taskQueue, workflowId: prefix, args: [prefix], workflowExecutionTimeout: "60s" });
      expect(await parent.result()).toBe("A:a,B:b,A:c,waited:now");
      return { parent, prefix, history: await parent.fetchHistory() };
    } finally {
      await w.stop();
    }
  })();
  return original;
}

const childStarts = (h: History) =>
  h.events.flatMap((e) => (e.attributes.case === "startChildWorkflowExecutionInitiatedEventAttributes" ? [e.attributes.value] : []));

describe("replaying a parent of child workflows", () => {
  test("the recorded history holds the child starts (explicit and default ids) and the external signal, and replays with unchanged code", async () => {
    const { parent, prefix, history } = await originalRun();
    const starts = childStarts(history).map((s) => [s.workflowType?.name, s.workflowId]);
    expect(starts.slice(0, 2)).toEqual([
      ["childA", `${prefix}-a`],
      ["childB", `${prefix}-b`],
    ]);
    // Default ids: uuid4 draws of the parent's random stream.
    expect(starts.slice(2).map(([type]) => type)).toEqual(["childA", "waitingChild"]);
    for (const [, id] of starts.slice(2)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(history.events.filter(isType(EventType.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED)).length).toBe(1);
    expect(history.events.filter(isType(EventType.CHILD_WORKFLOW_EXECUTION_COMPLETED)).length).toBe(4);
    await expectReplays(parent, "child-changed-original.ts");
    // The same code in the variants' bundle (the replay's workflow id picks no change).
    await replay(parent, "child-changed-variants.ts", "unchanged");
  });

  test("the children's own histories replay", async () => {
    const { history } = await originalRun();
    const c = await client();
    const started = history.events.flatMap((e) => (e.attributes.case === "childWorkflowExecutionStartedEventAttributes" ? [e.attributes.value] : []));
    expect(started.length).toBe(4);
    for (const s of started) {
      const child = c.workflow.getHandle(s.workflowExecution!.workflowId, s.workflowExecution!.runId);
      const childHistory = await expectReplays(child, "child-changed-original.ts");
      const first = childHistory.events[0]!.attributes;
      if (first.case !== "workflowExecutionStartedEventAttributes") throw new Error("unexpected first event");
      expect(first.value.parentWorkflowExecution?.workflowId).toBe((await originalRun()).prefix);
    }
  });

  for (const [variant, mismatch] of [
    ["changed-type", /Child workflow type of scheduled event 'childA' does not match child workflow type of command 'childB'/],
    ["changed-id", /Child workflow id of scheduled event '[^']*-a' does not match child workflow id of command '[^']*-renamed'/],
    ["reordered-starts", /Child workflow id of scheduled event '[^']*-a' does not match child workflow id of command '[^']*-b'/],
    ["removed-start", /No command scheduled for event HistoryEvent\(id: \d+, StartChildWorkflowExecutionInitiated\)/],
    // One more uuid4() before the default id: the id drawn for the child differs from history's.
    ["extra-draw", /Child workflow id of scheduled event '[0-9a-f-]{36}' does not match child workflow id of command '[0-9a-f-]{36}'/],
    ["removed-signal", /SignalExternalWorkflowExecutionInitiated/],
  ] as const) {
    test(`${variant}: DeterminismViolationError naming the change`, async () => {
      const { parent } = await originalRun();
      const err = await replay(parent, "child-changed-variants.ts", variant).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeterminismViolationError);
      expect((err as Error).name).toBe("DeterminismViolationError");
      expect((err as Error).message).toMatch(/nondetermin/i);
      expect((err as Error).message).toMatch(mismatch);
    });
  }
});

describe("histories the official SDK 1.24 recorded (tests/compat/corpus/)", () => {
  const corpus = () => readCorpus(join(import.meta.dir, "../compat/corpus/official-1.24.0.jsonl"));

  test("child workflow shapes with their child start events altered fail replay on ours with DeterminismViolationError naming the change", async () => {
    const fanOuts = corpus().filter((h) => h.workflowType === "childFanOut");
    expect(fanOuts.length).toBeGreaterThanOrEqual(3);
    const escape = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    /** Each change alters the history's first child start and returns core's message for it (the code still sends the original). */
    const changes: [string, (h: History) => RegExp][] = [
      [
        "type",
        (h) => {
          const start = childStarts(h)[0]!;
          const original = start.workflowType!.name;
          start.workflowType!.name = "renamedChild";
          return new RegExp(`Child workflow type of scheduled event 'renamedChild' does not match child workflow type of command '${escape(original)}'`);
        },
      ],
      [
        "id",
        (h) => {
          const start = childStarts(h)[0]!;
          const original = start.workflowId;
          start.workflowId = "renamed-id";
          return new RegExp(`Child workflow id of scheduled event 'renamed-id' does not match child workflow id of command '${escape(original)}'`);
        },
      ],
    ];
    for (const [what, change] of changes) {
      // The histories keep their workflow ids: the explicit child ids of childFanOut derive from it.
      const inputs = fanOuts.map((h) => {
        const history = structuredClone(h.history);
        const mismatch = change(history);
        return { workflowId: h.workflowId, history, mismatch };
      });
      const results = [];
      for await (const r of Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH }, inputs)) results.push(r);
      expect(results.length).toBe(inputs.length);
      for (const [i, r] of results.entries()) {
        expect({ what, workflowId: r.workflowId, error: r.error?.name }).toEqual({ what, workflowId: inputs[i]!.workflowId, error: "DeterminismViolationError" });
        expect(r.error!.message).toMatch(inputs[i]!.mismatch);
      }
    }
  }, 120_000);
});
