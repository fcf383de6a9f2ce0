/**
 * Replaying malformed but parseable histories ends in a ReplayError naming what is wrong, in
 * bounded time (issue 16, item 1). Before the checks in src/worker/replay.ts (checkReplayable)
 * each of these made core's replayer panic in its poller task and the replay never settled.
 * And a panic inside core that gets through anyway fails the pending calls instead of leaving
 * them pending (bridge/src/panics.zig), tested for real in a process of its own.
 *
 * The histories are the official SDK's recorded corpus (tests/compat/corpus/); only the panic test
 * uses the test server (a Worker polling it when core panics).
 */
import { describe, expect, test } from "bun:test";
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { HistoryEventSchema, HistorySchema, type History } from "../../src/proto/temporal/api/history/v1/message_pb.js";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import { ReplayError, Worker } from "../../src/worker/index.js";
import { WORKFLOWS_PATH, readCorpus } from "../../tools/compat/corpus.js";
import { testServer } from "../helpers/dev-server.js";

const corpus = readCorpus(new URL("../compat/corpus/official-1.24.0.jsonl", import.meta.url).pathname);
/** A top-level run with activities: several workflow tasks. */
const base = corpus.find((h) => h.parentWorkflowId === undefined && h.history.events.filter((e) => e.eventType === EventType.WORKFLOW_TASK_COMPLETED).length >= 2)!;
const BOUND_MS = 10_000;

function clone(h: History): History {
  return create(HistorySchema, structuredClone({ events: h.events }) as never);
}

/** Replays and returns the error, failing the test if it takes longer than BOUND_MS. */
async function replayError(history: unknown): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`replay did not settle within ${BOUND_MS} ms`)), BOUND_MS)));
  try {
    return await Promise.race([Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH }, history, base.workflowId).then(() => undefined, (err: unknown) => err), hang]);
  } finally {
    clearTimeout(timer);
  }
}

function startedAttrs(h: History) {
  const a = h.events[0]!.attributes;
  if (a.case !== "workflowExecutionStartedEventAttributes") throw new Error("not a started event");
  return a.value;
}

describe("malformed histories end in a ReplayError naming the fault", () => {
  test("the unmodified history replays clean (the control)", async () => {
    expect(await replayError(base.history)).toBeUndefined();
  });

  test("first event without a workflow type", async () => {
    const h = clone(base.history);
    startedAttrs(h).workflowType = undefined;
    const err = await replayError(h);
    expect(err).toBeInstanceOf(ReplayError);
    expect((err as ReplayError).message).toContain("has no workflow type name");
    expect((err as ReplayError).message).toContain(base.workflowId);
    expect((err as ReplayError).workflowId).toBe(base.workflowId);
  });

  test("events 2..n reversed", async () => {
    const h = clone(base.history);
    h.events = [h.events[0]!, ...h.events.slice(1).reverse()];
    const err = await replayError(h);
    expect(err).toBeInstanceOf(ReplayError);
    expect((err as Error).message).toContain(`event #2 (${"WorkflowExecutionCompleted"}) has id ${base.history.events.length}`);
  });

  test("the first WorkflowTaskCompleted event removed (ids renumbered, so only the task sequence is wrong)", async () => {
    const h = clone(base.history);
    const i = h.events.findIndex((e) => e.eventType === EventType.WORKFLOW_TASK_COMPLETED);
    h.events.splice(i, 1);
    h.events.forEach((e, j) => (e.eventId = BigInt(j + 1)));
    const err = await replayError(h);
    expect(err).toBeInstanceOf(ReplayError);
    expect((err as Error).message).toMatch(/event 3 \(WorkflowTaskStarted\) is followed by \w+ \(event 4\); a started workflow task must be followed by its WorkflowTaskCompleted/);
  });

  test("the first WorkflowTaskCompleted event removed as is (a gap in the ids)", async () => {
    const h = clone(base.history);
    h.events.splice(h.events.findIndex((e) => e.eventType === EventType.WORKFLOW_TASK_COMPLETED), 1);
    const err = await replayError(h);
    expect(err).toBeInstanceOf(ReplayError);
    expect((err as Error).message).toContain("event #4");
  });

  test("each other rule names its fault", async () => {
    const cases: [string, (h: History) => void, string][] = [
      ["no events", (h) => (h.events = []), "the history has no events"],
      ["first event not started", (h) => h.events.shift(), "the first event must be WorkflowExecutionStarted"],
      ["no task queue", (h) => (startedAttrs(h).taskQueue = undefined), "has no task queue"],
      ["no run id", (h) => (startedAttrs(h).originalExecutionRunId = ""), "has no originalExecutionRunId"],
      ["attributes of another type", (h) => (h.events[1]!.attributes = h.events[2]!.attributes), "event 2 is WorkflowTaskScheduled but carries workflowTaskStartedEventAttributes"],
      ["no attributes", (h) => (h.events[1]!.attributes = { case: undefined }), "event 2 is WorkflowTaskScheduled but carries no attributes"],
      ["unknown event type", (h) => (h.events[1]!.eventType = 999 as EventType), "event 2 has an unknown event type 999"],
      // Found by the fuzzer: core hands out a task starting at event 0 and the replay never ends.
      ["only the started event", (h) => (h.events = h.events.slice(0, 1)), "the history has no WorkflowTaskStarted event"],
      ["no workflow task started", (h) => (h.events = h.events.slice(0, 2)), "the history has no WorkflowTaskStarted event"],
    ];
    for (const [name, mutate, text] of cases) {
      const h = clone(base.history);
      mutate(h);
      const err = await replayError(h);
      expect(err, name).toBeInstanceOf(ReplayError);
      expect((err as Error).message, name).toContain(text);
    }
  });

  test("a closed run that never had a workflow task (timed out or terminated first) replays clean", async () => {
    // The corpus holds such children (timed out before their first task); only an open history
    // without a started task is refused, since core would wait on it forever.
    const closes: MessageInitShape<typeof HistoryEventSchema>[] = [
      { eventType: EventType.WORKFLOW_EXECUTION_TIMED_OUT, attributes: { case: "workflowExecutionTimedOutEventAttributes" as const, value: {} } },
      { eventType: EventType.WORKFLOW_EXECUTION_TERMINATED, attributes: { case: "workflowExecutionTerminatedEventAttributes" as const, value: { reason: "test" } } },
    ];
    for (const close of closes) {
      const h = clone(base.history);
      h.events = [h.events[0]!, h.events[1]!, create(HistoryEventSchema, { eventId: 3n, ...close })];
      await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH }, h);
    }
  });

  test("runReplayHistories: a malformed history among good ones fails alone", async () => {
    const bad = clone(base.history);
    startedAttrs(bad).workflowType = undefined;
    const input = [
      { workflowId: "good-1", history: base.history },
      { workflowId: "bad", history: bad },
      { workflowId: "good-2", history: base.history },
    ];
    const results: { workflowId: string; error?: unknown }[] = [];
    for await (const r of Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH }, input)) results.push(r);
    expect(results.map((r) => [r.workflowId, r.error?.constructor.name])).toEqual([
      ["good-1", undefined],
      ["bad", "ReplayError"],
      ["good-2", undefined],
    ]);
  });
});

