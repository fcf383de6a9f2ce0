import { beforeAll, describe, expect, test } from "bun:test";
import path from "node:path";
import { bundleWorkflowCode, createWorkflowRuntime, type WorkflowBundle, type WorkflowRuntime } from "../../src/worker/workflow/index.js";
import { activation, capturingLogger, commands, failureOf, fromPayload, jobs, kinds, resultOf, T0 } from "./helpers.js";

let bundle: WorkflowBundle;
beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath: path.join(import.meta.dir, "fixtures/workflows.ts") });
});

function runtime(extra: Partial<Parameters<typeof createWorkflowRuntime>[0]> = {}): WorkflowRuntime & { lines: ReturnType<typeof capturingLogger>["lines"] } {
  const { lines, logger } = capturingLogger();
  const rt = createWorkflowRuntime({ bundle, namespace: "default", taskQueue: "tq", logger, ...extra });
  return Object.assign(rt, { lines });
}

describe("timers", () => {
  test("sleep starts a timer; firing it completes the workflow", async () => {
    const rt = runtime();
    const c1 = await rt.activate(activation("r1", [jobs.init("timerWorkflow")]));
    const [start] = commands(c1);
    expect(start?.case).toBe("startTimer");
    if (start?.case !== "startTimer") throw new Error();
    expect(start.value.seq).toBe(1);
    expect(Number(start.value.startToFireTimeout?.seconds)).toBe(1);
    const c2 = await rt.activate(activation("r1", [jobs.fireTimer(1)], { timeMs: T0 + 1000 }));
    expect(resultOf(c2)).toBe("done");
  });
});

describe("activities", () => {
  test("proxyActivities schedules with converted args; the result completes the workflow", async () => {
    const rt = runtime();
    const c1 = await rt.activate(activation("r1", [jobs.init("activityWorkflow", ["Bun"])]));
    const [cmd] = commands(c1);
    if (cmd?.case !== "scheduleActivity") throw new Error(kinds(c1).join());
    expect(cmd.value.activityType).toBe("greet");
    expect(cmd.value.taskQueue).toBe("tq");
    expect(cmd.value.activityId).toBe("1");
    expect(Number(cmd.value.startToCloseTimeout?.seconds)).toBe(60);
    expect(cmd.value.arguments.map(fromPayload)).toEqual(["Bun"]);
    const c2 = await rt.activate(activation("r1", [jobs.activityCompleted(1, "Hello, Bun!")]));
    expect(resultOf(c2)).toBe("Hello, Bun!");
  });

  test("a failed activity rejects with ActivityFailure whose cause is the ApplicationFailure", async () => {
    const rt = runtime();
    await rt.activate(activation("r1", [jobs.init("activityFailureWorkflow")]));
    const c2 = await rt.activate(activation("r1", [jobs.activityFailed(1, "boom")]));
    expect(resultOf(c2)).toEqual({ isActivityFailure: true, isError: true, causeIsApplicationFailure: true, causeMessage: "boom" });
  });

  for (const type of ["TRY_CANCEL", "ABANDON"] as const) {
    test(`cancelling the scope of an activity (${type}) requests cancellation; core's cancelled resolution rejects it`, async () => {
      const rt = runtime();
      const c1 = await rt.activate(activation("r1", [jobs.init("cancelActivityWorkflow", [type])]));
      expect(kinds(c1)).toEqual(["scheduleActivity", "requestCancelActivity"]);
      const [schedule] = commands(c1);
      if (schedule?.case !== "scheduleActivity") throw new Error();
      expect(schedule.value.cancellationType).toBe(type === "TRY_CANCEL" ? 0 : 2);
      const c2 = await rt.activate(activation("r1", [jobs.activityCancelled(1)]));
      expect(resultOf(c2)).toBe("cancelled");
    });
  }

  test("local activity backoff sleeps on a timer and schedules the next attempt", async () => {
    const rt = runtime();
    const c1 = await rt.activate(activation("r1", [jobs.init("localActivityWorkflow", ["x"])]));
    expect(kinds(c1)).toEqual(["scheduleLocalActivity"]);
    const c2 = await rt.activate(activation("r1", [jobs.activityBackoff(1, 2, 5000)]));
    const [timer] = commands(c2);
    if (timer?.case !== "startTimer") throw new Error(kinds(c2).join());
    expect(Number(timer.value.startToFireTimeout?.seconds)).toBe(5);
    const c3 = await rt.activate(activation("r1", [jobs.fireTimer(timer.value.seq)]));
    const [again] = commands(c3);
    if (again?.case !== "scheduleLocalActivity") throw new Error(kinds(c3).join());
    expect(again.value.attempt).toBe(2);
    expect(again.value.seq).toBe(2);
    const c4 = await rt.activate(activation("r1", [jobs.activityCompleted(2, "hi")]));
    expect(resultOf(c4)).toBe("hi");
  });

  test("commands come back in the order workflow code produced them", async () => {
    const rt = runtime();
    const c1 = await rt.activate(activation("r1", [jobs.init("raceWorkflow")]));
    expect(kinds(c1)).toEqual(["startTimer", "startTimer", "scheduleActivity"]);
    // both timers and the activity resolve in one activation: all jobs applied, then code runs
    const c2 = await rt.activate(activation("r1", [jobs.fireTimer(1), jobs.fireTimer(2), jobs.activityCompleted(1, "r")]));
    expect(resultOf(c2)).toBe("r");
  });
});

