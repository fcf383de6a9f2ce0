import { describe, expect, test } from "bun:test";
import { NativeConnection, Runtime, Worker } from "../../src/worker/index.js";
import * as activities from "./fixtures/activities.js";
import { executeWorkflow, fixturesDir, taskQueue } from "./helpers.js";
import { testServer } from "../helpers/dev-server.js";

function freePort(): number {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

describe("Runtime telemetry", () => {
  test("the Prometheus endpoint serves core's worker metrics", async () => {
    const { address } = await testServer();
    const port = freePort();
    const runtime = Runtime.create({ telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${port}` } }, logging: { forward: false } } });
    const connection = await NativeConnection.connect({ address, runtime });
    const tq = taskQueue("metrics");
    const worker = await Worker.create({ connection, taskQueue: tq, workflowsPath: `${fixturesDir}workflows.ts`, activities, shutdownSignals: [] });
    await worker.runUntil(async () => {
      expect(await executeWorkflow("hello", { taskQueue: tq, args: ["metrics"] })).toBe("Hello, metrics!");
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      for (const metric of ["temporal_workflow_completed", "temporal_activity_execution_latency", "temporal_worker_task_slots_available", "temporal_workflow_task_execution_latency"]) {
        expect(text).toContain(metric);
      }
      expect(text).toContain(`task_queue="${tq}"`);
    });
    await connection.close();
    await runtime.shutdown();
  });

  test("core's logs are forwarded to the Runtime's logger with level, target and fields", async () => {
    const { address } = await testServer();
    const p = Bun.spawn(["bun", `${fixturesDir}log-forwarding.ts`], { env: { ...process.env, TEMPORAL_ADDRESS: address }, stdout: "pipe", stderr: "pipe" });
    expect(await p.exited).toBe(0);
    const out = JSON.parse((await new Response(p.stdout).text()).trim().split("\n").at(-1)!);
    expect(out.core).toBeGreaterThan(0);
    expect(out.levels.length).toBeGreaterThan(0);
    expect(out.sample.meta.target).toEqual(expect.any(String));
    expect(out.sample.message).toEqual(expect.any(String));
  });
});
