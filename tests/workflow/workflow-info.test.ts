/** workflowInfo() at the activation level (the comparison with the official SDK is tests/compat/workflow-info.test.ts). */
import { beforeAll, expect, test } from "bun:test";
import path from "node:path";
import { defineSearchAttributeKey, encodeUnifiedSearchAttributes } from "../../src/common/index.js";
import { bundleWorkflowCode, createWorkflowRuntime, type WorkflowBundle } from "../../src/worker/workflow/index.js";
import { activation, capturingLogger, jobs, resultOf } from "./helpers.js";

let bundle: WorkflowBundle;
beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath: path.join(import.meta.dir, "fixtures/info-realm-workflows.ts") });
});

test("DATETIME search attributes in workflowInfo() are Dates of the workflow's realm (instanceof Date holds), as official", async () => {
  const rt = createWorkflowRuntime({ bundle, namespace: "ns", taskQueue: "tq", logger: capturingLogger().logger });
  const indexedFields = encodeUnifiedSearchAttributes(undefined, [{ key: defineSearchAttributeKey("When", "DATETIME"), value: new Date("2025-03-04T05:06:07Z") }]);
  const init = jobs.init("datesInInfo");
  (init.value as { searchAttributes?: unknown }).searchAttributes = { indexedFields };
  const c = await rt.activate(activation("r1", [init]));
  expect(resultOf(c)).toEqual({ typedIsDate: true, typedIso: "2025-03-04T05:06:07.000Z", untypedIsDate: true, startTimeIsDate: true });
});
