import { describe, expect, test } from "bun:test";
import { TemporalCliNotFoundError, TestWorkflowEnvironment, defaultCliPath } from "../../src/testing/index.js";
import { testEnv } from "../helpers/dev-server.js";

describe("TestWorkflowEnvironment", () => {
  test("createLocal starts a dev server with its own namespace; teardown stops it", async () => {
    const env = await TestWorkflowEnvironment.createLocal({ server: { namespace: "env-test-ns", logLevel: "error" } });
    let address: string;
    try {
      address = env.address;
      expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(env.namespace).toBe("env-test-ns");
      expect(env.client.namespace).toBe("env-test-ns");
      const ns = await env.connection.workflowService.describeNamespace({ namespace: "env-test-ns" });
      expect(ns.namespaceInfo?.name).toBe("env-test-ns");
      const h = await env.client.workflow.start("envWorkflow", { workflowId: "env-wf", taskQueue: "env-tq" });
      expect((await h.describe()).status.name).toBe("RUNNING");
    } finally {
      await env.teardown();
    }
    await env.teardown(); // idempotent
    const { Connection, ConnectionError } = await import("../../src/client/index.js");
    const err = await Connection.connect({ address, connectTimeout: "2s" }).catch((e) => e);
    expect(err).toBeInstanceOf(ConnectionError);
  });

  test("createLocal: env.nativeConnection backs a worker; no time skipping; the official options shape", async () => {
    const { Worker, bundleWorkflowCode } = await import("../../src/worker/index.js");
    const env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: "existing-path", path: defaultCliPath() }, log: { format: "pretty", level: "error" }, ui: false },
    });
    try {
      expect(env.supportsTimeSkipping).toBe(false);
      expect(env.nativeConnection).toBeDefined();
      const taskQueue = `local-${crypto.randomUUID()}`;
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: await bundleWorkflowCode({ workflowsPath: new URL("./fixtures/time-skipping-workflows.ts", import.meta.url).pathname }),
      });
      const slept = await worker.runUntil(env.client.workflow.execute("sleeper", { taskQueue, workflowId: `local-${crypto.randomUUID()}`, args: [200] }));
      expect(slept).toBeGreaterThanOrEqual(200);
      // Real time: sleep waits, currentTimeMs is the local clock.
      const t0 = Date.now();
      await env.sleep(100);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(95);
      expect(Math.abs((await env.currentTimeMs()) - Date.now())).toBeLessThan(1000);
    } finally {
      await env.teardown();
    }
    const bad = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: "cached-download" } } }).catch((e) => e);
    expect(bad).toBeInstanceOf(TypeError);
    expect(bad.message).toContain("LocalServerOptions.executable");
  });

  test("a missing CLI is a clear error that says how to get one", async () => {
    const err = await TestWorkflowEnvironment.createLocal({ server: { executable: "/nonexistent/temporal" } }).catch((e) => e);
    expect(err).toBeInstanceOf(TemporalCliNotFoundError);
    expect(err.message).toContain("/nonexistent/temporal");
    expect(err.message).toContain("./dev setup");
    expect(err.message).toContain("TEMPORAL_CLI_PATH");
  });

  test("the default CLI path honours TEMPORAL_CLI_PATH, then TEMPORAL_BUN_SDK_CACHE, then ~/.cache", () => {
    expect(defaultCliPath({ TEMPORAL_CLI_PATH: "/x/temporal" })).toBe("/x/temporal");
    expect(defaultCliPath({ TEMPORAL_BUN_SDK_CACHE: "/cache" })).toBe("/cache/temporal-cli-v1.5.1/bin/temporal");
    expect(defaultCliPath({ HOME: "/home/u" })).toBe("/home/u/.cache/temporal-bun-sdk/temporal-cli-v1.5.1/bin/temporal");
  });

  test("createFromExistingServer connects to a running server; teardown leaves it running", async () => {
    const shared = await testEnv();
    const env = await TestWorkflowEnvironment.createFromExistingServer({ address: shared.address, namespace: "default" });
    expect(env.address).toBe(shared.address);
    expect((await env.connection.workflowService.getSystemInfo()).serverVersion).toMatch(/^\d+\./);
    await env.teardown();
    expect((await shared.connection.workflowService.getSystemInfo()).serverVersion).toMatch(/^\d+\./);
  });
});
