/**
 * Cost of client interceptors (issue 12). Run: `bun bench/client-interceptors.ts` (starts its own
 * dev server through TestWorkflowEnvironment.createLocal and stops it on exit).
 *
 * Sequential signals and queries to one workflow through a client without interceptors and one
 * with three pass-through interceptors that each add a header, alternating, two rounds; then the
 * chain alone (composeInterceptors + three hooks + a no-op next, no RPC).
 */
import { TestWorkflowEnvironment } from "../src/testing/index.js";
import { Client, type WorkflowClientInterceptor } from "../src/client/index.js";
import { Worker, bundleWorkflowCode } from "../src/worker/index.js";
import { defaultPayloadConverter, type Payload } from "../src/common/index.js";

const env = await TestWorkflowEnvironment.createLocal();
try {
  const taskQueue = "ci-bench";
  const worker = await Worker.create({ connection: env.connection, taskQueue, workflowBundle: await bundleWorkflowCode({ workflowsPath: new URL("../tests/e2e/fixtures/workflows.ts", import.meta.url).pathname }), shutdownSignals: [] });
  const running = worker.run();
  const mk = (n: string): WorkflowClientInterceptor => ({
    signal: (i, next) => next({ ...i, headers: { ...i.headers, [n]: defaultPayloadConverter.toPayload(n) as Payload } }),
    query: (i, next) => next({ ...i, headers: { ...i.headers, [n]: defaultPayloadConverter.toPayload(n) as Payload } }),
  });
  const clients = { none: new Client({ connection: env.connection }), three: new Client({ connection: env.connection, interceptors: { workflow: [mk("a"), mk("b"), mk("c")] } }) };
  const N = 300;
  const results: Record<string, number[]> = {};
  for (const round of [1, 2]) {
    for (const [name, c] of Object.entries(clients)) {
      const h = await c.workflow.start("signalsAndQueries", { workflowId: `ci-bench-${name}-${round}-${Date.now()}`, taskQueue });
      await h.query("items");
      const t0 = performance.now();
      for (let i = 0; i < N; i++) await h.signal("add", "x");
      const t1 = performance.now();
      for (let i = 0; i < N; i++) await h.query("count", 0);
      const t2 = performance.now();
      (results[`${name} signal ms/op`] ??= []).push(+((t1 - t0) / N).toFixed(3));
      (results[`${name} query ms/op`] ??= []).push(+((t2 - t1) / N).toFixed(3));
      await h.signal("done");
      await h.result();
    }
  }
  // pure chain cost, no RPC: compose + 3 hooks
  const { composeInterceptors } = await import("../src/common/index.js");
  const ics = [mk("a"), mk("b"), mk("c")];
  const M = 200_000;
  const end = async () => undefined;
  let t = performance.now();
  for (let i = 0; i < M; i++) await composeInterceptors(ics, "signal", end)({ signalName: "s", args: [], workflowExecution: { workflowId: "w" }, headers: {} });
  results["chain of 3 (compose + call, no RPC) µs/op"] = [+(((performance.now() - t) * 1000) / M).toFixed(2)];
  console.log(JSON.stringify(results, null, 1));
  worker.shutdown();
  await running;
} finally {
  await env.teardown();
}
