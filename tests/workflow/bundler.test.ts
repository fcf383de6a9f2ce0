import { describe, expect, test } from "bun:test";
import path from "node:path";
import { bundleWorkflowCode, createWorkflowRuntime, WorkflowBundleError } from "../../src/worker/workflow/index.js";
import { activation, jobs, resultOf } from "./helpers.js";

const fixture = (name: string) => path.join(import.meta.dir, "fixtures", name);

describe("bundleWorkflowCode", () => {
  test("bundles the workflows with the workflow API and reports the time it took", async () => {
    const bundle = await bundleWorkflowCode({ workflowsPath: fixture("workflows.ts") });
    expect(bundle.code.length).toBeGreaterThan(1000);
    expect(bundle.bundleTimeMs).toBeGreaterThan(0);
    // src/common is not bundled: the host's module is used
    expect(bundle.code).toContain("__temporal_bun_sdk_common__");
  });

  test("resolves the package specifier temporal-bun-sdk/workflow", async () => {
    const bundle = await bundleWorkflowCode({ workflowsPath: fixture("package-import-workflows.ts") });
    const rt = createWorkflowRuntime({ bundle, namespace: "default", taskQueue: "tq" });
    await rt.activate(activation("r", [jobs.init("packageImportWorkflow")]));
    expect(resultOf(await rt.activate(activation("r", [jobs.fireTimer(1)])))).toBe("ok");
  });

  test("rejects node:fs with the import chain that reached it", async () => {
    const err = await bundleWorkflowCode({ workflowsPath: fixture("forbidden-workflows.ts") }).catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowBundleError);
    expect(err.message).toContain("forbidden-workflows.ts → ");
    expect(err.message).toContain("forbidden-lib.ts → node:fs");
  });

  test("ignoreModules replaces a module with an empty stub", async () => {
    const bundle = await bundleWorkflowCode({ workflowsPath: fixture("ignored-workflows.ts"), ignoreModules: ["node:fs"] });
    const rt = createWorkflowRuntime({ bundle, namespace: "default", taskQueue: "tq" });
    expect(resultOf(await rt.activate(activation("r", [jobs.init("ignoredWorkflow")])))).toBe("undefined");
  });

  test("a missing workflowsPath is a clear error", async () => {
    const err = await bundleWorkflowCode({ workflowsPath: fixture("nope.ts") }).catch((e) => e);
    expect(err.message).toContain("does not exist");
  });
});
