// Activity options are compiled once per options object and reused while the object holds the
// same values (src/workflow/workflow.ts): a changed object must be compiled again, with the same
// errors as on a first call.
import { beforeAll, expect, test } from "bun:test";
import path from "node:path";
import { bundleWorkflowCode, createWorkflowRuntime, type WorkflowBundle } from "../../src/worker/workflow/index.js";
import { activation, capturingLogger, commands, jobs, kinds, resultOf } from "./helpers.js";

let bundle: WorkflowBundle;
beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath: path.join(import.meta.dir, "fixtures/activity-options-workflows.ts") });
});

function runtime() {
  const { logger } = capturingLogger();
  return createWorkflowRuntime({ bundle, namespace: "default", taskQueue: "tq", logger });
}

test("an options object changed between calls is compiled again (nested fields too); a bad value still throws", async () => {
  const c = await runtime().activate(activation("r1", [jobs.init("mutatedOptionsWorkflow")]));
  expect(kinds(c)).toEqual(["scheduleActivity", "scheduleActivity", "scheduleActivity", "completeWorkflowExecution"]);
  const scheduled = commands(c).flatMap((cmd) => (cmd?.case === "scheduleActivity" ? [cmd.value] : []));
  expect(scheduled.map((s) => s.taskQueue)).toEqual(["tq", "tq", "other"]);
  expect(scheduled.map((s) => s.retryPolicy?.maximumAttempts)).toEqual([2, 2, 5]);
  // (Commands are encoded at the end of the activation; like the official SDK's, they hold the
  // user's array itself, so only the last call's value is checked here.)
  expect(scheduled[2]?.retryPolicy?.nonRetryableErrorTypes).toEqual(["A", "B"]);
  expect(scheduled.map((s) => Number(s.startToCloseTimeout?.seconds))).toEqual([60, 60, 60]);
  expect(resultOf(c)).toMatch(/^ValueError: proxyActivities option startToCloseTimeout: /);
});

test("one object used by proxyActivities and proxyLocalActivities gives each kind its own options", async () => {
  const c = await runtime().activate(activation("r1", [jobs.init("sharedOptionsWorkflow")]));
  expect(kinds(c)).toEqual(["scheduleActivity", "scheduleLocalActivity", "scheduleActivity", "completeWorkflowExecution"]);
  const [a, local, b] = commands(c);
  if (a?.case !== "scheduleActivity" || b?.case !== "scheduleActivity" || local?.case !== "scheduleLocalActivity") throw new Error(kinds(c).join());
  expect([a.value.taskQueue, b.value.taskQueue]).toEqual(["tq", "tq"]);
  expect([a, local, b].map((c) => Number(c.value.startToCloseTimeout?.seconds))).toEqual([10, 10, 10]);
  expect([a, local, b].map((c) => c.value.retryPolicy?.maximumAttempts)).toEqual([3, 3, 3]);
});
