/**
 * The order in which an activation's jobs are applied, as the official SDK 1.24 applies them
 * (ProcessWorkflowActivationJobsAsSingleBatch): initialize, patches, the random seed, then the
 * rest with conditions re-checked synchronously after each job. Mixed fleets depend on it: the
 * order of commands must not differ between an official worker and ours.
 */
import { beforeAll, expect, test } from "bun:test";
import path from "node:path";
import { bundleWorkflowCode, createWorkflowRuntime, type WorkflowBundle } from "../../src/worker/workflow/index.js";
import { activation, capturingLogger, jobs, T0 } from "./helpers.js";

let bundle: WorkflowBundle;
beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath: path.join(import.meta.dir, "fixtures/activation-order-workflows.ts") });
});

const runtime = () => createWorkflowRuntime({ bundle, namespace: "default", taskQueue: "tq", logger: capturingLogger().logger });

const activityTypes = (c: Awaited<ReturnType<ReturnType<typeof runtime>["activate"]>>) =>
  c.status.case === "successful"
    ? c.status.value.commands.flatMap((cmd) => (cmd.variant.case === "scheduleActivity" ? [cmd.variant.value.activityType] : []))
    : [`failed: ${c.status.value?.failure?.message}`];

test("a condition unblocked by a signal resumes before a timer's later steps, whichever job comes first", async () => {
  for (const order of [
    [jobs.fireTimer(1), jobs.signal("go")],
    [jobs.signal("go"), jobs.fireTimer(1)],
  ]) {
    const rt = runtime();
    await rt.activate(activation("r1", [jobs.init("conditionBeforeTimerContinuation")]));
    const c = await rt.activate(activation("r1", order, { timeMs: T0 + 1000 }));
    expect(activityTypes(c)).toEqual(["b", "a"]);
    rt.dispose();
  }
});

test("completions of new tasks record the official flags 1 and 2; replayed tasks record only the flags history has", async () => {
  const rt = runtime();
  const fresh = await rt.activate(activation("r1", [jobs.init("conditionBeforeTimerContinuation")]));
  expect(fresh.status.case === "successful" && [...fresh.status.value.usedInternalFlags].sort()).toEqual([1, 2]);
  rt.dispose();

  const replay = runtime();
  const a = activation("r2", [jobs.init("conditionBeforeTimerContinuation")], { isReplaying: true });
  const replayed = await replay.activate(a);
  expect(replayed.status.case === "successful" && replayed.status.value.usedInternalFlags).toEqual([]);
  const b = activation("r2", [jobs.fireTimer(1)], { isReplaying: true, timeMs: T0 + 1000 });
  b.availableInternalFlags = [2];
  const withHistoryFlag = await replay.activate(b);
  expect(withHistoryFlag.status.case === "successful" && withHistoryFlag.status.value.usedInternalFlags).toEqual([2]);
  replay.dispose();
});

test("CancellationScope.withTimeout cancels its timer when the function settles first; a timeout of 0 sets no timer", async () => {
  const rt = runtime();
  const c1 = await rt.activate(activation("r1", [jobs.init("withTimeoutFinishesFirst", [5000])]));
  expect(c1.status.case === "successful" && c1.status.value.commands.map((c) => c.variant.case === "startTimer" && Number(c.variant.value.startToFireTimeout?.seconds))).toEqual([5, 0]);
  const c2 = await rt.activate(activation("r1", [jobs.fireTimer(2)], { timeMs: T0 + 100 }));
  expect(c2.status.case === "successful" && c2.status.value.commands.map((c) => c.variant.case)).toEqual(["cancelTimer", "completeWorkflowExecution"]);
  expect(c2.status.case === "successful" && c2.status.value.commands[0]?.variant.value).toMatchObject({ seq: 1 });

  const c3 = await rt.activate(activation("r2", [jobs.init("withTimeoutFinishesFirst", [0])]));
  expect(c3.status.case === "successful" && c3.status.value.commands.map((c) => c.variant.case)).toEqual(["startTimer"]);
  rt.dispose();
});

test("a command produced after the workflow returned, in the same activation, is kept (core moves the completion last)", async () => {
  const rt = runtime();
  await rt.activate(activation("r1", [jobs.init("commandAfterReturn")]));
  const c = await rt.activate(activation("r1", [jobs.signal("go")], { timeMs: T0 + 10 }));
  expect(c.status.case === "successful" && c.status.value.commands.map((cmd) => cmd.variant.case)).toEqual(["completeWorkflowExecution", "scheduleActivity"]);
  rt.dispose();
});
