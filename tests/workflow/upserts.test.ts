/**
 * upsertSearchAttributes / upsertMemo at the activation level: the commands (payload bytes as
 * @temporalio/workflow 1.24 sends them), workflowInfo() after each upsert, the same on replay,
 * argument errors, and continue-as-new's search attribute options.
 */
import { beforeAll, expect, test } from "bun:test";
import path from "node:path";
import { bundleWorkflowCode, createWorkflowRuntime, type WorkflowBundle } from "../../src/worker/workflow/index.js";
import { IllegalStateError } from "../../src/common/index.js";
import { upsertMemo, upsertSearchAttributes } from "../../src/workflow/index.js";
import type { Payload } from "../../src/proto/temporal/api/common/v1/message_pb.js";
import { activation, capturingLogger, commands, failureOf, jobs, kinds, resultOf } from "./helpers.js";

let bundle: WorkflowBundle;
beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath: path.join(import.meta.dir, "fixtures/upsert-workflows.ts") });
});

const runtime = () => createWorkflowRuntime({ bundle, namespace: "default", taskQueue: "tq", logger: capturingLogger().logger });
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));
const show = (fields: Record<string, Payload> | undefined) =>
  Object.fromEntries(Object.entries(fields ?? {}).map(([k, p]) => [k, `${text(p.metadata.encoding)}${p.metadata.type ? `/${text(p.metadata.type)}` : ""} ${text(p.data)}`]));

test("commands carry the official payloads; workflowInfo() shows every upsert, the same when replaying", async () => {
  for (const isReplaying of [false, true]) {
    const rt = runtime();
    const c = await rt.activate(activation("r1", [jobs.init("upserts")], { isReplaying }));
    expect(kinds(c)).toEqual([
      "upsertWorkflowSearchAttributes",
      "upsertWorkflowSearchAttributes",
      "upsertWorkflowSearchAttributes",
      "modifyWorkflowProperties",
      "completeWorkflowExecution",
    ]);
    const cmds = commands(c);
    const upsert = (i: number) => {
      const v = cmds[i]!;
      return v.case === "upsertWorkflowSearchAttributes" ? show(v.value.searchAttributes?.indexedFields) : undefined;
    };
    expect(upsert(0)).toEqual({
      CustomKeywordField: 'json/plain/Keyword "k"',
      CustomIntField: "json/plain/Int 1",
      CustomDatetimeField: 'json/plain/Datetime "2024-01-02T03:04:05.000Z"',
    });
    expect(upsert(1)).toEqual({ CustomIntField: "json/plain null" });
    expect(upsert(2)).toEqual({
      CustomKeywordField: 'json/plain ["legacy"]',
      CustomDatetimeField: "json/plain []",
      CustomTextField: 'json/plain ["2024-05-06T00:00:00.000Z"]',
    });
    const memo = cmds[3]!;
    expect(memo.case === "modifyWorkflowProperties" ? show(memo.value.upsertedMemo?.fields) : undefined).toEqual({ a: "json/plain 1", gone: "binary/null " });

    const seen = resultOf(c) as { typed: unknown; untyped: unknown; memo: unknown }[];
    expect(seen[0]).toEqual({ typed: [], untyped: {}, memo: {} });
    expect(seen[1]!.typed).toEqual([
      { key: { name: "CustomKeywordField", type: "KEYWORD" }, value: "k" },
      { key: { name: "CustomIntField", type: "INT" }, value: 1 },
      { key: { name: "CustomDatetimeField", type: "DATETIME" }, value: "2024-01-02T03:04:05.000Z" },
    ]);
    expect(seen[1]!.untyped).toEqual({ CustomKeywordField: ["k"], CustomIntField: [1], CustomDatetimeField: ["2024-01-02T03:04:05.000Z"] });
    expect(seen[2]!.untyped).toEqual({ CustomKeywordField: ["k"], CustomDatetimeField: ["2024-01-02T03:04:05.000Z"] });
    // Legacy: a string keeps KEYWORD, [] removes, an ISO string is a DATETIME.
    expect(seen[3]!.typed).toEqual([
      { key: { name: "CustomKeywordField", type: "KEYWORD" }, value: "legacy" },
      { key: { name: "CustomTextField", type: "DATETIME" }, value: "2024-05-06T00:00:00.000Z" },
    ]);
    expect(seen[3]!.untyped).toEqual({ CustomKeywordField: ["legacy"], CustomTextField: ["2024-05-06T00:00:00.000Z"] });
    expect(seen[4]!.memo).toEqual({ a: 1 });
    expect(seen[5] as unknown).toEqual({ upsertedDateIsDate: true });
    rt.dispose();
  }
});

test("bad arguments fail the workflow task with the official errors", async () => {
  for (const [which, message] of [
    ["null", "searchAttributes must be a non-null SearchAttributes"],
    ["memo-null", "memo must be a non-null Record"],
    ["legacy-undefined", "SearchAttribute value must be an array (searchAttributes['CustomKeywordField'] is undefined)"],
  ]) {
    const rt = runtime();
    const c = await rt.activate(activation("r1", [jobs.init("badArgument", [which])]));
    expect(c.status.case).toBe("failed");
    expect(failureOf(c).message).toBe(message!);
    rt.dispose();
  }
});

test("continue-as-new sends both forms in one map, typed winning", async () => {
  const rt = runtime();
  const c = await rt.activate(activation("r1", [jobs.init("continueWithSearchAttributes")]));
  const can = commands(c)[0]!;
  expect(can.case).toBe("continueAsNewWorkflowExecution");
  expect(can.case === "continueAsNewWorkflowExecution" ? show(can.value.searchAttributes?.indexedFields) : undefined).toEqual({
    CustomKeywordField: 'json/plain ["x"]',
    CustomIntField: "json/plain/Int 2",
  });
  rt.dispose();
});

test("outside a workflow: IllegalStateError with the official message", () => {
  expect(() => upsertSearchAttributes([])).toThrow(new IllegalStateError("Workflow.upsertSearchAttributes(...) may only be used from a Workflow Execution."));
  expect(() => upsertMemo({})).toThrow(new IllegalStateError("Workflow.upsertMemo(...) may only be used from a Workflow Execution."));
});
