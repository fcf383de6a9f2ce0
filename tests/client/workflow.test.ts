import { describe, expect, test } from "bun:test";
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  ChildWorkflowFailure,
  Client,
  QueryRejectedError,
  ServerFailure,
  TerminatedFailure,
  TimeoutFailure,
  WorkflowContinuedAsNewError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  RetryState,
  TimeoutType,
  defineSearchAttributeKey,
  type WorkflowHandle,
} from "../../src/client/index.js";
import * as common from "../../src/common/index.js";
import { EventType } from "../../src/proto/temporal/api/enums/v1/event_type_pb.js";
import { testEnv } from "../helpers/dev-server.js";
import { cancelCommand, completeCommand, continueAsNewCommand, eventually, failCommand, pollWorkflowTask, respondWithCommand, uid } from "./helpers.js";

async function client(): Promise<Client> {
  return (await testEnv()).client;
}

describe("WorkflowClient against the dev server", () => {
  test("start and describe: type, task queue, status, memo, typed search attributes, timeouts", async () => {
    const c = await client();
    const workflowId = uid("describe");
    const kw = defineSearchAttributeKey("TestKeyword", "KEYWORD");
    const txt = defineSearchAttributeKey("TestText", "TEXT");
    const int = defineSearchAttributeKey("TestInt", "INT");
    const dbl = defineSearchAttributeKey("TestDouble", "DOUBLE");
    const bool = defineSearchAttributeKey("TestBool", "BOOL");
    const dt = defineSearchAttributeKey("TestDatetime", "DATETIME");
    const kwl = defineSearchAttributeKey("TestKeywordList", "KEYWORD_LIST");
    const when = new Date("2026-01-02T03:04:05.000Z");
    const handle = await c.workflow.start("orderWorkflow", {
      workflowId,
      taskQueue: "describe-tq",
      args: [{ order: 1 }],
      memo: { owner: "alice", nested: { n: [1, 2] } },
      typedSearchAttributes: [
        { key: kw, value: "k1" },
        { key: txt, value: "some text" },
        { key: int, value: 42 },
        { key: dbl, value: 1.5 },
        { key: bool, value: true },
        { key: dt, value: when },
        { key: kwl, value: ["a", "b"] },
      ],
      workflowExecutionTimeout: "1 hour",
      workflowRunTimeout: "30 minutes",
      workflowTaskTimeout: "10s",
      retry: { initialInterval: "1s", maximumAttempts: 3, backoffCoefficient: 2, nonRetryableErrorTypes: ["Bad"] },
    });
    expect(handle.workflowId).toBe(workflowId);
    expect(handle.firstExecutionRunId).toMatch(/[0-9a-f-]{36}/);
    const d = await handle.describe();
    expect(d.type).toBe("orderWorkflow");
    expect(d.workflowId).toBe(workflowId);
    expect(d.runId).toBe(handle.firstExecutionRunId!);
    expect(d.taskQueue).toBe("describe-tq");
    expect(d.status.name).toBe("RUNNING");
    expect(d.startTime).toBeInstanceOf(Date);
    expect(Math.abs(d.startTime.getTime() - Date.now())).toBeLessThan(60_000);
    expect(d.closeTime).toBeUndefined();
    expect(d.memo).toEqual({ owner: "alice", nested: { n: [1, 2] } });
    const sa = d.typedSearchAttributes;
    expect(sa.get(kw)).toBe("k1");
    expect(sa.get(txt)).toBe("some text");
    expect(sa.get(int)).toBe(42);
    expect(sa.get(dbl)).toBe(1.5);
    expect(sa.get(bool)).toBe(true);
    expect(sa.get(dt)?.toISOString()).toBe(when.toISOString());
    expect(sa.get(kwl)).toEqual(["a", "b"]);
    expect(d.searchAttributes.TestInt).toEqual([42]);
    expect(d.workflowExecutionTimeoutMs).toBe(3_600_000);
    expect(d.workflowRunTimeoutMs).toBe(1_800_000);
    expect(d.workflowTaskTimeoutMs).toBe(10_000);
    // The search attribute payloads carry the server's type metadata and are not codec-encoded.
    const raw = d.raw.workflowExecutionInfo!.searchAttributes!.indexedFields.TestKeywordList!;
    expect(new TextDecoder().decode(raw.metadata.type)).toBe("KeywordList");
    await handle.terminate("cleanup");
  });

  test("a duplicate workflow id is WorkflowExecutionAlreadyStartedError; USE_EXISTING returns the running run", async () => {
    const c = await client();
    const workflowId = uid("dup");
    const first = await c.workflow.start("dupWorkflow", { workflowId, taskQueue: "dup-tq" });
    const err = await c.workflow.start("dupWorkflow", { workflowId, taskQueue: "dup-tq" }).catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    expect(err.workflowId).toBe(workflowId);
    expect(err.workflowType).toBe("dupWorkflow");
    const again = await c.workflow.start("dupWorkflow", { workflowId, taskQueue: "dup-tq", workflowIdConflictPolicy: "USE_EXISTING" });
    expect(again.firstExecutionRunId).toBe(first.firstExecutionRunId!);
    await first.terminate();
    // REJECT_DUPLICATE also refuses a closed run with the same id.
    const err2 = await c.workflow.start("dupWorkflow", { workflowId, taskQueue: "dup-tq", workflowIdReusePolicy: "REJECT_DUPLICATE" }).catch((e) => e);
    expect(err2).toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
  });

  test("an unknown workflow is WorkflowNotFoundError for describe, signal, terminate, result and fetchHistory", async () => {
    const c = await client();
    const h = c.workflow.getHandle(uid("missing"));
    for (const call of [() => h.describe(), () => h.signal("s"), () => h.terminate(), () => h.cancel(), () => h.result(), () => h.fetchHistory()]) {
      const err = await call().catch((e) => e);
      expect(err).toBeInstanceOf(WorkflowNotFoundError);
      expect(err.workflowId).toBe(h.workflowId);
    }
  });

  test("signal and signalWithStart deliver their arguments (seen in the history)", async () => {
    const c = await client();
    const workflowId = uid("signal");
    const h = await c.workflow.signalWithStart("signalWorkflow", {
      workflowId,
      taskQueue: "signal-tq",
      args: ["start-arg"],
      signal: { name: "first" },
      signalArgs: [1, { two: 2 }],
    });
    expect(h.signaledRunId).toMatch(/[0-9a-f-]{36}/);
    await h.signal("second", "x");
    const again = await c.workflow.signalWithStart("signalWorkflow", { workflowId, taskQueue: "signal-tq", signal: "third" });
    expect(again.signaledRunId).toBe(h.signaledRunId);
    const history = await h.fetchHistory();
    const c2 = c.dataConverter.payloadConverter;
    const signals = history.events.flatMap((e) =>
      e.attributes.case === "workflowExecutionSignaledEventAttributes"
        ? [{ name: e.attributes.value.signalName, args: (e.attributes.value.input?.payloads ?? []).map((p) => c2.fromPayload(p)) }]
        : [],
    );
    expect(signals).toEqual([
      { name: "first", args: [1, { two: 2 }] },
      { name: "second", args: ["x"] },
      { name: "third", args: [] },
    ]);
    await h.terminate();
  });

  test("terminate: result() throws WorkflowFailedError with a TerminatedFailure; describe says TERMINATED", async () => {
    const c = await client();
    const h = await c.workflow.start("terminateMe", { workflowId: uid("terminate"), taskQueue: "terminate-tq" });
    const result = h.result().catch((e) => e);
    await h.terminate("because tests", { why: "detail" });
    const err = await result;
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(err.cause).toBeInstanceOf(TerminatedFailure);
    expect(err.cause.message).toBe("because tests");
    expect(err.retryState).toBe("NON_RETRYABLE_FAILURE");
    expect((await h.describe()).status.name).toBe("TERMINATED");
    const last = (await h.fetchHistory()).events.at(-1)!;
    expect(last.eventType).toBe(EventType.WORKFLOW_EXECUTION_TERMINATED);
  });

  test("cancel: the request is recorded; a run that accepts it makes result() throw a CancelledFailure with details", async () => {
    const c = await client();
    const taskQueue = uid("cancel-tq");
    const h = await c.workflow.start("cancelMe", { workflowId: uid("cancel"), taskQueue });
    // First workflow task: complete it with no commands so the run waits for the cancel.
    const first = await pollWorkflowTask(c, taskQueue);
    await c.workflowService.respondWorkflowTaskCompleted({ namespace: c.namespace, taskToken: first.taskToken, commands: [] });
    await h.cancel("please stop");
    await eventually(async () => (await h.fetchHistory()).events.some((e) => e.eventType === EventType.WORKFLOW_EXECUTION_CANCEL_REQUESTED), "cancel requested");
    await respondWithCommand(c, taskQueue, cancelCommand(c, { cleanedUp: true }));
    const err = await h.result().catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(err.cause).toBeInstanceOf(CancelledFailure);
    expect(err.cause.details).toEqual([{ cleanedUp: true }]);
    expect((await h.describe()).status.name).toBe("CANCELLED");
  });

  test("result() returns the value a completed run returned; execute() starts and waits", async () => {
    const c = await client();
    const taskQueue = uid("complete-tq");
    const h = await c.workflow.start("completeMe", { workflowId: uid("complete"), taskQueue, args: [1, 2] });
    const task = await respondWithCommand(c, taskQueue, completeCommand(c, { sum: 3 }));
    expect(task.workflowType?.name).toBe("completeMe");
    expect(await h.result()).toEqual({ sum: 3 });
    expect((await h.describe()).status.name).toBe("COMPLETED");

    const taskQueue2 = uid("execute-tq");
    const executing = c.workflow.execute("executeMe", { workflowId: uid("execute"), taskQueue: taskQueue2 });
    await respondWithCommand(c, taskQueue2, completeCommand(c, "done"));
    expect(await executing).toBe("done");
  });

  test("failure round trip: every failure type with its cause chain, as typed errors", async () => {
    const c = await client();
    const taskQueue = uid("fail-tq");
    const h = await c.workflow.start("failMe", { workflowId: uid("fail"), taskQueue });
    const chain = ApplicationFailure.create({
      message: "top",
      type: "TopError",
      nonRetryable: true,
      details: [{ d: 1 }, "two"],
      cause: new ChildWorkflowFailure(
        "default",
        { workflowId: "child-id", runId: "child-run" },
        "childWorkflow",
        RetryState.MAXIMUM_ATTEMPTS_REACHED,
        new ActivityFailure(
          "activity failed",
          "myActivity",
          "act-1",
          RetryState.NON_RETRYABLE_FAILURE,
          "worker-1",
          new ServerFailure("server said no", true, new CancelledFailure("cancelled", ["why"], new TerminatedFailure("terminated"))),
        ),
      ),
    });
    await respondWithCommand(c, taskQueue, failCommand(c, chain));
    const err = await h.result().catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(err.retryState).toBe("RETRY_POLICY_NOT_SET");
    const app = err.cause;
    expect(app).toBeInstanceOf(ApplicationFailure);
    // The client's failure classes are src/common's: `instanceof` holds with either import.
    expect(ApplicationFailure).toBe(common.ApplicationFailure);
    expect(app).toBeInstanceOf(common.ApplicationFailure);
    expect(app).toBeInstanceOf(common.TemporalFailure);
    expect(app.message).toBe("top");
    expect(app.type).toBe("TopError");
    expect(app.nonRetryable).toBe(true);
    expect(app.details).toEqual([{ d: 1 }, "two"]);
    expect(app.stack).toContain("workflow.test.ts");
    const child = app.cause;
    expect(child).toBeInstanceOf(ChildWorkflowFailure);
    expect(child.execution).toEqual({ workflowId: "child-id", runId: "child-run" });
    expect(child.workflowType).toBe("childWorkflow");
    expect(child.retryState).toBe(RetryState.MAXIMUM_ATTEMPTS_REACHED);
    expect(child.retryState).toBe("MAXIMUM_ATTEMPTS_REACHED");
    const act = child.cause;
    expect(act).toBeInstanceOf(ActivityFailure);
    expect(act.activityType).toBe("myActivity");
    expect(act.activityId).toBe("act-1");
    expect(act.retryState).toBe("NON_RETRYABLE_FAILURE");
    expect(act.identity).toBe("worker-1");
    const server = act.cause;
    expect(server).toBeInstanceOf(ServerFailure);
    expect(server.nonRetryable).toBe(true);
    const cancelled = server.cause;
    expect(cancelled).toBeInstanceOf(CancelledFailure);
    expect(cancelled.details).toEqual(["why"]);
    expect(cancelled.cause).toBeInstanceOf(TerminatedFailure);
  });

  test("a run that times out makes result() throw a TimeoutFailure", async () => {
    const c = await client();
    const h = await c.workflow.start("timeoutMe", { workflowId: uid("timeout"), taskQueue: "timeout-tq", workflowExecutionTimeout: "1s" });
    const err = await h.result().catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(err.cause).toBeInstanceOf(TimeoutFailure);
    expect(err.cause.timeoutType).toBe(TimeoutType.START_TO_CLOSE);
    expect(err.cause.timeoutType).toBe("START_TO_CLOSE");
    expect(err.retryState).toBe("TIMEOUT");
  });

  test("continue-as-new: result() follows the new run; with followRuns false it throws WorkflowContinuedAsNewError", async () => {
    const c = await client();
    const taskQueue = uid("can-tq");
    const h = await c.workflow.start("canMe", { workflowId: uid("can"), taskQueue, args: [1] });
    await respondWithCommand(c, taskQueue, continueAsNewCommand(c, "canMe", taskQueue, [2]));
    const err = await h.result({ followRuns: false }).catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowContinuedAsNewError);
    expect(err.newExecutionRunId).toMatch(/[0-9a-f-]{36}/);
    const second = await respondWithCommand(c, taskQueue, completeCommand(c, "second run"));
    expect(second.workflowExecution?.runId).toBe(err.newExecutionRunId);
    const started = second.history?.events[0];
    expect(started?.attributes.case).toBe("workflowExecutionStartedEventAttributes");
    expect(await h.result()).toBe("second run");
    // A handle to the latest run (no runId) sees the second run.
    expect((await c.workflow.getHandle(h.workflowId).describe()).runId).toBe(err.newExecutionRunId);
  });

  test("query of a closed run with queryRejectCondition NOT_OPEN is QueryRejectedError", async () => {
    const c = await client();
    const h = await c.workflow.start("queryMe", { workflowId: uid("query"), taskQueue: "query-tq" });
    await h.terminate();
    const err = await h.queryWithOptions<never>("state", [], { queryRejectCondition: "NOT_OPEN" }).catch((e: unknown) => e as QueryRejectedError);
    expect(err).toBeInstanceOf(QueryRejectedError);
    expect(err.statusName).toBe("TERMINATED");
  });

  test("query is answered by the workflow's worker (a legacy query task answered by hand)", async () => {
    const c = await client();
    const taskQueue = uid("query-answer-tq");
    const h = await c.workflow.start("queryAnswer", { workflowId: uid("query-answer"), taskQueue });
    // First workflow task: complete it with no commands so the run waits.
    const first = await pollWorkflowTask(c, taskQueue);
    await c.workflowService.respondWorkflowTaskCompleted({ namespace: c.namespace, taskToken: first.taskToken, commands: [] });
    const answer = h.query<{ echoed: unknown[] }>("state", "a", 2);
    const task = await pollWorkflowTask(c, taskQueue);
    expect(task.query?.queryType).toBe("state");
    const args = (task.query?.queryArgs?.payloads ?? []).map((p) => c.dataConverter.payloadConverter.fromPayload(p));
    await c.workflowService.respondQueryTaskCompleted({
      namespace: c.namespace,
      taskToken: task.taskToken,
      completedType: 1, // ANSWERED
      queryResult: { payloads: [c.dataConverter.payloadConverter.toPayload({ echoed: args })] },
    });
    expect(await answer).toEqual({ echoed: ["a", 2] });
    await h.terminate();
  });

  test("fetchHistory returns every event of the run, inputs decodable", async () => {
    const c = await client();
    const h = await c.workflow.start("historyMe", { workflowId: uid("history"), taskQueue: "history-tq", args: ["in", 7] });
    for (let i = 0; i < 30; i++) await h.signal("tick", i);
    const history = await h.fetchHistory();
    expect(history.events[0]?.eventType).toBe(EventType.WORKFLOW_EXECUTION_STARTED);
    const start = history.events[0]!.attributes;
    if (start.case !== "workflowExecutionStartedEventAttributes") throw new Error("no start event");
    expect(start.value.input!.payloads.map((p) => c.dataConverter.payloadConverter.fromPayload(p))).toEqual(["in", 7]);
    expect(history.events.filter((e) => e.eventType === EventType.WORKFLOW_EXECUTION_SIGNALED)).toHaveLength(30);
    expect(history.events.map((e) => Number(e.eventId))).toEqual(history.events.map((_, i) => i + 1));
    await h.terminate();
  });

  test("list and count see started workflows by visibility query (eventually consistent)", async () => {
    const c = await client();
    const type = uid("listType").replace(/-/g, "");
    const handles: WorkflowHandle[] = [];
    for (let i = 0; i < 3; i++) {
      handles.push(await c.workflow.start(type, { workflowId: uid("list"), taskQueue: "list-tq", memo: { i }, typedSearchAttributes: [{ key: defineSearchAttributeKey("TestInt", "INT"), value: i }] }));
    }
    await handles[0]!.terminate();
    const query = `WorkflowType = '${type}'`;
    const infos = await eventually(async () => {
      const all = [];
      for await (const info of c.workflow.list({ query, pageSize: 2 })) all.push(info);
      return all.length === 3 && all.every((i) => i.status.name !== "RUNNING" || i.workflowId !== handles[0]!.workflowId) ? all : undefined;
    }, "3 listed executions");
    expect(infos.map((i) => i.workflowId).sort()).toEqual(handles.map((h) => h.workflowId).sort());
    for (const info of infos) {
      expect(info.type).toBe(type);
      expect(info.startTime).toBeInstanceOf(Date);
      expect(typeof (info.memo as { i: number }).i).toBe("number");
      expect(info.typedSearchAttributes.get(defineSearchAttributeKey("TestInt", "INT"))).toBe((info.memo as { i: number }).i);
    }
    const closed = infos.find((i) => i.workflowId === handles[0]!.workflowId)!;
    expect(closed.status.name).toBe("TERMINATED");
    expect(closed.closeTime).toBeInstanceOf(Date);
    const count = await eventually(async () => {
      const n = await c.workflow.count({ query });
      return n.count === 3 ? n : undefined;
    }, "count 3");
    expect(count.count).toBe(3);
    const grouped = await c.workflow.count({ query: `${query} GROUP BY ExecutionStatus` });
    expect(grouped.groups.map((g) => [g.groupValues[0], g.count]).sort()).toEqual([["Running", 2], ["Terminated", 1]]);
    for (const h of handles.slice(1)) await h.terminate();
  });

  test("startDelay postpones the first workflow task", async () => {
    const c = await client();
    const h = await c.workflow.start("delayed", { workflowId: uid("delay"), taskQueue: "delay-tq", startDelay: "1 hour" });
    const d = await h.describe();
    expect(d.executionTime!.getTime() - d.startTime.getTime()).toBeGreaterThanOrEqual(3_599_000);
    await h.terminate();
  });

  test("bad start options are TypeErrors naming the option", async () => {
    const c = await client();
    const base = { workflowId: "x", taskQueue: "tq" };
    await expect(c.workflow.start("w", { ...base, taskQueue: "" })).rejects.toThrow(/taskQueue/);
    await expect(c.workflow.start("w", { ...base, workflowIdReusePolicy: "NOPE" as never })).rejects.toThrow(/workflowIdReusePolicy: expected one of ALLOW_DUPLICATE, /);
    await expect(c.workflow.start("w", { ...base, workflowIdd: "y" } as never)).rejects.toThrow("WorkflowStartOptions: unknown option 'workflowIdd' (did you mean 'workflowId'?)");
    await expect(c.workflow.start("w", { ...base, workflowRunTimeout: "forever" })).rejects.toThrow(/workflowRunTimeout/);
    await expect(c.workflow.start("w", { ...base, retry: { backoffCoefficient: 0.5 } })).rejects.toThrow(/retry.backoffCoefficient/);
    await expect(c.workflow.start("w", { ...base, args: [10n] })).rejects.toThrow(/workflow argument 0/);
    await expect(
      c.workflow.start("w", { ...base, typedSearchAttributes: [{ key: defineSearchAttributeKey("TestInt", "INT"), value: "x" as never }] }),
    ).rejects.toThrow(/TestInt/);
    expect(() => new Client({ namespace: "" })).toThrow(/ClientOptions.namespace/);
  });
});
