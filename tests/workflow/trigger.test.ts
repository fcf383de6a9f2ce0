/** Trigger in workflow code, as @temporalio/workflow's: resolved/rejected from outside; rejected when its cancellable scope is cancelled. */
import { beforeAll, expect, test } from "bun:test";
import path from "node:path";
import { bundleWorkflowCode, createWorkflowRuntime, type WorkflowBundle } from "../../src/worker/workflow/index.js";
import { activation, capturingLogger, kinds, jobs, resultOf, T0, toPayload } from "./helpers.js";

let bundle: WorkflowBundle;
beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath: path.join(import.meta.dir, "fixtures/trigger-workflows.ts") });
});

const runtime = () => createWorkflowRuntime({ bundle, namespace: "default", taskQueue: "tq", logger: capturingLogger().logger });

test("a signal handler resolves the trigger the workflow awaits", async () => {
  const rt = runtime();
  expect(kinds(await rt.activate(activation("r1", [jobs.init("triggerBySignal")])))).toEqual([]);
  const c = await rt.activate(activation("r1", [{ case: "signalWorkflow", value: { signalName: "fire", input: [toPayload("go")] } as never }], { timeMs: T0 + 10 }));
  expect(resultOf(c)).toBe("go");
  rt.dispose();
});

test("cancelling the cancellable scope it was created in rejects it with a CancelledFailure", async () => {
  const rt = runtime();
  await rt.activate(activation("r1", [jobs.init("triggerCancelled")]));
  const c = await rt.activate(activation("r1", [jobs.fireTimer(1)], { timeMs: T0 + 10 }));
  expect(resultOf(c)).toBe("cancelled: CancelledFailure");
  rt.dispose();
});

test("a trigger made in a non-cancellable scope ignores an outer cancellation", async () => {
  const rt = runtime();
  await rt.activate(activation("r1", [jobs.init("triggerNonCancellable")]));
  const c = await rt.activate(activation("r1", [jobs.fireTimer(1)], { timeMs: T0 + 10 }));
  expect(resultOf(c)).toBe("resolved after the outer scope was cancelled");
  rt.dispose();
});

test("reject() rejects it", async () => {
  const rt = runtime();
  const c = await rt.activate(activation("r1", [jobs.init("triggerRejected")]));
  expect(resultOf(c)).toBe("rejected: rejected on purpose");
  rt.dispose();
});
