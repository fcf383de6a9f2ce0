/**
 * How often blocked predicates are evaluated, as the official SDK 1.24 (vm-shared.ts
 * tryUnblockConditionsAndMicrotasks, worker-interface.ts tryUnblockConditions): after the jobs'
 * microtasks, re-check passes run until a pass unblocks nothing, then microtasks run, and this
 * repeats while anything was unblocked. Workflow code whose predicate counts its calls (or draws
 * from Math.random) sees the number, so it must match for histories to replay across SDKs
 * (found by the `conditions` workflow of tools/compat-corpus.ts).
 */
import { beforeAll, expect, test } from "bun:test";
import path from "node:path";
import { bundleWorkflowCode, createWorkflowRuntime, type WorkflowBundle } from "../../src/worker/workflow/index.js";
import { activation, capturingLogger, commands, fromPayload, jobs, T0 } from "./helpers.js";

let bundle: WorkflowBundle;
beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath: path.join(import.meta.dir, "fixtures/condition-checks-workflows.ts") });
});

test("a predicate that stays blocked is evaluated at every re-check pass, as official", async () => {
  const rt = createWorkflowRuntime({ bundle, namespace: "default", taskQueue: "tq", logger: capturingLogger().logger });
  // Activation 1: both predicates evaluated once when called (blocked: 1); one pass after the
  // function started (2), one after its microtasks (3).
  await rt.activate(activation("r1", [jobs.init("countedChecks")]));
  // Activation 2: the fireTimer job's own pass (4); microtasks set `released`; a pass releases
  // the waiter (5) and, before any microtask, the next pass finds nothing (6); then the
  // microtasks: the waiter's continuation reports 6 (a last pass, 7, comes after).
  const c = await rt.activate(activation("r1", [jobs.fireTimer(1)], { timeMs: T0 + 10 }));
  const scheduled = commands(c).find((v) => v.case === "scheduleActivity");
  expect(scheduled?.case === "scheduleActivity" && fromPayload(scheduled.value.arguments[0])).toBe(6);
  rt.dispose();
});
