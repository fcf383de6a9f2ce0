/**
 * The child-workflow suite (issue 10): fan-out, every child option as the child and the server
 * see it, the failures a parent observes, the four cancellation types, the three parent close
 * policies, and signals/cancellation through external and child handles. Every history (parents
 * and children) is replayed with our SDK.
 *
 * Run by tests/e2e/child-workflows.test.ts with our workers, and by
 * tests/compat/child-workflows-official.test.ts with the official SDK 1.24's workers on Node:
 * the same assertions hold for both, and the official histories replay on ours.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { WorkflowHandle } from "../../src/client/index.js";
import { WorkflowFailedError } from "../../src/client/index.js";
import { CancelledFailure, WorkflowNotFoundError, defaultPayloadConverter, defineSearchAttributeKey } from "../../src/common/index.js";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import { ParentClosePolicy as ProtoParentClosePolicy, WorkflowIdReusePolicy as ProtoReusePolicy } from "../../src/proto/temporal/api/enums/v1/workflow_pb.js";
import { StartChildWorkflowExecutionFailedCause, SignalExternalWorkflowExecutionFailedCause, CancelExternalWorkflowExecutionFailedCause } from "../../src/proto/temporal/api/enums/v1/failed_cause_pb.js";
import type { HistoryEvent } from "../../src/proto/temporal/api/history/v1/message_pb.js";
import type { Payload } from "../../src/proto/temporal/api/common/v1/message_pb.js";
import { client, expectReplays, isType, uid, waitForEvent } from "./helpers.js";
import type * as wf from "./fixtures/child-workflows.js";

const FILE = "child-workflows.ts";
const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** Run ids are the server's (UUIDv7 on this server). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A worker serving the fixture file on its own task queue. */
export interface SuiteWorker {
  taskQueue: string;
  stop(): Promise<void>;
}

const childKeyword = defineSearchAttributeKey("TestKeyword", "KEYWORD");
const childInt = defineSearchAttributeKey("TestInt", "INT");
const childBool = defineSearchAttributeKey("TestBool", "BOOL");
const childDouble = defineSearchAttributeKey("TestDouble", "DOUBLE");
const childDatetime = defineSearchAttributeKey("TestDatetime", "DATETIME");
const childKeywordList = defineSearchAttributeKey("TestKeywordList", "KEYWORD_LIST");
/** CHILD_DATETIME of the fixture (not imported: the fixture is workflow code). */
const CHILD_DATETIME = "2025-03-04T05:06:07.000Z";

/**
 * Registers the whole suite. `startWorkers` starts two workers for tests/e2e/fixtures/child-workflows.ts
 * (the second serves the `taskQueue` child option); the histories are replayed with our SDK.
 */
