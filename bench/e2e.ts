/**
 * Workflow runtime figures for the sample (samples/workflows.ts), in process and end to end:
 *   1. bundle time of the sample (Bun.build: first build in this process, then warm p50);
 *   2. in process, hand-built activations of `greet` (timer → activity → complete):
 *      cost of creating a run (instantiate the bundle + first activation), activation p50/p99,
 *      RSS / JS heap growth per cached run over N runs parked on their timer;
 *   3. end to end with a real Worker and dev server: activation processing time p50/p99 as
 *      the worker sees it (runtime.activate, for every activation core sends), and RSS growth
 *      per cached run with N `greetWhenSignalled` runs parked in the worker's cache.
 * Usage: bun bench/e2e.ts [N=1000]
 */
import { heapSize } from "bun:jsc";
import { bundleWorkflowCode, createWorkflowRuntime, type WorkflowRuntime } from "../src/worker/workflow/index.js";
import { Worker } from "../src/worker/index.js";
import * as activities from "../samples/activities.js";
import { activation, jobs, resultOf, kinds } from "../tests/workflow/helpers.js";
import { stopTestServer, testEnv } from "../tests/helpers/dev-server.js";

const N = Number(process.argv[2] ?? 1000);
const samples = new URL("../samples/workflows.ts", import.meta.url).pathname;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
const settle = async () => {
  Bun.gc(true);
  await Bun.sleep(100);
  Bun.gc(true);
};

// 1. bundle
const t0 = performance.now();
let bundle = await bundleWorkflowCode({ workflowsPath: samples });
const firstMs = performance.now() - t0;
const warm: number[] = [];
for (let i = 0; i < 5; i++) {
  bundle = await bundleWorkflowCode({ workflowsPath: samples });
  warm.push(bundle.bundleTimeMs);
}
console.log(`bundle samples/workflows.ts: ${(bundle.code.length / 1024).toFixed(0)} KB; first build ${firstMs.toFixed(1)} ms, warm p50 ${pct(warm, 50).toFixed(1)} ms`);

// 2. in process
{
  const rt = createWorkflowRuntime({ bundle, namespace: "default", taskQueue: "bench", logger: quiet });
  for (let i = 0; i < 50; i++) {
    // warm-up, then evicted
    await rt.activate(activation(`warm-${i}`, [jobs.init("greet", ["x"], BigInt(i))]));
    await rt.activate(activation(`warm-${i}`, [jobs.evict()]));
  }
  await settle();
  const rss0 = process.memoryUsage().rss;
  const heap0 = heapSize();
  const create: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    const c = await rt.activate(activation(`run-${i}`, [jobs.init("greet", [`n${i}`], BigInt(i + 1))]));
    create.push(performance.now() - t);
    if (kinds(c).join() !== "startTimer") throw new Error(`unexpected ${kinds(c).join()}`);
  }
  await settle();
  const rssPerRun = (process.memoryUsage().rss - rss0) / N;
  const heapPerRun = (heapSize() - heap0) / N;
  const fire: number[] = [];
  const resolve: number[] = [];
  for (let i = 0; i < N; i++) {
    let t = performance.now();
    const c1 = await rt.activate(activation(`run-${i}`, [jobs.fireTimer(1)]));
    fire.push(performance.now() - t);
    if (kinds(c1).join() !== "scheduleActivity") throw new Error(`unexpected ${kinds(c1).join()}`);
    t = performance.now();
    const c2 = await rt.activate(activation(`run-${i}`, [jobs.activityCompleted(1, `Hello, n${i}!`)]));
    resolve.push(performance.now() - t);
    if (resultOf(c2) !== `Hello, n${i}!`) throw new Error("unexpected result");
  }
  const all = [...fire, ...resolve];
  console.log(
    `in process (${N} runs of greet): new run (instantiate bundle + init activation) p50 ${us(pct(create, 50))} p99 ${us(pct(create, 99))}; ` +
      `activation p50 ${us(pct(all, 50))} p99 ${us(pct(all, 99))} (fire timer p50 ${us(pct(fire, 50))}, resolve activity → complete p50 ${us(pct(resolve, 50))}); ` +
      `per cached run: RSS ${kb(rssPerRun)}, JS heap ${kb(heapPerRun)}`,
  );
  rt.dispose();
}

// 3. end to end
{
  const env = await testEnv();
  const timed = (worker: Worker, into: number[]) => {
    const rt = (worker as unknown as { workflowRuntime: WorkflowRuntime }).workflowRuntime;
    const activate = rt.activate.bind(rt);
    rt.activate = async (a) => {
      const t = performance.now();
      const c = await activate(a);
      into.push(performance.now() - t);
      return c;
    };
  };
  // Activation time for the sample end to end (greet: init, timer fired, activity resolved, evictions).
  {
    const taskQueue = `bench-e2e-${crypto.randomUUID()}`;
    const worker = await Worker.create({ connection: env.connection, taskQueue, workflowBundle: bundle, activities, shutdownSignals: [] });
    const act: number[] = [];
    timed(worker, act);
    const M = Math.min(N, 200);
    const started = performance.now();
    await worker.runUntil(async () => {
      await Promise.all(
        Array.from({ length: M }, (_, i) =>
          env.client.workflow.execute("greet", { taskQueue, workflowId: `bench-greet-${i}-${crypto.randomUUID()}`, args: [`w${i}`], workflowExecutionTimeout: "120s" }),
        ),
      );
    });
    const s = (performance.now() - started) / 1000;
    console.log(`end to end (${M} greet workflows, one worker): ${act.length} activations, runtime.activate p50 ${us(pct(act, 50))} p99 ${us(pct(act, 99))}; ${(M / s).toFixed(1)} workflows/s`);
  }
  // Memory per cached run end to end: greetWhenSignalled parks on a condition in the cache.
  {
    const taskQueue = `bench-cache-${crypto.randomUUID()}`;
    const worker = await Worker.create({ connection: env.connection, taskQueue, workflowBundle: bundle, activities, shutdownSignals: [], maxCachedWorkflows: N + 100 });
    await worker.runUntil(async () => {
      await settle();
      const rss0 = process.memoryUsage().rss;
      const handles = [];
      for (let i = 0; i < N; i += 100) {
        handles.push(
          ...(await Promise.all(
            Array.from({ length: Math.min(100, N - i) }, (_, j) =>
              env.client.workflow.start("greetWhenSignalled", { taskQueue, workflowId: `bench-park-${i + j}-${crypto.randomUUID()}`, args: ["x", 600_000], workflowExecutionTimeout: "700s" }),
            ),
          )),
        );
      }
      for (let i = 0; i < 600 && worker.getStatus().numCachedWorkflows < N; i++) await Bun.sleep(100);
      await settle();
      const cached = worker.getStatus().numCachedWorkflows;
      const grown = process.memoryUsage().rss - rss0;
      console.log(`end to end: ${cached} runs cached; RSS growth ${(grown / 1024 / 1024).toFixed(1)} MB = ${kb(grown / cached)} per cached run (sandbox + core state + bridge)`);
      await Promise.all(handles.map((h) => h.terminate("bench done").catch(() => undefined)));
    });
  }
}
await stopTestServer();
process.exit(0);
