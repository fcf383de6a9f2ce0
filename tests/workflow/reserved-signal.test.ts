/**
 * A signal whose name has the reserved prefix `__temporal_` and no handler of its own never
 * reaches the default handler: the official SDK 1.24 (internals.ts signalWorkflow) throws a
 * TypeError, which fails the workflow task. Other signals do reach it.
 */
import { beforeAll, expect, test } from "bun:test";
import path from "node:path";
import { bundleWorkflowCode, createWorkflowRuntime, type WorkflowBundle } from "../../src/worker/workflow/index.js";
import { activation, capturingLogger, failureOf, jobs, kinds, resultOf, T0 } from "./helpers.js";

let bundle: WorkflowBundle;
beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath: path.join(import.meta.dir, "fixtures/reserved-signal-workflows.ts") });
});

const runtime = () => createWorkflowRuntime({ bundle, namespace: "default", taskQueue: "tq", logger: capturingLogger().logger });

test("a __temporal_ signal with only a default handler fails the workflow task with the official TypeError", async () => {
  const rt = runtime();
  await rt.activate(activation("r1", [jobs.init("withDefaultHandler")]));
  const c = await rt.activate(activation("r1", [jobs.signal("__temporal_unknown")], { timeMs: T0 + 10 }));
  expect(failureOf(c).message).toBe("Cannot use signal name: '__temporal_unknown', with reserved prefix: '__temporal_'");
  rt.dispose();
});

test("another signal reaches the default handler", async () => {
  const rt = runtime();
  await rt.activate(activation("r1", [jobs.init("withDefaultHandler")]));
  const c = await rt.activate(activation("r1", [jobs.signal("other")], { timeMs: T0 + 10 }));
  expect(kinds(c)).toEqual(["completeWorkflowExecution"]);
  expect(resultOf(c)).toEqual(["other"]);
  rt.dispose();
});
