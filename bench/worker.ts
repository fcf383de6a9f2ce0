/**
 * Worker throughput and latency against a dev server (started here unless TEMPORAL_ADDRESS):
 * - workflows/s for the `hello` fixture (one activity), N workflows started together;
 * - per-workflow latency p50/p99 (start RPC → close event seen);
 * - RSS growth per cached run (workflows parked on a signal, kept in the sticky cache).
 * Usage: bun bench/worker.ts [N=200]
 */
import { Worker } from "../src/worker/index.js";
import * as activities from "../tests/worker/fixtures/activities.js";
import { connection, executeWorkflow, startWorkflow, taskQueue } from "../tests/worker/helpers.js";
import { stopTestServer } from "../tests/helpers/dev-server.js";

const N = Number(process.argv[2] ?? 200);
const fixtures = new URL("../tests/worker/fixtures/workflows.ts", import.meta.url).pathname;
const samples = new URL("../samples/workflows.ts", import.meta.url).pathname;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const conn = await connection();
{
  const tq = taskQueue("bench");
  const worker = await Worker.create({ connection: conn, taskQueue: tq, workflowsPath: fixtures, activities, shutdownSignals: [] });
  await worker.runUntil(async () => {
    await executeWorkflow("hello", { taskQueue: tq, args: ["warmup"] });
    const lat: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: N }, async (_, i) => {
        const s = performance.now();
        await executeWorkflow("hello", { taskQueue: tq, args: [`w${i}`] }, 120_000);
        lat.push(performance.now() - s);
      }),
    );
    const s = (performance.now() - t0) / 1000;
    const st = worker.getStatus();
    console.log(`hello (1 activity), ${N} concurrent: ${(N / s).toFixed(1)} workflows/s; latency p50 ${pct(lat, 50).toFixed(0)} ms, p99 ${pct(lat, 99).toFixed(0)} ms; activations ${st.workflowActivationsCompleted}`);
  });
}
{
  // Memory per cached run: runs waiting on a signal (greetWhenSignalled) stay in the cache.
  const tq = taskQueue("bench-cache");
  const worker = await Worker.create({ connection: conn, taskQueue: tq, workflowsPath: samples, activities: {}, shutdownSignals: [], maxCachedWorkflows: 5000 });
  await worker.runUntil(async () => {
    Bun.gc(true);
    const rss0 = process.memoryUsage().rss;
    const M = 500;
    await Promise.all(Array.from({ length: M }, () => startWorkflow("greetWhenSignalled", { taskQueue: tq, args: ["x", 600_000] })));
    for (let i = 0; i < 200 && worker.getStatus().numCachedWorkflows < M; i++) await Bun.sleep(50);
    Bun.gc(true);
    const rss1 = process.memoryUsage().rss;
    console.log(`cached runs: ${worker.getStatus().numCachedWorkflows}; RSS growth ${((rss1 - rss0) / 1024 / 1024).toFixed(1)} MB = ${((rss1 - rss0) / 1024 / worker.getStatus().numCachedWorkflows).toFixed(0)} KB per cached run (JS sandbox + core state + bridge)`);
  });
}
await conn.close();
await stopTestServer();
process.exit(0);
