/**
 * setTimeout/clearTimeout in workflow code, as the official SDK 1.24 (its global-overrides.ts):
 * the handle is the timer's seq; clearing a pending timeout cancels its timer; clearing a handle
 * with no pending timeout takes the official legacy path (CancelTimer for the handle, a timer
 * seq skipped), which later timer ids depend on; a callback's errors fail the workflow task.
 */
import { beforeAll, expect, test } from "bun:test";
import path from "node:path";
import { bundleWorkflowCode, createWorkflowRuntime, type WorkflowBundle } from "../../src/worker/workflow/index.js";
import { activation, capturingLogger, commands, failureOf, jobs, T0 } from "./helpers.js";

let bundle: WorkflowBundle;
beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath: path.join(import.meta.dir, "fixtures/set-timeout-workflows.ts") });
});

const runtime = () => createWorkflowRuntime({ bundle, namespace: "default", taskQueue: "tq", logger: capturingLogger().logger });

/** Commands as `kind:seq`. */
const seqs = (c: Parameters<typeof commands>[0]) => commands(c).map((v) => `${v.case}:${(v.value as { seq?: number }).seq}`);

test("clearTimeout of a fired timeout sends CancelTimer for it and skips a timer seq, as the official SDK", async () => {
  const rt = runtime();
  expect(seqs(await rt.activate(activation("r1", [jobs.init("clearFiredTimeout")])))).toEqual(["startTimer:1"]);
  const c = await rt.activate(activation("r1", [jobs.fireTimer(1)], { timeMs: T0 + 10 }));
  expect(seqs(c)).toEqual(["cancelTimer:1", "startTimer:3"]);
  rt.dispose();
});

test("clearTimeout of a pending timeout cancels its timer; clearing it again takes the legacy path", async () => {
  const rt = runtime();
  expect(seqs(await rt.activate(activation("r1", [jobs.init("clearPendingTimeout")])))).toEqual(["startTimer:1", "startTimer:2"]);
  const c = await rt.activate(activation("r1", [jobs.fireTimer(2)], { timeMs: T0 + 10 }));
  // The legacy path drops the timer's completion before the cancellation reaches it: one
  // CancelTimer, and the timer's promise never settles (as official).
  expect(seqs(c)).toEqual(["cancelTimer:1", "startTimer:4"]);
  rt.dispose();
});

test("an error thrown by a setTimeout callback fails the workflow task, even a TemporalFailure", async () => {
  const rt = runtime();
  await rt.activate(activation("r1", [jobs.init("throwingTimeoutCallback")]));
  const c = await rt.activate(activation("r1", [jobs.fireTimer(1)], { timeMs: T0 + 10 }));
  expect(failureOf(c).message).toBe("from a setTimeout callback");
  rt.dispose();
});
