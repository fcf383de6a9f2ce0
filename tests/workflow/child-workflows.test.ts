/**
 * Child workflows and external handles at the command level: what each API call sends to core
 * and how core's resolutions reach workflow code (hand-built activations, no server). The
 * end-to-end behaviour against a real server is tests/e2e/child-workflows.test.ts.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import path from "node:path";
import { ApplicationFailure, CancelledFailure, ChildWorkflowFailure, RetryState, defineSearchAttributeKey, SearchAttributeType } from "../../src/common/index.js";
import { bundleWorkflowCode, createWorkflowRuntime, type WorkflowBundle } from "../../src/worker/workflow/index.js";
import { activation, capturingLogger, commands, failureOf, fromPayload, jobs, kinds, resultOf, toFailure, toPayload } from "./helpers.js";

let bundle: WorkflowBundle;
beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath: path.join(import.meta.dir, "fixtures/child-workflows.ts") });
});

const runtime = () => createWorkflowRuntime({ bundle, namespace: "ns", taskQueue: "parent-tq", logger: capturingLogger().logger });

const childJobs = {
  started: (seq: number, runId = "child-run") => ({ case: "resolveChildWorkflowExecutionStart", value: { seq, status: { case: "succeeded", value: { runId } } } }) as never,
  alreadyExists: (seq: number) =>
    ({ case: "resolveChildWorkflowExecutionStart", value: { seq, status: { case: "failed", value: { workflowId: "kid", workflowType: "child", cause: 1 } } } }) as never,
  startCancelled: (seq: number) =>
    ({ case: "resolveChildWorkflowExecutionStart", value: { seq, status: { case: "cancelled", value: { failure: toFailure(new CancelledFailure("Child workflow start cancelled")) } } } }) as never,
  completed: (seq: number, value: unknown) =>
    ({ case: "resolveChildWorkflowExecution", value: { seq, result: { status: { case: "completed", value: { result: toPayload(value) } } } } }) as never,
  failed: (seq: number, cause: Error) =>
    ({
      case: "resolveChildWorkflowExecution",
      value: {
        seq,
        result: { status: { case: "failed", value: { failure: toFailure(new ChildWorkflowFailure("ns", { workflowId: "kid", runId: "child-run" }, "child", RetryState.NON_RETRYABLE_FAILURE, cause)) } } },
      },
    }) as never,
  cancelled: (seq: number) =>
    ({
      case: "resolveChildWorkflowExecution",
      value: {
        seq,
        result: {
          status: {
            case: "cancelled",
            value: { failure: toFailure(new ChildWorkflowFailure("ns", { workflowId: "kid", runId: "child-run" }, "child", RetryState.CANCEL_REQUESTED, new CancelledFailure("cancelled"))) },
          },
        },
      },
    }) as never,
  signalResolved: (seq: number, failure?: Error) => ({ case: "resolveSignalExternalWorkflow", value: { seq, failure: failure ? toFailure(failure) : undefined } }) as never,
  cancelResolved: (seq: number, failure?: Error) => ({ case: "resolveRequestCancelExternalWorkflow", value: { seq, failure: failure ? toFailure(failure) : undefined } }) as never,
};

function startCommand(c: Parameters<typeof commands>[0]) {
  const [cmd] = commands(c);
  if (cmd?.case !== "startChildWorkflowExecution") throw new Error(`expected startChildWorkflowExecution, got ${kinds(c).join()}`);
  return cmd.value;
}

describe("startChild / executeChild", () => {
  test("every option reaches the StartChildWorkflowExecution command", async () => {
    const rt = runtime();
    const key = defineSearchAttributeKey("CustomKeyword", SearchAttributeType.KEYWORD);
    const options = {
      workflowId: "kid",
      args: [1, "two"],
      taskQueue: "other-tq",
      cancellationType: "TRY_CANCEL",
      parentClosePolicy: "ABANDON",
      workflowIdReusePolicy: "REJECT_DUPLICATE",
      workflowExecutionTimeout: "1 hour",
      workflowRunTimeout: 60_000,
      workflowTaskTimeout: "5s",
      retry: { maximumAttempts: 3, initialInterval: "2s" },
      cronSchedule: "@every 1m",
      memo: { owner: "me" },
      searchAttributes: { CustomText: ["untyped"] },
      typedSearchAttributes: [{ key, value: "typed" }],
      versioningIntent: "DEFAULT",
      staticSummary: "the summary",
      staticDetails: "the details",
      priority: { priorityKey: 2 },
    };
    const c = await rt.activate(activation("r1", [jobs.init("startWithOptions", [options])]));
    const [command] = c.status.case === "successful" ? c.status.value.commands : [];
    const v = startCommand(c);
    expect(v.seq).toBe(1);
    expect(v.workflowId).toBe("kid");
    expect(v.workflowType).toBe("child");
    expect(v.namespace).toBe("ns");
    expect(v.taskQueue).toBe("other-tq");
    expect(v.input.map(fromPayload)).toEqual([1, "two"]);
    expect(Number(v.workflowExecutionTimeout?.seconds)).toBe(3600);
    expect(Number(v.workflowRunTimeout?.seconds)).toBe(60);
    expect(Number(v.workflowTaskTimeout?.seconds)).toBe(5);
    expect(v.cancellationType).toBe(1); // TRY_CANCEL
    expect(v.parentClosePolicy).toBe(2); // ABANDON
    expect(v.workflowIdReusePolicy).toBe(3); // REJECT_DUPLICATE
    expect(v.retryPolicy?.maximumAttempts).toBe(3);
    expect(Number(v.retryPolicy?.initialInterval?.seconds)).toBe(2);
    expect(v.cronSchedule).toBe("@every 1m");
    expect(fromPayload(v.memo.owner)).toEqual("me");
    expect(Object.keys(v.searchAttributes?.indexedFields ?? {}).sort()).toEqual(["CustomKeyword", "CustomText"]);
    expect(fromPayload(v.searchAttributes!.indexedFields.CustomKeyword)).toBe("typed");
    expect(fromPayload(v.searchAttributes!.indexedFields.CustomText)).toEqual(["untyped"]);
    expect(v.versioningIntent).toBe(2); // DEFAULT
    expect(v.priority?.priorityKey).toBe(2);
    expect(fromPayload(command?.userMetadata?.summary)).toBe("the summary");
    expect(fromPayload(command?.userMetadata?.details)).toBe("the details");
  });

  test("defaults: the parent's task queue, WAIT_CANCELLATION_COMPLETED, no policy, a uuid4 id drawn from the run's random stream", async () => {
    const run = async (seed: bigint) => {
      const rt = runtime();
      const c1 = await rt.activate(activation("r1", [jobs.init("defaultIdThenUuid", [], seed)]));
      const v = startCommand(c1);
      await rt.activate(activation("r1", [childJobs.started(1, "first-run")]));
      const c3 = await rt.activate(activation("r1", [childJobs.completed(1, 1)]));
      return { command: v, result: resultOf(c3) as { childId: string; runId: string; next: string; result: number } };
    };
    const a = await run(7n);
    expect(a.command.taskQueue).toBe("parent-tq");
    expect(a.command.cancellationType).toBe(2); // WAIT_CANCELLATION_COMPLETED
    expect(a.command.parentClosePolicy).toBe(0); // server default (TERMINATE)
    expect(a.command.workflowIdReusePolicy).toBe(0);
    expect(a.command.searchAttributes).toBeUndefined();
    expect(a.result.childId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.command.workflowId).toBe(a.result.childId);
    expect(a.result.next).not.toBe(a.result.childId);
    expect(a.result).toMatchObject({ runId: "first-run", result: 1 });
    // Deterministic: the same seed gives the same id (replay), another seed another id.
    expect((await run(7n)).result.childId).toBe(a.result.childId);
    expect((await run(8n)).result.childId).not.toBe(a.result.childId);
  });

  test("a start refused because the id is running rejects with WorkflowExecutionAlreadyStartedError", async () => {
    const rt = runtime();
    await rt.activate(activation("r1", [jobs.init("startWithOptions", [{ workflowId: "kid", args: [1] }])]));
    const c = await rt.activate(activation("r1", [childJobs.alreadyExists(1)]));
    expect(resultOf(c)).toEqual({ error: "WorkflowExecutionAlreadyStartedError", message: "Workflow execution already started", workflowId: "kid", workflowType: "child" });
  });

  test("a failed child rejects with ChildWorkflowFailure whose cause is the child's failure", async () => {
    const rt = runtime();
    await rt.activate(activation("r1", [jobs.init("startWithOptions", [{ workflowId: "kid", args: [1] }])]));
    await rt.activate(activation("r1", [childJobs.started(1)]));
    const c = await rt.activate(activation("r1", [childJobs.failed(1, ApplicationFailure.create({ message: "child boom" }))]));
    expect(resultOf(c)).toMatchObject({ error: "ChildWorkflowFailure", message: "Child Workflow execution failed", cause: "ApplicationFailure" });
  });

  test("signals through the child's handle target the child's workflow id", async () => {
    const rt = runtime();
    await rt.activate(activation("r1", [jobs.init("signalChild")]));
    const c2 = await rt.activate(activation("r1", [childJobs.started(1)]));
    const [sig] = commands(c2);
    if (sig?.case !== "signalExternalWorkflowExecution") throw new Error(kinds(c2).join());
    expect(sig.value.seq).toBe(1);
    expect(sig.value.signalName).toBe("ping");
    expect(sig.value.target).toEqual({ case: "childWorkflowId", value: "kid" });
    expect(sig.value.args.map(fromPayload)).toEqual(["hi"]);
    const c3 = await rt.activate(activation("r1", [childJobs.signalResolved(1)]));
    const [raw] = commands(c3);
    if (raw?.case !== "signalExternalWorkflowExecution") throw new Error(kinds(c3).join());
    expect(raw.value).toMatchObject({ seq: 2, signalName: "raw" });
    expect(raw.value.args.map(fromPayload)).toEqual([1, 2]);
    expect(resultOf(await rt.activate(activation("r1", [childJobs.signalResolved(2)])))).toBe("signalled");
  });
});

describe("cancelling a child through its scope", () => {
  test("cancelled in the same task as the start: start then cancel are sent; core's cancelled start rejects with its CancelledFailure", async () => {
    const rt = runtime();
    const c1 = await rt.activate(activation("r1", [jobs.init("cancelChild", ["beforeStart", "TRY_CANCEL"])]));
    expect(kinds(c1)).toEqual(["startChildWorkflowExecution", "cancelChildWorkflowExecution"]);
    const [, cancel] = commands(c1);
    if (cancel?.case !== "cancelChildWorkflowExecution") throw new Error();
    expect(cancel.value.childWorkflowSeq).toBe(1);
    const c2 = await rt.activate(activation("r1", [childJobs.startCancelled(1)]));
    expect(resultOf(c2)).toEqual({ error: "CancelledFailure", cause: undefined });
  });

  test("a scope cancelled before the call sends nothing and rejects", async () => {
    const rt = runtime();
    const c1 = await rt.activate(activation("r1", [jobs.init("cancelChild", ["alreadyCancelled", "TRY_CANCEL"])]));
    expect(resultOf(c1)).toEqual({ error: "CancelledFailure", cause: undefined });
    expect(kinds(c1)).toEqual(["completeWorkflowExecution"]);
  });

  for (const type of ["TRY_CANCEL", "WAIT_CANCELLATION_COMPLETED", "WAIT_CANCELLATION_REQUESTED"] as const) {
    test(`cancelled after the start (${type}): one cancel command; core's cancelled resolution rejects with ChildWorkflowFailure(CancelledFailure)`, async () => {
      const rt = runtime();
      const c1 = await rt.activate(activation("r1", [jobs.init("cancelChild", ["afterStart", type])]));
      expect(startCommand(c1).cancellationType).toBe({ TRY_CANCEL: 1, WAIT_CANCELLATION_COMPLETED: 2, WAIT_CANCELLATION_REQUESTED: 3 }[type]);
      expect(kinds(c1)).toEqual(["startChildWorkflowExecution", "startTimer"]);
      expect(kinds(await rt.activate(activation("r1", [childJobs.started(1)])))).toEqual([]);
      expect(kinds(await rt.activate(activation("r1", [jobs.fireTimer(1)])))).toEqual(["cancelChildWorkflowExecution"]);
      const c4 = await rt.activate(activation("r1", [childJobs.cancelled(1)]));
      expect(resultOf(c4)).toEqual({ error: "ChildWorkflowFailure", cause: "CancelledFailure" });
    });
  }

  test("a child that already completed is not cancelled", async () => {
    const rt = runtime();
    await rt.activate(activation("r1", [jobs.init("cancelChild", ["afterStart", "TRY_CANCEL"])]));
    await rt.activate(activation("r1", [childJobs.started(1)]));
    // The result arrives with the timer: the scope's cancel finds nothing to cancel.
    const c = await rt.activate(activation("r1", [childJobs.completed(1, 5), jobs.fireTimer(1)]));
    expect(kinds(c)).toEqual(["completeWorkflowExecution"]);
  });
});

describe("bad options fail the workflow task with a message naming the option", () => {
  for (const [options, message] of [
    [{ workflowId: "kid", cancellationType: "WAIT_CANCEL" }, 'executeChild option cancellationType: expected one of ABANDON, TRY_CANCEL, WAIT_CANCELLATION_COMPLETED, WAIT_CANCELLATION_REQUESTED, got "WAIT_CANCEL"'],
    [{ workflowId: "kid", parentClosePolicy: "KILL" }, 'executeChild option parentClosePolicy: expected one of TERMINATE, ABANDON, REQUEST_CANCEL, got "KILL"'],
    [{ workflowId: 7 }, "executeChild option workflowId: expected a string, got number 7"],
    [{ workflowId: "kid", workflowIdd: "x" }, "executeChild options: unknown option 'workflowIdd' (did you mean 'workflowId'?)"],
    [{ workflowId: "kid", workflowRunTimeout: "soon" }, "executeChild option workflowRunTimeout"],
    [{ workflowId: "kid", memo: [1] }, "executeChild option memo: expected an object, got an array"],
  ] as const) {
    test(JSON.stringify(options), async () => {
      const rt = runtime();
      const c = await rt.activate(activation("r1", [jobs.init("startUncaught", [options])]));
      expect(failureOf(c).message).toContain(message);
    });
  }
});

describe("getExternalWorkflowHandle", () => {
  test("signal targets the execution in the run's namespace; a failed resolution rejects", async () => {
    const rt = runtime();
    const c1 = await rt.activate(activation("r1", [jobs.init("external", ["signal"])]));
    const [sig] = commands(c1);
    if (sig?.case !== "signalExternalWorkflowExecution") throw new Error(kinds(c1).join());
    expect(sig.value.target).toEqual({ case: "workflowExecution", value: expect.objectContaining({ namespace: "ns", workflowId: "other", runId: "run-9" }) });
    const c2 = await rt.activate(activation("r1", [childJobs.signalResolved(1, ApplicationFailure.create({ message: "Unable to signal external workflow because it was not found" }))]));
    expect(resultOf(c2)).toEqual({ error: "ApplicationFailure", message: "Unable to signal external workflow because it was not found" });
  });

  test("cancel requests the cancellation of the execution", async () => {
    const rt = runtime();
    const c1 = await rt.activate(activation("r1", [jobs.init("external", ["cancel"])]));
    const [cancel] = commands(c1);
    if (cancel?.case !== "requestCancelExternalWorkflowExecution") throw new Error(kinds(c1).join());
    expect(cancel.value.seq).toBe(1);
    expect(cancel.value.workflowExecution).toMatchObject({ namespace: "ns", workflowId: "other", runId: "" });
    expect(resultOf(await rt.activate(activation("r1", [childJobs.cancelResolved(1)])))).toBe("ok");
  });

  test("cancel in a cancelled scope sends no request: the official patch marker, then a CancelledFailure", async () => {
    const rt = runtime();
    const c1 = await rt.activate(activation("r1", [jobs.init("external", ["cancelInCancelledScope"])]));
    expect(kinds(c1)).toEqual(["setPatchMarker", "completeWorkflowExecution"]);
    const [marker] = commands(c1);
    if (marker?.case !== "setPatchMarker") throw new Error();
    expect(marker.value.patchId).toBe("__temporal_internal_connect_external_handle_cancel_to_scope");
    expect(resultOf(c1)).toMatchObject({ error: "CancelledFailure" });
  });
});

test("outside a workflow the APIs throw IllegalStateError with the official messages", async () => {
  const mod = await import("../../src/workflow/index.js");
  await expect(mod.startChild("x")).rejects.toThrow("Workflow.startChild(...) may only be used from a Workflow Execution");
  await expect(mod.executeChild("x")).rejects.toThrow("Workflow.executeChild(...) may only be used from a Workflow Execution");
  expect(() => mod.getExternalWorkflowHandle("x")).toThrow("Workflow.getExternalWorkflowHandle(...) may only be used from a Workflow Execution");
});