describe("signals and queries", () => {
  test("signals reach their handler; condition unblocks after the state change", async () => {
    const rt = runtime();
    expect(commands(await rt.activate(activation("r1", [jobs.init("signalWorkflow")])))).toEqual([]);
    expect(commands(await rt.activate(activation("r1", [jobs.signal("addItem", ["a"])])))).toEqual([]);
    const c = await rt.activate(activation("r1", [jobs.signal("addItem", ["b"])]));
    expect(resultOf(c)).toEqual(["a", "b"]);
  });

  test("signals in the same activation as init are delivered to handlers set synchronously", async () => {
    const rt = runtime();
    const c = await rt.activate(activation("r1", [jobs.init("signalWorkflow"), jobs.signal("addItem", ["a"]), jobs.signal("addItem", ["b"])]));
    expect(resultOf(c)).toEqual(["a", "b"]);
  });

  test("signals that arrive before a handler is set are buffered and delivered in order", async () => {
    const rt = runtime();
    await rt.activate(activation("r1", [jobs.init("lateHandlerWorkflow"), jobs.signal("addItem", ["a"])]));
    await rt.activate(activation("r1", [jobs.signal("addItem", ["b"])]));
    const c = await rt.activate(activation("r1", [jobs.fireTimer(1)]));
    expect(resultOf(c)).toEqual(["a", "b"]);
  });

  test("the default signal handler receives unknown signals", async () => {
    const rt = runtime();
    const c = await rt.activate(activation("r1", [jobs.init("defaultSignalWorkflow"), jobs.signal("whatever", [1, 2])]));
    expect(resultOf(c)).toEqual(["whatever:1,2"]);
  });

  test("queries answer from state; unknown queries fail with the registered names", async () => {
    const rt = runtime();
    await rt.activate(activation("r1", [jobs.init("signalWorkflow"), jobs.signal("addItem", ["a"])]));
    const c = await rt.activate(activation("r1", [jobs.query("q1", "getItems"), jobs.query("q2", "nope")]));
    const [ok, bad] = commands(c);
    if (ok?.case !== "respondToQuery" || bad?.case !== "respondToQuery") throw new Error(kinds(c).join());
    expect(ok.value.queryId).toBe("q1");
    if (ok.value.variant.case !== "succeeded") throw new Error();
    expect(fromPayload(ok.value.variant.value.response)).toEqual(["a"]);
    if (bad.value.variant.case !== "failed") throw new Error();
    expect(bad.value.variant.value.message).toContain("getItems");
  });
});

describe("conditions", () => {
  test("condition with timeout resolves true when the predicate becomes true, and cancels its timer", async () => {
    const rt = runtime();
    const c1 = await rt.activate(activation("r1", [jobs.init("conditionTimeoutWorkflow")]));
    expect(kinds(c1)).toEqual(["startTimer"]);
    const c2 = await rt.activate(activation("r1", [jobs.signal("go")]));
    expect(kinds(c2)).toEqual(["cancelTimer", "completeWorkflowExecution"]);
    expect(resultOf(c2)).toBe(true);
  });

  test("condition with timeout resolves false when the timer fires first", async () => {
    const rt = runtime();
    await rt.activate(activation("r1", [jobs.init("conditionTimeoutWorkflow")]));
    const c2 = await rt.activate(activation("r1", [jobs.fireTimer(1)]));
    expect(resultOf(c2)).toBe(false);
  });
});

