// The bundle's static re-export of src/common (bundler.ts, withStaticCommonExports) and the reuse
// of a disposed runtime's sandbox by the next runtime of the same bundle (sandbox.ts, Sandbox.acquire).
import { beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as common from "../../src/common/index.js";
import { bundleWorkflowCode, createWorkflowRuntime, type WorkflowBundle } from "../../src/worker/workflow/index.js";
import { Sandbox } from "../../src/worker/workflow/sandbox.js";
import { activation, jobs, resultOf } from "./helpers.js";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
let bundle: WorkflowBundle;
beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath: path.join(import.meta.dir, "fixtures/workflows.ts") });
});

describe("bundle", () => {
  test("the workflow API's re-export of src/common is bound statically, not rebuilt in every run", () => {
    // `__reExport(` is Bun's runtime helper for `export *` from a module it cannot see into.
    expect(bundle.code.includes("__reExport(")).toBe(false);
  });

  test("named, type-only and namespace imports of the workflow API all still work", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sandbox-reuse-"));
    const api = JSON.stringify(path.resolve(import.meta.dir, "../../src/workflow/index.js"));
    const file = path.join(dir, "wf.ts");
    writeFileSync(
      file,
      `import { ApplicationFailure, sleep, defaultPayloadConverter, type Duration } from ${api};\n` +
        `import * as wf from ${api};\n` +
        `export async function probe(): Promise<string[]> {\n` +
        `  const d: Duration = 1;\n` +
        `  await sleep(d);\n` +
        `  return [typeof ApplicationFailure, typeof wf.ApplicationFailure, typeof wf.sleep, typeof wf.proxyActivities, typeof defaultPayloadConverter.toPayload, String(wf.ApplicationFailure === ApplicationFailure)];\n` +
        `}\n`,
    );
    const b = await bundleWorkflowCode({ workflowsPath: file });
    const rt = createWorkflowRuntime({ bundle: b, namespace: "default", taskQueue: "tq", logger: quiet });
    await rt.activate(activation("p", [jobs.init("probe")]));
    expect(resultOf(await rt.activate(activation("p", [jobs.fireTimer(1)])))).toEqual(["function", "function", "function", "function", "function", "true"]);
    rt.dispose();
  });
});

describe("sandbox reuse", () => {
  test("a disposed runtime's sandbox is taken by the next runtime of the same bundle, never by two at once", () => {
    const a = Sandbox.acquire(bundle.code, common, () => undefined);
    const b = Sandbox.acquire(bundle.code, common, () => undefined);
    expect(b).not.toBe(a); // a is in use: a second runtime gets its own
    a.open();
    a.close();
    Sandbox.release(a);
    expect(Sandbox.acquire(bundle.code, common, () => undefined)).toBe(a);
    // An open sandbox (still in use) is not released.
    b.open();
    Sandbox.release(b);
    expect(Sandbox.acquire(bundle.code, common, () => undefined)).not.toBe(b);
    b.close();
  });

  test("runs of a runtime made after another was disposed start from fresh module state and globals", async () => {
    const first = createWorkflowRuntime({ bundle, namespace: "default", taskQueue: "tq", logger: quiet });
    await first.activate(activation("a", [jobs.init("moduleStateWorkflow")]));
    expect(resultOf(await first.activate(activation("a", [jobs.fireTimer(1)])))).toBe(101);
    first.dispose();
    const second = createWorkflowRuntime({ bundle, namespace: "default", taskQueue: "tq", logger: quiet });
    await second.activate(activation("b", [jobs.init("moduleStateWorkflow")]));
    // 101: its own module counter and its own `globalThis.leak`, not the first runtime's (which would give 202).
    expect(resultOf(await second.activate(activation("b", [jobs.fireTimer(1)])))).toBe(101);
    second.dispose();
  });

});