export function childWorkflowSuite(startWorkers: () => Promise<[SuiteWorker, SuiteWorker]>): void {
  let w: SuiteWorker;
  let other: SuiteWorker;

  beforeAll(async () => {
    [w, other] = await startWorkers();
  });

  afterAll(async () => {
    await Promise.all([w?.stop(), other?.stop()]);
  });

  // ------------------------------------------------------------------ helpers

  async function start(type: string, args: unknown[], workflowId = uid(type)): Promise<WorkflowHandle> {
    const c = await client();
    return c.workflow.start(type, { taskQueue: w.taskQueue, workflowId, args, workflowExecutionTimeout: "60s" });
  }

  /**
   * Runs a workflow to its result. A failed workflow task (a bug: core would retry it until the
   * execution timeout) ends the run at once with the task's failure message.
   */
  async function run<T>(type: string, args: unknown[], workflowId?: string): Promise<{ handle: WorkflowHandle; result: T }> {
    const handle = await start(type, args, workflowId);
    let done = false;
    const taskFailure = (async (): Promise<string> => {
      while (!done) {
        const failed = (await handle.fetchHistory()).events.find(isType(EventType.WORKFLOW_TASK_FAILED));
        if (failed) return attrs(failed, "workflowTaskFailedEventAttributes").failure?.message ?? "";
        await Bun.sleep(200);
      }
      return "";
    })();
    const settled = await Promise.race([handle.result().then((result) => ({ result: result as T }), (error: unknown) => ({ error })), taskFailure.then((message) => ({ message }))]);
    done = true;
    if ("message" in settled) {
      await handle.terminate("workflow task failed").catch(() => undefined);
      throw new Error(`${type}: workflow task failed: ${settled.message}`);
    }
    if ("error" in settled) throw settled.error;
    return { handle, result: settled.result };
  }

  async function handleOf(workflowId: string, runId?: string): Promise<WorkflowHandle> {
    return (await client()).workflow.getHandle(workflowId, runId);
  }

  type Attrs<K extends NonNullable<HistoryEvent["attributes"]["case"]>> = Extract<HistoryEvent["attributes"], { case: K }>["value"];

  function attrs<K extends NonNullable<HistoryEvent["attributes"]["case"]>>(e: HistoryEvent | undefined, k: K): Attrs<K> {
    if (e === undefined || e.attributes.case !== k) throw new Error(`expected ${k}, got ${e?.attributes.case}`);
    return e.attributes.value as Attrs<K>;
  }

  async function events(h: WorkflowHandle, type: EventType): Promise<HistoryEvent[]> {
    return (await h.fetchHistory()).events.filter((e) => e.eventType === type);
  }

  const decode = (p: Payload | undefined): unknown => (p === undefined ? undefined : defaultPayloadConverter.fromPayload(p));

  /** Polls describe() until the run is no longer RUNNING; returns the status name. */
  async function closedStatus(h: WorkflowHandle, timeoutMs = 15_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const d = await h.describe();
      if (d.status.name !== "RUNNING") return d.status.name;
      if (Date.now() > until) throw new Error(`${h.workflowId} still RUNNING after ${timeoutMs} ms`);
      await Bun.sleep(50);
    }
  }

  async function replayAll(handles: WorkflowHandle[]): Promise<void> {
    for (const h of handles) await expectReplays(h, FILE);
  }

  async function childStarted(parent: WorkflowHandle): Promise<void> {
    await waitForEvent(parent, isType(EventType.CHILD_WORKFLOW_EXECUTION_STARTED), "the child's start");
  }

  const cancelledCause = { class: "CancelledFailure", name: "CancelledFailure" };

  // ------------------------------------------------------------------ fan-out

  describe("fan-out", () => {
    test("a parent executes 50 children with Promise.all and gets their results in order; children run on the parent's task queue with deterministic uuid4 ids", async () => {
      const { handle, result } = await run<number[]>("fanOut", [50]);
      expect(result).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));

      const initiated = (await events(handle, EventType.START_CHILD_WORKFLOW_EXECUTION_INITIATED)).map((e) => attrs(e, "startChildWorkflowExecutionInitiatedEventAttributes"));
      expect(initiated).toHaveLength(50);
      for (const a of initiated) {
        expect(a.workflowType?.name).toBe("double");
        expect(a.taskQueue?.name).toBe(w.taskQueue);
        expect(a.namespace).toBe("default");
        expect(a.workflowId).toMatch(UUID4);
      }
      const ids = initiated.map((a) => a.workflowId);
      expect(new Set(ids).size).toBe(50);
      // Each start carries its own argument: the i-th start was double(i).
      expect(initiated.map((a) => decode(a.input?.payloads[0]))).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(await events(handle, EventType.CHILD_WORKFLOW_EXECUTION_COMPLETED)).toHaveLength(50);

      const parentRunId = (await handle.describe()).runId;
      const children = await Promise.all(ids.map((id) => handleOf(id)));
      const descriptions = await Promise.all(children.map((c) => c.describe()));
      for (const d of descriptions) {
        expect(d.status.name).toBe("COMPLETED");
        expect(d.taskQueue).toBe(w.taskQueue);
        expect(d.parentExecution).toEqual({ workflowId: handle.workflowId, runId: parentRunId });
      }
      // The parent's replay regenerates the 50 ids with uuid4() and core compares each with history.
      await replayAll([handle, ...children]);
    }, 60_000);

    test("startChild handles: workflowId and firstExecutionRunId are set when the start resolves, result() is awaited later", async () => {
      const { handle, result } = await run<Awaited<ReturnType<typeof wf.fanOutHandles>>>("fanOutHandles", [5]);
      expect(result.results).toEqual([200, 202, 204, 206, 208]);
      const started = (await events(handle, EventType.CHILD_WORKFLOW_EXECUTION_STARTED)).map((e) => attrs(e, "childWorkflowExecutionStartedEventAttributes"));
      expect(result.children.map((c) => ({ workflowId: c.workflowId, runId: c.firstExecutionRunId }))).toEqual(
        started.map((s) => ({ workflowId: s.workflowExecution!.workflowId, runId: s.workflowExecution!.runId })),
      );
      const children = [];
      for (const c of result.children) {
        expect(c.workflowId).toMatch(UUID4);
        expect(c.firstExecutionRunId).toMatch(UUID);
        const h = await handleOf(c.workflowId);
        expect((await h.describe()).runId).toBe(c.firstExecutionRunId);
        children.push(h);
      }
      // The results were awaited after a timer that started once every child had started.
      const history = await handle.fetchHistory();
      const timerAt = history.events.findIndex(isType(EventType.TIMER_STARTED));
      const lastStartedAt = history.events.findLastIndex(isType(EventType.CHILD_WORKFLOW_EXECUTION_STARTED));
      expect(timerAt).toBeGreaterThan(lastStartedAt);
      await replayAll([handle, ...children]);
    });
  });

  // ------------------------------------------------------------------ options

  describe("child options reach the server and the child", () => {
    test("workflowId, taskQueue (another worker), args, timeouts, retry, memo, search attributes, reuse and close policies, static summary/details, priority", async () => {
      const childId = uid("options-child");
      const { handle, result } = await run<wf.SelfSeen>("withOptions", [childId, other.taskQueue]);
      const parentRunId = (await handle.describe()).runId;

      // What the child saw through workflowInfo().
      expect(result.args).toEqual([1, "two", { three: [3] }]);
      expect(result.workflowId).toBe(childId);
      expect(result.workflowType).toBe("describeSelf");
      expect(result.taskQueue).toBe(other.taskQueue);
      expect(result.namespace).toBe("default");
      expect(result.parent).toEqual({ workflowId: handle.workflowId, runId: parentRunId, namespace: "default" });
      expect(result.root).toEqual({ workflowId: handle.workflowId, runId: parentRunId });
      expect(result.memo).toEqual({ team: "payments", nested: { n: 1 } });
      expect(result.executionTimeoutMs).toBe(60_000);
      expect(result.runTimeoutMs).toBe(30_000);
      expect(result.taskTimeoutMs).toBe(7_000);
      expect(result.retryPolicy).toMatchObject({ initialInterval: 2000, backoffCoefficient: 3, maximumInterval: 20_000, maximumAttempts: 4, nonRetryableErrorTypes: ["Fatal"] });
      expect(result.priority).toEqual({ priorityKey: 2, fairnessKey: "tenant-a", fairnessWeight: 1.5 });
      expect(result.cronSchedule).toBeUndefined();
      expect(result.attempt).toBe(1);
      expect(result.firstExecutionRunId).toBe(result.runId);
      const typed = Object.fromEntries(result.typedSearchAttributes.map((p) => [p.name, [p.type, p.value]]));
      expect(typed).toEqual({
        TestKeyword: ["KEYWORD", "child-kw"],
        TestInt: ["INT", 7],
        TestBool: ["BOOL", true],
        TestDouble: ["DOUBLE", 2.5],
        TestKeywordList: ["KEYWORD_LIST", ["a", "b"]],
        TestText: ["TEXT", "free text"],
      });
      expect(result.searchAttributes).toMatchObject({ TestKeyword: ["child-kw"], TestInt: [7], TestText: ["free text"], TestKeywordList: ["a", "b"] });

      // What the server recorded for the child.
      const child = await handleOf(childId);
      const d = await child.describe();
      expect(d.runId).toBe(result.runId);
      expect(d.type).toBe("describeSelf");
      expect(d.taskQueue).toBe(other.taskQueue);
      expect(d.workflowExecutionTimeoutMs).toBe(60_000);
      expect(d.workflowRunTimeoutMs).toBe(30_000);
      expect(d.workflowTaskTimeoutMs).toBe(7_000);
      expect(d.memo).toEqual({ team: "payments", nested: { n: 1 } });
      expect(d.parentExecution).toEqual({ workflowId: handle.workflowId, runId: parentRunId });
      expect(d.rootExecution).toEqual({ workflowId: handle.workflowId, runId: parentRunId });
      expect(d.typedSearchAttributes.get(childKeyword)).toBe("child-kw");
      expect(d.typedSearchAttributes.get(childInt)).toBe(7);
      expect(d.typedSearchAttributes.get(childBool)).toBe(true);
      expect(d.typedSearchAttributes.get(childDouble)).toBe(2.5);
      expect(d.typedSearchAttributes.get(childKeywordList)).toEqual(["a", "b"]);
      expect(d.searchAttributes.TestText).toEqual(["free text"]);
      expect(d.raw.workflowExecutionInfo!.priority).toMatchObject({ priorityKey: 2, fairnessKey: "tenant-a", fairnessWeight: 1.5 });
      const meta = d.rawDescription.executionConfig?.userMetadata;
      expect(decode(meta?.summary)).toBe("child summary");
      expect(decode(meta?.details)).toBe("child **details**");

      // The child's start event.
      const startedEvent = (await child.fetchHistory()).events[0]!;
      const s = attrs(startedEvent, "workflowExecutionStartedEventAttributes");
      expect(s.parentWorkflowExecution).toMatchObject({ workflowId: handle.workflowId, runId: parentRunId });
      expect(s.parentWorkflowNamespace).toBe("default");
      expect(s.rootWorkflowExecution).toMatchObject({ workflowId: handle.workflowId, runId: parentRunId });
      expect(s.retryPolicy).toMatchObject({ backoffCoefficient: 3, maximumAttempts: 4, nonRetryableErrorTypes: ["Fatal"] });
      expect(Number(s.retryPolicy?.initialInterval?.seconds)).toBe(2);
      expect(Number(s.retryPolicy?.maximumInterval?.seconds)).toBe(20);
      expect(s.priority).toMatchObject({ priorityKey: 2, fairnessKey: "tenant-a", fairnessWeight: 1.5 });
      expect(s.input?.payloads.map(decode)).toEqual([1, "two", { three: [3] }]);
      expect(decode(startedEvent.userMetadata?.summary)).toBe("child summary");
      expect(decode(startedEvent.userMetadata?.details)).toBe("child **details**");

      // The parent's StartChildWorkflowExecutionInitiated event: the options core sends.
      const initiatedEvent = (await events(handle, EventType.START_CHILD_WORKFLOW_EXECUTION_INITIATED))[0];
      const i = attrs(initiatedEvent, "startChildWorkflowExecutionInitiatedEventAttributes");
      expect(i.workflowId).toBe(childId);
      expect(i.taskQueue?.name).toBe(other.taskQueue);
      expect(i.workflowIdReusePolicy).toBe(ProtoReusePolicy.REJECT_DUPLICATE);
      expect(i.parentClosePolicy).toBe(ProtoParentClosePolicy.REQUEST_CANCEL);
      expect(i.cronSchedule).toBe("");
      expect(Number(i.workflowExecutionTimeout?.seconds)).toBe(60);
      expect(Number(i.workflowRunTimeout?.seconds)).toBe(30);
      expect(Number(i.workflowTaskTimeout?.seconds)).toBe(7);
      expect(decode(initiatedEvent!.userMetadata?.summary)).toBe("child summary");
      expect(decode(initiatedEvent!.userMetadata?.details)).toBe("child **details**");
      expect(Object.keys(i.memo?.fields ?? {}).sort()).toEqual(["nested", "team"]);
      expect(Object.keys(i.searchAttributes?.indexedFields ?? {}).sort()).toEqual(["TestBool", "TestDouble", "TestInt", "TestKeyword", "TestKeywordList", "TestText"]);
      expect(i.priority).toMatchObject({ priorityKey: 2 });

      await replayAll([handle, child]);
    });

    test("a typed DATETIME search attribute made by workflow code reaches the child", async () => {
      const childId = uid("datetime-child");
      const { handle, result } = await run<wf.SelfSeen>("withDatetime", [childId]);
      expect(result.typedSearchAttributes).toEqual([{ name: "TestDatetime", type: "DATETIME", value: CHILD_DATETIME }]);
      const child = await handleOf(childId);
      expect((await child.describe()).typedSearchAttributes.get(childDatetime)?.toISOString()).toBe(CHILD_DATETIME);
      await replayAll([handle, child]);
    });

    test("parent and root of a grandchild: parent is the middle workflow, root the top-level one", async () => {
      const middleId = uid("middle");
      const grandchildId = uid("grandchild");
      const { handle, result } = await run<Awaited<ReturnType<typeof wf.grandparent>>>("grandparent", [middleId, grandchildId]);
      const topRunId = (await handle.describe()).runId;
      const middle = await handleOf(middleId);
      const grandchild = await handleOf(grandchildId);
      expect(result.middle.parent).toEqual({ workflowId: handle.workflowId, runId: topRunId, namespace: "default" });
      expect(result.middle.root).toEqual({ workflowId: handle.workflowId, runId: topRunId });
      expect(result.grandchild.args).toEqual(["grandchild"]);
      expect(result.grandchild.parent).toEqual({ workflowId: middleId, runId: result.middle.runId, namespace: "default" });
      expect(result.grandchild.root).toEqual({ workflowId: handle.workflowId, runId: topRunId });
      const gd = await grandchild.describe();
      expect(gd.parentExecution).toEqual({ workflowId: middleId, runId: result.middle.runId });
      expect(gd.rootExecution).toEqual({ workflowId: handle.workflowId, runId: topRunId });
      await replayAll([handle, middle, grandchild]);
    });

    test("cronSchedule reaches the child's start event (the first run waits for the schedule; the parent's close terminates it)", async () => {
      const childId = uid("cron-child");
      const { handle, result: runId } = await run<string>("cronChild", [childId, "0 0 1 1 *"]);
      const child = await handleOf(childId, runId);
      const first = (await child.fetchHistory()).events[0];
      const s = attrs(first, "workflowExecutionStartedEventAttributes");
      expect(s.cronSchedule).toBe("0 0 1 1 *");
      expect(Number(s.firstWorkflowTaskBackoff?.seconds ?? 0)).toBeGreaterThan(0);
      const initiated = attrs((await events(handle, EventType.START_CHILD_WORKFLOW_EXECUTION_INITIATED))[0], "startChildWorkflowExecutionInitiatedEventAttributes");
      expect(initiated.cronSchedule).toBe("0 0 1 1 *");
      expect(await closedStatus(child)).toBe("TERMINATED");
      // The child never ran a workflow task (started, then terminated): only the parent has code to replay.
      expect((await child.fetchHistory()).events.map((e) => e.eventType)).toEqual([EventType.WORKFLOW_EXECUTION_STARTED, EventType.WORKFLOW_EXECUTION_TERMINATED]);
      await replayAll([handle]);
    });

    test("workflowIdReusePolicy: REJECT_DUPLICATE refuses a closed child's id, ALLOW_DUPLICATE starts a new run", async () => {
      const rejectId = uid("reuse-reject");
      const { handle: h1, result: r1 } = await run<Awaited<ReturnType<typeof wf.reuseClosedId>>>("reuseClosedId", [rejectId, "REJECT_DUPLICATE"]);
      expect(r1.first).toBe(42);
      expect(r1.second).toMatchObject({
        outcome: "rejected",
        error: { class: "WorkflowExecutionAlreadyStartedError", name: "WorkflowExecutionAlreadyStartedError", message: "Workflow execution already started", workflowId: rejectId, workflowType: "double" },
      });
      const failed = attrs((await events(h1, EventType.START_CHILD_WORKFLOW_EXECUTION_FAILED))[0], "startChildWorkflowExecutionFailedEventAttributes");
      expect(failed.cause).toBe(StartChildWorkflowExecutionFailedCause.WORKFLOW_ALREADY_EXISTS);

      const allowId = uid("reuse-allow");
      const { handle: h2, result: r2 } = await run<Awaited<ReturnType<typeof wf.reuseClosedId>>>("reuseClosedId", [allowId, "ALLOW_DUPLICATE"]);
      expect(r2.first).toBe(42);
      expect(r2.second).toMatchObject({ outcome: "resolved", value: 10 });
      const runs = (await events(h2, EventType.CHILD_WORKFLOW_EXECUTION_STARTED)).map((e) => attrs(e, "childWorkflowExecutionStartedEventAttributes").workflowExecution!.runId);
      expect(runs).toHaveLength(2);
      expect(runs[0]).not.toBe(runs[1]);
      await replayAll([h1, h2, await handleOf(rejectId), await handleOf(allowId, runs[0]), await handleOf(allowId, runs[1])]);
    });
  });

  // ------------------------------------------------------------------ failures

  describe("child failures reach the parent as ChildWorkflowFailure with the child's failure as cause", () => {
    test("the child throws an ApplicationFailure", async () => {
      const childId = uid("failing-child");
      const { handle, result } = await run<wf.Outcome>("childFails", ["application", childId]);
      const child = await handleOf(childId);
      const childRunId = (await child.describe()).runId;
      expect(result).toMatchObject({
        outcome: "rejected",
        error: {
          class: "ChildWorkflowFailure",
          name: "ChildWorkflowFailure",
          message: "Child Workflow execution failed",
          namespace: "default",
          execution: { workflowId: childId, runId: childRunId },
          workflowType: "failing",
          // The server's retry state: the child has no retry policy.
          retryState: "RETRY_POLICY_NOT_SET",
          cause: { class: "ApplicationFailure", name: "ApplicationFailure", message: "boom", type: "ChildBoom", nonRetryable: true, details: [42, "why"] },
        },
      });
      expect(await closedStatus(child)).toBe("FAILED");
      await replayAll([handle, child]);
    });

    test("the child exceeds its workflowRunTimeout: TimeoutFailure cause", async () => {
      const childId = uid("timeout-child");
      const { handle, result } = await run<wf.Outcome>("childFails", ["runTimeout", childId]);
      const child = await handleOf(childId);
      expect(result).toMatchObject({
        outcome: "rejected",
        error: { class: "ChildWorkflowFailure", execution: { workflowId: childId }, workflowType: "blocked", retryState: "RETRY_POLICY_NOT_SET", cause: { class: "TimeoutFailure", name: "TimeoutFailure", timeoutType: "START_TO_CLOSE" } },
      });
      expect(await closedStatus(child)).toBe("TIMED_OUT");
      expect(await events(handle, EventType.CHILD_WORKFLOW_EXECUTION_TIMED_OUT)).toHaveLength(1);
      await replayAll([handle, child]);
    });

    test("the child is terminated from the client: TerminatedFailure cause", async () => {
      const childId = uid("terminated-child");
      const handle = await start("childFails", ["blocked", childId]);
      await childStarted(handle);
      const child = await handleOf(childId);
      await child.terminate("by the test");
      const result = (await handle.result()) as wf.Outcome;
      expect(result).toMatchObject({
        outcome: "rejected",
        error: { class: "ChildWorkflowFailure", execution: { workflowId: childId }, workflowType: "blocked", retryState: "NON_RETRYABLE_FAILURE", cause: { class: "TerminatedFailure", name: "TerminatedFailure", message: "Terminated" } },
      });
      expect(await closedStatus(child)).toBe("TERMINATED");
      await replayAll([handle, child]);
    });

    test("the child is cancelled from the client: CancelledFailure cause", async () => {
      const childId = uid("cancelled-child");
      const handle = await start("childFails", ["blocked", childId]);
      await childStarted(handle);
      const child = await handleOf(childId);
      await child.cancel();
      const result = (await handle.result()) as wf.Outcome;
      expect(result).toMatchObject({
        outcome: "rejected",
        error: { class: "ChildWorkflowFailure", execution: { workflowId: childId }, workflowType: "blocked", retryState: "NON_RETRYABLE_FAILURE", cause: cancelledCause },
      });
      expect(await closedStatus(child)).toBe("CANCELLED");
      expect(await events(handle, EventType.CHILD_WORKFLOW_EXECUTION_CANCELED)).toHaveLength(1);
      await replayAll([handle, child]);
    });

    test("starting a child whose workflowId is already running: WorkflowExecutionAlreadyStartedError from startChild and executeChild", async () => {
      const running = await start("blocked", [0]);
      const { handle, result } = await run<{ startChild: wf.Outcome; executeChild: wf.Outcome }>("startDuplicate", [running.workflowId]);
      const expected = {
        outcome: "rejected",
        error: { class: "WorkflowExecutionAlreadyStartedError", name: "WorkflowExecutionAlreadyStartedError", message: "Workflow execution already started", workflowId: running.workflowId, workflowType: "blocked" },
      };
      expect(result.startChild).toMatchObject(expected);
      expect(result.executeChild).toMatchObject(expected);
      expect((result.startChild as { error: wf.ErrorSeen }).error.cause).toBeUndefined();
      const failed = (await events(handle, EventType.START_CHILD_WORKFLOW_EXECUTION_FAILED)).map((e) => attrs(e, "startChildWorkflowExecutionFailedEventAttributes").cause);
      expect(failed).toEqual([StartChildWorkflowExecutionFailedCause.WORKFLOW_ALREADY_EXISTS, StartChildWorkflowExecutionFailedCause.WORKFLOW_ALREADY_EXISTS]);
      // The running workflow is untouched by the refused starts.
      expect((await running.describe()).status.name).toBe("RUNNING");
      await running.signal("unblock");
      expect(await running.result()).toBe("unblocked");
      await replayAll([handle, running]);
    });
  });

  // ------------------------------------------------------------------ cancellation

  describe("cancellation through CancellationScope", () => {
    const CLEANUP_MS = 1000;
    const LINGER_MS = 500;

    async function cancelStarted(type: string) {
      const childId = uid(`cancel-${type}`);
      const { handle, result } = await run<wf.Outcome & { firstExecutionRunId: string }>("cancelStartedChild", [type, childId, CLEANUP_MS, LINGER_MS]);
      const child = await handleOf(childId);
      const requests = (await events(handle, EventType.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED)).map((e) => attrs(e, "requestCancelExternalWorkflowExecutionInitiatedEventAttributes"));
      return { handle, result, child, requests };
    }

    const childWorkflowCancelled = (childId: string) => ({
      outcome: "rejected",
      error: { class: "ChildWorkflowFailure", execution: { workflowId: childId }, workflowType: "blocked", retryState: "NON_RETRYABLE_FAILURE", cause: cancelledCause },
    });

    test("TRY_CANCEL: the parent's await rejects at once; the child gets a cancel request and ends CANCELLED", async () => {
      const { handle, result, child, requests } = await cancelStarted("TRY_CANCEL");
      expect(result).toMatchObject(childWorkflowCancelled(child.workflowId));
      expect(result.elapsedMs).toBe(0);
      expect(requests).toHaveLength(1);
      expect(requests[0]).toMatchObject({ workflowExecution: { workflowId: child.workflowId, runId: result.firstExecutionRunId }, childWorkflowOnly: true });
      // The parent completed before the child finished its clean-up (it did not wait for it).
      expect(await closedStatus(child)).toBe("CANCELLED");
      const childHistory = await child.fetchHistory();
      expect(childHistory.events.filter(isType(EventType.WORKFLOW_EXECUTION_CANCEL_REQUESTED))).toHaveLength(1);
      const parentClosed = (await handle.describe()).closeTime!.getTime();
      expect((await child.describe()).closeTime!.getTime()).toBeGreaterThan(parentClosed);
      await replayAll([handle, child]);
    });

    test("WAIT_CANCELLATION_REQUESTED: the child gets a cancel request; the parent's await rejects with the child's resolution (as core 1.24 resolves it)", async () => {
      const { handle, result, child, requests } = await cancelStarted("WAIT_CANCELLATION_REQUESTED");
      expect(result).toMatchObject(childWorkflowCancelled(child.workflowId));
      expect(requests).toHaveLength(1);
      expect(await events(handle, EventType.EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED)).toHaveLength(1);
      expect(await closedStatus(child)).toBe("CANCELLED");
      // Recorded: core 1.24's child machine resolves this type like WAIT_CANCELLATION_COMPLETED,
      // when the child closes after its clean-up.
      expect(result.elapsedMs).toBeGreaterThanOrEqual(CLEANUP_MS);
      expect(await events(handle, EventType.CHILD_WORKFLOW_EXECUTION_CANCELED)).toHaveLength(1);
      await replayAll([handle, child]);
    });

    test("WAIT_CANCELLATION_COMPLETED: the parent's await rejects only when the child has closed as cancelled", async () => {
      const { handle, result, child, requests } = await cancelStarted("WAIT_CANCELLATION_COMPLETED");
      expect(result).toMatchObject(childWorkflowCancelled(child.workflowId));
      expect(result.elapsedMs).toBeGreaterThanOrEqual(CLEANUP_MS);
      expect(requests).toHaveLength(1);
      expect((await child.describe()).status.name).toBe("CANCELLED");
      expect(await events(handle, EventType.CHILD_WORKFLOW_EXECUTION_CANCELED)).toHaveLength(1);
      expect((await child.describe()).closeTime!.getTime()).toBeLessThanOrEqual((await handle.describe()).closeTime!.getTime());
      await replayAll([handle, child]);
    });

    test("ABANDON: the parent's await rejects at once; no cancel request reaches the child, which keeps running", async () => {
      const { handle, result, child, requests } = await cancelStarted("ABANDON");
      expect(result).toMatchObject(childWorkflowCancelled(child.workflowId));
      expect(result.elapsedMs).toBe(0);
      expect(requests).toHaveLength(0);
      await Bun.sleep(300);
      expect((await child.describe()).status.name).toBe("RUNNING");
      expect((await child.fetchHistory()).events.filter(isType(EventType.WORKFLOW_EXECUTION_CANCEL_REQUESTED))).toHaveLength(0);
      await child.signal("unblock");
      expect(await child.result()).toBe("unblocked");
      await replayAll([handle, child]);
    });

    test("cancelled in the same task as startChild/executeChild: the start is never sent and the call rejects with ChildWorkflowFailure(CancelledFailure); in an already-cancelled scope with the scope's CancelledFailure", async () => {
      const prefix = uid("before-start");
      const { handle, result } = await run<Record<string, wf.Outcome>>("cancelBeforeStart", [prefix]);
      for (const type of ["TRY_CANCEL", "WAIT_CANCELLATION_COMPLETED", "WAIT_CANCELLATION_REQUESTED", "ABANDON"]) {
        expect(result[type]).toMatchObject({
          outcome: "rejected",
          error: { class: "ChildWorkflowFailure", execution: { workflowId: `${prefix}-${type}` }, workflowType: "blocked", retryState: "NON_RETRYABLE_FAILURE", cause: cancelledCause },
        });
      }
      expect(result.executeChild).toMatchObject({ outcome: "rejected", error: { class: "ChildWorkflowFailure", execution: { workflowId: `${prefix}-execute` }, cause: cancelledCause } });
      expect(result.alreadyCancelled).toMatchObject({ outcome: "rejected", error: { class: "CancelledFailure", message: "Cancellation scope cancelled" } });
      expect((result.alreadyCancelled as { error: wf.ErrorSeen }).error.cause).toBeUndefined();
      // Nothing reached the server.
      expect(await events(handle, EventType.START_CHILD_WORKFLOW_EXECUTION_INITIATED)).toHaveLength(0);
      for (const suffix of ["TRY_CANCEL", "ABANDON", "already", "execute"]) {
        await expect((await handleOf(`${prefix}-${suffix}`)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
      }
      await replayAll([handle]);
    });

    test("cancelling the parent from the client cancels its child (default WAIT_CANCELLATION_COMPLETED) and the parent sees ChildWorkflowFailure(CancelledFailure)", async () => {
      const childId = uid("parent-cancelled-child");
      const handle = await start("childFails", ["blocked", childId]);
      await childStarted(handle);
      await handle.cancel();
      const result = (await handle.result()) as wf.Outcome;
      expect(result).toMatchObject({ outcome: "rejected", error: { class: "ChildWorkflowFailure", execution: { workflowId: childId }, cause: cancelledCause } });
      const child = await handleOf(childId);
      expect(await closedStatus(child)).toBe("CANCELLED");
      await replayAll([handle, child]);
    });
  });

  // ------------------------------------------------------------------ parent close policies

  describe("parent close policies, observed on the child after the parent completes", () => {
    async function closeWith(policy: string) {
      const childId = uid(`close-${policy}`);
      const { handle, result: runId } = await run<string>("parentClose", [policy, childId]);
      const child = await handleOf(childId, runId);
      const initiated = attrs((await events(handle, EventType.START_CHILD_WORKFLOW_EXECUTION_INITIATED))[0], "startChildWorkflowExecutionInitiatedEventAttributes");
      return { handle, child, initiated };
    }

    test("TERMINATE: the child is terminated", async () => {
      const { handle, child, initiated } = await closeWith("TERMINATE");
      expect(initiated.parentClosePolicy).toBe(ProtoParentClosePolicy.TERMINATE);
      expect(await closedStatus(child)).toBe("TERMINATED");
      await replayAll([handle, child]);
    });

    test("ABANDON: the child keeps running", async () => {
      const { handle, child, initiated } = await closeWith("ABANDON");
      expect(initiated.parentClosePolicy).toBe(ProtoParentClosePolicy.ABANDON);
      await Bun.sleep(500);
      expect((await child.describe()).status.name).toBe("RUNNING");
      expect((await child.fetchHistory()).events.filter(isType(EventType.WORKFLOW_EXECUTION_CANCEL_REQUESTED))).toHaveLength(0);
      await child.signal("unblock");
      expect(await child.result()).toBe("unblocked");
      await replayAll([handle, child]);
    });

    test("REQUEST_CANCEL: the child gets a cancel request and ends CANCELLED", async () => {
      const { handle, child, initiated } = await closeWith("REQUEST_CANCEL");
      expect(initiated.parentClosePolicy).toBe(ProtoParentClosePolicy.REQUEST_CANCEL);
      expect(await closedStatus(child)).toBe("CANCELLED");
      expect((await child.fetchHistory()).events.filter(isType(EventType.WORKFLOW_EXECUTION_CANCEL_REQUESTED))).toHaveLength(1);
      await expect(child.result()).rejects.toBeInstanceOf(WorkflowFailedError);
      await replayAll([handle, child]);
    });
  });

  // ------------------------------------------------------------------ external handles

  describe("external workflow handles and child signals", () => {
    test("workflow A signals workflow B through getExternalWorkflowHandle (with and without runId); B receives the arguments", async () => {
      for (const withRunId of [false, true]) {
        const target = await start("signalTarget", []);
        const runId = withRunId ? (await target.describe()).runId : undefined;
        const { handle, result } = await run<{ workflowId: string; runId?: string }>("signalExternal", runId ? [target.workflowId, runId] : [target.workflowId]);
        expect(result).toEqual(runId ? { workflowId: target.workflowId, runId } : { workflowId: target.workflowId });
        expect(await target.result()).toEqual([
          [123, "kid"],
          [456, "by name"],
        ]);
        const signalled = (await target.fetchHistory()).events.filter(isType(EventType.WORKFLOW_EXECUTION_SIGNALED)).map((e) => attrs(e, "workflowExecutionSignaledEventAttributes"));
        expect(signalled.map((s) => s.signalName)).toEqual(["argsSignal", "argsSignal", "unblock"]);
        for (const s of signalled) expect(s.externalWorkflowExecution?.workflowId).toBe(handle.workflowId);
        expect(await events(handle, EventType.EXTERNAL_WORKFLOW_EXECUTION_SIGNALED)).toHaveLength(3);
        await replayAll([handle, target]);
      }
    });

    test("signalling a workflow that does not exist rejects with the official ApplicationFailure", async () => {
      const { handle, result } = await run<wf.Outcome>("signalMissing", [uid("no-such-workflow")]);
      expect(result).toMatchObject({ outcome: "rejected", error: { class: "ApplicationFailure", message: "Unable to signal external workflow because it was not found" } });
      const failed = attrs((await events(handle, EventType.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED))[0], "signalExternalWorkflowExecutionFailedEventAttributes");
      expect(failed.cause).toBe(SignalExternalWorkflowExecutionFailedCause.EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND);
      await replayAll([handle]);
    });

    test("cancel() of an external workflow requests its cancellation: B sees a CancelledFailure and closes as cancelled", async () => {
      const target = await start("blocked", [0]);
      await waitForEvent(target, isType(EventType.WORKFLOW_TASK_COMPLETED), "the target's first task");
      const { handle, result } = await run<wf.Outcome>("cancelExternal", [target.workflowId]);
      expect(result).toMatchObject({ outcome: "resolved" });
      const err = await target.result().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
      expect((await target.describe()).status.name).toBe("CANCELLED");
      const requested = attrs((await target.fetchHistory()).events.find(isType(EventType.WORKFLOW_EXECUTION_CANCEL_REQUESTED)), "workflowExecutionCancelRequestedEventAttributes");
      expect(requested.externalWorkflowExecution?.workflowId).toBe(handle.workflowId);
      expect(await events(handle, EventType.EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED)).toHaveLength(1);
      await replayAll([handle, target]);
    });

    test("cancel() of a workflow that does not exist rejects with the official ApplicationFailure", async () => {
      const { handle, result } = await run<wf.Outcome>("cancelExternal", [uid("no-such-workflow")]);
      expect(result).toMatchObject({ outcome: "rejected", error: { class: "ApplicationFailure", message: "Unable to cancel external workflow because not found" } });
      const failed = attrs((await events(handle, EventType.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED))[0], "requestCancelExternalWorkflowExecutionFailedEventAttributes");
      expect(failed.cause).toBe(CancelExternalWorkflowExecutionFailedCause.EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND);
      await replayAll([handle]);
    });

    test("external handles in a scope cancelled in the same task: signal() is never sent, cancel() is sent (with the official patch marker) yet rejects; a child cancelled through an external handle", async () => {
      const target = await start("signalTarget", []);
      await waitForEvent(target, isType(EventType.WORKFLOW_TASK_COMPLETED), "the target's first task");
      const { handle, result } = await run<Awaited<ReturnType<typeof wf.externalInCancelledScopes>>>("externalInCancelledScopes", [target.workflowId]);
      expect(result.signal).toMatchObject({ outcome: "rejected", error: { class: "CancelledFailure" } });
      expect(result.cancel).toMatchObject({ outcome: "rejected", error: { class: "CancelledFailure", message: "Cancellation scope cancelled" } });
      expect(result.childResult).toMatchObject({
        outcome: "rejected",
        error: { class: "ChildWorkflowFailure", execution: { workflowId: result.childId }, workflowType: "blocked", cause: cancelledCause },
      });
      const history = await handle.fetchHistory();
      expect(history.events.filter(isType(EventType.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED))).toHaveLength(0);
      const requests = history.events.filter(isType(EventType.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED)).map((e) => attrs(e, "requestCancelExternalWorkflowExecutionInitiatedEventAttributes"));
      expect(requests.map((r) => [r.workflowExecution?.workflowId, r.childWorkflowOnly])).toEqual([
        [target.workflowId, false],
        [result.childId, false],
      ]);
      const markers = history.events.filter(isType(EventType.MARKER_RECORDED)).map((e) => attrs(e, "markerRecordedEventAttributes"));
      expect(markers.map((m) => [m.markerName, decode(m.details["patch-data"]?.payloads[0])])).toEqual([
        ["core_patch", { id: "__temporal_internal_connect_external_handle_cancel_to_scope", deprecated: false }],
      ]);
      // The target got the cancel request, never the signal.
      expect(await closedStatus(target)).toBe("CANCELLED");
      const targetSignals = (await target.fetchHistory()).events.filter(isType(EventType.WORKFLOW_EXECUTION_SIGNALED));
      expect(targetSignals).toHaveLength(0);
      await replayAll([handle, target, await handleOf(result.childId)]);
    });

    test("a child signalled through its ChildWorkflowHandle; a signal cancelled in its scope is never delivered", async () => {
      const { handle, result } = await run<Awaited<ReturnType<typeof wf.signalChild>>>("signalChild", []);
      expect(result.received).toEqual([
        [1, "one"],
        [2, "two"],
      ]);
      expect(result.cancelledSignal).toMatchObject({ outcome: "rejected", error: { class: "CancelledFailure" } });
      const child = await handleOf(result.workflowId);
      const signalled = (await child.fetchHistory()).events.filter(isType(EventType.WORKFLOW_EXECUTION_SIGNALED)).map((e) => attrs(e, "workflowExecutionSignaledEventAttributes"));
      expect(signalled.map((s) => s.signalName)).toEqual(["argsSignal", "argsSignal", "unblock"]);
      for (const s of signalled) expect(s.externalWorkflowExecution?.workflowId).toBe(handle.workflowId);
      await replayAll([handle, child]);
    });
  });
}
