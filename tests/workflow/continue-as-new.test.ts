/**
 * continueAsNew (and functions made by makeContinueAsNewFunc) return a rejected promise, as the
 * official SDK 1.24 (workflow.ts makeContinueAsNewFunc: an async function that throws
 * ContinueAsNew): calling them does not throw, code after the call runs until the promise is
 * awaited, and what it schedules is sent with the continue-as-new (found by the compat corpus).
 */
import { beforeAll, expect, test } from "bun:test";
import path from "node:path";
import { bundleWorkflowCode, createWorkflowRuntime, type WorkflowBundle } from "../../src/worker/workflow/index.js";
import { activation, capturingLogger, jobs, kinds, resultOf } from "./helpers.js";

let bundle: WorkflowBundle;
beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath: path.join(import.meta.dir, "fixtures/continue-as-new-workflows.ts") });
});

const runtime = () => createWorkflowRuntime({ bundle, namespace: "default", taskQueue: "tq", logger: capturingLogger().logger });

test("work between continueAsNew() and its await runs and is sent with the continue-as-new", async () => {
  const rt = runtime();
  const c = await rt.activate(activation("r1", [jobs.init("continueAfterMoreWork")]));
  expect(kinds(c)).toEqual(["scheduleActivity", "continueAsNewWorkflowExecution"]);
  rt.dispose();
});

test("calling a continue-as-new function does not throw", async () => {
  const rt = runtime();
  const c = await rt.activate(activation("r1", [jobs.init("continueNotAwaited")]));
  expect(kinds(c)).toEqual(["completeWorkflowExecution"]);
  expect(resultOf(c)).toBe("nothing thrown");
  rt.dispose();
});