describe("cancellation", () => {
  test("an unhandled workflow cancellation cancels the timer, runs non-cancellable cleanup, then cancels the workflow", async () => {
    const rt = runtime();
    await rt.activate(activation("r1", [jobs.init("cancellableWorkflow")]));
    const c2 = await rt.activate(activation("r1", [jobs.cancel()]));
    expect(kinds(c2)).toEqual(["cancelTimer", "scheduleActivity"]);
    const c3 = await rt.activate(activation("r1", [jobs.activityCompleted(1, null)]));
    expect(kinds(c3)).toEqual(["cancelWorkflowExecution"]);
  });

  test("a handled cancellation lets the workflow complete normally", async () => {
    const rt = runtime();
    await rt.activate(activation("r1", [jobs.init("handledCancellationWorkflow")]));
    const c = await rt.activate(activation("r1", [jobs.cancel()]));
    expect(kinds(c)).toEqual(["cancelTimer", "completeWorkflowExecution"]);
    expect(resultOf(c)).toBe("cleaned up");
  });

  test("withTimeout cancels the activity when its timer fires", async () => {
    const rt = runtime();
    const c1 = await rt.activate(activation("r1", [jobs.init("withTimeoutWorkflow")]));
    expect(kinds(c1)).toEqual(["startTimer", "scheduleActivity"]);
    const c2 = await rt.activate(activation("r1", [jobs.fireTimer(1)]));
    expect(kinds(c2)).toEqual(["requestCancelActivity"]);
    const c3 = await rt.activate(activation("r1", [jobs.activityCancelled(1)]));
    expect(resultOf(c3)).toBe("timed out");
  });

  test("a non-cancellable scope shields its timer from workflow cancellation", async () => {
    const rt = runtime();
    await rt.activate(activation("r1", [jobs.init("nonCancellableWorkflow")]));
    const c2 = await rt.activate(activation("r1", [jobs.cancel()]));
    expect(kinds(c2)).toEqual([]);
    const c3 = await rt.activate(activation("r1", [jobs.fireTimer(1)]));
    expect(resultOf(c3)).toBe("shielded");
  });
});

describe("outcomes", () => {
  test("continueAsNew produces the command with the converted arguments", async () => {
    const rt = runtime();
    const c = await rt.activate(activation("r1", [jobs.init("continueAsNewWorkflow", [3])]));
    const [cmd] = commands(c);
    if (cmd?.case !== "continueAsNewWorkflowExecution") throw new Error(kinds(c).join());
    expect(cmd.value.workflowType).toBe("continueAsNewWorkflow");
    expect(cmd.value.taskQueue).toBe("tq");
    expect(cmd.value.arguments.map(fromPayload)).toEqual([2]);
    const rt2 = runtime();
    expect(resultOf(await rt2.activate(activation("r2", [jobs.init("continueAsNewWorkflow", [0])])))).toBe("done");
  });

  test("throwing an ApplicationFailure fails the workflow", async () => {
    const rt = runtime();
    const c = await rt.activate(activation("r1", [jobs.init("failWorkflow")]));
    const [cmd] = commands(c);
    if (cmd?.case !== "failWorkflowExecution") throw new Error(kinds(c).join());
    expect(cmd.value.failure?.message).toBe("nope");
  });

  test("throwing any other error fails the workflow task and logs the stack", async () => {
    const rt = runtime();
    await rt.activate(activation("r1", [jobs.init("bugWorkflow")]));
    const c = await rt.activate(activation("r1", [jobs.fireTimer(1)]));
    expect(failureOf(c).message).toBe("a bug in the workflow");
    const logged = rt.lines.find((l) => l.level === "error");
    expect(logged?.message).toContain("a bug in the workflow");
    expect(String(logged?.meta?.stack)).toContain("bugWorkflow");
  });

  test("an unknown workflow type (no default export) fails the task with the official message", async () => {
    const rt = runtime();
    const c = await rt.activate(activation("r1", [jobs.init("noSuchWorkflow")]));
    expect(failureOf(c).message).toBe("Failed to initialize workflow of type 'noSuchWorkflow': no such function is exported by the workflow bundle");
  });

  test("workflow arguments and workflowInfo()", async () => {
    const rt = runtime();
    const c = await rt.activate(activation("r1", [jobs.init("argsAndInfoWorkflow", [1, { x: "y" }])]));
    expect(resultOf(c)).toEqual({ sum: 2, x: "y", workflowType: "argsAndInfoWorkflow", taskQueue: "tq", namespace: "default", attempt: 1 });
  });
});

