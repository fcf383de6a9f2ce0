/**
 * Workflow runtime figures: bundle time, cost of creating a run, activation latency, memory
 * per cached run. Run: bun bench/workflow-runtime.ts [runs=1000]
 *
 * Peer measured in the same run: a fresh vm context per run (the alternative to the shared
 * context with per-run module instances that the runtime uses), and activations without the
 * vm-timeout deadlock guard.
 */
import path from "node:path";
import { heapSize } from "bun:jsc";
import { bundleWorkflowCode, createWorkflowRuntime } from "../src/worker/workflow/index.js";
import { Sandbox } from "../src/worker/workflow/sandbox.js";
import * as common from "../src/common/index.js";
import { activation, jobs, resultOf } from "../tests/workflow/helpers.js";

const RUNS = Number(process.argv[2] ?? 1000);
const workflowsPath = path.join(import.meta.dir, "../tests/workflow/fixtures/workflows.ts");
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(2)} MB`;
const settle = async () => {
  Bun.gc(true);
  await Bun.sleep(50);
  Bun.gc(true);
};

// 1. bundle
const bundleTimes: number[] = [];
let bundle = await bundleWorkflowCode({ workflowsPath });
for (let i = 0; i < 5; i++) {
  bundle = await bundleWorkflowCode({ workflowsPath });
  bundleTimes.push(bundle.bundleTimeMs);
}
console.log(`bundle: ${(bundle.code.length / 1024).toFixed(0)} KB, Bun.build p50 ${pct(bundleTimes, 50).toFixed(1)} ms (5 warm builds)`);

// 2. runs and activations, with and without the deadlock guard
async function measure(deadlockTimeoutMs: number, runs: number) {
  const rt = createWorkflowRuntime({ bundle, namespace: "default", taskQueue: "bench", logger: quiet, deadlockTimeoutMs });
  await settle();
  const rss0 = process.memoryUsage().rss;
  const heap0 = heapSize();
  const init: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await rt.activate(activation(`run-${i}`, [jobs.init("timerWorkflow", [], BigInt(i))]));
    init.push(performance.now() - t);
  }
  await settle();
  const rssPerRun = (process.memoryUsage().rss - rss0) / runs;
  const heapPerRun = (heapSize() - heap0) / runs;
  const cached = rt.cachedRunCount;
  const fire: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const c = await rt.activate(activation(`run-${i}`, [jobs.fireTimer(1)]));
    fire.push(performance.now() - t);
    if (resultOf(c) !== "done") throw new Error("unexpected result");
  }
  rt.dispose();
  return { init, fire, rssPerRun, heapPerRun, cached };
}

// 5000 ms: the default isolateExecutionTimeout (the official default).
for (const timeout of [5000, 0]) {
  const r = await measure(timeout, RUNS);
  const label = timeout > 0 ? `deadlock guard ${timeout} ms` : "no deadlock guard";
  console.log(
    `${label}: ${r.cached} cached runs; new run (instantiate + first activation) p50 ${us(pct(r.init, 50))} p99 ${us(pct(r.init, 99))}; ` +
      `activation (fire timer → complete) p50 ${us(pct(r.fire, 50))} p99 ${us(pct(r.fire, 99))}; ` +
      `per cached run: RSS ${(r.rssPerRun / 1024).toFixed(1)} KB, JS heap ${(r.heapPerRun / 1024).toFixed(1)} KB`,
  );
}

// 3. peer: a fresh vm context (+ globals + evaluating the bundle) per run
{
  const n = Math.min(RUNS, 200);
  await settle();
  const rss0 = process.memoryUsage().rss;
  const heap0 = heapSize();
  const keep: Sandbox[] = [];
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    const sandbox = new Sandbox(bundle.code, common, () => undefined);
    sandbox.current = { now: () => 0, random: Math.random } as never;
    sandbox.instantiate(); // the bundle's modules, as a run would have them
    sandbox.current = undefined;
    keep.push(sandbox);
    t.push(performance.now() - s);
  }
  await settle();
  console.log(
    `peer, context per run: create context + evaluate bundle p50 ${us(pct(t, 50))} p99 ${us(pct(t, 99))}; ` +
      `per context: RSS ${mb((process.memoryUsage().rss - rss0) / n)}, JS heap ${((heapSize() - heap0) / n / 1024).toFixed(0)} KB (${n} contexts kept)`,
  );
}
