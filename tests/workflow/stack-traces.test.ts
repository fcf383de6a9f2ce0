/**
 * `__stack_trace` / `__enhanced_stack_trace` through the workflow runtime (no server): every
 * kind of pending operation is reported at the user's call, in the user's file; SDK and host
 * frames are dropped; identical stacks are reported once; resolved operations disappear.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import path from "node:path";
import { bundleWorkflowCode, createWorkflowRuntime, type WorkflowBundle } from "../../src/worker/workflow/index.js";
import { activation, commands, fromPayload, jobs, T0 } from "./helpers.js";

const FILE = path.join(import.meta.dir, "fixtures/stack-workflows.ts");
const lines = readFileSync(FILE, "utf8").split("\n");
/** 1-based line and column of `text` in the fixture. */
const at = (text: string) => {
  const i = lines.findIndex((l) => l.includes(text));
  return `${FILE}:${i + 1}:${lines[i]!.indexOf(text) + 1}`;
};

let bundle: WorkflowBundle;
beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath: FILE });
});

async function query(rt: ReturnType<typeof createWorkflowRuntime>, runId: string, queryType: string): Promise<unknown> {
  const c = await rt.activate(activation(runId, [jobs.query("q", queryType)]));
  const answer = commands(c).find((cmd) => cmd.case === "respondToQuery");
  if (answer?.case !== "respondToQuery" || answer.value.variant.case !== "succeeded") throw new Error("query failed");
  return fromPayload(answer.value.variant.value.response);
}

describe("stack trace queries", () => {
  test("activity, local activity, setTimeout and condition: each at the user's call", async () => {
    const rt = createWorkflowRuntime({ bundle, namespace: "default", taskQueue: "tq", registeredActivityNames: ["quick"] });
    await rt.activate(activation("r1", [jobs.init("waitsEverywhere")]));
    const stacks = ((await query(rt, "r1", "__stack_trace")) as string).split("\n\n").sort();
    expect(stacks).toEqual(
      [
        `    at callActivity (${at('greet("x")')})\n    at waitsEverywhere (${at("callActivity(),")})`,
        `    at waitsEverywhere (${at("quick(),")})`,
        // JSC leaves the Promise executor's arrow out of the stack: the frame is the `new Promise`.
        `    at waitsEverywhere (${at("Promise<void>((resolve)")})`,
        `    at waitsEverywhere (${at("condition(")})`,
      ].sort(),
    );
    expect(stacks.join("\n")).not.toContain("workflow-bundle.js");
    expect(stacks.join("\n")).not.toContain("/src/");
    rt.dispose();
  });

  test("identical stacks once; nothing pending → an empty answer; structured locations match", async () => {
    const rt = createWorkflowRuntime({ bundle, namespace: "default", taskQueue: "tq" });
    await rt.activate(activation("r2", [jobs.init("sameStackTwice")]));
    expect(await query(rt, "r2", "__stack_trace")).toBe(`    at sameStackTwice (${at("sleep(1000)")})`);
    const enhanced = (await query(rt, "r2", "__enhanced_stack_trace")) as { stacks: { locations: unknown[] }[] };
    const [file, line, column] = at("sleep(1000)").split(/:(?=\d)/);
    expect(enhanced.stacks).toEqual([{ locations: [{ file_path: file, function_name: "sameStackTwice", line: Number(line), column: Number(column), internal_code: false }] }]);

    await rt.activate(activation("r3", [jobs.init("nothingPending")]));
    await rt.activate(activation("r3", [jobs.fireTimer(1)], { timeMs: T0 + 1000 }));
    // Only the condition is left, not the fired timer.
    expect(await query(rt, "r3", "__stack_trace")).toBe(`    at nothingPending (${at("condition(() => false)")})`);
    rt.dispose();
  });
});

describe("reserved handler names", () => {
  test("__temporal_ names and the stack trace query names are refused with the official TypeError; the official allow-list passes", async () => {
    const { resultOf, failureOf } = await import("./helpers.js");
    const rt = createWorkflowRuntime({ bundle, namespace: "default", taskQueue: "tq", logger: { debug() {}, info() {}, warn() {}, error() {} } });
    const run = (id: string, kind: string, name: string) => rt.activate(activation(id, [jobs.init("setNamedHandler", [kind, name])]));
    expect(failureOf(await run("n1", "query", "__temporal_mine")).message).toBe("Cannot use query name: '__temporal_mine', with reserved prefix: '__temporal_'");
    expect(failureOf(await run("n2", "signal", "__stack_trace")).message).toBe("Cannot use signal name: '__stack_trace', which is a reserved name");
    expect(resultOf(await run("n3", "signal", "__temporal_workflow_stream_publish"))).toBe("ok");
    expect(failureOf(await run("n4", "query", "__temporal_workflow_stream_publish")).message).toContain("reserved prefix");
    rt.dispose();
  });
});