describe("patches", () => {
  test("a new run takes the patched path and records a marker", async () => {
    const rt = runtime();
    const c = await rt.activate(activation("r1", [jobs.init("patchWorkflow")]));
    expect(kinds(c)).toEqual(["setPatchMarker", "startTimer"]);
  });

  test("replay without the marker takes the old path; with it, the new one", async () => {
    const rt = runtime();
    const old = await rt.activate(activation("r1", [jobs.init("patchWorkflow")], { isReplaying: true }));
    expect(resultOf(old)).toBe("old");
    const withMarker = await rt.activate(activation("r2", [jobs.init("patchWorkflow"), jobs.notifyHasPatch("my-change")], { isReplaying: true }));
    expect(kinds(withMarker)).toEqual(["setPatchMarker", "startTimer"]);
  });

  test("deprecatePatch records a deprecated marker", async () => {
    const rt = runtime();
    const [cmd] = commands(await rt.activate(activation("r1", [jobs.init("deprecatedPatchWorkflow")])));
    if (cmd?.case !== "setPatchMarker") throw new Error();
    expect(cmd.value.deprecated).toBe(true);
  });
});

describe("cache", () => {
  test("eviction drops the run and answers with no commands; the runtime keeps working", async () => {
    const rt = runtime();
    await rt.activate(activation("r1", [jobs.init("timerWorkflow")]));
    expect(rt.cachedRunCount).toBe(1);
    expect(commands(await rt.activate(activation("r1", [jobs.evict()])))).toEqual([]);
    expect(rt.cachedRunCount).toBe(0);
    // a non-init activation for an evicted run fails the task (core then replays from history)
    expect(failureOf(await rt.activate(activation("r1", [jobs.fireTimer(1)]))).message).toContain("not in the workflow cache");
    // replay from the start
    await rt.activate(activation("r1", [jobs.init("timerWorkflow")], { isReplaying: true }));
    expect(resultOf(await rt.activate(activation("r1", [jobs.fireTimer(1)])))).toBe("done");
  });

  test("activations of different runs issued concurrently are all processed", async () => {
    const rt = runtime();
    const runs = Array.from({ length: 20 }, (_, i) => `run-${i}`);
    const first = await Promise.all(runs.map((r) => rt.activate(activation(r, [jobs.init("timerWorkflow")]))));
    expect(first.map((c) => kinds(c)[0])).toEqual(runs.map(() => "startTimer"));
    const done = await Promise.all(runs.map((r) => rt.activate(activation(r, [jobs.fireTimer(1)]))));
    expect(done.map(resultOf)).toEqual(runs.map(() => "done"));
    expect(rt.cachedRunCount).toBe(20);
    rt.dispose();
    expect(rt.cachedRunCount).toBe(0);
  });
});

describe("logging", () => {
  test("log and console go to the worker logger with run attributes, silent during replay", async () => {
    const rt = runtime();
    await rt.activate(activation("r1", [jobs.init("logWorkflow")], { isReplaying: true }));
    expect(rt.lines).toEqual([]);
    await rt.activate(activation("r1", [jobs.fireTimer(1)], { isReplaying: false }));
    expect(rt.lines.map((l) => l.message)).toEqual(["after timer"]);
    expect(rt.lines[0]?.meta).toMatchObject({ workflowId: "wf-1", runId: "r1", workflowType: "logWorkflow", taskQueue: "tq" });
    const rt2 = runtime();
    await rt2.activate(activation("r2", [jobs.init("logWorkflow")]));
    expect(rt2.lines.map((l) => l.message)).toEqual(["hello from workflow", "console line"]);
    expect(rt2.lines[0]?.meta?.extra).toBe(1);
  });
});