describe("a panic inside core fails the pending calls instead of leaving them pending", () => {
  test("the poll waiting on core's dead poller task fails with core_panic, bystanders too (a replay worker, a Worker on the server); the retired workers refuse calls, shut down and free; a new replay works", async () => {
    const { address } = await testServer();
    const proc = Bun.spawn([process.execPath, new URL("./fixtures/core-panic-main.ts", import.meta.url).pathname], {
      stdout: "pipe",
      stderr: "pipe",
      env: { ...process.env, CORE_PANIC_ADDRESS: address },
    });
    const killer = setTimeout(() => proc.kill("SIGKILL"), 50_000);
    const [out, errText, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    clearTimeout(killer);
    if (code !== 0) throw new Error(`fixture exited with ${code}:\n${errText.slice(-3000)}`);
    const r = JSON.parse(out.trim().split("\n").pop()!);
    // The panic happened (core's own message on stderr through the default hook) and was counted.
    expect(errText).toContain("No workflow type defined in execution started attributes");
    expect(r.after.panics).toBe(r.before.panics + 1);
    expect(r.after.failedCalls).toBeGreaterThanOrEqual(2);
    // The poll that waited on the dead task: failed, fast, naming the panic.
    expect(r.victimPoll.kind).toBe("error");
    expect(r.victimPoll.code).toBe("core_panic");
    expect(r.victimPoll.message).toContain("core panicked while this call was pending");
    expect(r.victimPoll.message).toContain("No workflow type defined");
    expect(r.victimPoll.ms).toBeLessThan(10_000);
    // Every call pending at that moment fails the same way.
    expect(r.bystanderPoll.kind).toBe("error");
    expect(r.bystanderPoll.code).toBe("core_panic");
    // Workers that existed then refuse further calls (their next poll could wait forever) ...
    expect(r.victimNextPoll.kind).toBe("error");
    expect(r.victimNextPoll.code).toBe("core_panic");
    expect(r.victimNextPoll.message).toContain("free it and create a new worker");
    expect(r.pushAgain.ok).toBe(false);
    expect(r.pushAgain.code).toBe("core_panic");
    // ... but still shut down and free.
    expect(r.initiate).toEqual({ ok: true });
    expect(r.freeVictim).toEqual({ ok: true });
    expect(r.freeBystander).toEqual({ ok: true });
    // The runtime stays usable: a replay worker made afterwards replays a good history.
    expect(r.replayAfter.ok).toBe(true);
    // A Worker polling the server at that moment fails (as on any poll error) instead of hanging.
    expect(r.worker.kind).toBe("rejected");
    expect(r.worker.name).toBe("UnexpectedError");
    expect(r.worker.message).toContain("core panicked");
    expect(r.worker.state).toBe("FAILED");
    expect(r.worker.ms).toBeLessThan(15_000);
  }, 60_000);
});
